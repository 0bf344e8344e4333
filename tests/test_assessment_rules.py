"""Each assessment rule over plain values: a diary that makes it fire, and a near miss that does not.

The near misses sit just below a threshold (6 nights with the factor, stress 6, 5.5 hours
standing, a cramp of exactly 600 s, a diary shorter than 7 days, ...), so these tests pin the
thresholds as well as the logic. No database: the engine works on plain dataclasses.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

import pytest

from prevention.assessment import facts as a
from prevention.assessment import stats
from prevention.assessment.document import diary_from_export, sentence, to_document
from prevention.assessment.engine import assess, combine, likelihood_of
from prevention.assessment.facts import Comparison, DayFacts, Diary, EpisodeFacts, Facts, Finding, Hit, ProfileFacts
from prevention.assessment.flag_rules import FLAGS
from prevention.assessment.rule_kit import SOURCES
from prevention.assessment.rules import ALL_RULES, CAUSES, FACTORS, IDIOPATHIC_RULES, RULES, RULES_BY_ID, verdicts

START = date(2026, 3, 1)
NOBODY = ProfileFacts()

# ---------------------------------------------------------------- builders


def days(n: int, start: date = START, **fields) -> list[DayFacts]:
    """`n` consecutive day logs from `start`, all with `fields`."""
    return [DayFacts(date=start + timedelta(days=i), **fields) for i in range(n)]


def cramps(on_dates, intensity: int = 5, context: str = "sleep", **fields) -> list[EpisodeFacts]:
    """One cramp on each of `on_dates` (diary days, already attributed)."""
    return [EpisodeFacts(day=d, intensity=intensity, context=context, **fields) for d in on_dates]


def diary(profile: ProfileFacts = NOBODY, episodes=(), logs=()) -> Diary:
    return Diary(profile=profile, episodes=tuple(episodes), days=tuple(logs))


def dates_of(logs) -> list[date]:
    return [d.date for d in logs]


FILLED = {"exertion": "light"}  # a day log from the form, not only the routine's tick


def comparing(
    on_factor: dict,
    hits: int,
    base: dict | None = None,
    profile: ProfileFacts = NOBODY,
    nights: int | None = None,
    logged: int = 14,
) -> Diary:
    """`logged` day logs with `base` fields; the first `hits` also have `on_factor`, and the first
    `nights` (as many as `hits` unless given) are cramp nights. The other nights never have the factor.

    With 7 and 7 the shared statistics find a pattern (Fisher p = 2/3432); with 6 nights with the
    factor there are too few to compare (stats.MIN_GROUP_NIGHTS)."""
    logs = days(logged, **(base or {}))
    for i in range(hits):
        logs[i] = replace(logs[i], **on_factor)
    return diary(profile, cramps(dates_of(logs[: hits if nights is None else nights])), logs)


def noting(*symptoms_per_day, profile: ProfileFacts = NOBODY, cramp_on: tuple[int, ...] = ()) -> Diary:
    """One day log per argument, each with those symptoms; a cramp on the days numbered in `cramp_on`."""
    logs = [DayFacts(date=START + timedelta(days=i), symptoms=frozenset(s)) for i, s in enumerate(symptoms_per_day)]
    return diary(profile, cramps([START + timedelta(days=i) for i in cramp_on]), logs)


def profile(**fields) -> Diary:
    for name in ("conditions", "medications"):
        if name in fields:
            fields[name] = frozenset(fields[name])
    return diary(ProfileFacts(**fields), cramps([START]), days(1))


BALANCED = frozenset({"dill", "fish"})  # all four elements: no diet rule fires


def idiopathic_diary(logged: int = 14, birth_year: int | None = None) -> Diary:
    return diary(ProfileFacts(birth_year=birth_year), cramps([START]), days(logged, foods=BALANCED))


def diet(without: int, logged: int = 14, unrecorded: int = 0) -> Diary:
    """`without` days with foods but none of the article's (eggs only), the rest with dill only,
    then `unrecorded` days with no food ticked (not recorded, not "ate nothing")."""
    logs = days(without, foods=frozenset({"eggs"})) + days(
        logged - without, START + timedelta(days=without), foods=frozenset({"dill"})
    )
    return diary(NOBODY, cramps([START]), logs + days(unrecorded, START + timedelta(days=logged)))


def stress_levels(*levels: int) -> Diary:
    logs = [DayFacts(date=START + timedelta(days=i), stress=s) for i, s in enumerate(levels)]
    return diary(NOBODY, cramps([START]), logs)


def contexts(effort: int, other: int) -> Diary:
    logs = days(14)
    when = [START + timedelta(days=i % 14) for i in range(effort + other)]
    episodes = cramps(when[:effort], context="exercise") + cramps(when[effort:], context="sleep")
    return diary(NOBODY, episodes, logs)


def exertion(light: int, hard: int) -> Diary:
    logs = days(light, exertion="light") + days(hard, START + timedelta(days=light), exertion="hard")
    return diary(NOBODY, cramps([START]), logs)


def nights(cramp_nights: int, logged: int, profile: ProfileFacts = NOBODY) -> Diary:
    logs = days(logged)
    return diary(profile, cramps(dates_of(logs[:cramp_nights])), logs)


def rising(recent: int, before: int) -> Diary:
    """56 logged days: `before` cramp nights in the first four weeks, `recent` in the last four."""
    logs = days(56)
    on = dates_of(logs[:28])[:before] + dates_of(logs[28:])[:recent]
    return diary(NOBODY, cramps(on), logs)


def lasting(seconds: int) -> Diary:
    return diary(NOBODY, cramps([START], duration_seconds=seconds), days(1))


PREGNANT = ProfileFacts(sex="female", pregnant=True)
NOT_PREGNANT = ProfileFacts(sex="female", pregnant=False)
FLAT = ProfileFacts(flat_feet="yes")
LIGHT = {"exertion": "light", "training_minutes": 0}

# ---------------------------------------------------------------- the table: rule id -> (fires, near miss)

CASES: dict[str, tuple] = {
    # flat feet and footwear
    "footwear-flat-feet": (lambda: profile(flat_feet="yes"), lambda: profile(flat_feet="unknown")),
    "footwear-effort-flat-feet": (
        lambda: comparing({"exertion": "moderate"}, 7, LIGHT, FLAT),
        lambda: comparing({"exertion": "moderate"}, 6, LIGHT, FLAT),  # 6 nights with it: too few to compare
    ),
    "footwear-unsuitable-shoes": (
        lambda: comparing({"footwear": "high_heels"}, 7, {"footwear": "comfortable"}),
        lambda: comparing({"footwear": "high_heels"}, 6, {"footwear": "comfortable"}),
    ),
    # the shoes are worn every day (so they alone show no pattern); effort in them comes before cramp nights
    "footwear-effort-in-unsuitable-shoes": (
        lambda: comparing({"training_minutes": 30}, 7, {**LIGHT, "footwear": "uncomfortable"}),
        lambda: comparing({"training_minutes": 29}, 7, {**LIGHT, "footwear": "uncomfortable"}),  # 29 minutes: no effort
    ),
    # pregnancy
    "pregnancy": (
        lambda: diary(PREGNANT, cramps([START]), days(1)),
        lambda: diary(NOT_PREGNANT, cramps([START]), days(1)),
    ),
    "pregnancy-second-half": (
        lambda: diary(replace(PREGNANT, pregnancy_week=20), cramps([START]), days(1)),
        lambda: diary(replace(PREGNANT, pregnancy_week=19), cramps([START]), days(1)),
    ),
    "pregnancy-anaemia": (
        lambda: diary(replace(PREGNANT, conditions=frozenset({"anaemia"})), cramps([START]), days(1)),
        lambda: diary(replace(NOT_PREGNANT, conditions=frozenset({"anaemia"})), cramps([START]), days(1)),
    ),
    # cold
    # (day logs whose form was filled in: "legs got cold" was asked)
    "cold-legs": (
        lambda: comparing({"cold_exposure": True}, 7, FILLED),
        lambda: comparing({"cold_exposure": True}, 6, FILLED),
    ),
    # minerals and vitamin B6
    "nutrients-diet": (lambda: diet(without=10), lambda: diet(without=9)),  # 70% of 14 is 9.8
    "nutrients-cramp-nights": (
        lambda: comparing({"foods": frozenset({"banana"})}, 7, {"foods": frozenset({"dill"})}),
        lambda: comparing({"foods": frozenset({"banana"})}, 6, {"foods": frozenset({"dill"})}),
    ),
    "nutrients-diuretic": (
        lambda: profile(medications={"diuretic_thiazide"}),
        lambda: profile(medications={"diuretic_potassium_sparing"}),  # does not lower potassium
    ),
    "nutrients-stress": (lambda: stress_levels(*[7] * 7, *[0] * 7), lambda: stress_levels(*[7] * 6, *[0] * 8)),
    # blood flow
    "vascular-arteries": (
        lambda: profile(conditions={"atherosclerosis"}),
        lambda: profile(conditions={"varicose_veins"}),
    ),
    "vascular-veins": (
        lambda: profile(conditions={"varicose_veins"}),
        lambda: profile(conditions={"peripheral_artery_disease"}),
    ),
    "vascular-claudication": (
        lambda: noting({"pain_walking_eases_rest"}, cramp_on=(0,)),
        lambda: noting({"leg_swelling"}, set(), cramp_on=(0,)),
    ),
    "vascular-swelling": (
        lambda: noting({"leg_swelling"}, {"leg_swelling"}, cramp_on=(0,)),
        lambda: noting({"leg_swelling"}, set(), cramp_on=(0,)),
    ),
    # stress
    "stress-cramp-nights": (
        lambda: comparing({"stress": 7}, 7, {"stress": 2}),
        lambda: comparing({"stress": 6}, 7, {"stress": 2}),
    ),
    "stress-constant": (lambda: stress_levels(*[6] * 14), lambda: stress_levels(*[6] * 13, 5)),
    # load
    "load-training": (
        lambda: comparing({"training_minutes": 90}, 7, LIGHT),
        lambda: comparing({"training_minutes": 89}, 7, LIGHT),
    ),
    "load-standing": (
        lambda: comparing({"standing_hours": 6.0}, 7, {"standing_hours": 2.0}),
        lambda: comparing({"standing_hours": 5.5}, 7, {"standing_hours": 2.0}),
    ),
    "load-cramps-during-effort": (
        lambda: contexts(effort=3, other=7),
        lambda: contexts(effort=3, other=8),
    ),  # 3 < 30% of 11
    # too little training
    "training-inactive": (lambda: exertion(light=12, hard=2), lambda: exertion(light=11, hard=3)),  # 80% of 14 is 11.2
    "training-no-exercises": (
        lambda: comparing({"exercises_done": False}, 7, {"exercises_done": True}),
        lambda: comparing({"exercises_done": False}, 6, {"exercises_done": True}),
    ),
    # medicines
    "medicine-diuretic": (lambda: profile(medications={"diuretic"}), lambda: profile(medications={"statin"})),
    "medicine-beta-agonist": (lambda: profile(medications={"beta_agonist"}), lambda: profile(medications={"diuretic"})),
    "medicine-statin": (lambda: profile(medications={"statin"}), lambda: profile(medications={"beta_agonist"})),
    "medicine-calcium-channel-blocker": (
        lambda: profile(medications={"calcium_channel_blocker"}),
        lambda: profile(medications={"ace_inhibitor_or_arb"}),
    ),
    "medicine-aafp": (lambda: profile(medications={"raloxifene"}), lambda: profile(medications={"zolpidem"})),
    "medicine-other": (
        lambda: profile(medications={"antipsychotic"}),
        lambda: profile(medications={"calcium_channel_blocker"}),
    ),
    # conditions
    "condition-kidney": (lambda: profile(conditions={"dialysis"}), lambda: profile(conditions={"liver_disease"})),
    "condition-liver": (lambda: profile(conditions={"liver_disease"}), lambda: profile(conditions={"kidney_disease"})),
    "condition-metabolic-nerves": (lambda: profile(conditions={"neuropathy"}), lambda: profile(conditions={"anaemia"})),
    "condition-heart": (lambda: profile(conditions={"heart_failure"}), lambda: profile(conditions={"varicose_veins"})),
    # fluid and salts
    "fluid-sweating": (
        lambda: comparing({"heavy_sweating": True}, 7, FILLED),
        lambda: comparing({"heavy_sweating": True}, 6, FILLED),
    ),
    "fluid-little": (
        lambda: comparing({"fluid_litres": 0.9}, 7, {"fluid_litres": 2.0}),
        lambda: comparing({"fluid_litres": 1.0}, 7, {"fluid_litres": 2.0}),
    ),
    "fluid-diuretic": (lambda: profile(medications={"diuretic"}), lambda: profile(medications={"statin"})),
    # red flags
    "flag-dvt-signs": (lambda: noting({"calf_pain_lasting"}), lambda: noting({"pain_after_cramp"}, cramp_on=(0,))),
    # soreness on two days in a row after one cramp; the near miss has a new cramp in the night between
    "flag-dvt-soreness-lasting": (
        lambda: noting(set(), {"pain_after_cramp"}, {"pain_after_cramp"}, cramp_on=(0,)),
        lambda: noting(set(), {"pain_after_cramp"}, {"pain_after_cramp"}, cramp_on=(0, 1)),
    ),
    # chest pain after a calf sign; the near miss is chest pain alone (no clot alarm for it)
    "flag-dvt-chest": (
        lambda: noting({"calf_swelling_one_side"}, {"chest_pain_or_breathless"}),
        lambda: noting({"chest_pain_or_breathless"}, {"pain_after_cramp"}, cramp_on=(1,)),
    ),
    "flag-prolonged": (lambda: lasting(601), lambda: lasting(600)),
    "flag-most-nights": (lambda: nights(4, logged=7), lambda: nights(6, logged=6)),  # 6 of 6, but under 7 days
    "flag-more-often": (lambda: rising(recent=8, before=4), lambda: rising(recent=8, before=5)),
    "flag-claudication": (lambda: noting({"pain_walking_eases_rest"}), lambda: noting({"leg_swelling"})),
    "flag-neurological": (lambda: noting({"muscle_wasting_or_twitching"}), lambda: noting({"urge_to_move_legs"})),
    "flag-restless-legs": (lambda: noting({"urge_to_move_legs"}), lambda: noting({"numbness_tingling"})),
    "flag-beyond-legs": (lambda: noting({"cramps_elsewhere"}), lambda: noting({"pain_after_cramp"})),
    "flag-pregnancy-swelling": (
        lambda: noting({"leg_swelling"}, profile=PREGNANT),
        lambda: noting({"leg_swelling"}, profile=NOT_PREGNANT),
    ),
    "flag-pregnancy-frequent": (
        lambda: nights(4, logged=7, profile=PREGNANT),
        lambda: nights(3, logged=7, profile=PREGNANT),
    ),
    "flag-dark-urine": (
        lambda: noting(set(), set(), set(), {"dark_urine"}, cramp_on=(0,)),  # 3 days after a cramp
        lambda: noting(set(), set(), set(), set(), {"dark_urine"}, cramp_on=(0,)),  # 4 days after
    ),
    "flag-statin-weakness": (
        lambda: noting({"muscle_weakness"}, profile=ProfileFacts(medications=frozenset({"statin"}))),
        lambda: noting({"muscle_weakness"}, profile=ProfileFacts(medications=frozenset({"beta_agonist"}))),
    ),
    "flag-leg-swelling": (
        lambda: noting({"leg_swelling"}, profile=NOT_PREGNANT),
        lambda: noting({"leg_swelling"}, profile=PREGNANT),
    ),
    "flag-pre-eclampsia": (
        lambda: noting({"leg_swelling"}, {"headache_or_vision_change"}, profile=replace(PREGNANT, pregnancy_week=20)),
        lambda: noting({"leg_swelling"}, {"headache_or_vision_change"}, profile=replace(PREGNANT, pregnancy_week=19)),
    ),
    "flag-pre-eclampsia-headache": (
        lambda: noting({"headache_or_vision_change"}, profile=replace(PREGNANT, pregnancy_week=30)),
        lambda: noting({"headache_or_vision_change"}, profile=replace(PREGNANT, pregnancy_week=19)),
    ),
    "flag-low-calcium": (
        lambda: noting({"tingling_around_mouth", "cramps_elsewhere"}),
        lambda: noting({"tingling_around_mouth"}, cramp_on=(0,)),  # leg cramps only: the `soon` rule below
    ),
    "flag-mouth-tingling-cramps": (
        lambda: noting({"tingling_around_mouth"}, cramp_on=(0,)),
        lambda: noting(set(), set(), {"tingling_around_mouth"}, cramp_on=(0,)),  # the cramp was two days before
    ),
    "flag-limb-ischaemia": (
        lambda: noting({"pain_at_rest_or_pale_cold_foot"}),
        lambda: noting({"pain_walking_eases_rest"}),
    ),
    # nothing specific
    "idiopathic-nothing-specific": (lambda: idiopathic_diary(14), lambda: idiopathic_diary(13)),
    "idiopathic-age": (lambda: idiopathic_diary(14, birth_year=1976), lambda: idiopathic_diary(14, birth_year=1977)),
}

# The check of this rule always hits: whether it counts is decided by assess() (14 logged days,
# a cramp, no other cause at moderate or high); its near miss is a 13-day diary.
GATED_IN_ASSESS = {"idiopathic-nothing-specific"}


def fired(result) -> set[str]:
    """Ids of every rule behind the assessment's causes and red flags."""
    return {f.rule for item in [*result.causes, *result.red_flags] for f in item.findings}


