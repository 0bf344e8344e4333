"""The shared vocabulary (../shared/spec/README.md): codes and their labels for people.

Codes never change meaning; labels are translated. Order is the order shown in forms.
"""

from collections.abc import Sequence

from django.utils.translation import gettext_lazy as _

LEGS = [("left", _("Left")), ("right", _("Right")), ("both", _("Both"))]
MUSCLES = [
    ("calf", _("Calf")),
    ("foot", _("Foot")),
    ("toes", _("Toes")),
    ("thigh", _("Thigh")),
    ("shin", _("Shin")),
    ("other", _("Other")),
]
CONTEXTS = [
    ("sleep", _("Sleeping")),
    ("rest", _("Resting")),
    ("exercise", _("Exercising")),
    ("work", _("Working")),
    ("walking", _("Walking")),
    ("other", _("Other")),
]
RELIEVED_BY = [
    ("stretching", _("Stretching")),
    ("massage", _("Massage")),
    ("walking", _("Walking")),
    ("heat", _("Heat")),
    ("nothing", _("Nothing helped")),
    ("other", _("Other")),
]
EXERTION = [
    ("none", _("None")),
    ("light", _("Light")),
    ("moderate", _("Moderate")),
    ("hard", _("Hard")),
]
FOOTWEAR = [
    ("comfortable", _("Comfortable shoes")),
    ("uncomfortable", _("Uncomfortable shoes")),
    ("high_heels", _("High heels")),
    ("sports", _("Sports shoes")),
    ("barefoot", _("Barefoot")),
    ("other", _("Other")),
]
# The first ten are the article's foods rich in potassium, calcium, magnesium and vitamin B6.
ARTICLE_FOODS = [
    ("dill", _("Dill")),
    ("parsley", _("Parsley")),
    ("seaweed", _("Seaweed")),
    ("green_onions", _("Green onions")),
    ("bran", _("Bran")),
    ("dates", _("Dates")),
    ("dried_apricots", _("Dried apricots")),
    ("prunes", _("Prunes")),
    ("dairy", _("Dairy products")),
    ("fish", _("Fish")),
]
OTHER_FOODS = [
    ("banana", _("Banana")),
    ("nuts", _("Nuts")),
    ("leafy_greens", _("Leafy greens")),
    ("potatoes", _("Potatoes")),
    ("legumes", _("Beans, peas, lentils")),
    ("whole_grains", _("Whole grains")),
    ("eggs", _("Eggs")),
    ("meat", _("Meat")),
]
FOODS = ARTICLE_FOODS + OTHER_FOODS
# As a person would say them; the commonest first. Soreness after a cramp is normal for up to a
# day (NHS, NICE CKS), so its label says so: it is not the warning sign "pain lasting more than a day".
SYMPTOMS = [
    ("pain_after_cramp", _("Sore for a while after a cramp (normal)")),
    ("calf_pain_lasting", _("Calf pain lasting more than a day, or without a cramp")),
    ("calf_swelling_one_side", _("One calf swollen")),
    ("calf_red_or_warm", _("Calf red or warm")),
    ("leg_swelling", _("Both legs or ankles swollen")),
    ("pain_walking_eases_rest", _("Leg pain when walking that eases with rest")),
    ("pain_at_rest_or_pale_cold_foot", _("Leg or foot pain at rest that is not a cramp, or a pale, cold foot")),
    ("muscle_weakness", _("Muscle weakness")),
    ("muscle_wasting_or_twitching", _("Muscle wasting or twitching")),
    ("numbness_tingling", _("Numbness or tingling")),
    ("tingling_around_mouth", _("Tingling around the mouth")),
    ("cramps_elsewhere", _("Cramps in other parts of the body (hands, feet, elsewhere)")),
    ("urge_to_move_legs", _("An urge to move the legs, eased by moving")),
    ("dark_urine", _("Dark, cola-coloured urine")),
    ("headache_or_vision_change", _("Severe headache or changes in vision")),
    ("chest_pain_or_breathless", _("Chest pain or breathlessness")),
]
SEX = [
    ("unspecified", _("Prefer not to say")),
    ("female", _("Female")),
    ("male", _("Male")),
    ("other", _("Other")),
]
FLAT_FEET = [("unknown", _("Don't know")), ("yes", _("Yes")), ("no", _("No"))]
CONDITIONS = [
    ("varicose_veins", _("Varicose veins")),
    ("atherosclerosis", _("Atherosclerosis")),
    ("peripheral_artery_disease", _("Peripheral artery disease")),
    ("diabetes", _("Diabetes")),
    ("kidney_disease", _("Kidney disease")),
    ("dialysis", _("Dialysis")),
    ("thyroid_disease", _("Thyroid disease")),
    ("liver_disease", _("Liver disease")),
    ("neuropathy", _("Neuropathy")),
    ("anaemia", _("Anaemia")),
    ("heart_failure", _("Heart failure")),
    ("parkinsons", _("Parkinson's disease")),
    ("motor_neurone_disease", _("Motor neurone disease")),
    ("lumbar_spinal_stenosis", _("Lumbar spinal stenosis (narrowed spinal canal)")),
    ("hypoparathyroidism", _("Low parathyroid function, or thyroid or parathyroid surgery")),
]
# `diuretic` alone: the kind is not known. The kinds matter: thiazide and loop diuretics can
# lower potassium and magnesium, potassium-sparing ones raise potassium (shared spec).
MEDICATIONS = [
    ("diuretic", _("Diuretic (water tablet), kind not known")),
    ("diuretic_thiazide", _("Thiazide diuretic, e.g. bendroflumethiazide, indapamide, hydrochlorothiazide")),
    ("diuretic_loop", _("Loop diuretic, e.g. furosemide, bumetanide, torasemide")),
    ("diuretic_potassium_sparing", _("Potassium-sparing diuretic, e.g. spironolactone, eplerenone, amiloride")),
    ("statin", _("Statin (cholesterol)")),
    ("beta_agonist", _("Long-acting inhaler (beta-agonist)")),
    ("calcium_channel_blocker", _("Calcium-channel blocker, e.g. nifedipine")),
    ("ace_inhibitor_or_arb", _("ACE inhibitor or ARB (blood pressure)")),
    ("antipsychotic", _("Antipsychotic")),
    ("raloxifene", _("Raloxifene (osteoporosis)")),
    ("teriparatide", _("Teriparatide (osteoporosis)")),
    ("conjugated_estrogens", _("Conjugated oestrogens (hormone therapy)")),
    ("iron_sucrose_iv", _("Iron sucrose given into a vein")),
    ("naproxen", _("Naproxen (pain relief)")),
    ("pregabalin_or_gabapentin", _("Pregabalin or gabapentin")),
    ("zolpidem", _("Zolpidem (sleeping tablet)")),
    ("other_cramp_associated", _("Another medicine known to cause cramps")),
]


def codes(choices: Sequence[tuple[str, object]]) -> set[str]:
    return {code for code, _label in choices}


def label(choices: Sequence[tuple[str, object]], code: str) -> str:
    return str(dict(choices).get(code, code))
