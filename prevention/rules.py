"""The rule table of the assessment, as data.

Each rule: an id, the cause or red flag it feeds, its check (a plain function over the
diary's facts), its weight (causes) or urgency (red flags), the sentence that tells the
person why it fired, the condition in words and the source it rests on. The page
"How the assessment works" is rendered from this table, so the two cannot disagree.

Change a rule's meaning, weight or threshold → change RULES_VERSION (it is written into
every result, so a stored snapshot says which rules made it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from . import assessment as a
from .assessment import DayFacts, Facts, Factor, Hit
from .nutrition import NUTRIENT_CODES, RICH_IN, nutrients_in

RULES_VERSION = "2026.11-2"

# ---------------------------------------------------------------- sources


@dataclass(frozen=True)
class Source:
    title: str
    detail: Promise | str = ""


SOURCES: dict[str, Source] = {
    "article": Source("The source article on leg cramps", _("causes and prevention as the person reads them")),
    "nice_cks": Source('NICE Clinical Knowledge Summaries, "Leg cramps"'),
    "nhs_cramps": Source('NHS, "Leg cramps"'),
    "nhs_dvt": Source('NHS, "DVT (deep vein thrombosis)"'),
    "aafp_2012": Source('Allen & Kirby, "Nocturnal leg cramps", Am Fam Physician 2012;86(4):350-5'),
    "garrison_2012": Source("Garrison et al., Arch Intern Med 2012 (medicines linked with cramps)"),
    "merck": Source('Merck Manual, "Muscle cramps"'),
    "hallegraeff_2012": Source("Hallegraeff et al., J Physiother 2012 (nightly stretching in adults over 55)"),
}

# ---------------------------------------------------------------- causes and red flags


@dataclass(frozen=True)
class CauseInfo:
    label: Promise
    evidence_base: str
    means: Promise
    next_step: Promise
    see_doctor: bool = False


CAUSES: dict[str, CauseInfo] = {
    "flat_feet_footwear": CauseInfo(
        _("Flat feet or unsuitable shoes"),
        "limited_studies",
        _("Feet that roll flat or shoes of the wrong shape strain the foot and calf muscles, above all on days of effort."),
        _("Wear comfortable, well-shaped shoes and proper running shoes for sport. If you think you have flat feet, ask for an orthopaedic check."),
    ),
    "pregnancy": CauseInfo(
        _("Pregnancy"),
        "clinical_guideline",
        _("Cramps are common in pregnancy, most of all in the second half. Rarely they point to kidney or heart strain or anaemia."),
        _("Tell your midwife or doctor about the cramps at your next visit, sooner if your legs swell or cramps come most nights."),
        see_doctor=True,
    ),
    "cold_exposure": CauseInfo(
        _("Cold legs"),
        "source_article_only",
        _("The article sees cramps as a reflex of muscles that got cold. Clinical guidance does not list cold as a cause, so treat this as a hint from your own diary only."),
        _("Keep your legs and feet warm in the evening and at night, and note whether the cramps change."),
    ),
    "micronutrient_deficiency": CauseInfo(
        _("Too little potassium, calcium, magnesium or vitamin B6"),
        "limited_studies",
        _("Your diet or circumstances may leave you short of some trace elements. Studies give this only limited support, and only a blood test can show a real deficiency."),
        _("Eat more of the foods rich in the elements named. Do not start supplements on your own: ask your doctor whether a blood test is worth doing."),
    ),
    "vascular": CauseInfo(
        _("Blood-flow problems (atherosclerosis, varicose veins)"),
        "clinical_guideline",
        _("Narrowed arteries or widened veins can reduce the blood flow in the legs; cramps can be a sign of it and often ease when it is treated."),
        _("See your doctor: blood flow in the legs can be examined, and treating it may ease the cramps."),
        see_doctor=True,
    ),
    "stress": CauseInfo(
        _("Constant stress"),
        "source_article_only",
        _("The article says stress hormones deplete potassium. Clinical guidance does not list stress as a cause, so treat this as a hint from your own diary only."),
        _("Plan some rest in the evening; the bedtime leg exercises can be part of winding down."),
    ),
    "overexertion": CauseInfo(
        _("Too much load at work or in training"),
        "clinical_guideline",
        _("Long standing or hard training tires the leg muscles, and tired muscles cramp more easily."),
        _("Keep your activity moderate: when the muscles feel tense, halve the load until they recover, and massage your feet after a hard day."),
    ),
    "deconditioning": CauseInfo(
        _("Too little muscle training"),
        "limited_studies",
        _("Muscles that are rarely trained or stretched cramp more easily; nightly calf and hamstring stretching helped older adults in one trial, not in another."),
        _("Do the five-minute bedtime leg exercises every evening and add some regular moderate activity."),
    ),
    "medication": CauseInfo(
        _("A medicine you take"),
        "clinical_guideline",
        _("Some medicines are known to make cramps more likely."),
        _("Ask your doctor or pharmacist for a medication review. Do not stop a prescribed medicine on your own."),
        see_doctor=True,
    ),
    "medical_condition": CauseInfo(
        _("An underlying condition"),
        "clinical_guideline",
        _("Some long-term conditions make cramps more likely."),
        _("Tell the doctor who treats the condition about your cramps; they may change the treatment."),
        see_doctor=True,
    ),
    "dehydration": CauseInfo(
        _("Losing fluid and salts"),
        "clinical_guideline",
        _("Heavy sweating, drinking little, or water tablets make the body lose fluid and salts."),
        _("Drink enough on hot and hard days, and eat foods rich in potassium and magnesium."),
    ),
    "idiopathic": CauseInfo(
        _("No specific cause found"),
        "clinical_guideline",
        _("Most night cramps, above all in older adults, have no cause that can be found, and that is common."),
        _("Keep up the bedtime leg exercises, and keep logging: new patterns may show in a few weeks."),
    ),
}


@dataclass(frozen=True)
class FlagInfo:
    label: Promise
    messages: dict[str, Promise]  # urgency -> message


URGENCY_LABELS = {
    "emergency": _("Call emergency services now"),
    "urgent": _("Seek medical care today"),
    "soon": _("Book a doctor's appointment"),
}

FLAGS: dict[str, FlagInfo] = {
    "possible_dvt": FlagInfo(
        _("Possible blood clot (deep-vein thrombosis)"),
        {
            "urgent": _("A swollen, red or warm calf on one side, or pain that stays after the cramp, can be a blood clot. Seek medical care today."),
            "emergency": _("Chest pain or breathlessness can mean a clot has reached the lungs. If you have it now, call emergency services."),
        },
    ),
    "prolonged_cramp": FlagInfo(
        _("A cramp that lasted more than 10 minutes"),
        {"urgent": _("A cramp that does not ease within 10 minutes needs a doctor. Seek medical care today.")},
    ),
    "frequent_cramps": FlagInfo(
        _("Frequent cramps"),
        {"soon": _("Cramps on most nights, or more and more often, should be examined by a doctor. Do not wait until they come every day.")},
    ),
    "claudication": FlagInfo(
        _("Leg pain when walking"),
        {"soon": _("Leg pain that comes on when walking and eases with rest can be a sign of narrowed arteries. See a doctor.")},
    ),
    "neurological": FlagInfo(
        _("Weakness, numbness or twitching"),
        {"soon": _("Muscle weakness, wasting or twitching, numbness or tingling alongside cramps should be examined by a doctor.")},
    ),
    "not_typical_cramp": FlagInfo(
        _("Maybe not a cramp"),
        {"soon": _("An urge to move the legs that eases when you move is more like restless legs than cramp. A doctor can tell them apart.")},
    ),
    "cramps_beyond_legs": FlagInfo(
        _("Cramps in other parts of the body"),
        {"soon": _("Cramps in other parts of the body as well as the legs should be examined by a doctor.")},
    ),
    "pregnancy_warning": FlagInfo(
        _("Cramps in pregnancy with swelling or often"),
        {"soon": _("In pregnancy, cramps with swelling of the legs, or cramps most nights, should be checked by your midwife or doctor soon.")},
    ),
}

# ---------------------------------------------------------------- diary factors compared on cramp nights

UNSUITABLE_SHOES = frozenset({"uncomfortable", "high_heels"})
EFFORT = frozenset({"moderate", "hard"})
ARTICLE_FOODS = frozenset(list(RICH_IN)[:10])
HARD_TRAINING_MINUTES = 90
LONG_STANDING_HOURS = 6
HIGH_STRESS = 7
MIN_FOOD_DAYS = 10
LITTLE_FLUID_LITRES = 1.0


def _effort(day: DayFacts) -> bool:
    return day.exertion in EFFORT or (day.training_minutes or 0) >= 30


FACTORS: dict[str, Factor] = {
    f.code: f
    for f in [
        Factor(
            "hard_training",
            lambda d, p: d.exertion == "hard" or (d.training_minutes or 0) >= HARD_TRAINING_MINUTES,
            lambda d: bool(d.exertion) or d.training_minutes is not None,
        ),
        Factor("long_standing", lambda d, p: d.standing_hours >= LONG_STANDING_HOURS, lambda d: d.standing_hours is not None),
        Factor(
            "effort_with_flat_feet",
            lambda d, p: p.flat_feet == "yes" and _effort(d),
            lambda d: bool(d.exertion) or d.training_minutes is not None,
            lambda p: p.flat_feet == "yes",
        ),
        Factor("unsuitable_shoes", lambda d, p: d.footwear in UNSUITABLE_SHOES, lambda d: bool(d.footwear)),
        Factor(
            "effort_in_unsuitable_shoes",
            lambda d, p: d.footwear in UNSUITABLE_SHOES and _effort(d),
            lambda d: bool(d.footwear) and (bool(d.exertion) or d.training_minutes is not None),
        ),
        Factor("cold_legs", lambda d, p: d.cold_exposure),
        Factor("high_stress", lambda d, p: d.stress >= HIGH_STRESS, lambda d: d.stress is not None),
        # A day with no food ticked is "not recorded", not "ate nothing".
        Factor("no_article_foods", lambda d, p: not (d.foods & ARTICLE_FOODS), lambda d: bool(d.foods)),
        Factor("heavy_sweating", lambda d, p: d.heavy_sweating),
        Factor("little_fluid", lambda d, p: d.fluid_litres < LITTLE_FLUID_LITRES, lambda d: d.fluid_litres is not None),
        Factor("no_bedtime_exercises", lambda d, p: not d.exercises_done),
    ]
}

FACTOR_LABELS = {
    "hard_training": format_lazy(_("hard training (hard effort or {minutes}+ minutes)"), minutes=HARD_TRAINING_MINUTES),
    "long_standing": format_lazy(_("standing {hours} hours or more"), hours=LONG_STANDING_HOURS),
    "effort_with_flat_feet": _("effort with flat feet"),
    "unsuitable_shoes": _("uncomfortable shoes or high heels"),
    "effort_in_unsuitable_shoes": _("effort in uncomfortable shoes or high heels"),
    "cold_legs": _("legs got cold"),
    "high_stress": format_lazy(_("stress {level}/10 or more"), level=HIGH_STRESS),
    "no_article_foods": _("none of the article's foods"),
    "heavy_sweating": _("heavy sweating"),
    "little_fluid": format_lazy(_("less than {litres} litre of fluid"), litres=LITTLE_FLUID_LITRES),
    "no_bedtime_exercises": _("no bedtime exercises"),
}

# ---------------------------------------------------------------- rules


@dataclass(frozen=True)
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


def _dates(days) -> list[str]:
    return [d.isoformat() for d in days]


def pattern(factor: str, extra: Callable[[Facts], bool] = lambda f: True) -> Callable[[Facts], Hit | None]:
    """Fires when the factor came before clearly more cramp nights than other nights."""

    def check(facts: Facts) -> Hit | None:
        if not extra(facts):
            return None
        comparison = facts.compare(FACTORS[factor])
        if comparison.verdict != "supported":
            return None
        return Hit(comparison.params(), strength=comparison.strength)

    return check


def profile_has(field: str, codes: set[str]) -> Callable[[Facts], Hit | None]:
    def check(facts: Facts) -> Hit | None:
        found = sorted(getattr(facts.profile, field) & codes)
        return Hit({field: found}) if found else None

    return check


def noted(symptoms: set[str], min_days: int = 1, when: Callable[[Facts], bool] = lambda f: True):
    symptoms = frozenset(symptoms)

    def check(facts: Facts) -> Hit | None:
        if not when(facts):
            return None
        seen, days = facts.symptom_days(symptoms)
        if len(days) < min_days:
            return None
        return Hit({"symptoms": seen, "dates": _dates(days), "count": len(days)})

    return check


def _share_of_days(facts: Facts, test: Callable[[DayFacts], bool], recorded: Callable[[DayFacts], bool] = lambda d: True):
    days = [d for d in facts.days.values() if recorded(d)]
    return sum(1 for d in days if test(d)), len(days)


def _poor_diet(facts: Facts) -> Hit | None:
    """Most days without any of the article's foods, and some elements rarely eaten at all."""
    without, total = _share_of_days(facts, lambda d: not (d.foods & ARTICLE_FOODS), lambda d: bool(d.foods))
    if total < MIN_FOOD_DAYS or without < 0.7 * total:
        return None
    lacking = _lacking([d for d in facts.days.values() if d.foods])
    if not lacking:
        return None
    return Hit({"without": without, "total": total, "nutrients": lacking}, nutrients=tuple(lacking))


