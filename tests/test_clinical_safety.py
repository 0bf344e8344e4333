"""The clinical-safety cases of issue 10, as plain unit tests over the engine (no database).

Each test is a case a careful clinician would try (NHS and NICE CKS on leg cramps and DVT; the
shared spec's "Safety rules that hold for every assessment and plan"), with a near miss where a
threshold decides. The per-rule firing / near-miss table is tests/test_assessment_rules.py; the
general properties are tests/test_assessment_properties.py; realistic diaries are the vignettes.
"""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.utils import translation

from prevention.assessment import facts as a
from prevention.assessment.document import diary_from_export, to_document
from prevention.assessment.engine import assess
from prevention.assessment.facts import DayFacts, Diary, EpisodeFacts, ProfileFacts
from prevention.assessment.flag_rules import FLAGS, URGENCY_LABELS
from prevention.assessment.rule_kit import SOURCES
from prevention.assessment.rules import ALL_RULES, CAUSES
from tests.potassium import potassium_named

START = date(2026, 9, 1)
VIGNETTES = sorted((Path(__file__).resolve().parent / "vignettes").glob("*.json"))


def day(n: int) -> date:
    return START + timedelta(days=n)


def run(profile: ProfileFacts = ProfileFacts(), cramp_days=(), logs=()) -> dict:
    episodes = tuple(EpisodeFacts(day=day(n), intensity=6) for n in cramp_days)
    return to_document(assess(Diary(profile=profile, episodes=episodes, days=tuple(logs))))


def logs(count: int, symptoms: dict[int, set[str]] | None = None, **fields) -> list[DayFacts]:
    """`count` consecutive day logs from START, with `symptoms` on the days numbered."""
    symptoms = symptoms or {}
    return [DayFacts(date=day(n), symptoms=frozenset(symptoms.get(n, ())), **fields) for n in range(count)]


def flags(result: dict) -> dict[str, dict]:
    return {f["code"]: f for f in result["red_flags"]}


def with_profile(**fields) -> ProfileFacts:
    return ProfileFacts(**{k: frozenset(v) if k in ("conditions", "medications") else v for k, v in fields.items()})


# ---------------------------------------------------------------- soreness after a cramp is normal


def test_soreness_the_morning_after_each_of_20_cramps_raises_no_clot_warning():
    # 20 cramp nights in 40 days, some on consecutive nights (soreness then on two days in a row,
    # but with a cramp in the night between); the calf is sore the morning after every one.
    nights = [0, 1, 2, 5, 7, 8, 11, 13, 14, 15, 18, 20, 22, 23, 26, 29, 31, 32, 35, 37]
    assert len(nights) == 20
    result = run(cramp_days=nights, logs=logs(40, {n + 1: {"pain_after_cramp"} for n in nights}))
    assert "possible_dvt" not in flags(result)
    assert not [f for f in result["red_flags"] if f["urgency"] in ("emergency", "urgent")]


def test_soreness_two_days_in_a_row_with_no_cramp_between_is_urgent():
    # cramp in the night of day 10; sore on days 11 and 12, no cramp in the night of day 11
    result = run(cramp_days=[3, 10], logs=logs(14, {11: {"pain_after_cramp"}, 12: {"pain_after_cramp"}}))
    dvt = flags(result)["possible_dvt"]
    assert dvt["urgency"] == "urgent"
    assert dvt["rules"] == ["flag-dvt-soreness-lasting"]
    assert dvt["last_seen"] == day(12).isoformat()


def test_soreness_two_days_in_a_row_after_two_cramp_nights_is_no_warning():
    result = run(cramp_days=[3, 10, 11], logs=logs(14, {11: {"pain_after_cramp"}, 12: {"pain_after_cramp"}}))
    assert "possible_dvt" not in flags(result)


def episodes_on(*found: tuple[int, str]) -> tuple[EpisodeFacts, ...]:
    return tuple(EpisodeFacts(day=day(n), intensity=6, context=context) for n, context in found)


