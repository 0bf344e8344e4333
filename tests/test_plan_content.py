"""The plan's content (prevention/plan.py) and the bedtime routine (prevention/routine.py); no database."""

import re

import pytest
from django.utils import translation

from diary import vocabulary as v
from prevention.assessment.facts import ProfileFacts
from prevention.assessment.flag_rules import FLAGS
from prevention.assessment.nutrition import NUTRIENT_CODES, RICH_IN, foods_rich_in, nutrient_label
from prevention.assessment.rules import CAUSES
from prevention.plan.content import ITEM_SECTIONS, ITEM_TEXTS, SECTION_TITLES, SECTIONS, PlanItem, build_plan, food_rows
from prevention.plan.routine import ROUTINE, ROUTINE_SECONDS, Exercise, cue, done_cue, exercise_summary, guide

ALWAYS = {
    "bedtime_exercises",
    "comfortable_shoes",
    "running_shoes",
    "moderate_activity",
    "foot_massage",
    "foods_for_nutrients",
}
NO_ONE = ProfileFacts()
URGENCY = {"possible_dvt": "urgent", "prolonged_cramp": "urgent"}


def doc(*causes, flags=(), nutrients=None):
    """A small assessment document: cause codes (micronutrient_deficiency takes `nutrients`), red-flag codes."""
    items = []
    for code in causes:
        item = {"code": code, "likelihood": "moderate"}
        if code == "micronutrient_deficiency":
            item["nutrients"] = list(nutrients or [])
        items.append(item)
    return {"causes": items, "red_flags": [{"code": f, "urgency": URGENCY.get(f, "soon")} for f in flags]}


def plan(*causes, profile=NO_ONE, **kw):
    return {item.code: item for item in build_plan(doc(*causes, **kw), profile)}


def codes(*causes, profile=NO_ONE, **kw):
    return set(plan(*causes, profile=profile, **kw))


# ---------------------------------------------------------------- always present, ordering


def test_empty_assessment_gives_the_articles_everyday_prevention():
    items = plan()
    assert set(items) == ALWAYS
    assert all(item.answers == ("general",) for item in items.values())
    food = items["foods_for_nutrients"]
    assert food.nutrients == NUTRIENT_CODES
    assert food.foods == tuple(code for code, _l in v.ARTICLE_FOODS)  # all ten supply something


@pytest.mark.parametrize("cause", list(CAUSES))
def test_each_cause_alone_keeps_the_always_present_items(cause):
    assert codes(cause, nutrients=["calcium"]) >= ALWAYS


def test_items_are_in_section_order_and_deterministic():
    mix = doc(*CAUSES, flags=list(FLAGS), nutrients=["magnesium", "potassium"])
    profile = ProfileFacts(pregnant=True, flat_feet="yes")
    items = build_plan(mix, profile)
    assert items == build_plan(mix, profile)
    assert [i.section for i in items] == sorted((i.section for i in items), key=SECTIONS.index)
    assert items[0].section == "doctor"
    assert len({i.code for i in items}) == len(items)
    # everything at once: every item appears (the food item in its potassium-safe form with kidney disease)
    assert {i.code for i in items} == set(ITEM_TEXTS) - {"foods_potassium_caution"}
    cautious = build_plan(mix, ProfileFacts(pregnant=True, flat_feet="yes", conditions=frozenset({"kidney_disease"})))
    assert {i.code for i in cautious} == set(ITEM_TEXTS) - {"foods_for_nutrients"}
    order = list(ITEM_SECTIONS)
    assert [i.code for i in items] == sorted(
        (i.code for i in items), key=lambda c: (SECTIONS.index(ITEM_SECTIONS[c]), order.index(c))
    )


def test_order_of_causes_in_the_document_does_not_change_the_plan():
    a = build_plan(doc("overexertion", "stress", "deconditioning"), NO_ONE)
    b = build_plan(doc("deconditioning", "overexertion", "stress"), NO_ONE)
    assert a == b
    assert {i.code: i for i in a}["bedtime_exercises"].answers == ("overexertion", "deconditioning")


def test_unknown_codes_are_ignored():
    items = build_plan(
        {"causes": [{"code": "future_cause"}], "red_flags": [{"code": "future_flag", "urgency": "soon"}]}, NO_ONE
    )
    assert {i.code for i in items} == ALWAYS


def test_every_section_has_a_title_and_every_item_a_section_and_words():
    assert set(SECTION_TITLES) == set(SECTIONS)
    assert SECTIONS[0] == "doctor"
    assert set(ITEM_SECTIONS) == set(ITEM_TEXTS)
    for code, words in ITEM_TEXTS.items():
        assert str(words.title).strip() and str(words.text).strip(), code