def _lacking(days: list[DayFacts], share: float = 0.3) -> list[str]:
    """Elements that fewer than `share` of these days' foods supplied."""
    if not days:
        return []
    counts = {n: 0 for n in NUTRIENT_CODES}
    for day in days:
        for n in nutrients_in(day.foods):
            counts[n] += 1
    return [n for n in NUTRIENT_CODES if counts[n] < share * len(days)]


def _cramp_nights_without_foods(facts: Facts) -> Hit | None:
    hit = pattern("no_article_foods")(facts)
    if hit is None:
        return None
    lacking = _lacking([facts.days[d] for d in facts.cramp_nights if facts.days[d].foods], share=0.5)
    if not lacking:
        return None  # other foods supplied every element: no sign of a shortage
    return Hit({**hit.params, "nutrients": lacking}, strength=hit.strength, nutrients=tuple(lacking))


def _nutrient_hit(codes: tuple[str, ...], test: Callable[[Facts], dict | None]):
    def check(facts: Facts) -> Hit | None:
        params = test(facts)
        return None if params is None else Hit({**params, "nutrients": list(codes)}, nutrients=codes)

    return check


def _constant_stress(facts: Facts) -> dict | None:
    high, total = _share_of_days(facts, lambda d: d.stress >= HIGH_STRESS, lambda d: d.stress is not None)
    if total < 7 or high < 0.5 * total:
        return None
    return {"high": high, "total": total}


