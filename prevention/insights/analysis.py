"""What the insights page and the doctor's report show, worked out from plain values (no database).

A "night" is a logged diary day; a "cramp night" one with at least one cramp (a cramp during
sleep before midday counts for the evening before). The factor comparisons are the assessment's
own verdicts (`rules.verdicts`, i.e. `stats.judge` over the same family of factors), so for the
same nights the two pages count the same and decide the same.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _

from prevention.assessment import stats
from prevention.assessment.facts import Diary, EpisodeFacts, Facts
from prevention.assessment.rules import FACTOR_LABELS, verdicts
from prevention.insights.selectors import Cramp, DiaryData

# The factors the issue asks for, in the order the page lists them.
COMPARED_FACTORS = (
    "hard_training",
    "long_standing",
    "cold_legs",
    "unsuitable_shoes",
    "high_stress",
    "no_article_foods",
    "heavy_sweating",
    "little_fluid",
)
NIGHT_ORDER = tuple(range(12, 24)) + tuple(range(12))  # midday to midday: the night in one piece
DURATION_BUCKETS = (
    (30, _("under 30 s")),
    (60, _("30–59 s")),
    (120, _("1–2 min")),
    (300, _("2–5 min")),
    (600, _("5–10 min")),
    (None, _("over 10 min")),
)


@dataclass(frozen=True)
class Compared:
    code: str
    label: str
    with_label: str
    without_label: str
    judged: stats.Judged  # the shared decision (stats.judge via rules.verdicts)

    @property
    def rr(self) -> stats.RateRatio:
        return self.judged.rr

    @property
    def p(self) -> float:
        return self.judged.p

    @property
    def q(self) -> float | None:
        return self.judged.q

    @property
    def enough(self) -> bool:
        return self.judged.enough

    @property
    def verdict(self) -> str:
        """ "too_few", "more" / "fewer" (unlikely to be chance after the correction) or "unclear"."""
        return self.judged.verdict


@dataclass(frozen=True)
class Week:
    start: date
    cramp_nights: int
    worst: int | None
    days: int = 7  # of its days, those in the period: fewer in a first or last week cut by the range

    @property
    def partial(self) -> bool:
        return self.days < 7


def engine_diary(data: DiaryData) -> Diary:
    episodes = tuple(EpisodeFacts(day=c.day, intensity=c.intensity, leg=c.leg, muscle=c.muscle) for c in data.cramps)
    return Diary(profile=data.profile, episodes=episodes, days=data.days, open_from=data.open_from)


def comparisons(data: DiaryData) -> list[Compared]:
    return compare_all(data)[0]


def compare_all(data: DiaryData) -> tuple[list[Compared], int]:
    """Every factor and the bedtime routine, as the assessment's patterns judge them (rules.verdicts:
    one decision, one Benjamini–Hochberg family), and the plan, a question of its own; with the
    number of the family's comparisons that had enough data to be tested."""
    facts = Facts(engine_diary(data))
    judged = verdicts(facts)
    with_it, without_it = str(_("after days with it")), str(_("after days without it"))
    rows = [Compared(code, str(FACTOR_LABELS[code]), with_it, without_it, judged[code]) for code in COMPARED_FACTORS]
    routine = judged["no_bedtime_exercises"].flipped()
    rows.append(
        Compared(
            "routine",
            str(_("bedtime routine")),
            str(_("nights after the routine")),
            str(_("nights without it")),
            routine,
        )
    )
    plan_start = data.plans[0].day if data.plans else None
    if plan_start is not None:
        # Not one of the diary's factors: "did the plan help?" is asked on its own, so it is not in
        # the factors' family (which keeps the factors' verdicts equal to the assessment's).
        plan = stats.judge({"plan": plan_table(facts, plan_start)})["plan"]
        rows.append(
            Compared(
                "plan", str(_("the prevention plan")), str(_("since the plan started")), str(_("before the plan")), plan
            )
        )
    return rows, sum(1 for j in judged.values() if j.enough)