def test_every_rule_has_a_case():
    assert set(CASES) == set(RULES_BY_ID), "each rule needs a (fires, near miss) case in CASES"


@pytest.mark.parametrize("rule_id", list(CASES))
def test_rule_fires(rule_id):
    rule = RULES_BY_ID[rule_id]
    subject = CASES[rule_id][0]()
    hit = rule.check(Facts(subject))
    assert isinstance(hit, Hit)
    assert 0 < hit.strength <= 1
    assert rule_id in fired(assess(subject))


@pytest.mark.parametrize("rule_id", list(CASES))
def test_rule_stays_quiet_on_a_near_miss(rule_id):
    rule = RULES_BY_ID[rule_id]
    subject = CASES[rule_id][1]()
    if rule_id in GATED_IN_ASSESS:
        assert rule.check(Facts(subject)) is not None
    else:
        assert rule.check(Facts(subject)) is None
    assert rule_id not in fired(assess(subject))


@pytest.mark.parametrize("rule_id", list(CASES))
def test_evidence_sentence_is_filled(rule_id):
    rule = RULES_BY_ID[rule_id]
    hit = rule.check(Facts(CASES[rule_id][0]()))
    text = sentence(Finding(rule_id, hit.params))
    assert text and "%(" not in text and ")s" not in text
    assert text != str(rule.when), "the sentence fell back to the condition: its placeholders do not match the params"


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.id)
def test_rule_is_documented(rule):
    assert rule.source in SOURCES
    assert str(rule.when).strip()
    assert str(rule.sentence).strip()
    if rule.is_flag:
        assert rule.target in FLAGS
        assert rule.urgency in FLAGS[rule.target].messages
        assert rule.weight == 0
    else:
        assert rule.target in CAUSES
        assert 0 < rule.weight <= 1
    if rule.what is not None:
        assert rule.pattern


