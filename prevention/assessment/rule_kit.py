"""What every rule of the assessment is made of: its sources, the `Rule` record and the small
checks that several rules share (a profile fact, a symptom noted in the diary).

The cause rules (prevention/rules.py) and the red-flag rules (prevention/flag_rules.py) are
built from these; the engine (prevention/assessment.py) reads only `Rule` and `Hit`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from prevention.assessment.facts import Facts, Hit


@dataclass(frozen=True)
class Source:
    title: Promise | str
    detail: Promise | str = ""


# The article is named so that a doctor can weigh it: a popular-health article, not guidance.
ARTICLE_TITLE = _("A popular-health article on leg cramps (Ukrainian portal estet-portal.com)")


SOURCES: dict[str, Source] = {
    "article": Source(ARTICLE_TITLE, _("causes and prevention as the person reads them")),
    "nice_cks": Source('NICE Clinical Knowledge Summaries, "Leg cramps"'),
    "nhs_cramps": Source('NHS, "Leg cramps"'),
    "nhs_dvt": Source('NHS, "DVT (deep vein thrombosis)"'),
    "nhs_swelling": Source('NHS, "Swollen ankles, feet and legs (oedema)"'),
    "nhs_pre_eclampsia": Source('NHS, "Pre-eclampsia"'),
    "nhs_statins": Source('NHS, "Statins: side effects"'),
    "nhs_varicose": Source('NHS, "Varicose veins"'),  # lists muscle cramp in the legs among the symptoms
    "nice_pad": Source('NICE guideline CG147, "Peripheral arterial disease: diagnosis and management"'),
    "aafp_2012": Source('Allen & Kirby, "Nocturnal leg cramps", Am Fam Physician 2012;86(4):350-5'),
    "garrison_2012": Source("Garrison et al., Arch Intern Med 2012 (medicines linked with cramps)"),
    "merck": Source('Merck Manual, "Muscle cramps"'),
    "merck_hypocalcaemia": Source('Merck Manual, "Hypocalcemia"'),
    "merck_rhabdomyolysis": Source('Merck Manual, "Rhabdomyolysis"'),
    "hallegraeff_2012": Source("Hallegraeff et al., J Physiother 2012 (nightly stretching in adults over 55)"),
}


@dataclass(frozen=True, kw_only=True)
class Rule:
    id: str
    target: str  # a cause or red-flag code
    when: Promise  # the condition in words
    sentence: Promise  # evidence shown to the person, filled from the hit's params
    source: str  # a key of SOURCES
    check: Callable[[Facts], Hit | None]
    weight: float = 0.0  # causes
    urgency: str = ""  # red flags
    pattern: bool = False  # judged only once MIN_DAYS days are logged
    group: str = ""  # rules of one group read the same evidence twice: only the strongest counts
    what: Promise | None = None  # pattern rules: the factor as a phrase for COMPARED

    @property
    def is_flag(self) -> bool:
        return bool(self.urgency)


def dates_of(days: Iterable[date]) -> list[str]:
    return [d.isoformat() for d in days]


def profile_has(field: str, codes: set[str] | frozenset[str]) -> Callable[[Facts], Hit | None]:
    def check(facts: Facts) -> Hit | None:
        found = sorted(getattr(facts.profile, field) & codes)
        return Hit({field: found}) if found else None

    return check


def noted(
    symptoms: set[str] | frozenset[str], min_days: int = 1, when: Callable[[Facts], bool] = lambda f: True
) -> Callable[[Facts], Hit | None]:
    """Fires when any of `symptoms` was noted on at least `min_days` days; `last_seen` is the last of them."""
    symptoms = frozenset(symptoms)

    def check(facts: Facts) -> Hit | None:
        if not when(facts):
            return None
        seen, days = facts.symptom_days(symptoms)
        if len(days) < min_days:
            return None
        return Hit({"symptoms": seen, "dates": dates_of(days), "count": len(days)}, last_seen=days[-1])

    return check


def pregnant_and(check: Callable[[Facts], Hit | None]) -> Callable[[Facts], Hit | None]:
    return lambda facts: check(facts) if facts.profile.pregnant else None