def test_a_daytime_cramp_on_the_second_sore_day_explains_its_soreness():
    # A runner: a night cramp counted for day 4, sore on day 5; a cramp on the afternoon run of day 6,
    # sore on day 6. Nothing has lasted over a day: each soreness follows its own cramp.
    days = logs(8, {5: {"pain_after_cramp"}, 6: {"pain_after_cramp"}})
    result = to_document(assess(Diary(ProfileFacts(), episodes_on((4, "sleep"), (6, "exercise")), tuple(days))))
    assert "possible_dvt" not in flags(result)
    # the near miss: the cramp counted for day 6 came in its night, after the soreness: lasting
    result = to_document(assess(Diary(ProfileFacts(), episodes_on((4, "sleep"), (6, "sleep")), tuple(days))))
    assert flags(result)["possible_dvt"]["urgency"] == "urgent"


def test_calf_pain_lasting_alone_is_urgent():
    result = run(logs=logs(3, {2: {"calf_pain_lasting"}}))
    dvt = flags(result)["possible_dvt"]
    assert (dvt["urgency"], dvt["rules"], dvt["last_seen"]) == ("urgent", ["flag-dvt-signs"], day(2).isoformat())
    assert result["causes"] == []  # no cramp, no cause


def test_chest_pain_or_breathlessness_is_an_emergency():
    result = run(cramp_days=[1], logs=logs(5, {3: {"calf_swelling_one_side"}, 4: {"chest_pain_or_breathless"}}))
    assert flags(result)["possible_dvt"]["urgency"] == "emergency"


# ---------------------------------------------------------------- recency: an old sign is "soon", with its day


@pytest.mark.parametrize("days_before, urgency", [(0, "urgent"), (14, "urgent"), (15, "soon"), (40, "soon")])
def test_a_clot_sign_more_than_14_days_before_the_last_day_is_soon_with_its_last_seen(days_before, urgency):
    last = 45
    sign = last - days_before
    result = run(cramp_days=[2, 20, 30], logs=logs(last + 1, {sign: {"calf_swelling_one_side"}}))
    assert result["period"]["to"] == day(last).isoformat()
    dvt = flags(result)["possible_dvt"]
    assert (dvt["urgency"], dvt["last_seen"]) == (urgency, day(sign).isoformat())
    if urgency == "soon":
        assert dvt["message"] == str(FLAGS["possible_dvt"].messages["soon"])


def test_an_old_chest_pain_is_soon_not_an_emergency():
    result = run(cramp_days=[1], logs=logs(41, {0: {"calf_red_or_warm", "chest_pain_or_breathless"}}))
    dvt = flags(result)["possible_dvt"]
    assert (dvt["urgency"], dvt["last_seen"]) == ("soon", day(0).isoformat())


def test_chest_pain_without_a_calf_sign_is_no_blood_clot_flag():
    # an inhaler user ticking "breathless": no "possible blood clot, call emergency services" for two weeks
    result = run(cramp_days=[1, 3], logs=logs(10, {2: {"chest_pain_or_breathless"}, 9: {"chest_pain_or_breathless"}}))
    assert "possible_dvt" not in flags(result)


def test_the_last_day_counts_cramps_as_well_as_day_logs():
    # the sign on the last day log, but cramps recorded for 20 more days: the sign is old
    result = run(cramp_days=[5, 25], logs=logs(6, {5: {"calf_pain_lasting"}}))
    assert result["period"]["to"] == day(25).isoformat()
    assert flags(result)["possible_dvt"]["urgency"] == "soon"


def test_a_frequent_cramps_flag_says_when_cramps_were_last_seen():
    result = run(cramp_days=range(0, 20, 1), logs=logs(28))
    assert flags(result)["frequent_cramps"].get("last_seen") == day(19).isoformat()


# ---------------------------------------------------------------- possible muscle breakdown