def plan_table(facts: Facts, start: date) -> tuple[int, int, int, int]:
    nights = facts.cramp_nights + facts.quiet_nights  # the logged nights that are over
    after = [d for d in nights if d >= start]
    before = [d for d in nights if d < start]
    hits = lambda days: sum(1 for d in days if d in facts.cramps_by_day)  # noqa: E731
    return hits(after), len(after), hits(before), len(before)


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weeks(data: DiaryData) -> list[Week]:
    nights: dict[date, int] = {}
    for cramp in data.cramps:
        nights[cramp.day] = max(nights.get(cramp.day, 0), cramp.intensity)
    first, result = monday(data.start), []
    per_week: dict[date, list[int]] = {}
    for day, worst in nights.items():
        per_week.setdefault(monday(day), []).append(worst)
    week = first
    while week <= data.last:
        values = per_week.get(week, [])
        days = (min(week + timedelta(days=6), data.last) - max(week, data.start)).days + 1
        result.append(Week(week, len(values), max(values) if values else None, days))
        week += timedelta(days=7)
    return result


def cramp_nights(cramps: tuple[Cramp, ...]) -> int:
    return len({c.day for c in cramps})


def by_hour(cramps: tuple[Cramp, ...]) -> list[tuple[int, int]]:
    counts = Counter(c.started.hour for c in cramps)
    return [(hour, counts.get(hour, 0)) for hour in NIGHT_ORDER]


def by_code(cramps: tuple[Cramp, ...], field: str, choices: list) -> list[tuple[str, int]]:
    counts = Counter(getattr(c, field) for c in cramps)
    return [(str(label), counts.get(code, 0)) for code, label in choices if counts.get(code, 0) or field == "leg"]


def by_intensity(cramps: tuple[Cramp, ...]) -> list[tuple[str, int]]:
    counts = Counter(c.intensity for c in cramps)
    return [(str(level), counts.get(level, 0)) for level in range(1, 11)]


def by_duration(cramps: tuple[Cramp, ...]) -> list[tuple[str, int]]:
    counts = [0] * len(DURATION_BUCKETS)
    for cramp in cramps:
        if cramp.duration_seconds is None:
            continue
        for index, (limit, _label) in enumerate(DURATION_BUCKETS):
            if limit is None or cramp.duration_seconds < limit:
                counts[index] += 1
                break
    return [(str(label), count) for (_limit, label), count in zip(DURATION_BUCKETS, counts)]


def typical(cramps: tuple[Cramp, ...]) -> dict:
    """The most common hour, leg and muscle, and the median intensity and duration (None when no cramps)."""
    if not cramps:
        return {}
    hour = Counter(c.started.hour for c in cramps).most_common(1)[0][0]
    durations = [c.duration_seconds for c in cramps if c.duration_seconds is not None]
    return {
        "hour": hour,
        "leg": Counter(c.leg for c in cramps).most_common(1)[0][0],
        "muscle": Counter(c.muscle for c in cramps).most_common(1)[0][0],
        "intensity": stats.median([c.intensity for c in cramps]),
        "duration": stats.median(durations),
    }


def most_severe(cramps: tuple[Cramp, ...], count: int = 5) -> list[Cramp]:
    return sorted(cramps, key=lambda c: (-c.intensity, -(c.duration_seconds or 0), c.started))[:count]


def trend(data: DiaryData) -> stats.RateRatio | None:
    """Cramp nights in the second half of the period against the first half (logged nights that are over)."""
    days = data.nights()
    if len(days) < 2:
        return None
    middle = data.start + (data.last - data.start) / 2
    cramp_days = {c.day for c in data.cramps}
    late = [d for d in days if d > middle]
    early = [d for d in days if d <= middle]
    count = lambda group: sum(1 for d in group if d in cramp_days)  # noqa: E731
    return stats.rate_ratio(count(late), len(late), count(early), len(early))
