"""The rule table of the assessment, as data.

Each rule: an id, the cause or red flag it feeds, its check (a plain function over the
diary's facts), its weight (causes) or urgency (red flags), the sentence that tells the
person why it fired, the condition in words and the source it rests on. The page
"How the assessment works" is rendered from this table, so the two cannot disagree.

Change a rule's meaning, weight or threshold → change RULES_VERSION (it is written into
every result, so a stored snapshot says which rules made it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from prevention.assessment import facts as a
from prevention.assessment import stats
from prevention.assessment.facts import DayFacts, Factor, Facts, Hit, ProfileFacts, only_the_tick
from prevention.assessment.flag_rules import FLAG_RULES
from prevention.assessment.nutrition import (
    ARTICLE_FOOD_CODES,
    DIURETICS,
    K_LOWERING_DIURETICS,
    NUTRIENT_CODES,
    nutrients_in,
)
from prevention.assessment.rule_kit import Rule, noted, pregnant_and, profile_has

RULES_VERSION = "2026.12-4"


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
        _(
            "Feet that roll flat or shoes of the wrong shape strain the foot and calf muscles, above all on days of effort."
        ),
        _(
            "Wear comfortable, well-shaped shoes and proper running shoes for sport. If you think you have flat feet, ask for an orthopaedic check."
        ),
    ),
    "pregnancy": CauseInfo(
        _("Pregnancy"),
        "clinical_guideline",
        _(
            "Cramps are common in pregnancy, most of all in the second half. Rarely they point to kidney or heart strain or anaemia."
        ),
        _(
            "Tell your midwife or doctor about the cramps at your next visit, sooner if your legs swell or cramps come most nights. Do not take medicines or supplements for cramps on your own: quinine, also in tonic water, must not be used in pregnancy."
        ),
        see_doctor=True,
    ),
    "cold_exposure": CauseInfo(
        _("Cold legs"),
        "source_article_only",
        _(
            "The article sees cramps as a reflex of muscles that got cold. Clinical guidance does not list cold as a cause, so treat this as a hint from your own diary only."
        ),
        _("Keep your legs and feet warm in the evening and at night, and note whether the cramps change."),
    ),
    "micronutrient_deficiency": CauseInfo(
        _("Too little of some minerals or vitamin B6"),
        "limited_studies",
        _(
            "Your diet or circumstances may leave you short of some minerals or of vitamin B6. Studies give this only limited support, and only a blood test can show a real deficiency."
        ),
        _(
            "Eat more of the foods rich in the nutrients named; with kidney disease or dialysis, ask your kidney team first, as their diet advice comes first. Do not start supplements on your own: ask your doctor whether a blood test is worth doing."
        ),
    ),
    "vascular": CauseInfo(
        _("Blood-flow problems (atherosclerosis, varicose veins)"),
        "clinical_guideline",
        _(
            "Narrowed arteries or widened veins can reduce the blood flow in the legs, and cramps can be a sign of it; the article adds that they often ease once it is treated."
        ),
        _("See your doctor: blood flow in the legs can be examined, and treating it may ease the cramps."),
        see_doctor=True,
    ),
    "stress": CauseInfo(
        _("Constant stress"),
        "source_article_only",
        _(
            "The article links cramps to constant stress and nervous tension. Clinical guidance does not list stress as a cause, so treat this as a hint from your own diary only."
        ),
        _("Plan some rest in the evening; the bedtime leg exercises can be part of winding down."),
    ),
    "overexertion": CauseInfo(
        _("Too much load at work or in training"),
        "clinical_guideline",
        _("Long standing or hard training tires the leg muscles, and tired muscles cramp more easily."),
        _(
            "Keep your activity moderate: when the muscles feel tense, halve the load until they recover, and massage your feet after a hard day."
        ),
    ),
    "deconditioning": CauseInfo(
        _("Too little muscle training"),
        "limited_studies",
        _(
            "Muscles that are rarely trained or stretched cramp more easily; nightly calf and hamstring stretching helped older adults in one trial, not in another."
        ),
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
        _(
            "Drink enough on hot and hard days and when you sweat a lot. If a doctor has told you to limit fluids, or you take water tablets, ask them how much to drink."
        ),
    ),
    "idiopathic": CauseInfo(
        _("No specific cause found"),
        "clinical_guideline",
        _("Most night cramps, above all in older adults, have no cause that can be found, and that is common."),
        _("Keep up the bedtime leg exercises, and keep logging: new patterns may show in a few weeks."),
    ),
}


UNSUITABLE_SHOES = frozenset({"uncomfortable", "high_heels"})


EFFORT = frozenset({"moderate", "hard"})


ARTICLE_FOODS = ARTICLE_FOOD_CODES


HARD_TRAINING_MINUTES = 90


LONG_STANDING_HOURS = 6


HIGH_STRESS = 7


MIN_FOOD_DAYS = 10


LITTLE_FLUID_LITRES = 1  # litres (a whole number, so the texts read "1 litre" in every language)


EFFORT_MINUTES = 30  # training this long counts as a day of effort


POOR_DIET_SHARE = 0.7  # days with foods recorded but none of the article's


RARE_SHARE = 0.3  # an element supplied on fewer of those days than this is "rare"


MIN_RATED_DAYS = 7  # days with stress rated before stress is judged


CONSTANT_STRESS_SHARE = 0.5


MEAN_STRESS = 6


EFFORT_CRAMPS = 3  # cramps that began during exercise or work ...


EFFORT_CRAMPS_SHARE = 0.3  # ... and this share of all cramps


MIN_LOAD_DAYS = 10  # days with a recorded load before inactivity is judged


INACTIVE_SHARE = 0.8


PREGNANCY_SECOND_HALF_WEEK = 20


OLDER_AGE = 50


# Weights: how much one rule's evidence counts (prevention/assessment.py combines them).
# A profile fact backed by clinical guidance can reach "moderate" alone (>= MODERATE); a cause
# that guidance does not support needs more than one rule for that (the engine caps it).
W_STRONG = 0.55


W_CLEAR = 0.5


W_SOME = 0.4


W_WEAK = 0.3


W_HINT = 0.2


W_FAINT = 0.15


def _effort(day: DayFacts) -> bool:
    return day.exertion in EFFORT or (day.training_minutes or 0) >= EFFORT_MINUTES


def _form_filled(day: DayFacts) -> bool:
    """The day log's form was filled in, so its tick boxes (cold legs, heavy sweating) were asked:
    a log holding only the routine's "Done" tick never asked them, and its empty boxes are no "no"."""
    return not only_the_tick(day)