def test_a_statin_and_new_muscle_weakness_is_muscle_breakdown_urgent():
    statin = with_profile(medications={"statin"})
    result = run(statin, cramp_days=[1], logs=logs(5, {4: {"muscle_weakness"}}))
    breakdown = flags(result)["muscle_breakdown"]
    assert (breakdown["urgency"], breakdown["rules"], breakdown["last_seen"]) == (
        "urgent",
        ["flag-statin-weakness"],
        day(4).isoformat(),
    )
    # the same weakness without a statin: a neurological sign to book a doctor for, not muscle breakdown
    without = flags(run(cramp_days=[1], logs=logs(5, {4: {"muscle_weakness"}})))
    assert "muscle_breakdown" not in without and without["neurological"]["urgency"] == "soon"


def test_dark_urine_the_day_after_a_cramp_is_muscle_breakdown_urgent():
    result = run(cramp_days=[3], logs=logs(5, {4: {"dark_urine"}}))
    assert flags(result)["muscle_breakdown"]["urgency"] == "urgent"


# ---------------------------------------------------------------- potassium: never for people at risk of high potassium

AT_RISK = {
    "kidney disease": with_profile(conditions={"kidney_disease"}),
    "dialysis": with_profile(conditions={"kidney_disease", "dialysis"}),
    "heart failure": with_profile(conditions={"heart_failure"}),
    "potassium-sparing diuretic": with_profile(medications={"diuretic_potassium_sparing"}),
    "ACE inhibitor or ARB": with_profile(medications={"ace_inhibitor_or_arb"}),
    "diuretic of unknown kind": with_profile(medications={"diuretic"}),
    # two water tablets, one of them not known: it may be the potassium-sparing one
    "diuretic of unknown kind beside a loop diuretic": with_profile(medications={"diuretic", "diuretic_loop"}),
}
# With a thiazide or loop diuretic as well, see test_no_potassium_in_the_diuretic_evidence_for_people_at_risk.


def poor_diet_and_stress(profile: ProfileFacts) -> dict:
    """21 days of eggs only (no element at all) and stress 8/10, cramps on 6 nights: every rule that
    can name potassium (diet, cramp nights, stress) has what it needs."""
    return run(profile, cramp_days=[1, 4, 7, 10, 13, 16], logs=logs(21, foods=frozenset({"eggs"}), stress=8))


def test_the_poor_diet_names_potassium_for_a_person_not_at_risk():
    # the control for the cases below: the same diary does name potassium when it is safe to
    result = poor_diet_and_stress(ProfileFacts())
    deficiency = next(c for c in result["causes"] if c["code"] == "micronutrient_deficiency")
    assert "potassium" in deficiency["nutrients"]
    assert {"nutrients-diet", "nutrients-stress"} <= set(deficiency["rules"])


@pytest.mark.parametrize("profile", AT_RISK.values(), ids=AT_RISK.keys())
def test_no_potassium_in_nutrients_labels_evidence_or_messages_for_people_at_risk(profile):
    result = poor_diet_and_stress(profile)
    assert potassium_named(result) == []
    deficiency = next(c for c in result["causes"] if c["code"] == "micronutrient_deficiency")
    assert (
        deficiency["nutrients"] and "nutrients-stress" not in deficiency["rules"]
    )  # stress named potassium only: dropped


@pytest.mark.parametrize(
    "medicines",
    [{"ace_inhibitor_or_arb", "diuretic_thiazide"}, {"ace_inhibitor_or_arb", "diuretic_loop"}],
    ids=["ACE inhibitor with a thiazide", "ACE inhibitor with a loop diuretic"],
)
def test_potassium_is_stripped_from_the_nutrients_with_an_ace_inhibitor_and_a_thiazide_or_loop_diuretic(medicines):
    result = run(with_profile(medications=medicines), cramp_days=[1], logs=logs(1))
    deficiency = next(c for c in result["causes"] if c["code"] == "micronutrient_deficiency")
    assert deficiency["nutrients"] == ["magnesium"]