def test_poor_diet_counts_only_days_with_foods_recorded():
    rule = RULES_BY_ID["nutrients-diet"]
    assert rule.check(Facts(diet(without=10, logged=10, unrecorded=4))).params["total"] == 10  # MIN_FOOD_DAYS
    assert rule.check(Facts(diet(without=9, logged=9, unrecorded=5))) is None
    assert rule.check(Facts(diary(NOBODY, cramps([START]), days(30)))) is None  # no foods ticked at all
    assert "micronutrient_deficiency" not in [c.code for c in assess(diary(NOBODY, cramps([START]), days(30))).causes]
    # the article's foods on every recorded day: nothing rare
    assert rule.check(Facts(diary(NOBODY, (), days(14, foods=frozenset({"bran", "dairy"}))))) is None


def test_cramp_nights_without_the_articles_foods_need_a_missing_element():
    # other foods (banana, nuts) supplied every element on the cramp nights: no sign of a shortage
    rich = comparing({"foods": frozenset({"banana", "nuts"})}, 7, {"foods": frozenset({"dill"})})
    assert verdicts(Facts(rich))["no_article_foods"].verdict == "more"
    assert RULES_BY_ID["nutrients-cramp-nights"].check(Facts(rich)) is None
    hit = RULES_BY_ID["nutrients-cramp-nights"].check(Facts(CASES["nutrients-cramp-nights"][0]()))
    assert hit.nutrients == ("calcium",)