FACTORS: dict[str, Factor] = {
    f.code: f
    for f in [
        Factor(
            "hard_training",
            lambda d, p: d.exertion == "hard" or (d.training_minutes or 0) >= HARD_TRAINING_MINUTES,
            lambda d: bool(d.exertion) or d.training_minutes is not None,
        ),
        Factor(
            "long_standing",
            lambda d, p: (d.standing_hours or 0) >= LONG_STANDING_HOURS,
            lambda d: d.standing_hours is not None,
        ),
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
        Factor("cold_legs", lambda d, p: d.cold_exposure, _form_filled),
        Factor("high_stress", lambda d, p: (d.stress or 0) >= HIGH_STRESS, lambda d: d.stress is not None),
        # A day with no food ticked is "not recorded", not "ate nothing".
        Factor("no_article_foods", lambda d, p: not (d.foods & ARTICLE_FOODS), lambda d: bool(d.foods)),
        Factor("heavy_sweating", lambda d, p: d.heavy_sweating, _form_filled),
        Factor(
            "little_fluid",
            lambda d, p: d.fluid_litres is not None and d.fluid_litres < LITTLE_FLUID_LITRES,
            lambda d: d.fluid_litres is not None,
        ),
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


def _share_of_days(
    facts: Facts, test: Callable[[DayFacts], bool], recorded: Callable[[DayFacts], bool] = lambda d: True
):
    days = [d for d in facts.days.values() if recorded(d)]
    return sum(1 for d in days if test(d)), len(days)


def _poor_diet(facts: Facts) -> Hit | None:
    """Most days without any of the article's foods, and some elements rarely eaten at all."""
    without, total = _share_of_days(facts, lambda d: not (d.foods & ARTICLE_FOODS), lambda d: bool(d.foods))
    if total < MIN_FOOD_DAYS or without < POOR_DIET_SHARE * total:
        return None
    lacking = _lacking([d for d in facts.days.values() if d.foods])
    if not lacking:
        return None
    return Hit({"without": without, "total": total, "nutrients": lacking}, nutrients=tuple(lacking))


def _lacking(days: list[DayFacts], share: float = RARE_SHARE) -> list[str]:
    """Elements that fewer than `share` of these days' foods supplied."""
    if not days:
        return []
    counts = dict.fromkeys(NUTRIENT_CODES, 0)
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
    high, total = _share_of_days(facts, lambda d: (d.stress or 0) >= HIGH_STRESS, lambda d: d.stress is not None)
    if total < MIN_RATED_DAYS or high < CONSTANT_STRESS_SHARE * total:
        return None
    return {"high": high, "total": total}


def _mean_stress(facts: Facts) -> Hit | None:
    levels = [d.stress for d in facts.days.values() if d.stress is not None]
    if len(levels) < MIN_RATED_DAYS:
        return None
    mean = sum(levels) / len(levels)
    return Hit({"mean": round(mean, 1), "total": len(levels)}) if mean >= MEAN_STRESS else None


def _cramps_during(contexts: set[str]) -> Callable[[Facts], Hit | None]:
    def check(facts: Facts) -> Hit | None:
        n = sum(1 for e in facts.diary.episodes if e.context in contexts)
        total = facts.episode_count
        if n >= EFFORT_CRAMPS and n >= EFFORT_CRAMPS_SHARE * total:
            return Hit({"count": n, "total": total})
        return None

    return check


def _inactive(facts: Facts) -> Hit | None:
    still, total = _share_of_days(
        facts,
        lambda d: d.exertion in ("none", "light") and not d.training_minutes,
        lambda d: bool(d.exertion),
    )
    if total < MIN_LOAD_DAYS or still < INACTIVE_SHARE * total:
        return None
    return Hit({"still": still, "total": total})


def _pregnant(facts: Facts) -> Hit | None:
    return Hit({}) if facts.profile.pregnant else None


def _late_pregnancy(facts: Facts) -> Hit | None:
    week = facts.profile.pregnancy_week
    return Hit({"week": week}) if facts.profile.pregnant and week and week >= PREGNANCY_SECOND_HALF_WEEK else None


def _flat_feet(facts: Facts) -> Hit | None:
    return Hit({}) if facts.profile.flat_feet == "yes" else None


def family(profile: ProfileFacts) -> list[Factor]:
    """The factors compared for this person (those about flat feet only with flat feet): one family
    for the Benjamini–Hochberg correction, on the assessment's and on the insights page alike."""
    return [f for f in FACTORS.values() if f.applies(profile)]


def verdicts(facts: Facts) -> dict[str, stats.Judged]:
    """The one decision per factor for these nights (stats.judge); the patterns table, the pattern
    rules below and the insights page's comparisons all read it, so they cannot disagree."""
    return facts.judged(family(facts.profile))


def pattern(factor: str) -> Callable[[Facts], Hit | None]:
    """Fires when the factor came before more cramp nights, unlikely to be chance after the correction."""

    def check(facts: Facts) -> Hit | None:
        judged = verdicts(facts).get(factor)
        if judged is None or judged.verdict != "more":
            return None
        comparison = facts.compare(FACTORS[factor])
        return Hit(comparison.params(), strength=comparison.strength)

    return check


def _age_over(years: int) -> Callable[[Facts], Hit | None]:
    def check(facts: Facts) -> Hit | None:
        age = facts.age
        return Hit({"age": age}) if age is not None and age >= years else None

    return check


def _diuretic_kind(kinds: frozenset[str]) -> Callable[[Facts], dict | None]:
    return lambda facts: {} if facts.profile.medications & kinds else None


COMPARED = _(
    "%(hit)s of your %(total)s cramp nights came after %(what)s; %(other_hit)s of %(other_total)s other nights did."
)


YOU_TAKE = _("You take %(medications)s, which can cause cramps in some people.")


# Medicines linked with cramps in Allen & Kirby 2012 (Table 1: iron sucrose, conjugated oestrogens,
# raloxifene, naproxen, teriparatide; gabapentin and zolpidem reported in studies).
AAFP_MEDICINES = frozenset({"raloxifene", "teriparatide", "conjugated_estrogens", "iron_sucrose_iv", "naproxen"})


REPORTED_MEDICINES = frozenset(
    {"pregabalin_or_gabapentin", "zolpidem", "ace_inhibitor_or_arb", "antipsychotic", "other_cramp_associated"}
)


CAUSE_RULES: list[Rule] = [
    # -- flat feet and footwear
    Rule(
        id="footwear-flat-feet",
        target="flat_feet_footwear",
        when=_("Your profile says you have flat feet."),
        sentence=_("You noted that you have flat feet."),
        source="article",
        check=_flat_feet,
        weight=W_HINT,
    ),
    Rule(
        id="footwear-effort-flat-feet",
        target="flat_feet_footwear",
        when=_("You have flat feet, and cramp nights followed days of effort clearly more often than other nights."),
        sentence=COMPARED,
        source="article",
        check=pattern("effort_with_flat_feet"),
        weight=0.45,
        pattern=True,
        what=_("a day of physical effort with your flat feet"),
    ),
    Rule(
        id="footwear-unsuitable-shoes",
        target="flat_feet_footwear",
        when=_("Cramp nights followed days in uncomfortable shoes or high heels clearly more often than other nights."),
        sentence=COMPARED,
        source="article",
        check=pattern("unsuitable_shoes"),
        weight=0.45,
        pattern=True,
        group="shoes",
        what=_("a day in uncomfortable shoes or high heels"),
    ),
    Rule(
        id="footwear-effort-in-unsuitable-shoes",
        target="flat_feet_footwear",
        when=_(
            "Cramp nights followed days of effort in uncomfortable shoes or high heels clearly more often than other nights (it counts once with the rule above: the stronger of the two)."
        ),
        sentence=COMPARED,
        source="article",
        check=pattern("effort_in_unsuitable_shoes"),
        weight=0.45,
        group="shoes",
        pattern=True,
        what=_("physical effort in uncomfortable shoes or high heels"),
    ),
    # -- pregnancy
    Rule(
        id="pregnancy",
        target="pregnancy",
        when=_("Your profile says you are pregnant."),
        sentence=_("You noted that you are pregnant; cramps are common in pregnancy."),
        source="nhs_cramps",
        check=_pregnant,
        weight=W_CLEAR,
    ),
    Rule(
        id="pregnancy-second-half",
        target="pregnancy",
        when=format_lazy(_("You are pregnant, in week {week} or later."), week=PREGNANCY_SECOND_HALF_WEEK),
        sentence=_("You are in week %(week)s: cramps are most common in the second half of pregnancy."),
        source="nice_cks",
        check=_late_pregnancy,
        weight=W_SOME,
    ),
    Rule(
        id="pregnancy-anaemia",
        target="pregnancy",
        when=_("You are pregnant and have anaemia."),
        sentence=_("You noted anaemia, which the article links with cramps in pregnancy."),
        source="article",
        check=pregnant_and(profile_has("conditions", {"anaemia"})),
        weight=W_HINT,
    ),
    # -- cold
    Rule(
        id="cold-legs",
        target="cold_exposure",
        when=_("Cramp nights followed days when your legs got cold clearly more often than other nights."),
        sentence=COMPARED,
        source="article",
        check=pattern("cold_legs"),
        weight=W_STRONG,
        pattern=True,
        what=_("a day when your legs got cold"),
    ),
    # -- minerals and vitamin B6
    Rule(
        id="nutrients-diet",
        target="micronutrient_deficiency",
        when=format_lazy(
            _(
                # xgettext:no-python-format
                "On {share}% or more of the days with foods recorded ({days} days or more) you ate none of the article's foods, and foods rich in some of the nutrients the article names were eaten on fewer than {rare}% of those days."
            ),
            share=round(POOR_DIET_SHARE * 100),
            days=MIN_FOOD_DAYS,
            rare=round(RARE_SHARE * 100),
        ),
        sentence=_(
            "On %(without)s of the %(total)s days you recorded foods, you ate none of the article's foods; foods rich in %(nutrients)s were rare."
        ),
        source="article",
        check=_poor_diet,
        weight=W_WEAK,
        pattern=True,
    ),
    Rule(
        id="nutrients-cramp-nights",
        target="micronutrient_deficiency",
        when=_(
            "Cramp nights followed days without any of the article's foods clearly more often than other nights, and on most cramp nights foods rich in one of the nutrients the article names were missing."
        ),
        sentence=COMPARED,
        source="article",
        check=_cramp_nights_without_foods,
        weight=W_WEAK,
        pattern=True,
        what=_("a day without any of the article's foods rich in these minerals or vitamin B6"),
    ),
    Rule(
        id="nutrients-diuretic",
        target="micronutrient_deficiency",
        when=_("You take a thiazide or loop diuretic (water tablet)."),
        sentence=_("Thiazide and loop diuretics can lower %(nutrients)s."),
        source="merck",
        check=_nutrient_hit(("potassium", "magnesium"), _diuretic_kind(K_LOWERING_DIURETICS)),
        weight=W_WEAK,
    ),
    Rule(
        id="nutrients-stress",
        target="micronutrient_deficiency",
        when=format_lazy(
            _("Stress was {level}/10 or more on at least half of the days you rated it ({days} days or more)."),
            level=HIGH_STRESS,
            days=MIN_RATED_DAYS,
        ),
        sentence=_(
            "Your stress was high on %(high)s of %(total)s days; the article says stress hormones deplete potassium."
        ),
        source="article",
        check=_nutrient_hit(("potassium",), _constant_stress),
        weight=W_FAINT,
        pattern=True,
    ),
    # -- blood flow
    Rule(
        id="vascular-arteries",
        target="vascular",
        when=_("Your profile lists atherosclerosis or peripheral artery disease."),
        sentence=_("You noted %(conditions)s, which can reduce the blood flow to the legs."),
        source="aafp_2012",
        check=profile_has("conditions", {"atherosclerosis", "peripheral_artery_disease"}),
        weight=W_CLEAR,
    ),
    Rule(
        id="vascular-veins",
        target="vascular",
        when=_("Your profile lists varicose veins."),
        sentence=_("You noted varicose veins; widened veins can slow the blood flow in the legs."),
        source="nhs_varicose",
        check=profile_has("conditions", {"varicose_veins"}),
        weight=W_WEAK,
    ),
    Rule(
        id="vascular-claudication",
        target="vascular",
        when=_("You noted leg pain when walking that eases with rest."),
        sentence=_("You noted leg pain when walking that eased with rest on %(dates)s."),
        source="aafp_2012",
        check=noted({"pain_walking_eases_rest"}),
        weight=W_SOME,
    ),
    # Swollen ankles are common in pregnancy; there the swelling feeds pregnancy_warning instead.
    Rule(
        id="vascular-swelling",
        target="vascular",
        when=_("You noted swollen legs on 2 days or more, and are not pregnant."),
        sentence=_("You noted swollen legs on %(count)s days (%(dates)s)."),
        source="aafp_2012",
        check=noted({"leg_swelling"}, min_days=2, when=lambda f: not f.profile.pregnant),
        weight=W_WEAK,
    ),
    # -- stress
    Rule(
        id="stress-cramp-nights",
        target="stress",
        when=format_lazy(
            _("Cramp nights followed days of stress {level}/10 or more clearly more often than other nights."),
            level=HIGH_STRESS,
        ),
        sentence=COMPARED,
        source="article",
        check=pattern("high_stress"),
        weight=W_CLEAR,
        pattern=True,
        what=format_lazy(_("a day of stress {level}/10 or more"), level=HIGH_STRESS),
    ),
    Rule(
        id="stress-constant",
        target="stress",
        when=format_lazy(
            _("Your stress averaged {mean}/10 or more over at least {days} rated days."),
            mean=MEAN_STRESS,
            days=MIN_RATED_DAYS,
        ),
        sentence=_("Your stress averaged %(mean)s/10 over %(total)s days."),
        source="article",
        check=_mean_stress,
        weight=W_WEAK,
        pattern=True,
    ),
    # -- load
    Rule(
        id="load-training",
        target="overexertion",
        when=format_lazy(
            _(
                "Cramp nights followed days of hard training (hard effort or {minutes} minutes or more) clearly more often than other nights."
            ),
            minutes=HARD_TRAINING_MINUTES,
        ),
        sentence=COMPARED,
        source="merck",
        check=pattern("hard_training"),
        weight=0.65,
        pattern=True,
        what=_("a day of hard training"),
    ),
    Rule(
        id="load-standing",
        target="overexertion",
        when=format_lazy(
            _("Cramp nights followed days of standing {hours} hours or more clearly more often than other nights."),
            hours=LONG_STANDING_HOURS,
        ),
        sentence=COMPARED,
        source="aafp_2012",
        check=pattern("long_standing"),
        weight=0.65,
        pattern=True,
        what=format_lazy(_("a day of standing {hours} hours or more"), hours=LONG_STANDING_HOURS),
    ),
    Rule(
        id="load-cramps-during-effort",
        target="overexertion",
        when=format_lazy(
            # xgettext:no-python-format
            _("At least {count} cramps, and {share}% or more of all, began during exercise or work."),
            count=EFFORT_CRAMPS,
            share=round(EFFORT_CRAMPS_SHARE * 100),
        ),
        sentence=_("%(count)s of your %(total)s cramps began during exercise or work."),
        source="merck",
        check=_cramps_during({"exercise", "work"}),
        weight=W_WEAK,
        pattern=True,
    ),
    # -- too little training
    Rule(
        id="training-inactive",
        target="deconditioning",
        when=format_lazy(
            _(
                # xgettext:no-python-format
                "On {share}% or more of days with a recorded load ({days} days or more) there was no or light effort and no training."
            ),
            share=round(INACTIVE_SHARE * 100),
            days=MIN_LOAD_DAYS,
        ),
        sentence=_("On %(still)s of your %(total)s days you had no or only light physical effort and no training."),
        source="article",
        check=_inactive,
        weight=W_WEAK,
        pattern=True,
    ),
    Rule(
        id="training-no-exercises",
        target="deconditioning",
        when=_(
            "Cramp nights followed evenings without the bedtime leg exercises clearly more often than other nights."
        ),
        sentence=COMPARED,
        source="hallegraeff_2012",
        check=pattern("no_bedtime_exercises"),
        weight=W_WEAK,
        pattern=True,
        what=_("an evening without the bedtime leg exercises"),
    ),
    # -- medicines (Garrison 2012: long-acting inhalers, potassium-sparing and thiazide diuretics, statins)
    Rule(
        id="medicine-beta-agonist",
        target="medication",
        when=_("You use a long-acting beta-agonist inhaler."),
        sentence=_("You use a long-acting beta-agonist inhaler, one of the medicines most clearly linked with cramps."),
        source="garrison_2012",
        check=profile_has("medications", {"beta_agonist"}),
        weight=W_STRONG,
    ),
    Rule(
        id="medicine-diuretic",
        target="medication",
        when=_("You take a diuretic of any kind."),
        sentence=_(
            "You take a diuretic (water tablet); diuretics are among the medicines most often linked with cramps."
        ),
        source="garrison_2012",
        check=profile_has("medications", DIURETICS),
        weight=W_CLEAR,
    ),
    Rule(
        id="medicine-statin",
        target="medication",
        when=_("You take a statin."),
        sentence=_("You take a statin; statins can cause muscle cramps and aches."),
        source="garrison_2012",
        check=profile_has("medications", {"statin"}),
        weight=W_SOME,
    ),
    Rule(
        id="medicine-calcium-channel-blocker",
        target="medication",
        when=_("You take a calcium-channel blocker such as nifedipine."),
        sentence=_("You take a calcium-channel blocker; nifedipine is among the medicines linked with cramps."),
        source="nice_cks",
        check=profile_has("medications", {"calcium_channel_blocker"}),
        weight=W_SOME,
    ),
    Rule(
        id="medicine-aafp",
        target="medication",
        when=_("You take raloxifene, teriparatide, conjugated oestrogens, naproxen, or iron sucrose into a vein."),
        sentence=YOU_TAKE,
        source="aafp_2012",
        check=profile_has("medications", AAFP_MEDICINES),
        weight=W_SOME,
    ),
    Rule(
        id="medicine-other",
        target="medication",
        when=_(
            "You take pregabalin or gabapentin, zolpidem, an ACE inhibitor or ARB, an antipsychotic, or another medicine known to cause cramps."
        ),
        sentence=YOU_TAKE,
        source="nice_cks",
        check=profile_has("medications", REPORTED_MEDICINES),
        weight=W_WEAK,
    ),
    # -- conditions
    Rule(
        id="condition-kidney",
        target="medical_condition",
        when=_("Your profile lists kidney disease or dialysis."),
        sentence=_("You noted %(conditions)s; cramps are common with kidney disease and dialysis."),
        source="nice_cks",
        check=profile_has("conditions", {"kidney_disease", "dialysis"}),
        weight=W_CLEAR,
    ),
    Rule(
        id="condition-liver",
        target="medical_condition",
        when=_("Your profile lists liver disease."),
        sentence=_("You noted liver disease, which is linked with cramps."),
        source="nice_cks",
        check=profile_has("conditions", {"liver_disease"}),
        weight=0.45,
    ),
    Rule(
        id="condition-metabolic-nerves",
        target="medical_condition",
        when=_(
            "Your profile lists thyroid disease, diabetes, neuropathy, low parathyroid function, Parkinson's disease, motor neurone disease or lumbar spinal stenosis."
        ),
        sentence=_("You noted %(conditions)s, which can make cramps more likely."),
        source="nice_cks",
        check=profile_has(
            "conditions",
            {
                "thyroid_disease",
                "diabetes",
                "neuropathy",
                "hypoparathyroidism",
                "parkinsons",
                "motor_neurone_disease",
                "lumbar_spinal_stenosis",
            },
        ),
        weight=W_SOME,
    ),
    Rule(
        id="condition-heart",
        target="medical_condition",
        when=_("Your profile lists heart failure."),
        sentence=_("You noted heart failure; it, and the medicines that treat it, can make cramps more likely."),
        source="aafp_2012",
        check=profile_has("conditions", {"heart_failure"}),
        weight=W_WEAK,
    ),
    # -- fluid and salts
    Rule(
        id="fluid-sweating",
        target="dehydration",
        when=_("Cramp nights followed days of heavy sweating clearly more often than other nights."),
        sentence=COMPARED,
        source="merck",
        check=pattern("heavy_sweating"),
        weight=0.45,
        pattern=True,
        what=_("a day of heavy sweating"),
    ),
    Rule(
        id="fluid-little",
        target="dehydration",
        when=format_lazy(
            _(
                "Cramp nights followed days with less than {litres} litre of fluid clearly more often than other nights."
            ),
            litres=LITTLE_FLUID_LITRES,
        ),
        sentence=COMPARED,
        source="merck",
        check=pattern("little_fluid"),
        weight=W_SOME,
        pattern=True,
        what=format_lazy(_("a day when you drank less than {litres} litre"), litres=LITTLE_FLUID_LITRES),
    ),
    Rule(
        id="fluid-diuretic",
        target="dehydration",
        when=_("You take a diuretic."),
        sentence=_("Diuretics make the body lose fluid and salts."),
        source="merck",
        check=profile_has("medications", DIURETICS),
        weight=W_HINT,
    ),
]


RULES: list[Rule] = CAUSE_RULES + FLAG_RULES


# Judged only when no other cause reaches "moderate" (prevention/assessment.py).
IDIOPATHIC_RULES: list[Rule] = [
    Rule(
        id="idiopathic-nothing-specific",
        target="idiopathic",
        when=format_lazy(
            _(
                "At least one cramp, {days} or more logged days, no warning sign, and no other cause at moderate or high."
            ),
            days=a.MIN_DAYS,
        ),
        sentence=_(
            "Nothing in your diary or profile points clearly to a specific cause; most night cramps have none that can be found."
        ),
        source="nice_cks",
        check=lambda facts: Hit({}),
        weight=W_HINT,
    ),
    Rule(
        id="idiopathic-age",
        target="idiopathic",
        when=format_lazy(_("As above, and you are {age} or older."), age=OLDER_AGE),
        sentence=_("At %(age)s, night cramps are common and most often have no specific cause."),
        source="aafp_2012",
        check=_age_over(OLDER_AGE),
        weight=0.1,
    ),
]


ALL_RULES: list[Rule] = RULES + IDIOPATHIC_RULES


RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in ALL_RULES}


assert len(RULES_BY_ID) == len(ALL_RULES), "rule ids must be unique"
