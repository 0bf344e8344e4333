"""The prevention plan: items built from the latest assessment and the profile.

Every item says which causes or red flags of the assessment it answers, or "general" (the
article's everyday prevention). A stored plan holds only codes (`PlanItem`); the words are
in `ITEM_TEXTS`, so the plan reads in the reader's language. Plain Python, no database.

Safe and honest: no item promises that cramps will go, none suggests stopping a prescribed
medicine (it suggests a medication review), and none recommends quinine or supplements as
a self-treatment; the food item is about foods. Where medicines come up in pregnancy, the
item says quinine must not be used. A person at risk of high potassium (kidney disease,
dialysis, heart failure, a potassium-sparing diuretic, an ACE inhibitor or ARB, or a
diuretic of unknown kind) gets a food item without potassium and is told to ask their
doctor before changing potassium (shared spec, safety rules).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from diary import vocabulary as v
from prevention.assessment.facts import ProfileFacts
from prevention.assessment.flag_rules import FLAGS
from prevention.assessment.nutrition import HIGH_POTASSIUM_FOODS, NUTRIENT_CODES, RICH_IN, nutrient_label
from prevention.assessment.rules import CAUSES

GENERAL = "general"


SECTIONS: tuple[str, ...] = (
    "doctor",
    "exercises",
    "footwear",
    "food",
    "activity",
    "massage",
    "warmth",
    "stress",
    "sleep",
)


SECTION_TITLES: dict[str, Promise] = {
    "doctor": _("See a doctor"),
    "exercises": _("Bedtime leg exercises"),
    "footwear": _("Footwear"),
    "food": _("Food and drink"),
    "activity": _("Moderate activity"),
    "massage": _("Foot massage"),
    "warmth": _("Warmth"),
    "stress": _("Stress"),
    "sleep": _("Sleep and rest"),
}


@dataclass(frozen=True)
class PlanItem:
    code: str
    section: str
    answers: tuple[str, ...]  # cause or red-flag codes, or ("general",); never empty
    nutrients: tuple[str, ...] = ()
    foods: tuple[str, ...] = ()


@dataclass(frozen=True)
class ItemText:
    title: Promise
    text: Promise


# In the order shown within a section.
ITEM_SECTIONS: dict[str, str] = {
    "doctor_red_flags": "doctor",
    "doctor_pregnancy": "doctor",
    "doctor_vascular": "doctor",
    "doctor_medication_review": "doctor",
    "doctor_condition": "doctor",
    "bedtime_exercises": "exercises",
    "comfortable_shoes": "footwear",
    "running_shoes": "footwear",
    "orthopaedic_check": "footwear",
    "foods_for_nutrients": "food",
    "foods_potassium_caution": "food",
    "drink_enough": "food",
    "moderate_activity": "activity",
    "halve_the_load": "activity",
    "foot_massage": "massage",
    "keep_legs_warm": "warmth",
    "ease_stress": "stress",
    "sleep_and_rest": "sleep",
}


ITEM_TEXTS: dict[str, ItemText] = {
    "doctor_red_flags": ItemText(
        _("Have the warning signs checked"),
        _(
            "Your diary shows a warning sign that a doctor should check; the assessment says how soon. "
            "With chest pain or breathlessness, call emergency services now. Until a doctor has seen it, "
            "do not massage or stretch a calf that is swollen, red, warm or painful. The tips below do not "
            "replace that visit."
        ),
    ),
    "doctor_pregnancy": ItemText(
        _("Tell your midwife or doctor"),
        _(
            "Cramps are common in pregnancy, but tell your midwife or doctor about them at your next visit, "
            "sooner if your legs swell or cramps come most nights. Ask which exercises suit you; later in "
            "pregnancy, do the exercise on the stomach lying on your side. Do not take supplements on your own; "
            "ask your midwife or doctor. Quinine must not be used in pregnancy: do not treat cramps yourself with "
            "quinine or tonic water."
        ),
    ),
    "doctor_vascular": ItemText(
        _("Have the blood flow in your legs checked"),
        _(
            "Narrowed arteries or varicose veins can be examined and treated, and cramps often ease when they "
            "are. See your doctor, and ask which exercises and what kind of massage suit your legs."
        ),
    ),
    "doctor_medication_review": ItemText(
        _("Ask for a medication review"),
        _(
            "Some medicines make cramps more likely. Ask your doctor or pharmacist for a medication review: "
            "there may be another dose or another medicine. Never stop a prescribed medicine on your own."
        ),
    ),
    "doctor_condition": ItemText(
        _("Tell the doctor who treats your condition"),
        _(
            "Some long-term conditions make cramps more likely. Tell the doctor who treats yours about the "
            "cramps; the treatment may be adjusted."
        ),
    ),
    "bedtime_exercises": ItemText(
        _("About five minutes of leg exercises every evening"),
        _(
            "Every evening, even in bed, do the four exercises below, one leg and then the other. Stretch gently, "
            "never into pain. In one trial, nightly calf and thigh stretching gave adults over 55 fewer and milder "
            "night cramps (Hallegraeff et al. 2012); another trial found no effect. So it may help you, with no "
            "guarantee: tick it in your diary and see whether your cramps change."
        ),
    ),
    "comfortable_shoes": ItemText(
        _("Comfortable, well-shaped shoes"),
        _(
            "Wear comfortable shoes of the right size and shape, with support for the arch, for most of the day. "
            "Keep high heels and tight or worn-out shoes for short times."
        ),
    ),
    "running_shoes": ItemText(
        _("Proper shoes for sport"),
        _("For running, long walks and other sport, wear proper sports shoes that fit well."),
    ),
    "orthopaedic_check": ItemText(
        _("An orthopaedic check for flat feet"),
        _(
            "Feet that roll flat strain the foot and calf muscles. Ask for an orthopaedic check: a specialist can "
            "say whether insoles or special shoes would help."
        ),
    ),
    "foods_for_nutrients": ItemText(
        _("Foods rich in minerals and vitamin B6"),
        _(
            "Add foods rich in potassium, calcium, magnesium or vitamin B6 to your everyday meals, such as those "
            "below; each shows what it supplies. Do not take supplements on your own: ask your doctor whether "
            "a blood test is worth doing."
        ),
    ),
    "foods_potassium_caution": ItemText(
        _("Foods rich in calcium, magnesium or vitamin B6"),
        _(
            "Add foods rich in calcium, magnesium or vitamin B6 to your everyday meals, such as those below. "
            "Your kidneys or a medicine you take can make potassium build up in the blood: ask your doctor "
            "before changing potassium, and before eating more of potassium-rich foods such as dried fruit, "
            "bananas or potatoes. With kidney disease or dialysis, your kidney team's diet advice comes first: "
            "ask them before eating more of any food below. Do not take supplements on your own."
        ),
    ),
    "drink_enough": ItemText(
        _("Drink enough"),
        _(
            "Drink enough through the day, more on hot days and days of hard work, training or heavy sweating. "
            "If a doctor has told you to limit fluids, keep to that."
        ),
    ),
    "moderate_activity": ItemText(
        _("Moderate, regular activity"),
        _(
            "Keep moving every day at a moderate pace, and watch for tension in your leg muscles. Both too much "
            "load and too little training make cramps more likely."
        ),
    ),
    "halve_the_load": ItemText(
        _("On discomfort, halve the load"),
        _(
            "When your leg muscles feel tense or sore, halve the load at work or in training, eat the foods "
            "your plan suggests, and keep activity down until the muscles have recovered."
        ),
    ),
    "foot_massage": ItemText(
        _("Foot massage after a hard day"),
        _(
            "After a day of long standing, walking or training, massage your feet and calves for a few minutes, "
            "firmly but without pain. Do not massage a calf that is swollen, red, warm or painful: see a doctor."
        ),
    ),
    "keep_legs_warm": ItemText(
        _("Keep your legs warm"),
        _(
            "Keep your legs and feet warm in the evening and at night: warm socks, a blanket over the legs. The "
            "article links cramps to cold legs; clinical guidance does not, so watch in your diary whether it helps."
        ),
    ),
    "ease_stress": ItemText(
        _("Ease the stress"),
        _(
            "Plan a calm hour before bed and some rest during the day; the bedtime leg exercises can be part of "
            "winding down. The article links cramps to constant stress; clinical guidance does not, so watch in "
            "your diary whether it helps."
        ),
    ),
    "sleep_and_rest": ItemText(
        _("Sleep and rest"),
        _("Give your body enough sleep at regular times, and rest your legs after a day of load."),
    ),
}


assert set(ITEM_TEXTS) == set(ITEM_SECTIONS), "every item needs a section and words"


# Items a person cannot switch off: the warning signs stay in the plan until the diary no longer shows
# them, and in pregnancy the midwife item, which carries "no quinine" (spec safety rules).
LOCKED_ITEMS = frozenset({"doctor_red_flags", "doctor_pregnancy"})


assert set(ITEM_SECTIONS.values()) <= set(SECTIONS)


# The causes each always-present item answers, when the assessment names them.
ALWAYS: dict[str, tuple[str, ...]] = {
    "bedtime_exercises": ("deconditioning", "idiopathic", "overexertion"),
    "comfortable_shoes": ("flat_feet_footwear",),
    "running_shoes": ("flat_feet_footwear", "overexertion"),
    "moderate_activity": ("overexertion", "deconditioning"),
    "foot_massage": ("overexertion", "flat_feet_footwear"),
}


# Items that appear when the assessment names one of these causes or red flags.
WHEN: dict[str, tuple[str, ...]] = {
    "doctor_vascular": ("vascular",),
    "doctor_medication_review": ("medication",),
    "doctor_condition": ("medical_condition",),
    "halve_the_load": ("overexertion",),
    "keep_legs_warm": ("cold_exposure",),
    "ease_stress": ("stress",),
    "sleep_and_rest": ("stress", "overexertion"),
    "drink_enough": ("dehydration",),
}


ANSWER_ORDER = [*CAUSES, *FLAGS]  # answers are listed in vocabulary order, so a plan is stable


def _ordered(codes) -> tuple[str, ...]:
    return tuple(sorted(set(codes), key=ANSWER_ORDER.index))


def article_foods_for(nutrients, without: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """The article's foods rich in any of `nutrients`, in vocabulary order, leaving out `without`."""
    wanted = set(nutrients)
    return tuple(
        code for code, _label in v.ARTICLE_FOODS if RICH_IN.get(code, frozenset()) & wanted and code not in without
    )


