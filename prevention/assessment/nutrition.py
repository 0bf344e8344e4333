"""Which minerals (and vitamin B6) the diary's foods are rich in.

The article names the nutrients (potassium, calcium, magnesium, vitamin B6) and ten
foods rich in them; which food supplies which element follows common food-composition
tables (USDA FoodData Central). The assessment uses this to say which elements a diet
lacks, and the plan (issue 4) to suggest foods for them. Plain data, no database.
"""

from django.utils.translation import gettext_lazy as _

from diary import vocabulary as v

NUTRIENTS = [
    ("potassium", _("potassium")),
    ("calcium", _("calcium")),
    ("magnesium", _("magnesium")),
    ("vitamin_b6", _("vitamin B6")),
]


NUTRIENT_CODES = tuple(code for code, _label in NUTRIENTS)


# Food code (diary vocabulary) -> the elements it is a good source of.
RICH_IN: dict[str, frozenset[str]] = {
    # The article's list.
    "dill": frozenset({"potassium", "calcium", "magnesium"}),
    "parsley": frozenset({"potassium", "calcium", "magnesium"}),
    "seaweed": frozenset({"calcium", "magnesium", "potassium"}),
    "green_onions": frozenset({"potassium"}),
    "bran": frozenset({"magnesium", "potassium", "vitamin_b6"}),
    "dates": frozenset({"potassium", "magnesium", "vitamin_b6"}),
    "dried_apricots": frozenset({"potassium", "magnesium"}),
    "prunes": frozenset({"potassium", "vitamin_b6"}),
    "dairy": frozenset({"calcium", "potassium"}),
    "fish": frozenset({"vitamin_b6", "potassium", "magnesium"}),
    # Other foods the diary knows.
    "banana": frozenset({"potassium", "vitamin_b6", "magnesium"}),
    "nuts": frozenset({"magnesium", "calcium"}),
    "leafy_greens": frozenset({"magnesium", "calcium", "potassium"}),
    "potatoes": frozenset({"potassium", "vitamin_b6"}),
    "legumes": frozenset({"potassium", "magnesium", "vitamin_b6"}),
    "whole_grains": frozenset({"magnesium", "vitamin_b6"}),
    "eggs": frozenset(),
    "meat": frozenset({"vitamin_b6", "potassium"}),
}


ARTICLE_FOOD_CODES = frozenset(code for code, _label in v.ARTICLE_FOODS)


assert set(RICH_IN) == {code for code, _label in v.FOODS}, "every food of the vocabulary needs its elements"


DIURETIC_KINDS = frozenset({"diuretic_thiazide", "diuretic_loop", "diuretic_potassium_sparing"})


DIURETICS = DIURETIC_KINDS | {"diuretic"}


# Thiazide and loop diuretics may lower potassium and magnesium; potassium-sparing ones do not.
K_LOWERING_DIURETICS = frozenset({"diuretic_thiazide", "diuretic_loop"})


# Potassium can build up (hyperkalaemia) with these: potassium is never advised to them.
POTASSIUM_RAISING_CONDITIONS = frozenset({"kidney_disease", "dialysis", "heart_failure"})


POTASSIUM_RAISING_MEDICINES = frozenset({"diuretic_potassium_sparing", "ace_inhibitor_or_arb"})

# Magnesium builds up mainly when the kidneys fail (Merck Manual, hypermagnesaemia): never named
# as possibly lacking with kidney disease or dialysis.
MAGNESIUM_RAISING_CONDITIONS = frozenset({"kidney_disease", "dialysis"})


def withheld_nutrients(conditions: frozenset[str], medications: frozenset[str]) -> frozenset[str]:
    """The elements never named as possibly lacking for this person (potassium_caution, and magnesium
    with kidney disease or dialysis)."""
    withheld = {"potassium"} if potassium_caution(conditions, medications) else set()
    if conditions & MAGNESIUM_RAISING_CONDITIONS:
        withheld.add("magnesium")
    return frozenset(withheld)


# The richest sources of potassium among the diary's foods (USDA FoodData Central): left out
# of the food suggestions for a person who must not be pushed towards potassium.
HIGH_POTASSIUM_FOODS = frozenset(
    {"dried_apricots", "dates", "prunes", "banana", "potatoes", "legumes", "seaweed", "bran", "leafy_greens"}
)


def potassium_caution(conditions: frozenset[str], medications: frozenset[str]) -> bool:
    """True when potassium must not be advised: kidney disease or dialysis, heart failure, a
    potassium-sparing diuretic, an ACE inhibitor or ARB, or a diuretic of a kind not known
    (it may be a potassium-sparing one, also beside one of a known kind: two water tablets)."""
    unknown_diuretic = "diuretic" in medications
    return bool(
        conditions & POTASSIUM_RAISING_CONDITIONS or medications & POTASSIUM_RAISING_MEDICINES or unknown_diuretic
    )


def nutrients_in(foods) -> frozenset[str]:
    """The elements supplied by a day's foods."""
    found: set[str] = set()
    for food in foods:
        found |= RICH_IN.get(food, frozenset())
    return frozenset(found)


def foods_rich_in(nutrient: str, article_only: bool = True) -> list[str]:
    """Food codes rich in `nutrient`, the article's first, in vocabulary order."""
    pool = v.ARTICLE_FOODS if article_only else v.FOODS
    return [code for code, _label in pool if nutrient in RICH_IN.get(code, ())]


def nutrient_label(code: str) -> str:
    return str(dict(NUTRIENTS).get(code, code))