def test_swelling_in_pregnancy_is_a_pregnancy_warning_not_vascular():
    result = assess(noting({"leg_swelling"}, {"leg_swelling"}, profile=PREGNANT))
    assert "vascular-swelling" not in fired(result)
    assert "flag-pregnancy-swelling" in fired(result)
    assert "vascular" not in [c.code for c in result.causes]


def test_no_nothing_specific_beside_a_warning_sign():
    quiet = idiopathic_diary()
    assert "idiopathic" in [c.code for c in assess(quiet).causes]
    for symptom in ("leg_swelling", "numbness_tingling"):  # leg_swelling on one day raises nothing
        warned = replace(quiet, days=(replace(quiet.days[0], symptoms=frozenset({symptom})),) + quiet.days[1:])
        result = assess(warned)
        assert ("idiopathic" in [c.code for c in result.causes]) == (not result.red_flags), symptom
    long = replace(quiet, episodes=tuple(cramps([START], duration_seconds=601)))
    assert [c.code for c in assess(long).causes] == []


def test_the_two_shoe_rules_count_once_the_stronger():
    # Effort in high heels before all 7 cramp nights, and the heels only on those nights: both shoe
    # patterns fire on the same nights, but the cause counts them once, the stronger of the two.
    both = comparing({"footwear": "high_heels", "exertion": "hard"}, 7, {**LIGHT, "footwear": "comfortable"})
    assert RULES_BY_ID["footwear-unsuitable-shoes"].check(Facts(both)) is not None
    assert RULES_BY_ID["footwear-effort-in-unsuitable-shoes"].check(Facts(both)) is not None
    (cause,) = [c for c in assess(both).causes if c.code == "flat_feet_footwear"]
    assert len(cause.findings) == 1
    # one rule of a cause with limited support stays "low" (its weight alone would be 0.45)
    assert cause.score == a.SINGLE_WEAK_RULE_CAP and cause.likelihood == "low"


