"""The diary as the engine reads it: plain values, the facts derived from them once, the
thresholds the rules and the "How it works" page quote, and the result types.

A "cramp night" is a diary day with at least one cramp (a cramp during sleep counts for the
evening before, diary/attribution.py). Patterns compare the nights after logged days with and
without a factor, judged by stats.judge over the family of factors (`Facts.judged`), the same
decision the insights page shows. No database and no Django here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from prevention.assessment import stats
from prevention.assessment.nutrition import potassium_caution, withheld_nutrients

MIN_DAYS = 14  # logged days before patterns are judged (the article: "several weeks")


# Whether a factor is a pattern is decided by stats.judge (rate ratio, Fisher's exact test,
# Benjamini–Hochberg; stats.MIN_GROUP_NIGHTS and stats.MIN_EVENTS), the same decision the
# insights page shows. How much a found pattern weighs grows with the gap:
FULL_GAP = 0.6  # a gap this large (share of cramp nights minus share of other nights) gives full weight


HIGH = 0.6


MODERATE = 0.35


ARTICLE_ONLY_CAP = 0.55  # below HIGH: article-only causes are at most "moderate"


# A deficiency is never "high": only a blood test could show one, and the diary has none.
DEFICIENCY_CAP = ARTICLE_ONLY_CAP


# A cause that clinical guidance does not support stays "low" on a single rule's evidence.
SINGLE_WEAK_RULE_CAP = 0.34


RECENT_SIGN_DAYS = 14  # a warning sign older than this (before the diary's last day) gives `soon`


RECENT_DAYS = 28  # "most nights" is judged over the last four weeks of the diary


MIN_SPAN_FOR_FREQUENCY = 7


@dataclass(frozen=True)
class ProfileFacts:
    sex: str = ""
    birth_year: int | None = None
    pregnant: bool = False
    pregnancy_week: int | None = None
    flat_feet: str = "unknown"
    conditions: frozenset[str] = frozenset()
    medications: frozenset[str] = frozenset()

    @property
    def potassium_caution(self) -> bool:
        return potassium_caution(self.conditions, self.medications)

    @property
    def withheld_nutrients(self) -> frozenset[str]:
        return withheld_nutrients(self.conditions, self.medications)


@dataclass(frozen=True)
class EpisodeFacts:
    day: date  # the diary day (attributed)
    intensity: int
    leg: str = "right"
    muscle: str = "calf"
    duration_seconds: int | None = None
    context: str = ""
    relieved_by: frozenset[str] = frozenset()


@dataclass(frozen=True)
class DayFacts:
    date: date
    exertion: str = ""
    training_minutes: int | None = None
    standing_hours: float | None = None
    footwear: str = ""
    cold_exposure: bool = False
    heavy_sweating: bool = False
    fluid_litres: float | None = None
    stress: int | None = None
    sleep_hours: float | None = None
    foods: frozenset[str] = frozenset()
    exercises_done: bool = False
    massage_done: bool = False
    symptoms: frozenset[str] = frozenset()


def empty(value: Any) -> bool:
    """Nothing recorded: no value, an empty text or list, an unticked box (0 is a value)."""
    return value is None or value is False or (not isinstance(value, int | float) and not value)


#: What a day log records besides its date and the routine's "Done" tick (DayFacts' fields are
#: the day log form's, diary.models.DayLog.RECORDED).
DAY_ANSWERS = tuple(name for name in DayFacts.__dataclass_fields__ if name not in ("date", "exercises_done"))


def only_the_tick(day: Any) -> bool:
    """A day log (a DayFacts or a diary DayLog) holding nothing but its date and the routine's tick."""
    return all(empty(getattr(day, name)) for name in DAY_ANSWERS)


@dataclass(frozen=True)
class Diary:
    profile: ProfileFacts
    episodes: tuple[EpisodeFacts, ...] = ()
    days: tuple[DayFacts, ...] = ()
    # The evening the person is in now, whose night is not over (None: every night is over, e.g. a
    # file): it is no night yet for the comparisons, with or without a cramp so far.
    open_from: date | None = None


@dataclass(frozen=True)
class Comparison:
    """How often a factor came before cramp nights, against cramp-free nights."""

    factor: str
    hit: int
    total: int
    other_hit: int
    other_total: int

    @property
    def share(self) -> float:
        return self.hit / self.total if self.total else 0.0

    @property
    def other_share(self) -> float:
        return self.other_hit / self.other_total if self.other_total else 0.0

    @property
    def table(self) -> stats.Table:
        return stats.comparison_table(self.hit, self.total, self.other_hit, self.other_total)

    @property
    def strength(self) -> float:
        return max(0.0, min(1.0, (self.share - self.other_share) / FULL_GAP))

    def params(self) -> dict[str, Any]:
        return {"hit": self.hit, "total": self.total, "other_hit": self.other_hit, "other_total": self.other_total}


@dataclass(frozen=True)
class Factor:
    """Something recorded in a day log that may come before cramp nights."""

    code: str
    present: Callable[[DayFacts, ProfileFacts], bool]
    recorded: Callable[[DayFacts], bool] = lambda day: True
    applies: Callable[[ProfileFacts], bool] = lambda profile: True  # e.g. only with flat feet