def _mean_stress(facts: Facts) -> Hit | None:
    levels = [d.stress for d in facts.days.values() if d.stress is not None]
    if len(levels) < 7:
        return None
    mean = sum(levels) / len(levels)
    return Hit({"mean": round(mean, 1), "total": len(levels)}) if mean >= 6 else None


def _cramps_during(contexts: set[str]) -> Callable[[Facts], Hit | None]:
    def check(facts: Facts) -> Hit | None:
        n = sum(1 for e in facts.diary.episodes if e.context in contexts)
        total = facts.episode_count
        if n >= 3 and n >= 0.3 * total:
            return Hit({"count": n, "total": total})
        return None

    return check


def _inactive(facts: Facts) -> Hit | None:
    still, total = _share_of_days(
        facts,
        lambda d: d.exertion in ("none", "light") and not d.training_minutes,
        lambda d: bool(d.exertion),
    )
    if total < 10 or still < 0.8 * total:
        return None
    return Hit({"still": still, "total": total})


def _pregnant(facts: Facts) -> Hit | None:
    return Hit({}) if facts.profile.pregnant else None


def _late_pregnancy(facts: Facts) -> Hit | None:
    week = facts.profile.pregnancy_week
    return Hit({"week": week}) if facts.profile.pregnant and week and week >= 20 else None