def test_pattern_comparison_rules_say_what_they_compare():
    from prevention.assessment.rules import COMPARED

    for rule in ALL_RULES:
        if rule.sentence is COMPARED:
            assert rule.what is not None, rule.id


# ---------------------------------------------------------------- scoring


def test_combine():
    assert combine([]) == 0
    assert combine([0.0, 0.0]) == 0
    assert combine([1.0]) == 1
    assert combine([0.5]) == pytest.approx(0.5)
    assert combine([0.5, 0.5]) == pytest.approx(0.75)
    assert combine([0.5, 0.3]) == pytest.approx(combine([0.3, 0.5])) == pytest.approx(0.65)
    assert combine([1.5]) == 1  # clamped to [0, 1]
    assert combine([-0.3, 0.2]) == pytest.approx(0.2)
    assert combine([0.9] * 50) <= 1


@pytest.mark.parametrize(
    "score, expected",
    [(0.0, "low"), (0.3499, "low"), (a.MODERATE, "moderate"), (0.5999, "moderate"), (a.HIGH, "high"), (1.0, "high")],
)
def test_likelihood_of(score, expected):
    assert likelihood_of(score) == expected


def test_likelihood_thresholds():
    assert (a.MODERATE, a.HIGH) == (0.35, 0.6)
    assert a.MODERATE < a.ARTICLE_ONLY_CAP < a.HIGH