class Facts:
    """What the rules read: the diary plus the numbers derived from it once."""

    def __init__(self, diary: Diary):
        self.diary = diary
        self.profile = diary.profile
        self.days: dict[date, DayFacts] = {}
        for day in diary.days:  # a file may hold a date twice: the last one wins
            self.days[day.date] = day
        self.cramps_by_day: dict[date, list[EpisodeFacts]] = defaultdict(list)
        for episode in diary.episodes:
            self.cramps_by_day[episode.day].append(episode)
        dates = list(self.days) + list(self.cramps_by_day)
        self.period_from: date | None = min(dates) if dates else None
        self.period_to: date | None = max(dates) if dates else None
        self.days_logged = len(self.days)
        self.episode_count = len(diary.episodes)
        self.sufficient = self.days_logged >= MIN_DAYS
        over = [d for d in self.days if diary.open_from is None or d < diary.open_from]
        self.cramp_nights = sorted(d for d in over if d in self.cramps_by_day)
        self.quiet_nights = sorted(d for d in over if d not in self.cramps_by_day)
        self._comparisons: dict[str, Comparison] = {}
        self._judged: dict[tuple[str, ...], dict[str, stats.Judged]] = {}

    @property
    def age(self) -> int | None:
        if self.profile.birth_year is None or self.period_to is None:
            return None
        return self.period_to.year - self.profile.birth_year

    def compare(self, factor: Factor) -> Comparison:
        if factor.code not in self._comparisons:
            cramp = [self.days[d] for d in self.cramp_nights if factor.recorded(self.days[d])]
            quiet = [self.days[d] for d in self.quiet_nights if factor.recorded(self.days[d])]
            self._comparisons[factor.code] = Comparison(
                factor=factor.code,
                hit=sum(1 for d in cramp if factor.present(d, self.profile)),
                total=len(cramp),
                other_hit=sum(1 for d in quiet if factor.present(d, self.profile)),
                other_total=len(quiet),
            )
        return self._comparisons[factor.code]

    def judged(self, family: Iterable[Factor]) -> dict[str, stats.Judged]:
        """The verdict on each factor of `family` for these nights (stats.judge, corrected over the family)."""
        factors = tuple(family)
        key = tuple(f.code for f in factors)
        if key not in self._judged:
            self._judged[key] = stats.judge({f.code: self.compare(f).table for f in factors})
        return self._judged[key]

    def symptom_days(self, symptoms: frozenset[str]) -> tuple[list[str], list[date]]:
        """Which of `symptoms` were noted, and on which days."""
        seen: set[str] = set()
        when: list[date] = []
        for d in sorted(self.days):
            found = self.days[d].symptoms & symptoms
            if found:
                seen |= found
                when.append(d)
        return sorted(seen), when

    def cramp_nights_between(self, first: date, last: date) -> int:
        return sum(1 for d in self.cramps_by_day if first <= d <= last)


@dataclass(frozen=True)
class Hit:
    """A rule fired: the values for its sentence, how strongly, and (micronutrients) which elements."""

    params: dict[str, Any] = field(default_factory=dict)
    strength: float = 1.0
    nutrients: tuple[str, ...] = ()
    last_seen: date | None = None  # red flags: the last diary day the sign was recorded


@dataclass(frozen=True)
class Finding:
    rule: str
    params: dict[str, Any]


@dataclass
class CauseResult:
    code: str
    score: float
    likelihood: str
    evidence_base: str
    findings: list[Finding]
    nutrients: list[str] = field(default_factory=list)


@dataclass
class FlagResult:
    code: str
    urgency: str
    findings: list[Finding]
    last_seen: date | None = None


@dataclass(frozen=True)
class Pattern:
    """A factor's counts with the shared verdict (stats.judge) for the patterns table."""

    comparison: Comparison
    judged: stats.Judged

    @property
    def verdict(self) -> str:
        return self.judged.verdict


@dataclass
class Assessment:
    rules_version: str
    assessed_at: datetime | None
    period_from: date | None
    period_to: date | None
    days_logged: int
    episode_count: int
    sufficient_data: bool
    causes: list[CauseResult]
    red_flags: list[FlagResult]
    patterns: list[Pattern]

    @property
    def days_needed(self) -> int:
        return max(0, MIN_DAYS - self.days_logged)


URGENCY_ORDER = {"emergency": 0, "urgent": 1, "soon": 2}


LIKELIHOOD_ORDER = {"high": 0, "moderate": 1, "low": 2}


EVIDENCE_ORDER = {"clinical_guideline": 0, "limited_studies": 1, "source_article_only": 2}


def recent_window(facts: Facts) -> tuple[date, date] | None:
    """The last four weeks of the diary (or all of it when shorter), if long enough to judge."""
    if facts.period_to is None or facts.period_from is None:
        return None
    first = max(facts.period_from, facts.period_to - timedelta(days=RECENT_DAYS - 1))
    if (facts.period_to - first).days + 1 < MIN_SPAN_FOR_FREQUENCY:
        return None
    return first, facts.period_to
