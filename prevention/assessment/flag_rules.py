"""The red flags: warning signs in the diary that need a doctor, and how soon (../shared/spec).

Three things keep them trustworthy:
- Soreness after a cramp is normal for up to a day (NHS; NICE CKS) and raises nothing on its own;
  it counts as "calf pain lasting more than a day" only when it is noted on two days in a row with
  no cramp in the night between.
- Recency (prevention/assessment.py): a sign last noted more than RECENT_SIGN_DAYS before the
  diary's last day gives the flag as `soon`, "if this has not been checked yet".
- Nothing is `emergency` or `urgent` from the profile alone: every such rule reads a diary sign,
  and the engine downgrades any hit without a `last_seen` day.

Every flag that can be `urgent` or `emergency` also has a `soon` message: the one shown once
its sign is old.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from prevention.assessment import facts as a
from prevention.assessment.facts import Facts, Hit
from prevention.assessment.rule_kit import Rule, dates_of, noted, pregnant_and

DVT_SIGNS = frozenset({"calf_swelling_one_side", "calf_red_or_warm", "calf_pain_lasting"})


SORENESS = "pain_after_cramp"  # normal for up to a day after a cramp


CHEST = "chest_pain_or_breathless"


NEURO_SIGNS = frozenset({"muscle_weakness", "numbness_tingling", "muscle_wasting_or_twitching"})


MUSCLE_SIGNS = frozenset(
    {"muscle_weakness", "muscle_wasting_or_twitching", "cramps_elsewhere", SORENESS, "calf_pain_lasting"}
)


SWELLING = frozenset({"leg_swelling", "calf_swelling_one_side"})


PROLONGED_SECONDS = 10 * 60  # a cramp longer than this that does not ease needs a doctor (NICE CKS)


PRE_ECLAMPSIA_FROM_WEEK = 20


NEAR_DAYS = 1  # signs "together": on the same day or the next


DARK_URINE_CRAMP_DAYS = 3  # a cramp this close to dark urine counts as "with cramps"


# Chest pain or breathlessness makes a possible clot an emergency (NHS: DVT signs "and" breathlessness
# or chest pain) when noted from the day before a calf sign to this many days after it: a clot in the
# calf can reach the lungs days later. On its own it is not a sign of a clot in the leg, and the
# app raises no blood-clot alarm for it (spec: possible_dvt is raised by the calf signs).
CHEST_AFTER_CALF_DAYS = 14


# The furthest a red flag's evidence reaches back before the sign it dates (last_seen): the
# open-warning check (services.open_alarms) reads this much more than RECENT_SIGN_DAYS.
LOOKBACK_DAYS = max(NEAR_DAYS, DARK_URINE_CRAMP_DAYS, CHEST_AFTER_CALF_DAYS)


STATINS = frozenset({"statin"})


LOW_CALCIUM_CONDITIONS = frozenset({"hypoparathyroidism"})


class FlagInfo:
    def __init__(self, label: Promise, messages: dict[str, Promise]):
        self.label = label
        self.messages = messages  # urgency -> message


URGENCY_LABELS = {
    "emergency": _("Call emergency services now"),
    "urgent": _("Seek medical care today"),
    "soon": _("Book a doctor's appointment"),
}


# The urgencies that open the warning on every page until the diary no longer supports them.
ALARM_URGENCIES = ("emergency", "urgent")


OLD_SIGN = _(
    "You noted this more than two weeks before your latest diary entry. If a doctor has not checked it yet, book an appointment; if it comes back, seek care the same day."
)


FLAGS: dict[str, FlagInfo] = {
    "possible_dvt": FlagInfo(
        _("Possible blood clot (deep-vein thrombosis)"),
        {
            "emergency": _(
                "Chest pain or breathlessness can mean a clot has reached the lungs. If you have it now, call emergency services."
            ),
            "urgent": _(
                "A swollen, red or warm calf on one side, or calf pain lasting more than a day after a cramp or coming without one, can be a blood clot. Seek medical care today. Do not stretch or massage that calf."
            ),
            "soon": _(
                "You noted signs of a possible blood clot more than two weeks before your latest diary entry. If a doctor has not checked them yet, book an appointment. If they come back, seek care the same day; with chest pain or breathlessness, call emergency services."
            ),
        },
    ),
    "prolonged_cramp": FlagInfo(
        format_lazy(_("A cramp that lasted more than {minutes} minutes"), minutes=PROLONGED_SECONDS // 60),
        {
            "urgent": format_lazy(
                _("A cramp that does not ease within {minutes} minutes needs a doctor. Seek medical care today."),
                minutes=PROLONGED_SECONDS // 60,
            ),
            "soon": OLD_SIGN,
        },
    ),
    "frequent_cramps": FlagInfo(
        _("Frequent cramps"),
        {
            "soon": _(
                "Cramps on most nights, or more and more often, should be examined by a doctor. Do not wait until they come every day."
            )
        },
    ),
    "claudication": FlagInfo(
        _("Leg pain when walking"),
        {
            "soon": _(
                "Leg pain that comes on when walking and eases with rest can be a sign of narrowed arteries. See a doctor."
            )
        },
    ),
    "neurological": FlagInfo(
        _("Weakness, numbness or twitching"),
        {
            "soon": _(
                "Muscle weakness, wasting or twitching, numbness or tingling alongside cramps should be examined by a doctor."
            )
        },
    ),
    "not_typical_cramp": FlagInfo(
        _("Maybe not a cramp"),
        {
            "soon": _(
                "An urge to move the legs that eases when you move is more like restless legs than cramp. A doctor can tell them apart."
            )
        },
    ),
    "cramps_beyond_legs": FlagInfo(
        _("Cramps in other parts of the body"),
        {"soon": _("Cramps in other parts of the body as well as the legs should be examined by a doctor.")},
    ),
    "pregnancy_warning": FlagInfo(
        _("Cramps in pregnancy with swelling or often"),
        {
            "soon": _(
                "In pregnancy, cramps with swelling of the legs, or cramps most nights, should be checked by your midwife or doctor soon."
            )
        },
    ),
    "muscle_breakdown": FlagInfo(
        _("Possible muscle damage"),
        {
            "urgent": _(
                "Dark, cola-coloured urine with muscle pain, weakness or cramps, or new muscle weakness while taking a statin, can mean muscle damage (rhabdomyolysis or statin myopathy). Seek medical care today. Do not stop a prescribed medicine on your own unless a doctor tells you to."
            ),
            "soon": OLD_SIGN,
        },
    ),
    "leg_swelling": FlagInfo(
        _("Both legs or ankles swollen"),
        {
            "soon": _(
                "Swelling of both legs or ankles can come from the heart, kidneys, liver or veins, or from a medicine such as a calcium-channel blocker. Book a doctor's appointment; if you are also short of breath, seek care today."
            )
        },
    ),
    "pre_eclampsia": FlagInfo(
        _("Possible pre-eclampsia"),
        {
            "urgent": _(
                "In pregnancy from week 20, a severe headache or changes in vision, above all with sudden swelling of the face, hands or feet, can be pre-eclampsia. Call your midwife, maternity unit or doctor now: get care today."
            ),
            "soon": _(
                "You noted swelling with a headache or changes in vision more than two weeks before your latest diary entry. If your midwife has not checked it yet, tell them now; if it comes back, get care the same day."
            ),
        },
    ),
    "low_calcium_signs": FlagInfo(
        _("Possible low calcium"),
        {
            "urgent": _(
                "Tingling around the mouth with cramps or spasms of the hands or feet can be a sign of low calcium, above all after thyroid or parathyroid surgery. Seek medical care today."
            ),
            "soon": _(
                "Tingling around the mouth together with cramps can be a sign of low calcium. If a doctor has not checked it yet, book an appointment and ask about a blood test; with spasms of the hands or feet, seek care today."
            ),
        },
    ),
    "limb_ischaemia": FlagInfo(
        _("Leg or foot pain at rest that is not a cramp, or a pale, cold foot"),
        {
            "urgent": _(
                "Pain in the leg or foot at rest, or a pale, cold foot, can mean the blood supply to the leg is seriously reduced. Seek medical care today; if the foot is suddenly cold, pale and painful, call emergency services."
            ),
            "soon": OLD_SIGN,
        },
    ),
}


def soreness_lasting(facts: Facts) -> Hit | None:
    """Soreness noted on two days in a row with no cramp between: it has lasted over a day."""
    seconds = _soreness_lasted_days(facts)
    if not seconds:
        return None
    return Hit({"dates": dates_of(seconds), "count": len(seconds)}, last_seen=seconds[-1])


def calf_sign_days(facts: Facts) -> list:
    """The days a calf sign of a possible clot was noted, lasting soreness included."""
    _seen, days = facts.symptom_days(DVT_SIGNS)
    return sorted(set(days) | set(_soreness_lasted_days(facts)))


def _soreness_lasted_days(facts: Facts) -> list:
    """The second of two days in a row with soreness and no cramp between them, in order.

    No cramp between: none in the night after the first day (a night cramp counts for the day
    before it), and none in the daytime of the second day, which would explain its soreness anew
    (a cramp not marked as in sleep counts for its own date).
    """
    return [
        d + timedelta(days=1)
        for d in sorted(facts.days)
        if SORENESS in facts.days[d].symptoms
        and d not in facts.cramps_by_day
        and SORENESS in getattr(facts.days.get(d + timedelta(days=1)), "symptoms", ())
        and not any(e.context != "sleep" for e in facts.cramps_by_day.get(d + timedelta(days=1), ()))
    ]


def chest_with_calf_signs(facts: Facts) -> Hit | None:
    """Chest pain or breathlessness from the day before a calf sign to CHEST_AFTER_CALF_DAYS after it."""
    calf = calf_sign_days(facts)
    if not calf:
        return None
    seen, chest = facts.symptom_days(frozenset({CHEST}))
    days = [d for d in chest if any(-NEAR_DAYS <= (d - c).days <= CHEST_AFTER_CALF_DAYS for c in calf)]
    if not days:
        return None
    return Hit({"symptoms": seen, "dates": dates_of(days), "count": len(days)}, last_seen=days[-1])


#: flag-prolonged's sentence when the longest cramp lasted whole minutes ("15 min", not "15 min 0 s").
PROLONGED_WHOLE_MINUTES = _("A cramp on %(dates)s lasted %(minutes)s min.")


def long_cramps(facts: Facts) -> Hit | None:
    long = [e for e in facts.diary.episodes if (e.duration_seconds or 0) > PROLONGED_SECONDS]
    if not long:
        return None
    longest = max(e.duration_seconds or 0 for e in long)
    minutes, seconds = divmod(longest, 60)
    days = sorted({e.day for e in long})
    return Hit(
        {"count": len(long), "dates": dates_of(days), "minutes": minutes, "seconds": seconds}, last_seen=days[-1]
    )


def _near(facts: Facts, day, symptoms: frozenset[str], days: int = NEAR_DAYS) -> bool:
    return any(
        facts.days[d].symptoms & symptoms
        for offset in range(-days, days + 1)
        if (d := day + timedelta(days=offset)) in facts.days
    )


def _cramp_near(facts: Facts, day, days: int) -> bool:
    return any(day + timedelta(days=offset) in facts.cramps_by_day for offset in range(-days, days + 1))


def sign_with(sign: str, test: Callable[[Facts, object], bool], when: Callable[[Facts], bool] = lambda f: True):
    """Fires on the days `sign` was noted and `test(facts, day)` holds."""

    def check(facts: Facts) -> Hit | None:
        if not when(facts):
            return None
        days = [d for d in sorted(facts.days) if sign in facts.days[d].symptoms and test(facts, d)]
        if not days:
            return None
        return Hit({"dates": dates_of(days), "count": len(days)}, last_seen=days[-1])

    return check


def _on_statin(facts: Facts) -> bool:
    return bool(facts.profile.medications & STATINS)


def _pregnancy_second_half_or_unknown(facts: Facts) -> bool:
    week = facts.profile.pregnancy_week
    return facts.profile.pregnant and (week is None or week >= PRE_ECLAMPSIA_FROM_WEEK)


def _low_calcium_history(facts: Facts) -> bool:
    return bool(facts.profile.conditions & LOW_CALCIUM_CONDITIONS)


def most_nights(facts: Facts) -> Hit | None:
    window = a.recent_window(facts)
    if window is None:
        return None
    first, last = window
    span = (last - first).days + 1
    nights = facts.cramp_nights_between(first, last)
    if nights <= span / 2:
        return None
    return Hit({"nights": nights, "span": span}, last_seen=_last_cramp_night(facts, first, last))


def more_often(facts: Facts) -> Hit | None:
    if facts.period_to is None or facts.period_from is None:
        return None
    last = facts.period_to
    recent_first = last - timedelta(days=a.RECENT_DAYS - 1)
    before_first = recent_first - timedelta(days=a.RECENT_DAYS)
    if facts.period_from > before_first:
        return None  # the diary does not cover the four weeks before
    recent = facts.cramp_nights_between(recent_first, last)
    before = facts.cramp_nights_between(before_first, recent_first - timedelta(days=1))
    if recent >= 8 and recent >= 2 * before:
        return Hit({"recent": recent, "before": before}, last_seen=_last_cramp_night(facts, recent_first, last))
    return None


def _last_cramp_night(facts: Facts, first, last):
    return max(d for d in facts.cramps_by_day if first <= d <= last)


NOTED = _("You noted %(symptoms)s on %(dates)s.")


NOTED_ON = _("You noted it on %(dates)s.")


FLAG_RULES: list[Rule] = [
    Rule(
        id="flag-dvt-signs",
        target="possible_dvt",
        when=_(
            "You noted a swollen, red or warm calf on one side, or calf pain lasting more than a day after a cramp or coming without one."
        ),
        sentence=NOTED,
        source="nhs_dvt",
        check=noted(DVT_SIGNS),
        urgency="urgent",
    ),
    Rule(
        id="flag-dvt-soreness-lasting",
        target="possible_dvt",
        when=_(
            "You noted soreness after a cramp on two days in a row with no cramp in the night between: the pain has lasted more than a day. Soreness for up to a day after a cramp is normal and raises nothing."
        ),
        sentence=_("You noted soreness on two days in a row, with no cramp in between, up to %(dates)s."),
        source="nhs_dvt",
        check=soreness_lasting,
        urgency="urgent",
    ),
    Rule(
        id="flag-dvt-chest",
        target="possible_dvt",
        when=format_lazy(
            _(
                "You noted chest pain or breathlessness from the day before a calf sign above to {days} days after it. On its own, without a calf sign, it raises no blood-clot warning here; if it is sudden or severe, call emergency services."
            ),
            days=CHEST_AFTER_CALF_DAYS,
        ),
        sentence=NOTED,
        source="nhs_dvt",
        check=chest_with_calf_signs,
        urgency="emergency",
    ),
    Rule(
        id="flag-prolonged",
        target="prolonged_cramp",
        when=format_lazy(_("A cramp lasted more than {minutes} minutes."), minutes=PROLONGED_SECONDS // 60),
        sentence=_("A cramp on %(dates)s lasted %(minutes)s min %(seconds)s s."),
        source="nice_cks",
        check=long_cramps,
        urgency="urgent",
    ),
    Rule(
        id="flag-most-nights",
        target="frequent_cramps",
        when=format_lazy(
            _("Cramps on more than half of the nights in the last {days} days of the diary (at least {span} days)."),
            days=a.RECENT_DAYS,
            span=a.MIN_SPAN_FOR_FREQUENCY,
        ),
        sentence=_("You had cramps on %(nights)s of the last %(span)s nights."),
        source="article",
        check=most_nights,
        urgency="soon",
    ),
    Rule(
        id="flag-more-often",
        target="frequent_cramps",
        when=_("8 or more cramp nights in the last 4 weeks, at least twice as many as in the 4 weeks before."),
        sentence=_("Cramp nights went from %(before)s in the four weeks before to %(recent)s in the last four weeks."),
        source="article",
        check=more_often,
        urgency="soon",
    ),
    Rule(
        id="flag-claudication",
        target="claudication",
        when=_("You noted leg pain when walking that eases with rest."),
        sentence=NOTED,
        source="aafp_2012",
        check=noted({"pain_walking_eases_rest"}),
        urgency="soon",
    ),
    Rule(
        id="flag-neurological",
        target="neurological",
        when=_("You noted muscle weakness, wasting or twitching, or numbness or tingling."),
        sentence=NOTED,
        source="nice_cks",
        check=noted(NEURO_SIGNS),
        urgency="soon",
    ),
    Rule(
        id="flag-restless-legs",
        target="not_typical_cramp",
        when=_("You noted an urge to move the legs, eased by moving."),
        sentence=NOTED,
        source="nice_cks",
        check=noted({"urge_to_move_legs"}),
        urgency="soon",
    ),
    Rule(
        id="flag-beyond-legs",
        target="cramps_beyond_legs",
        when=_("You noted cramps in other parts of the body."),
        sentence=NOTED,
        source="merck",
        check=noted({"cramps_elsewhere"}),
        urgency="soon",
    ),
    Rule(
        id="flag-pregnancy-swelling",
        target="pregnancy_warning",
        when=_("You are pregnant and noted swollen legs or a swollen calf."),
        sentence=_("You are pregnant and noted %(symptoms)s on %(dates)s."),
        source="nhs_cramps",
        check=noted(SWELLING, when=lambda f: f.profile.pregnant),
        urgency="soon",
    ),
    Rule(
        id="flag-pregnancy-frequent",
        target="pregnancy_warning",
        when=_("You are pregnant and had cramps on more than half of the recent nights."),
        sentence=_("You are pregnant and had cramps on %(nights)s of the last %(span)s nights."),
        source="nhs_cramps",
        check=pregnant_and(most_nights),
        urgency="soon",
    ),
    Rule(
        id="flag-dark-urine",
        target="muscle_breakdown",
        when=format_lazy(
            _(
                "You noted dark, cola-coloured urine on a day with muscle pain, weakness or cramps, or within {days} days of a cramp."
            ),
            days=DARK_URINE_CRAMP_DAYS,
        ),
        sentence=_("You noted dark, cola-coloured urine with muscle symptoms or cramps on %(dates)s."),
        source="merck_rhabdomyolysis",
        check=sign_with(
            "dark_urine", lambda f, d: _near(f, d, MUSCLE_SIGNS, 0) or _cramp_near(f, d, DARK_URINE_CRAMP_DAYS)
        ),
        urgency="urgent",
    ),
    Rule(
        id="flag-statin-weakness",
        target="muscle_breakdown",
        when=_("You take a statin and noted muscle weakness."),
        sentence=_("You take a statin and noted muscle weakness on %(dates)s."),
        source="nhs_statins",
        check=sign_with("muscle_weakness", lambda f, d: True, when=_on_statin),
        urgency="urgent",
    ),
    Rule(
        id="flag-leg-swelling",
        target="leg_swelling",
        when=_("You noted both legs or ankles swollen, and are not pregnant."),
        sentence=NOTED_ON,
        source="nhs_swelling",
        check=sign_with("leg_swelling", lambda f, d: True, when=lambda f: not f.profile.pregnant),
        urgency="soon",
    ),
    Rule(
        id="flag-pre-eclampsia",
        target="pre_eclampsia",
        when=format_lazy(
            _(
                "You are pregnant (week {week} or later, or the week is not given) and noted swelling together with a severe headache or changes in vision (the same or the next day)."
            ),
            week=PRE_ECLAMPSIA_FROM_WEEK,
        ),
        sentence=_("You noted a severe headache or changes in vision with swelling on %(dates)s."),
        source="nhs_pre_eclampsia",
        check=sign_with(
            "headache_or_vision_change", lambda f, d: _near(f, d, SWELLING), when=_pregnancy_second_half_or_unknown
        ),
        urgency="urgent",
    ),
    # Stricter than the contract's table (swelling *and* headache): NHS says to call a midwife at once
    # for a severe headache or vision problems from week 20 on their own (docs/assessment.md).
    Rule(
        id="flag-pre-eclampsia-headache",
        target="pre_eclampsia",
        when=format_lazy(
            _(
                "You are pregnant (week {week} or later, or the week is not given) and noted a severe headache or changes in vision, even without swelling."
            ),
            week=PRE_ECLAMPSIA_FROM_WEEK,
        ),
        sentence=_("You noted a severe headache or changes in vision on %(dates)s."),
        source="nhs_pre_eclampsia",
        check=sign_with(
            "headache_or_vision_change", lambda f, d: not _near(f, d, SWELLING), when=_pregnancy_second_half_or_unknown
        ),
        urgency="urgent",
    ),
    Rule(
        id="flag-low-calcium",
        target="low_calcium_signs",
        when=_(
            "You noted tingling around the mouth together with cramps in other parts of the body (hands, feet), or with cramps after thyroid or parathyroid surgery or with low parathyroid function."
        ),
        sentence=_("You noted tingling around the mouth with cramps on %(dates)s."),
        source="merck_hypocalcaemia",
        check=sign_with(
            "tingling_around_mouth",
            lambda f, d: (
                _near(f, d, frozenset({"cramps_elsewhere"}))
                or (_low_calcium_history(f) and _cramp_near(f, d, NEAR_DAYS))
            ),
        ),
        urgency="urgent",
    ),
    Rule(
        id="flag-mouth-tingling-cramps",
        target="low_calcium_signs",
        when=_("You noted tingling around the mouth with a leg cramp the same or the next day."),
        sentence=_("You noted tingling around the mouth with cramps on %(dates)s."),
        source="merck_hypocalcaemia",
        check=sign_with("tingling_around_mouth", lambda f, d: _cramp_near(f, d, NEAR_DAYS)),
        urgency="soon",
    ),
    Rule(
        id="flag-limb-ischaemia",
        target="limb_ischaemia",
        when=_("You noted leg or foot pain at rest that is not a cramp, or a pale, cold foot."),
        sentence=NOTED_ON,
        source="nice_pad",
        check=sign_with("pain_at_rest_or_pale_cold_foot", lambda f, d: True),
        urgency="urgent",
    ),
]