def build_plan(assessment: dict, profile: ProfileFacts) -> list[PlanItem]:
    """The plan's items for an assessment document (prevention/report.py) and the profile."""
    causes = {c["code"]: c for c in assessment.get("causes", []) if c.get("code") in CAUSES}
    flags = [f["code"] for f in assessment.get("red_flags", []) if f.get("code") in FLAGS]
    found = set(causes) | set(flags)
    answers: dict[str, tuple[str, ...]] = {}

    for code, addresses in ALWAYS.items():
        answers[code] = _ordered(found & set(addresses)) or (GENERAL,)
    for code, addresses in WHEN.items():
        if found & set(addresses):
            answers[code] = _ordered(found & set(addresses))
    if flags:
        answers["doctor_red_flags"] = _ordered(flags)
    if profile.pregnant or found & {"pregnancy", "pregnancy_warning"}:
        answers["doctor_pregnancy"] = _ordered(found & {"pregnancy", "pregnancy_warning"}) or ("pregnancy",)
    if profile.flat_feet == "yes" or "flat_feet_footwear" in found:
        answers["orthopaedic_check"] = ("flat_feet_footwear",)

    items = [PlanItem(code, ITEM_SECTIONS[code], answered) for code, answered in answers.items()]

    items.append(_food_item(causes.get("micronutrient_deficiency"), profile))
    order = list(ITEM_SECTIONS)
    return sorted(items, key=lambda item: (SECTIONS.index(item.section), order.index(item.code)))


def _food_item(deficiency: dict | None, profile: ProfileFacts) -> PlanItem:
    """Foods for the elements the assessment names (all four when it names none); never potassium for a person at risk of high potassium."""
    caution = profile.potassium_caution
    named = [n for n in NUTRIENT_CODES if deficiency and n in (deficiency.get("nutrients") or ())]
    nutrients = tuple(named) or NUTRIENT_CODES
    if caution:
        nutrients = tuple(n for n in nutrients if n != "potassium") or tuple(
            n for n in NUTRIENT_CODES if n != "potassium"
        )
    return PlanItem(
        "foods_potassium_caution" if caution else "foods_for_nutrients",
        "food",
        ("micronutrient_deficiency",) if deficiency else (GENERAL,),
        nutrients=nutrients,
        foods=article_foods_for(nutrients, without=HIGH_POTASSIUM_FOODS if caution else frozenset()),
    )


def food_rows(item: PlanItem) -> list[tuple[str, list[str]]]:
    """(food label, labels of the item's nutrients it supplies), for display."""
    return [
        (v.label(v.FOODS, food), [nutrient_label(n) for n in item.nutrients if n in RICH_IN.get(food, frozenset())])
        for food in item.foods
    ]