@pytest.mark.parametrize(
    "hit, total, other_hit, other_total, verdict",
    [
        (7, 7, 0, 7, "more"),  # every night after it a cramp night, none of the 7 others: Fisher p = 2/3432
        (6, 6, 0, 8, "too_few"),  # only 6 nights with it (stats.MIN_GROUP_NIGHTS is 7)
        (0, 7, 7, 7, "fewer"),  # only on cramp-free nights
        (4, 7, 3, 7, "unclear"),  # a ratio near 1
        (7, 9, 2, 9, "unclear"),  # 7/9 against 2/9 nights: p = 0.057, could be chance
        (0, 8, 0, 8, "too_few"),  # no cramp night at all
    ],
)
def test_comparison_verdict(hit, total, other_hit, other_total, verdict):
    """The one decision (stats.judge) on a factor alone in its family, from the assessment's counts."""
    table = Comparison("cold_legs", hit, total, other_hit, other_total).table
    assert stats.judge({"cold_legs": table})["cold_legs"].verdict == verdict


def test_the_verdict_depends_on_the_family_compared():
    # 8 of 10 nights after cold against 2 of 10 without: p = 0.023, a pattern when it is the only
    # comparison, but not beside two factors that made no difference (q = 3 × 0.023 > 0.05)
    cold = Comparison("cold_legs", 8, 10, 2, 10).table
    assert stats.judge({"cold_legs": cold})["cold_legs"].verdict == "more"
    null = Comparison("x", 4, 8, 4, 8).table
    assert stats.judge({"cold_legs": cold, "a": null, "b": null})["cold_legs"].verdict == "unclear"
    # a comparison with too few nights does not count in the family
    few = Comparison("x", 2, 3, 1, 3).table
    assert stats.judge({"cold_legs": cold, "a": few, "b": few})["cold_legs"].verdict == "more"


def test_comparison_strength():
    assert Comparison("x", 3, 4, 0, 10).strength == 1.0  # gap 0.75 > FULL_GAP
    assert Comparison("x", 3, 6, 2, 10).strength == pytest.approx(0.5)  # gap 0.3 of 0.6
    assert Comparison("x", 0, 4, 4, 4).strength == 0.0


# ---------------------------------------------------------------- assess()


def test_pattern_rules_wait_for_14_days_while_profile_rules_and_red_flags_fire():
    subject = comparing(
        {"standing_hours": 8.0},
        7,
        {"standing_hours": 1.0},
        ProfileFacts(medications=frozenset({"diuretic_thiazide"})),
        logged=13,
    )
    subject = replace(
        subject, days=(*subject.days[:-1], replace(subject.days[-1], symptoms=frozenset({"numbness_tingling"})))
    )
    # 7 nights with long standing and 6 without: too few to compare (stats.MIN_GROUP_NIGHTS), and
    # 13 days are too few to judge any pattern
    assert RULES_BY_ID["load-standing"].check(Facts(subject)) is None
    result = assess(subject)
    assert "load-standing" not in fired(result)
    assert {"medicine-diuretic", "fluid-diuretic", "nutrients-diuretic", "flag-neurological"} <= fired(result)
    assert not result.sufficient_data and result.days_needed == 1 and result.patterns == []
    assert "idiopathic" not in [c.code for c in result.causes]

    longer = replace(subject, days=subject.days + (DayFacts(date=START + timedelta(days=13), standing_hours=1.0),))
    result = assess(longer)
    assert result.sufficient_data and result.days_needed == 0
    assert "load-standing" in fired(result)
    assert any(c.comparison.factor == "long_standing" and c.verdict == "more" for c in result.patterns)


@pytest.mark.parametrize("rule_id", [r.id for r in RULES if r.pattern])
def test_pattern_rule_skipped_with_13_logged_days(rule_id):
    subject = CASES[rule_id][0]()
    assert len(subject.days) == 14
    shorter = replace(subject, days=subject.days[:-1])  # the last day is never a cramp night in these cases
    assert rule_id not in fired(assess(shorter))


def test_idiopathic_needs_a_cramp_and_no_moderate_cause():
    assert "idiopathic" not in [c.code for c in assess(diary(NOBODY, (), days(20))).causes]
    blocked = replace(
        idiopathic_diary(), profile=ProfileFacts(conditions=frozenset({"atherosclerosis"}))
    )  # vascular 0.5
    codes = [c.code for c in assess(blocked).causes]
    assert codes == ["vascular"]
    low = replace(idiopathic_diary(), profile=ProfileFacts(flat_feet="yes"))  # flat feet 0.25: low
    causes = {c.code: c for c in assess(low).causes}
    assert set(causes) == {"flat_feet_footwear", "idiopathic"}
    assert causes["idiopathic"].likelihood == "low"


def test_idiopathic_score():
    result = assess(idiopathic_diary(birth_year=1950))
    (cause,) = result.causes
    assert cause.code == "idiopathic"
    assert [f.rule for f in cause.findings] == ["idiopathic-nothing-specific", "idiopathic-age"]
    assert cause.score == round(combine([0.2, 0.1]), 3)
    assert cause.findings[1].params == {"age": 76}