def _flat_feet(facts: Facts) -> Hit | None:
    return Hit({}) if facts.profile.flat_feet == "yes" else None


def _long_cramps(facts: Facts) -> Hit | None:
    long = [e for e in facts.diary.episodes if (e.duration_seconds or 0) > 600]
    if not long:
        return None
    longest = max(e.duration_seconds or 0 for e in long)
    minutes, seconds = divmod(longest, 60)
    return Hit({"count": len(long), "dates": _dates(sorted({e.day for e in long})), "minutes": minutes, "seconds": seconds})


def _most_nights(facts: Facts) -> Hit | None:
    window = a.recent_window(facts)
    if window is None:
        return None
    first, last = window
    span = (last - first).days + 1
    nights = facts.cramp_nights_between(first, last)
    return Hit({"nights": nights, "span": span}) if nights > span / 2 else None


def _more_often(facts: Facts) -> Hit | None:
    if facts.period_to is None or facts.period_from is None:
        return None
    from datetime import timedelta

    last = facts.period_to
    recent_first = last - timedelta(days=a.RECENT_DAYS - 1)
    before_first = recent_first - timedelta(days=a.RECENT_DAYS)
    if facts.period_from > before_first:
        return None  # the diary does not cover the four weeks before
    recent = facts.cramp_nights_between(recent_first, last)
    before = facts.cramp_nights_between(before_first, recent_first - timedelta(days=1))
    if recent >= 8 and recent >= 2 * before:
        return Hit({"recent": recent, "before": before})
    return None