@pytest.mark.parametrize("cause", list(CAUSES))
@pytest.mark.parametrize("profile", [NO_ONE, ProfileFacts(pregnant=True, flat_feet="yes")])
def test_answers_are_never_empty_and_only_valid_codes(cause, profile):
    valid = set(CAUSES) | set(FLAGS) | {"general"}
    for flags in ((), ("possible_dvt",), tuple(FLAGS)):
        for item in build_plan(doc(cause, flags=flags, nutrients=["vitamin_b6"]), profile):
            assert item.answers, item
            assert set(item.answers) <= valid, item
            assert item.code in ITEM_TEXTS and item.section == ITEM_SECTIONS[item.code]
            # "general" stands alone: an item answers either the assessment or the article's everyday advice
            assert item.answers == ("general",) or "general" not in item.answers


# ---------------------------------------------------------------- each cause alone


CAUSE_ITEMS = {
    "flat_feet_footwear": {"orthopaedic_check"},
    "pregnancy": {"doctor_pregnancy"},
    "cold_exposure": {"keep_legs_warm"},
    "micronutrient_deficiency": set(),
    "vascular": {"doctor_vascular"},
    "stress": {"ease_stress", "sleep_and_rest"},
    "overexertion": {"halve_the_load", "sleep_and_rest"},
    "deconditioning": set(),
    "medication": {"doctor_medication_review"},
    "medical_condition": {"doctor_condition"},
    "dehydration": {"drink_enough"},
    "idiopathic": set(),
}


def test_the_table_covers_every_cause():
    assert set(CAUSE_ITEMS) == set(CAUSES)


@pytest.mark.parametrize("cause,extra", CAUSE_ITEMS.items())
def test_each_cause_alone(cause, extra):
    items = plan(cause, nutrients=["calcium"])
    assert set(items) == ALWAYS | extra
    for code in extra:
        assert cause in items[code].answers


def test_always_present_items_name_the_causes_they_answer():
    assert plan("deconditioning")["bedtime_exercises"].answers == ("deconditioning",)
    assert plan("idiopathic")["bedtime_exercises"].answers == ("idiopathic",)
    assert plan("overexertion")["bedtime_exercises"].answers == ("overexertion",)
    assert plan("flat_feet_footwear")["comfortable_shoes"].answers == ("flat_feet_footwear",)
    assert plan("overexertion")["moderate_activity"].answers == ("overexertion",)
    assert plan("deconditioning")["moderate_activity"].answers == ("deconditioning",)
    assert plan("overexertion", "flat_feet_footwear")["foot_massage"].answers == ("flat_feet_footwear", "overexertion")
    # a cause an item does not address leaves it "general"
    cold = plan("cold_exposure")
    assert {cold[c].answers for c in ALWAYS} == {("general",)}


def test_sleep_and_rest_answers_both_stress_and_overexertion():
    assert plan("stress", "overexertion")["sleep_and_rest"].answers == ("stress", "overexertion")


# ---------------------------------------------------------------- foods


def test_foods_follow_the_named_nutrients():
    food = plan("micronutrient_deficiency", nutrients=["calcium"])["foods_for_nutrients"]
    assert food.answers == ("micronutrient_deficiency",)
    assert food.nutrients == ("calcium",)
    assert food.foods == ("dill", "parsley", "seaweed", "dairy")
    assert "fish" not in food.foods and "prunes" not in food.foods


def test_vitamin_b6_foods():
    food = plan("micronutrient_deficiency", nutrients=["vitamin_b6"])["foods_for_nutrients"]
    assert food.foods == ("bran", "dates", "prunes", "fish")


@pytest.mark.parametrize(
    "nutrients",
    [
        ["potassium"],
        ["calcium"],
        ["magnesium"],
        ["vitamin_b6"],
        ["magnesium", "calcium"],
        ["vitamin_b6", "potassium", "calcium"],
    ],
)
def test_foods_match_the_article_foods_rich_in_the_nutrients(nutrients):
    food = plan("micronutrient_deficiency", nutrients=nutrients)["foods_for_nutrients"]
    assert food.nutrients == tuple(n for n in NUTRIENT_CODES if n in nutrients)  # vocabulary order
    expected = {f for n in nutrients for f in foods_rich_in(n)}
    assert set(food.foods) == expected and len(food.foods) == len(expected)
    article = [code for code, _l in v.ARTICLE_FOODS]
    assert list(food.foods) == sorted(food.foods, key=article.index)
    for code in food.foods:
        assert RICH_IN[code] & set(nutrients), code  # no food that supplies none of them
    rows = food_rows(food)
    assert [label for label, _n in rows] == [v.label(v.FOODS, f) for f in food.foods]
    for (_label, supplied), code in zip(rows, food.foods):
        assert supplied and supplied == [nutrient_label(n) for n in food.nutrients if n in RICH_IN[code]]