def article_only_at_full_strength() -> Diary:
    """Cold legs and high stress on all 7 cramp nights, none of the 7 others; mean stress above 6."""
    logs = days(7, cold_exposure=True, stress=10) + days(7, START + timedelta(days=7), stress=5)
    return diary(NOBODY, cramps(dates_of(logs[:7])), logs)


def test_article_only_causes_never_exceed_moderate():
    result = assess(article_only_at_full_strength())
    causes = {c.code: c for c in result.causes}
    assert {"cold_exposure", "stress"} <= set(causes)
    stress = causes["stress"]
    assert {f.rule for f in stress.findings} == {"stress-cramp-nights", "stress-constant"}
    assert combine([0.5, 0.3]) > a.HIGH  # uncapped it would be high
    assert stress.score == a.ARTICLE_ONLY_CAP and stress.likelihood == "moderate"
    # a single article-only rule stays "low", however strong its pattern
    assert causes["cold_exposure"].likelihood == "low" and causes["cold_exposure"].score == a.SINGLE_WEAK_RULE_CAP
    for cause in result.causes:
        if cause.evidence_base == "source_article_only":
            assert cause.score <= a.ARTICLE_ONLY_CAP and cause.likelihood != "high"
    assert {code for code, info in CAUSES.items() if info.evidence_base == "source_article_only"} == {
        "cold_exposure",
        "stress",
    }


def test_causes_sorted_by_score():
    subject = diary(
        ProfileFacts(
            flat_feet="yes",
            pregnant=True,
            pregnancy_week=30,
            conditions=frozenset({"kidney_disease", "diabetes", "varicose_veins"}),
            medications=frozenset({"diuretic", "statin"}),
        ),
        cramps([START]),
        days(1),
    )
    result = assess(subject)
    scores = [c.score for c in result.causes]
    assert len(scores) >= 6
    assert scores == sorted(scores, reverse=True)
    # ties: clinical guidance first, then the order of CAUSES
    for first, second in zip(result.causes, result.causes[1:]):
        if first.score == second.score:
            key = lambda c: (a.EVIDENCE_ORDER[c.evidence_base], list(CAUSES).index(c.code))  # noqa: E731
            assert key(first) < key(second)


def test_red_flags_sorted_by_urgency():
    logs = [
        DayFacts(date=START, symptoms=frozenset({"numbness_tingling"})),
        DayFacts(date=START + timedelta(days=1), symptoms=frozenset({"cramps_elsewhere", "calf_swelling_one_side"})),
        DayFacts(date=START + timedelta(days=2), symptoms=frozenset({"chest_pain_or_breathless"})),
    ]
    result = assess(diary(NOBODY, cramps([START], duration_seconds=900), logs))
    assert [(f.code, f.urgency) for f in result.red_flags] == [
        ("possible_dvt", "emergency"),
        ("prolonged_cramp", "urgent"),
        ("cramps_beyond_legs", "soon"),
        ("neurological", "soon"),
    ]


def test_chest_pain_alone_raises_no_blood_clot_alarm():
    # spec: possible_dvt is raised by the calf signs; chest pain makes it an emergency
    alone = assess(noting({"chest_pain_or_breathless"}, set(), {"chest_pain_or_breathless"}))
    assert [f.code for f in alone.red_flags] == []


def test_chest_pain_counts_from_the_day_before_a_calf_sign_to_two_weeks_after():
    def flag_after(gap: int):
        logs = [set() for _ in range(max(gap, 0) + 2)]
        logs[1] = {"calf_red_or_warm"}
        logs[1 + gap] = logs[1 + gap] | {"chest_pain_or_breathless"}
        return [(f.code, f.urgency) for f in assess(noting(*logs)).red_flags]

    assert flag_after(-1) == [("possible_dvt", "emergency")]
    assert flag_after(0) == [("possible_dvt", "emergency")]
    assert flag_after(14) == [("possible_dvt", "emergency")]
    # 15 days after: the calf sign is old (soon) and the chest pain is not tied to it
    assert flag_after(15) == [("possible_dvt", "soon")]


def test_possible_dvt_is_an_emergency_with_chest_pain():
    urgent = assess(noting({"calf_swelling_one_side"}))
    assert [(f.code, f.urgency) for f in urgent.red_flags] == [("possible_dvt", "urgent")]
    both = assess(noting({"calf_swelling_one_side"}, {"chest_pain_or_breathless"}))
    (flag,) = both.red_flags
    assert (flag.code, flag.urgency) == ("possible_dvt", "emergency")
    assert [f.rule for f in flag.findings] == ["flag-dvt-signs", "flag-dvt-chest"]
    doc = to_document(both)
    assert doc["red_flags"][0]["message"] == str(FLAGS["possible_dvt"].messages["emergency"])