@pytest.mark.parametrize(
    "profile",
    [
        with_profile(medications={"ace_inhibitor_or_arb", "diuretic_thiazide"}),
        with_profile(medications={"diuretic_loop"}, conditions={"kidney_disease"}),
        with_profile(medications={"diuretic_thiazide", "diuretic_potassium_sparing"}),
    ],
    ids=[
        "ACE inhibitor with a thiazide",
        "loop diuretic with kidney disease",
        "thiazide with a potassium-sparing diuretic",
    ],
)
def test_no_potassium_in_the_diuretic_evidence_for_people_at_risk(profile):
    assert potassium_named(run(profile, cramp_days=[1], logs=logs(1))) == []


@pytest.mark.parametrize("condition", ["kidney_disease", "dialysis"])
def test_magnesium_is_never_named_as_lacking_with_kidney_disease(condition):
    """Merck: magnesium builds up mainly in kidney failure. A loop diuretic then names nothing."""
    profile = with_profile(conditions={condition, "kidney_disease"}, medications={"diuretic_loop"})
    result = poor_diet_and_stress(profile)
    deficiency = next((c for c in result["causes"] if c["code"] == "micronutrient_deficiency"), None)
    assert deficiency is None or not {"magnesium", "potassium"} & set(deficiency["nutrients"])
    assert "nutrients-diuretic" not in (deficiency or {}).get("rules", [])
    # the control: the same diary without kidney disease does name magnesium
    control = poor_diet_and_stress(with_profile(medications={"diuretic_loop"}))
    assert "magnesium" in next(c for c in control["causes"] if c["code"] == "micronutrient_deficiency")["nutrients"]


def test_pregnancy_alone_names_no_element_as_lacking():
    """The article ties cramps in pregnancy to the baby's growth, kidneys, heart and anaemia, not to
    calcium or magnesium: no deficiency from the profile alone (the pregnancy cause says what to do)."""
    result = run(with_profile(pregnant=True, pregnancy_week=28), cramp_days=[1], logs=logs(1))
    assert "micronutrient_deficiency" not in {c["code"] for c in result["causes"]}
    assert "pregnancy" in {c["code"] for c in result["causes"]}


def test_the_deficiencys_next_step_puts_the_kidney_team_first():
    with translation.override("en"):
        step = str(CAUSES["micronutrient_deficiency"].next_step)
    assert "Eat more" in step and "with kidney disease or dialysis, ask your kidney team first" in step
    with translation.override("uk"):
        assert "нирок" in str(CAUSES["micronutrient_deficiency"].next_step)


@pytest.mark.parametrize("kind", ["diuretic_thiazide", "diuretic_loop"])
def test_a_thiazide_or_loop_diuretic_names_potassium_and_magnesium(kind):
    result = run(with_profile(medications={kind}), cramp_days=[1], logs=logs(1))
    deficiency = next(c for c in result["causes"] if c["code"] == "micronutrient_deficiency")
    assert deficiency["nutrients"] == ["potassium", "magnesium"]
    assert deficiency["rules"] == ["nutrients-diuretic"]
    assert any("potassium and magnesium" in text for text in deficiency["evidence"])


@pytest.mark.parametrize("kind", ["diuretic_potassium_sparing", "diuretic"])
def test_a_potassium_sparing_or_unknown_diuretic_is_no_sign_of_low_potassium(kind):
    result = run(with_profile(medications={kind}), cramp_days=[1], logs=logs(1))
    assert "micronutrient_deficiency" not in {c["code"] for c in result["causes"]}
    assert "medication" in {c["code"] for c in result["causes"]}  # still a medicine linked with cramps


# ---------------------------------------------------------------- quinine: only ever "must not be used"

QUININE = re.compile(r"quinine|tonic water", re.IGNORECASE)
FORBIDDEN = re.compile(r"must (not|never) be used|never (be )?used|do not (use|take)", re.IGNORECASE)


def quinine_problems(texts) -> list[str]:
    """Sentences that name quinine (or tonic water) without saying it must not be used."""
    problems = []
    for text in texts:
        for part in re.split(r"(?<=[.!?])\s+", str(text)):
            if QUININE.search(part) and not FORBIDDEN.search(part):
                problems.append(part)
    return problems