def test_deficiency_without_named_nutrients_uses_all_four():
    food = plan("micronutrient_deficiency", nutrients=[])["foods_for_nutrients"]
    assert food.nutrients == NUTRIENT_CODES and food.answers == ("micronutrient_deficiency",)


def test_food_rows_in_english():
    with translation.override("en"):
        rows = dict(
            food_rows(
                PlanItem(
                    "foods_for_nutrients", "food", ("general",), ("potassium", "calcium"), ("dairy", "green_onions")
                )
            )
        )
    assert rows == {"Dairy products": ["potassium", "calcium"], "Green onions": ["potassium"]}


# ---------------------------------------------------------------- footwear


@pytest.mark.parametrize("flat_feet,expected", [("yes", True), ("no", False), ("unknown", False)])
def test_orthopaedic_check_only_with_flat_feet(flat_feet, expected):
    profile = ProfileFacts(flat_feet=flat_feet)
    assert ("orthopaedic_check" in codes(profile=profile)) is expected
    assert ("orthopaedic_check" in codes("overexertion", "stress", "vascular", profile=profile)) is expected
    assert "orthopaedic_check" in codes("flat_feet_footwear", profile=ProfileFacts(flat_feet=flat_feet))


def test_orthopaedic_check_answers_flat_feet():
    assert plan(profile=ProfileFacts(flat_feet="yes"))["orthopaedic_check"].answers == ("flat_feet_footwear",)


# ---------------------------------------------------------------- doctor


def test_red_flags_put_a_doctor_item_first():
    items = build_plan(doc("stress", flags=["frequent_cramps", "possible_dvt"]), NO_ONE)
    assert items[0].code == "doctor_red_flags"
    assert items[0].answers == ("possible_dvt", "frequent_cramps")  # vocabulary order
    assert "doctor_red_flags" not in codes("stress")


@pytest.mark.parametrize("flag", list(FLAGS))
def test_each_red_flag_alone(flag):
    items = plan(flags=[flag])
    assert items["doctor_red_flags"].answers == (flag,)
    extra = {"doctor_red_flags", "doctor_pregnancy"} if flag == "pregnancy_warning" else {"doctor_red_flags"}
    assert set(items) == ALWAYS | extra


def test_pregnancy_from_the_cause_the_warning_or_the_profile():
    assert plan("pregnancy")["doctor_pregnancy"].answers == ("pregnancy",)
    assert plan(flags=["pregnancy_warning"])["doctor_pregnancy"].answers == ("pregnancy_warning",)
    assert plan(profile=ProfileFacts(pregnant=True))["doctor_pregnancy"].answers == ("pregnancy",)
    both = plan("pregnancy", flags=["pregnancy_warning"], profile=ProfileFacts(pregnant=True))
    assert both["doctor_pregnancy"].answers == ("pregnancy", "pregnancy_warning")
    assert "doctor_pregnancy" not in codes("vascular")


def test_doctor_items_for_a_mix():
    items = build_plan(
        doc("medication", "vascular", "medical_condition", "overexertion", flags=["claudication"]), NO_ONE
    )
    doctor = [i.code for i in items if i.section == "doctor"]
    assert doctor == ["doctor_red_flags", "doctor_vascular", "doctor_medication_review", "doctor_condition"]
    assert [i.code for i in items[: len(doctor)]] == doctor


def test_a_typical_mix():
    items = plan(
        "overexertion",
        "micronutrient_deficiency",
        "cold_exposure",
        nutrients=["magnesium"],
        profile=ProfileFacts(flat_feet="no"),
    )
    assert set(items) == ALWAYS | {"halve_the_load", "sleep_and_rest", "keep_legs_warm"}
    assert items["foods_for_nutrients"].nutrients == ("magnesium",)
    assert items["halve_the_load"].answers == ("overexertion",)
    assert items["keep_legs_warm"].answers == ("cold_exposure",)


# ---------------------------------------------------------------- safety and honesty of the words

EAT_MORE = re.compile(r"eat more|rich in (potassium|trace elements|minerals)", re.IGNORECASE)