def _pregnant_and(check: Callable[[Facts], Hit | None]) -> Callable[[Facts], Hit | None]:
    return lambda facts: check(facts) if facts.profile.pregnant else None


def _age_over(years: int) -> Callable[[Facts], Hit | None]:
    def check(facts: Facts) -> Hit | None:
        age = facts.age
        return Hit({"age": age}) if age is not None and age >= years else None

    return check


DVT_SIGNS = {"calf_swelling_one_side", "calf_red_or_warm", "pain_after_cramp"}
NEURO_SIGNS = {"muscle_weakness", "numbness_tingling", "muscle_wasting_or_twitching"}
COMPARED = _("%(hit)s of your %(total)s cramp nights came after %(what)s; %(other_hit)s of %(other_total)s other nights did.")


RULES: list[Rule] = [
    # -- flat feet and footwear
    Rule("footwear-flat-feet", "flat_feet_footwear", _("Your profile says you have flat feet."),
         _("You noted that you have flat feet."), "article", _flat_feet, weight=0.25),
    Rule("footwear-effort-flat-feet", "flat_feet_footwear",
         _("You have flat feet, and cramp nights followed days of effort clearly more often than other nights."),
         COMPARED, "article", pattern("effort_with_flat_feet"),
         weight=0.45, pattern=True, what=_("a day of physical effort with your flat feet")),
    Rule("footwear-unsuitable-shoes", "flat_feet_footwear",
         _("Cramp nights followed days in uncomfortable shoes or high heels clearly more often than other nights."),
         COMPARED, "article", pattern("unsuitable_shoes"),
         weight=0.45, pattern=True, group="shoes", what=_("a day in uncomfortable shoes or high heels")),
    Rule("footwear-effort-in-unsuitable-shoes", "flat_feet_footwear",
         _("Cramp nights followed days of effort in uncomfortable shoes or high heels clearly more often than other nights (it counts once with the rule above: the stronger of the two)."),
         COMPARED, "article",
         pattern("effort_in_unsuitable_shoes"), weight=0.45, group="shoes", pattern=True, what=_("physical effort in uncomfortable shoes or high heels")),
    # -- pregnancy
    Rule("pregnancy", "pregnancy", _("Your profile says you are pregnant."),
         _("You noted that you are pregnant; cramps are common in pregnancy."), "nhs_cramps", _pregnant, weight=0.5),
    Rule("pregnancy-second-half", "pregnancy", _("You are pregnant, in week 20 or later."),
         _("You are in week %(week)s: cramps are most common in the second half of pregnancy."), "nice_cks",
         _late_pregnancy, weight=0.4),
    Rule("pregnancy-anaemia", "pregnancy", _("You are pregnant and have anaemia."),
         _("You noted anaemia, which the article links with cramps in pregnancy."), "article",
         _pregnant_and(profile_has("conditions", {"anaemia"})), weight=0.2),
    # -- cold
    Rule("cold-legs", "cold_exposure", _("Cramp nights followed days when your legs got cold clearly more often than other nights."),
         COMPARED, "article", pattern("cold_legs"), weight=0.55, pattern=True, what=_("a day when your legs got cold")),
    # -- trace elements
    Rule("nutrients-diet", "micronutrient_deficiency",
         _("On 70% or more of the days with foods recorded (10 days or more) you ate none of the article's foods, and foods rich in some elements were eaten on fewer than 30% of those days."),
         _("On %(without)s of the %(total)s days you recorded foods, you ate none of the article's foods; foods rich in %(nutrients)s were rare."),
         "article", _poor_diet, weight=0.35, pattern=True),
    Rule("nutrients-cramp-nights", "micronutrient_deficiency",
         _("Cramp nights followed days without any of the article's foods clearly more often than other nights, and on most cramp nights foods rich in some element were missing."),
         COMPARED, "article",
         _cramp_nights_without_foods, weight=0.35, pattern=True, what=_("a day without any of the article's foods rich in trace elements")),
    Rule("nutrients-diuretic", "micronutrient_deficiency", _("You take a diuretic (water tablet)."),
         _("Diuretics can lower potassium and magnesium."), "merck",
         _nutrient_hit(("potassium", "magnesium"), lambda f: {} if "diuretic" in f.profile.medications else None), weight=0.3),
    Rule("nutrients-stress", "micronutrient_deficiency", _("Stress was 7/10 or more on at least half of the days you rated it (7 days or more)."),
         _("Your stress was high on %(high)s of %(total)s days; the article says stress hormones deplete potassium."),
         "article", _nutrient_hit(("potassium",), _constant_stress), weight=0.15, pattern=True),
    Rule("nutrients-pregnancy", "micronutrient_deficiency", _("You are pregnant."),
         _("Pregnancy raises the need for calcium and magnesium."), "article",
         _nutrient_hit(("calcium", "magnesium"), lambda f: {} if f.profile.pregnant else None), weight=0.2),
    # -- blood flow
    Rule("vascular-arteries", "vascular", _("Your profile lists atherosclerosis or peripheral artery disease."),
         _("You noted %(conditions)s, which can reduce the blood flow to the legs."), "aafp_2012",
         profile_has("conditions", {"atherosclerosis", "peripheral_artery_disease"}), weight=0.5),
    Rule("vascular-veins", "vascular", _("Your profile lists varicose veins."),
         _("You noted varicose veins; widened veins can slow the blood flow in the legs."), "article",
         profile_has("conditions", {"varicose_veins"}), weight=0.4),
    Rule("vascular-claudication", "vascular", _("You noted leg pain when walking that eases with rest."),
         _("You noted leg pain when walking that eased with rest on %(dates)s."), "aafp_2012",
         noted({"pain_walking_eases_rest"}), weight=0.4),
    # Swollen ankles are common in pregnancy; there the swelling feeds pregnancy_warning instead.
    Rule("vascular-swelling", "vascular", _("You noted swollen legs on 2 days or more, and are not pregnant."),
         _("You noted swollen legs on %(count)s days (%(dates)s)."), "aafp_2012",
         noted({"leg_swelling"}, min_days=2, when=lambda f: not f.profile.pregnant),
         weight=0.3),
    # -- stress
    Rule("stress-cramp-nights", "stress", _("Cramp nights followed days of stress 7/10 or more clearly more often than other nights."),
         COMPARED, "article", pattern("high_stress"), weight=0.5, pattern=True, what=_("a day of stress 7/10 or more")),
    Rule("stress-constant", "stress", _("Your stress averaged 6/10 or more over at least 7 rated days."),
         _("Your stress averaged %(mean)s/10 over %(total)s days."), "article", _mean_stress, weight=0.3, pattern=True),
    # -- load
    Rule("load-training", "overexertion",
         _("Cramp nights followed days of hard training (hard effort or 90 minutes or more) clearly more often than other nights."),
         COMPARED, "merck", pattern("hard_training"), weight=0.65, pattern=True, what=_("a day of hard training")),
    Rule("load-standing", "overexertion",
         _("Cramp nights followed days of standing 6 hours or more clearly more often than other nights."),
         COMPARED, "aafp_2012", pattern("long_standing"), weight=0.65, pattern=True, what=_("a day of standing 6 hours or more")),
    Rule("load-cramps-during-effort", "overexertion",
         _("At least 3 cramps, and 30% or more of all, began during exercise or work."),
         _("%(count)s of your %(total)s cramps began during exercise or work."), "merck",
         _cramps_during({"exercise", "work"}), weight=0.3, pattern=True),
    # -- too little training
    Rule("training-inactive", "deconditioning",
         _("On 80% or more of days with a recorded load (10 days or more) there was no or light effort and no training."),
         _("On %(still)s of your %(total)s days you had no or only light physical effort and no training."), "article",
         _inactive, weight=0.35, pattern=True),
    Rule("training-no-exercises", "deconditioning",
         _("Cramp nights followed evenings without the bedtime leg exercises clearly more often than other nights."),
         COMPARED, "hallegraeff_2012", pattern("no_bedtime_exercises"),
         weight=0.35, pattern=True, what=_("an evening without the bedtime leg exercises")),
    # -- medicines
    Rule("medicine-diuretic", "medication", _("You take a diuretic."),
         _("You take a diuretic (water tablet); thiazide and potassium-sparing diuretics are linked with cramps."),
         "garrison_2012", profile_has("medications", {"diuretic"}), weight=0.5),
    Rule("medicine-beta-agonist", "medication", _("You use a long-acting beta-agonist inhaler."),
         _("You use a long-acting beta-agonist inhaler, the medicine most strongly linked with cramps."), "garrison_2012",
         profile_has("medications", {"beta_agonist"}), weight=0.5),
    Rule("medicine-statin", "medication", _("You take a statin."),
         _("You take a statin; statins can cause muscle cramps and aches."), "garrison_2012",
         profile_has("medications", {"statin"}), weight=0.4),
    Rule("medicine-calcium-channel-blocker", "medication", _("You take a calcium-channel blocker such as nifedipine."),
         _("You take a calcium-channel blocker; nifedipine is among the medicines linked with cramps."), "nice_cks",
         profile_has("medications", {"calcium_channel_blocker"}), weight=0.4),
    Rule("medicine-other", "medication", _("You take an ACE inhibitor or ARB, an antipsychotic, or another medicine known to cause cramps."),
         _("You take %(medications)s, which can cause cramps in some people."), "nice_cks",
         profile_has("medications", {"ace_inhibitor_or_arb", "antipsychotic", "other_cramp_associated"}), weight=0.3),
    # -- conditions
    Rule("condition-kidney", "medical_condition", _("Your profile lists kidney disease or dialysis."),
         _("You noted %(conditions)s; cramps are common with kidney disease and dialysis."), "nice_cks",
         profile_has("conditions", {"kidney_disease", "dialysis"}), weight=0.5),
    Rule("condition-liver", "medical_condition", _("Your profile lists liver disease."),
         _("You noted liver disease, which is linked with cramps."), "nice_cks",
         profile_has("conditions", {"liver_disease"}), weight=0.45),
    Rule("condition-metabolic-nerves", "medical_condition", _("Your profile lists thyroid disease, diabetes or neuropathy."),
         _("You noted %(conditions)s, which can make cramps more likely."), "nice_cks",
         profile_has("conditions", {"thyroid_disease", "diabetes", "neuropathy"}), weight=0.4),
    # -- fluid and salts
    Rule("fluid-sweating", "dehydration", _("Cramp nights followed days of heavy sweating clearly more often than other nights."),
         COMPARED, "merck", pattern("heavy_sweating"), weight=0.45, pattern=True, what=_("a day of heavy sweating")),
    Rule("fluid-little", "dehydration", _("Cramp nights followed days with less than 1 litre of fluid clearly more often than other nights."),
         COMPARED, "merck", pattern("little_fluid"), weight=0.4, pattern=True, what=_("a day when you drank less than 1 litre")),
    Rule("fluid-diuretic", "dehydration", _("You take a diuretic."),
         _("Diuretics make the body lose fluid and salts."), "merck", profile_has("medications", {"diuretic"}), weight=0.2),
    # -- red flags
    Rule("flag-dvt-signs", "possible_dvt", _("You noted a swollen, red or warm calf on one side, or pain that stays after a cramp."),
         _("You noted %(symptoms)s on %(dates)s."), "nhs_dvt", noted(DVT_SIGNS), urgency="urgent"),
    Rule("flag-dvt-chest", "possible_dvt", _("You noted chest pain or breathlessness."),
         _("You noted %(symptoms)s on %(dates)s."), "nhs_dvt", noted({"chest_pain_or_breathless"}), urgency="emergency"),
    Rule("flag-prolonged", "prolonged_cramp", _("A cramp lasted more than 10 minutes."),
         _("A cramp on %(dates)s lasted %(minutes)s min %(seconds)s s."), "nice_cks", _long_cramps, urgency="urgent"),
    Rule("flag-most-nights", "frequent_cramps", _("Cramps on more than half of the nights in the last 4 weeks of the diary (at least 7 days)."),
         _("You had cramps on %(nights)s of the last %(span)s nights."), "article", _most_nights, urgency="soon"),
    Rule("flag-more-often", "frequent_cramps",
         _("8 or more cramp nights in the last 4 weeks, at least twice as many as in the 4 weeks before."),
         _("Cramp nights went from %(before)s in the four weeks before to %(recent)s in the last four weeks."), "article",
         _more_often, urgency="soon"),
    Rule("flag-claudication", "claudication", _("You noted leg pain when walking that eases with rest."),
         _("You noted %(symptoms)s on %(dates)s."), "aafp_2012", noted({"pain_walking_eases_rest"}), urgency="soon"),
    Rule("flag-neurological", "neurological", _("You noted muscle weakness, wasting or twitching, or numbness or tingling."),
         _("You noted %(symptoms)s on %(dates)s."), "nice_cks", noted(NEURO_SIGNS), urgency="soon"),
    Rule("flag-restless-legs", "not_typical_cramp", _("You noted an urge to move the legs, eased by moving."),
         _("You noted %(symptoms)s on %(dates)s."), "nice_cks", noted({"urge_to_move_legs"}), urgency="soon"),
    Rule("flag-beyond-legs", "cramps_beyond_legs", _("You noted cramps in other parts of the body."),
         _("You noted %(symptoms)s on %(dates)s."), "merck", noted({"cramps_elsewhere"}), urgency="soon"),
    Rule("flag-pregnancy-swelling", "pregnancy_warning", _("You are pregnant and noted swollen legs or a swollen calf."),
         _("You are pregnant and noted %(symptoms)s on %(dates)s."), "nhs_cramps",
         noted({"leg_swelling", "calf_swelling_one_side"}, when=lambda f: f.profile.pregnant), urgency="soon"),
    Rule("flag-pregnancy-frequent", "pregnancy_warning", _("You are pregnant and had cramps on more than half of the recent nights."),
         _("You are pregnant and had cramps on %(nights)s of the last %(span)s nights."), "nhs_cramps",
         _pregnant_and(_most_nights), urgency="soon"),
]

# Judged only when no other cause reaches "moderate" (prevention/assessment.py).
IDIOPATHIC_RULES: list[Rule] = [
    Rule("idiopathic-nothing-specific", "idiopathic",
         _("At least one cramp, 14 or more logged days, no warning sign, and no other cause at moderate or high."),
         _("Nothing in your diary or profile points clearly to a specific cause; most night cramps have none that can be found."),
         "nice_cks", lambda facts: Hit({}), weight=0.2),
    Rule("idiopathic-age", "idiopathic", _("As above, and you are 50 or older."),
         _("At %(age)s, night cramps are common and most often have no specific cause."), "aafp_2012",
         _age_over(50), weight=0.1),
]

ALL_RULES: list[Rule] = RULES + IDIOPATHIC_RULES
RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in ALL_RULES}
assert len(RULES_BY_ID) == len(ALL_RULES), "rule ids must be unique"


def rule_params_for_display(rule: Rule) -> dict[str, Any]:
    return {"weight": rule.weight, "urgency": rule.urgency, "source": SOURCES[rule.source]}