def test_the_quinine_check_tells_advice_from_a_warning():
    assert (
        quinine_problems(
            ["Quinine must not be used in pregnancy: do not treat cramps yourself with quinine or tonic water."]
        )
        == []
    )
    assert quinine_problems(["Ask your doctor whether quinine could help.", "Tonic water may ease cramps."]) == [
        "Ask your doctor whether quinine could help.",
        "Tonic water may ease cramps.",
    ]


def engine_texts() -> list[str]:
    texts = []
    for rule in ALL_RULES:
        texts += [rule.when, rule.sentence] + ([rule.what] if rule.what is not None else [])
    for info in CAUSES.values():
        texts += [info.label, info.means, info.next_step]
    for info in FLAGS.values():
        texts += [info.label, *info.messages.values()]
    texts += list(URGENCY_LABELS.values())
    for source in SOURCES.values():
        texts += [source.title, source.detail]
    return [str(t) for t in texts]


def test_quinine_never_appears_in_rule_cause_or_flag_text_except_as_must_not_be_used():
    assert quinine_problems(engine_texts()) == []


@pytest.mark.parametrize("path", VIGNETTES, ids=[p.stem for p in VIGNETTES])
def test_quinine_never_appears_in_an_assessment_except_as_must_not_be_used(path):
    result = to_document(assess(diary_from_export(json.loads(path.read_text(encoding="utf-8")))))
    texts = [c["label"] for c in result["causes"]] + [t for c in result["causes"] for t in c["evidence"]]
    texts += [f["label"] for f in result["red_flags"]] + [f["message"] for f in result["red_flags"]]
    texts += [t for f in result["red_flags"] for t in f["evidence"]]
    assert quinine_problems(texts) == []


# ---------------------------------------------------------------- grading


def test_a_laba_inhaler_ranks_above_a_cold_legs_pattern():
    # cold legs before 7 of 7 cramp nights and none of 7 others: the strongest pattern there is,
    # yet cold is the article's claim only; the inhaler is the clearest drug link (Garrison 2012)
    cold = logs(14)
    cold = [DayFacts(date=d.date, cold_exposure=n < 7, exertion="light") for n, d in enumerate(cold)]
    result = run(with_profile(medications={"beta_agonist"}), cramp_days=[0, 1, 2, 3, 4, 5, 6], logs=cold)
    order = [c["code"] for c in result["causes"]]
    assert order.index("medication") < order.index("cold_exposure")
    cold_cause = next(c for c in result["causes"] if c["code"] == "cold_exposure")
    assert cold_cause["likelihood"] == "low" and cold_cause["score"] <= a.SINGLE_WEAK_RULE_CAP


def test_no_cause_while_no_cramp_is_recorded():
    profile = with_profile(medications={"beta_agonist", "statin"}, conditions={"dialysis"}, flat_feet="yes")
    assert run(profile, logs=logs(30, foods=frozenset({"eggs"}), stress=9))["causes"] == []


def test_a_deficiency_from_diet_alone_is_never_high():
    result = run(
        with_profile(pregnant=True, pregnancy_week=30, medications={"diuretic_thiazide"}),
        cramp_days=[0, 1, 2, 3, 6, 9],
        logs=logs(21, foods=frozenset({"eggs"}), stress=9),
    )
    deficiency = next(c for c in result["causes"] if c["code"] == "micronutrient_deficiency")
    assert len(deficiency["rules"]) >= 3  # diet, diuretic, pregnancy, stress: combined they would pass 0.6
    assert deficiency["likelihood"] == "moderate" and deficiency["score"] <= a.DEFICIENCY_CAP


def test_labels_inside_a_sentence_read_as_words_joined_with_and():
    result = run(
        with_profile(conditions={"kidney_disease", "dialysis"}, medications={"ace_inhibitor_or_arb"}), [1], logs(1)
    )
    with translation.override("en"):
        evidence = " ".join(e for c in result["causes"] for e in c["evidence"])
    assert re.search(r"noted (dialysis and kidney disease|kidney disease and dialysis)", evidence), evidence
    assert "Dialysis" not in evidence and "Kidney disease" not in evidence