@pytest.mark.parametrize(
    "profile",
    [
        ProfileFacts(conditions=frozenset({"dialysis"})),
        ProfileFacts(medications=frozenset({"ace_inhibitor_or_arb"})),
        ProfileFacts(medications=frozenset({"diuretic_potassium_sparing"})),
        ProfileFacts(medications=frozenset({"diuretic", "diuretic_thiazide"})),  # one water tablet of a kind not known
    ],
)
def test_at_risk_of_high_potassium_no_plan_item_says_eat_more(profile):
    # every cause that brings an item, so no item's words escape the check
    items = plan(*CAUSES, nutrients=list(NUTRIENT_CODES), profile=profile)
    with translation.override("en"):
        pushing = [code for code in items if EAT_MORE.search(str(ITEM_TEXTS[code].text))]
    assert "foods_potassium_caution" in items and "halve_the_load" in items
    assert pushing == []


def all_texts() -> list[tuple[str, str]]:
    with translation.override("en"):
        texts = [(f"{code}.title", str(w.title)) for code, w in ITEM_TEXTS.items()]
        texts += [(f"{code}.text", str(w.text)) for code, w in ITEM_TEXTS.items()]
        texts += [(f"section.{code}", str(t)) for code, t in SECTION_TITLES.items()]
        for ex in ROUTINE:
            texts.append((f"{ex.code}.title", str(ex.title)))
            texts += [(f"{ex.code}.step{i}", str(s)) for i, s in enumerate(ex.steps, 1)]
            texts.append((f"{ex.code}.summary", exercise_summary(ex)))
    return texts


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?;:])\s+", text) if s]


NEGATED = re.compile(r"\b(do not|don't|never|must not)\b", re.I)


def test_texts_render_in_english():
    texts = all_texts()
    assert len(texts) > 40
    for where, text in texts:
        assert text.strip() and "%(" not in text, where


def test_no_text_promises_a_cure():
    for where, text in all_texts():
        assert not re.search(r"\bcur(e|es|ed|ing)\b", text, re.I), where
        assert not re.search(r"\b(guaranteed|will stop your cramps|get rid of)\b", text, re.I), where


def test_quinine_and_supplements_only_in_do_not_sentences():
    for where, text in all_texts():
        for sentence in sentences(text):
            if re.search(r"quinine|supplement|pill|tablet", sentence, re.I):
                assert NEGATED.search(sentence), (where, sentence)


def test_never_suggests_stopping_a_medicine():
    for where, text in all_texts():
        for match in re.finditer(
            r"\bstop(ping)? (taking|your medicine|your medication|a prescribed|the medicine|any medicine)", text, re.I
        ):
            before = text[: match.start()].lower()
            assert before.endswith(("do not ", "never ", "don't ")), (where, text)


def test_medication_review_wording():
    with translation.override("en"):
        text = str(ITEM_TEXTS["doctor_medication_review"].text)
    assert "medication review" in text
    assert "doctor or pharmacist" in text
    assert "Never stop a prescribed medicine on your own" in text


def test_exercises_text_is_honest_about_the_trials():
    with translation.override("en"):
        text = str(ITEM_TEXTS["bedtime_exercises"].text)
    assert "over 55" in text and "fewer and milder" in text
    assert "no effect" in text
    assert "Hallegraeff" in text


def test_food_text_is_about_foods():
    with translation.override("en"):
        text = str(ITEM_TEXTS["foods_for_nutrients"].text)
    assert "foods" in text.lower()
    assert "do not take supplements" in text.lower()


# ---------------------------------------------------------------- the routine


def test_routine_has_the_articles_four_exercises_in_order():
    assert [e.code for e in ROUTINE] == ["toe_pulls", "point_and_flex", "foot_circles", "prone_toe_hold"]
    assert all(isinstance(e, Exercise) for e in ROUTINE)


def test_routine_takes_about_five_minutes():
    assert sum(e.seconds for e in ROUTINE) == ROUTINE_SECONDS
    assert 240 <= ROUTINE_SECONDS <= 360


@pytest.mark.parametrize("ex", ROUTINE, ids=lambda e: e.code)
def test_each_exercise_is_clear(ex):
    assert 3 <= len(ex.steps) <= 5
    assert ex.repetitions or ex.hold_seconds
    assert ex.per_leg  # the article: each leg in turn
    # enough time for what it asks: both legs, each repetition held (or about 2 s per movement)
    per_rep = ex.hold_seconds or 2
    assert ex.seconds >= 2 * (ex.repetitions or 1) * per_rep
    with translation.override("en"):
        steps = " ".join(str(s) for s in ex.steps)
    if ex.repetitions:
        assert str(ex.repetitions) in steps
    if ex.hold_seconds:
        assert f"{ex.hold_seconds} seconds" in steps
    assert "other" in steps  # says when to change legs