def test_prolonged_cramp_sentence_minutes():
    hit = RULES_BY_ID["flag-prolonged"].check(Facts(lasting(900)))
    assert hit.params == {"count": 1, "dates": [START.isoformat()], "minutes": 15, "seconds": 0}
    # just over the limit reads as just over it, not as "10 minutes"
    over = RULES_BY_ID["flag-prolonged"].check(Facts(lasting(601)))
    assert sentence(Finding("flag-prolonged", over.params)).endswith("lasted 10 min 1 s.")


def test_frequency_boundary_is_more_than_half():
    assert RULES_BY_ID["flag-most-nights"].check(Facts(nights(4, logged=7))).params == {"nights": 4, "span": 7}
    assert RULES_BY_ID["flag-most-nights"].check(Facts(nights(3, logged=7))) is None
    # the window is the last 28 days: 14 cramp nights of 28 is not "most"
    old = nights(20, logged=40)
    assert RULES_BY_ID["flag-most-nights"].check(Facts(old)) is None  # days 13-40 hold 8 cramp nights


def test_more_often_needs_the_four_weeks_before():
    shorter = replace(rising(recent=8, before=0), days=rising(recent=8, before=0).days[1:])
    assert RULES_BY_ID["flag-more-often"].check(Facts(shorter)) is None
    assert RULES_BY_ID["flag-more-often"].check(Facts(rising(recent=8, before=0))) is not None


def test_empty_diary():
    result = assess(diary())
    assert result.causes == [] and result.red_flags == [] and result.period_from is None
    doc = to_document(result)
    assert "period" not in doc and doc["days_logged"] == 0 and doc["days_needed"] == a.MIN_DAYS


def test_thresholds_in_the_factors():
    # the factor definitions the near misses above rely on
    day = DayFacts(date=START, standing_hours=6.0, stress=7, fluid_litres=0.99, training_minutes=90)
    assert FACTORS["long_standing"].present(day, NOBODY)
    assert FACTORS["high_stress"].present(day, NOBODY)
    assert FACTORS["little_fluid"].present(day, NOBODY)
    assert FACTORS["hard_training"].present(day, NOBODY)
    unrecorded = DayFacts(date=START)
    for code in ("long_standing", "high_stress", "little_fluid", "hard_training"):
        assert not FACTORS[code].recorded(unrecorded)


# ---------------------------------------------------------------- night attribution, through the export


def export(episodes, logs, zone="Europe/Kyiv") -> dict:
    return {
        "format": "cramps-diary",
        "version": 1,
        "profile": {"timezone": zone},
        "episodes": [{"leg": "right", "muscle": "calf", "intensity": 6, **e} for e in episodes],
        "days": logs,
    }


def test_sleep_cramp_at_3_am_counts_for_the_previous_day():
    doc = export(
        [
            {"started_at": "2026-03-11T03:00:00+02:00", "context": "sleep"},
            {"started_at": "2026-03-12T01:00:00Z", "context": "sleep"},  # 03:00 in Kyiv
            {"started_at": "2026-03-13T03:00:00+02:00", "context": "rest"},  # awake: its own date
            {"started_at": "2026-03-14T13:00:00+02:00", "context": "sleep"},  # an afternoon nap: its own date
            {"started_at": "2026-03-15T03:00:00+02:00"},  # no context: its own date
        ],
        [],
    )
    assert [e.day for e in diary_from_export(doc).episodes] == [
        date(2026, 3, 10),
        date(2026, 3, 11),
        date(2026, 3, 13),
        date(2026, 3, 14),
        date(2026, 3, 15),
    ]


def test_attributed_cramp_nights_meet_the_evening_before():
    # Cold legs on seven evenings; each time a cramp woke the person at 03:00 the next morning.
    cold = {date(2026, 3, d) for d in (1, 3, 5, 7, 9, 11, 13)}
    logs = [
        {
            "date": (START + timedelta(days=i)).isoformat(),
            "cold_exposure": START + timedelta(days=i) in cold,
            "exertion": "light",
        }
        for i in range(14)
    ]
    episodes = [
        {
            "started_at": datetime(2026, 3, d.day + 1, 3, 0, tzinfo=timezone(timedelta(hours=2))).isoformat(),
            "context": "sleep",
        }
        for d in sorted(cold)
    ]
    subject = diary_from_export(export(episodes, logs))
    facts = Facts(subject)
    assert facts.cramp_nights == sorted(cold)
    comparison = facts.compare(FACTORS["cold_legs"])
    assert (comparison.hit, comparison.total, comparison.other_hit, comparison.other_total) == (7, 7, 0, 7)
    assert "cold-legs" in fired(assess(subject))


def test_unknown_zone_falls_back_to_utc():
    doc = export([{"started_at": "2026-03-11T01:00:00Z", "context": "sleep"}], [], zone="Mars/Olympus_Mons")
    assert diary_from_export(doc).episodes[0].day == date(2026, 3, 10)


def test_idiopathic_rules_are_separate():
    assert {r.target for r in IDIOPATHIC_RULES} == {"idiopathic"}
    assert all(r.target != "idiopathic" for r in RULES)