def test_the_dosage_in_the_article_order():
    doses = {e.code: (e.repetitions, e.hold_seconds) for e in ROUTINE}
    assert doses == {
        "toe_pulls": (3, 20),
        "point_and_flex": (10, None),
        "foot_circles": (10, None),
        "prone_toe_hold": (3, 10),
    }


def test_exercise_summary():
    by_code = {e.code: e for e in ROUTINE}
    with translation.override("en"):
        assert exercise_summary(by_code["toe_pulls"]) == "3 × 20 s, each leg"
        assert exercise_summary(by_code["point_and_flex"]) == "10 times, each leg"
        assert exercise_summary(by_code["foot_circles"]) == "10 times each way, each leg"
        assert exercise_summary(by_code["prone_toe_hold"]) == "3 × 10 s, each leg"
        one = Exercise("x", "x", ("a", "b", "c"), 1, None, False, 10)
        assert exercise_summary(one) == "1 time"
        hold = Exercise("x", "x", ("a", "b", "c"), None, 30, True, 60)
        assert exercise_summary(hold) == "hold 30 s, each leg"


def test_summaries_work_in_ukrainian():
    with translation.override("uk"):
        assert all(exercise_summary(e) for e in ROUTINE)
        assert all(str(w.text) for w in ITEM_TEXTS.values())


# ---------------------------------------------------------------- the routine's timed steps (issue 14, item 4)


@pytest.mark.parametrize("ex", ROUTINE, ids=lambda e: e.code)
def test_the_timed_steps_follow_the_dosage_leg_by_leg(ex):
    steps = guide(ex)
    assert ex.seconds == sum(step.seconds for step in steps)
    switches = [i for i, step in enumerate(steps) if step.kind == "switch"]
    assert len(switches) == 1 and steps[switches[0]].leg == "right"  # one leg, then the other
    left, right = steps[: switches[0]], steps[switches[0] + 1 :]
    assert {s.leg for s in left} == {"left"} and {s.leg for s in right} == {"right"}
    for leg in (left, right):
        holds = [s for s in leg if s.kind == "hold"]
        if ex.hold_seconds:
            assert [(s.repetition, s.seconds) for s in holds] == [(n, ex.hold_seconds) for n in range(1, 4)]
            assert [s.kind for s in leg] == ["hold", "rest", "hold", "rest", "hold"]  # a rest between, not after
        else:
            assert not holds and all(s.kind == "move" for s in leg)
            assert sum(s.seconds for s in leg) >= 2 * (ex.repetitions or 1) * (2 if ex.both_ways else 1) - 1


def test_the_timers_cues_in_english():
    toe_pulls, point, circles, _prone = ROUTINE
    with translation.override("en"):
        assert [cue(toe_pulls, s) for s in guide(toe_pulls)][:2] == ["Left leg, hold 20 seconds (1 of 3)", "Rest"]
        assert cue(toe_pulls, guide(toe_pulls)[5]) == "Switch to the right leg"
        assert cue(point, guide(point)[0]) == "Left leg, point and pull back the toes 10 times"
        assert [cue(circles, s) for s in guide(circles)[:2]] == [
            "Left leg, 10 circles one way",
            "Left leg, 10 circles the other way",
        ]
        assert done_cue() == "Done"


def test_the_timers_cues_in_ukrainian_use_the_plural_forms():
    toe_pulls, _point, circles, _prone = ROUTINE
    with translation.override("uk"):
        assert cue(toe_pulls, guide(toe_pulls)[0]) == "Ліва нога, утримуйте 20 секунд (1 з 3)"
        assert cue(circles, guide(circles)[0]) == "Ліва нога, 10 кіл в один бік"
        assert done_cue() == "Готово"


def test_no_exercise_asks_for_lying_flat_without_another_position_for_later_in_pregnancy():
    """NHS, exercise in pregnancy: not long lying flat on the back after 16 weeks; nor on the stomach."""
    with translation.override("en"):
        for exercise in ROUTINE:
            position = str(exercise.steps[0])
            if re.search(r"\bLie on your (back|stomach)\b", position):
                assert re.search(r"sit up|on your side", position), (exercise.code, position)
