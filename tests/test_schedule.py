"""The bedtime routine's schedule maths: evenings, local times across zones and DST, reminders, adherence.

Pure functions, no database. DST dates used (2026):
Europe/Kyiv     spring 29 Mar 03:00 EET → 04:00 EEST; fall 25 Oct 04:00 EEST → 03:00 EET
America/New_York spring 8 Mar 02:00 EST → 03:00 EDT;  fall 1 Nov 02:00 EDT → 01:00 EST
Australia/Sydney fall 5 Apr 03:00 AEDT → 02:00 AEST; spring 4 Oct 02:00 AEST → 03:00 AEDT
Pacific/Chatham  fall 5 Apr 03:45 → 02:45 (+13:45 → +12:45); spring 27 Sep 02:45 → 03:45
Asia/Kolkata     +05:30 all year
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prevention.plan.schedule import (
    DEFAULT_TIME,
    EVENING_ENDS,
    Adherence,
    adherence,
    evening_of,
    local_occurrence,
    next_due,
    occurrence_date,
    reminder_at,
    routine_time,
)
from tests.examples import examples

KYIV = ZoneInfo("Europe/Kyiv")
NEW_YORK = ZoneInfo("America/New_York")
SYDNEY = ZoneInfo("Australia/Sydney")
KOLKATA = ZoneInfo("Asia/Kolkata")
CHATHAM = ZoneInfo("Pacific/Chatham")

H = timedelta(hours=1)


def off(hours: int, minutes: int = 0) -> timedelta:
    sign = -1 if hours < 0 else 1
    return timedelta(hours=hours, minutes=sign * minutes)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def wall(dt: datetime) -> tuple[date, time]:
    return dt.date(), dt.time()


# ---------------------------------------------------------------- evening_of, routine_time


@pytest.mark.parametrize(
    ("moment", "evening"),
    [
        (datetime(2026, 5, 12, 0, 40), date(2026, 5, 11)),  # after midnight: the evening before
        (datetime(2026, 5, 12, 4, 59, 59), date(2026, 5, 11)),
        (datetime(2026, 5, 12, 5, 0), date(2026, 5, 12)),  # 05:00 starts a new day
        (datetime(2026, 5, 12, 13, 0), date(2026, 5, 12)),
        (datetime(2026, 5, 12, 22, 30), date(2026, 5, 12)),
        (datetime(2026, 5, 12, 23, 59, 59), date(2026, 5, 12)),
        (datetime(2027, 1, 1, 0, 40), date(2026, 12, 31)),  # across a year
        (datetime(2028, 3, 1, 1, 0), date(2028, 2, 29)),  # across a leap day
    ],
)
def test_evening_of(moment, evening):
    assert time(5, 0) == EVENING_ENDS
    assert evening_of(moment) == evening


def test_evening_of_reads_the_local_wall_time_of_an_aware_moment():
    instant = utc(2026, 5, 11, 21, 40)  # 00:40 in Kyiv (EEST), 17:40 in New York
    assert evening_of(instant.astimezone(KYIV)) == date(2026, 5, 11)
    assert evening_of(instant.astimezone(NEW_YORK)) == date(2026, 5, 11)
    instant = utc(2026, 5, 12, 4, 40)  # 00:40 in New York, 07:40 in Kyiv
    assert evening_of(instant.astimezone(NEW_YORK)) == date(2026, 5, 11)
    assert evening_of(instant.astimezone(KYIV)) == date(2026, 5, 12)


def test_routine_time_prefers_chosen_then_bedtime_then_default():
    assert time(22, 0) == DEFAULT_TIME
    assert routine_time(time(23, 15), time(21, 45)) == time(21, 45)
    assert routine_time(time(23, 15), None) == time(23, 15)
    assert routine_time(None, time(0, 30)) == time(0, 30)
    assert routine_time(None, None) == DEFAULT_TIME


@pytest.mark.parametrize(
    ("at", "day"),
    [
        (time(22, 30), date(2026, 5, 11)),
        (time(12, 0), date(2026, 5, 11)),
        (time(11, 59), date(2026, 5, 12)),
        (time(0, 30), date(2026, 5, 12)),
        (time(0, 0), date(2026, 5, 12)),
    ],
)
def test_occurrence_date_noon_splits_the_evening(at, day):
    assert occurrence_date(date(2026, 5, 11), at) == day


# ---------------------------------------------------------------- local_occurrence across DST

# zone, the evening before a change, the UTC offset at 22:30 that evening and the next.
CHANGES = [
    pytest.param(KYIV, date(2026, 3, 28), off(2), off(3), id="kyiv-spring-forward"),
    pytest.param(KYIV, date(2026, 10, 24), off(3), off(2), id="kyiv-fall-back"),
    pytest.param(NEW_YORK, date(2026, 3, 7), off(-5), off(-4), id="new-york-spring-forward"),
    pytest.param(NEW_YORK, date(2026, 10, 31), off(-4), off(-5), id="new-york-fall-back"),
    pytest.param(SYDNEY, date(2026, 4, 4), off(11), off(10), id="sydney-fall-back-april"),
    pytest.param(SYDNEY, date(2026, 10, 3), off(10), off(11), id="sydney-spring-forward-october"),
    pytest.param(CHATHAM, date(2026, 4, 4), off(13, 45), off(12, 45), id="chatham-fall-back"),
    pytest.param(CHATHAM, date(2026, 9, 26), off(12, 45), off(13, 45), id="chatham-spring-forward"),
    pytest.param(KOLKATA, date(2026, 3, 28), off(5, 30), off(5, 30), id="kolkata-no-dst"),
]


@pytest.mark.parametrize(("zone", "before", "offset_before", "offset_after"), CHANGES)
def test_a_2230_routine_stays_at_2230_local_on_both_sides_of_a_change(zone, before, offset_before, offset_after):
    after = before + timedelta(days=1)
    first = local_occurrence(before, time(22, 30), zone)
    second = local_occurrence(after, time(22, 30), zone)

    assert wall(first) == (before, time(22, 30))
    assert wall(second) == (after, time(22, 30))
    assert first.tzinfo is zone and second.tzinfo is zone
    assert first.utcoffset() == offset_before
    assert second.utcoffset() == offset_after
    # The UTC instant moves by the change; the elapsed time between them is not 24 h.
    assert first.astimezone(UTC).time() != second.astimezone(UTC).time() or offset_before == offset_after
    assert second.astimezone(UTC) - first.astimezone(UTC) == timedelta(days=1) - (offset_after - offset_before)


def test_2230_utc_instants_by_zone():
    evening = date(2026, 7, 1)
    assert local_occurrence(evening, time(22, 30), KYIV).astimezone(UTC) == utc(2026, 7, 1, 19, 30)
    assert local_occurrence(evening, time(22, 30), NEW_YORK).astimezone(UTC) == utc(2026, 7, 2, 2, 30)
    assert local_occurrence(evening, time(22, 30), SYDNEY).astimezone(UTC) == utc(2026, 7, 1, 12, 30)
    assert local_occurrence(evening, time(22, 30), KOLKATA).astimezone(UTC) == utc(2026, 7, 1, 17, 0)
    assert local_occurrence(evening, time(22, 30), CHATHAM).astimezone(UTC) == utc(2026, 7, 1, 9, 45)


def test_a_small_hours_routine_falls_on_the_next_calendar_date():
    at = local_occurrence(date(2026, 10, 24), time(0, 30), KYIV)  # Saturday evening's late bedtime
    assert wall(at) == (date(2026, 10, 25), time(0, 30))
    assert at.utcoffset() == off(3)  # still summer time: the change is at 04:00
    assert evening_of(at) == date(2026, 10, 24)


# Nonexistent wall times (spring-forward gap) → the first instant after the gap.
GAPS = [
    # New York 8 Mar: 02:00 EST jumps to 03:00 EDT.
    pytest.param(
        NEW_YORK,
        date(2026, 3, 7),
        time(2, 30),
        (date(2026, 3, 8), time(3, 0)),
        utc(2026, 3, 8, 7, 0),
        id="new-york-0230",
    ),
    pytest.param(
        NEW_YORK,
        date(2026, 3, 7),
        time(2, 0),
        (date(2026, 3, 8), time(3, 0)),
        utc(2026, 3, 8, 7, 0),
        id="new-york-0200",
    ),
    pytest.param(
        NEW_YORK,
        date(2026, 3, 7),
        time(2, 59, 59),
        (date(2026, 3, 8), time(3, 0)),
        utc(2026, 3, 8, 7, 0),
        id="new-york-025959",
    ),
    # Kyiv 29 Mar: 03:00 EET jumps to 04:00 EEST (02:30 exists there, see below).
    pytest.param(
        KYIV, date(2026, 3, 28), time(3, 30), (date(2026, 3, 29), time(4, 0)), utc(2026, 3, 29, 1, 0), id="kyiv-0330"
    ),
    # Sydney 4 Oct: 02:00 AEST jumps to 03:00 AEDT.
    pytest.param(
        SYDNEY,
        date(2026, 10, 3),
        time(2, 30),
        (date(2026, 10, 4), time(3, 0)),
        utc(2026, 10, 3, 16, 0),
        id="sydney-0230",
    ),
    # Chatham 27 Sep: 02:45 (+12:45) jumps to 03:45 (+13:45).
    pytest.param(
        CHATHAM,
        date(2026, 9, 26),
        time(3, 0),
        (date(2026, 9, 27), time(3, 45)),
        utc(2026, 9, 26, 14, 0),
        id="chatham-0300",
    ),
    # Lord Howe 4 Oct: a half-hour change, 02:00 (+10:30) jumps to 02:30 (+11).
    pytest.param(
        ZoneInfo("Australia/Lord_Howe"),
        date(2026, 10, 3),
        time(2, 15),
        (date(2026, 10, 4), time(2, 30)),
        utc(2026, 10, 3, 15, 30),
        id="lord-howe-0215",
    ),
    # Samoa skipped 30 Dec 2011 entirely (-10 → +14 at midnight).
    pytest.param(
        ZoneInfo("Pacific/Apia"),
        date(2011, 12, 30),
        time(22, 30),
        (date(2011, 12, 31), time(0, 0)),
        utc(2011, 12, 30, 10, 0),
        id="apia-skipped-day",
    ),
]


@pytest.mark.parametrize(("zone", "evening", "at", "expected_wall", "expected_utc"), GAPS)
def test_a_nonexistent_time_moves_to_the_end_of_the_gap(zone, evening, at, expected_wall, expected_utc):
    result = local_occurrence(evening, at, zone)
    assert wall(result) == expected_wall
    assert result.astimezone(UTC) == expected_utc
    # Normalised: the wall time shown is the one the instant really has.
    assert result.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == result.replace(tzinfo=None)


def test_the_instant_before_the_gap_end_is_on_the_old_offset():
    result = local_occurrence(date(2026, 3, 7), time(2, 30), NEW_YORK).astimezone(UTC)
    assert (result - timedelta(seconds=1)).astimezone(NEW_YORK).utcoffset() == off(-5)
    assert result.astimezone(NEW_YORK).utcoffset() == off(-4)


def test_0230_exists_in_kyiv_on_its_spring_forward_night():
    # Kyiv changes at 03:00 local, so 02:30 is an ordinary (winter-time) instant.
    result = local_occurrence(date(2026, 3, 28), time(2, 30), KYIV)
    assert wall(result) == (date(2026, 3, 29), time(2, 30))
    assert result.astimezone(UTC) == utc(2026, 3, 29, 0, 30)


# Ambiguous wall times (fall-back overlap) → the first of the two (fold=0, summer time).
OVERLAPS = [
    pytest.param(NEW_YORK, date(2026, 10, 31), time(1, 30), off(-4), utc(2026, 11, 1, 5, 30), id="new-york-0130"),
    pytest.param(KYIV, date(2026, 10, 24), time(3, 30), off(3), utc(2026, 10, 25, 0, 30), id="kyiv-0330"),
    pytest.param(SYDNEY, date(2026, 4, 4), time(2, 30), off(11), utc(2026, 4, 4, 15, 30), id="sydney-0230"),
    pytest.param(CHATHAM, date(2026, 4, 4), time(3, 0), off(13, 45), utc(2026, 4, 4, 13, 15), id="chatham-0300"),
]


@pytest.mark.parametrize(("zone", "evening", "at", "offset", "expected_utc"), OVERLAPS)
def test_an_ambiguous_time_takes_the_first_occurrence(zone, evening, at, offset, expected_utc):
    result = local_occurrence(evening, at, zone)
    assert wall(result) == (evening + timedelta(days=1), at)
    assert result.fold == 0
    assert result.utcoffset() == offset
    assert result.astimezone(UTC) == expected_utc
    second = result.replace(fold=1).astimezone(UTC)
    assert second > expected_utc  # the later reading exists and was not chosen


def test_local_occurrence_refuses_an_aware_time():
    with pytest.raises(ValueError):
        local_occurrence(date(2026, 5, 11), time(22, 30, tzinfo=UTC), KYIV)


# ---------------------------------------------------------------- reminder_at


def test_reminder_at_is_utc_and_follows_the_local_clock_across_fall_back():
    saturday = reminder_at(date(2026, 10, 24), time(22, 30), 30, KYIV)
    sunday = reminder_at(date(2026, 10, 25), time(22, 30), 30, KYIV)
    assert saturday.tzinfo is UTC and sunday.tzinfo is UTC
    assert saturday == utc(2026, 10, 24, 19, 0)  # 22:00 EEST
    assert sunday == utc(2026, 10, 25, 20, 0)  # 22:00 EET
    assert saturday.astimezone(KYIV).time() == sunday.astimezone(KYIV).time() == time(22, 0)


def test_reminder_at_new_york_spring_forward():
    saturday = reminder_at(date(2026, 3, 7), time(22, 30), 15, NEW_YORK)
    sunday = reminder_at(date(2026, 3, 8), time(22, 30), 15, NEW_YORK)
    assert saturday == utc(2026, 3, 8, 3, 15)  # 22:15 EST
    assert sunday == utc(2026, 3, 9, 2, 15)  # 22:15 EDT
    assert sunday - saturday == timedelta(hours=23)


def test_reminder_lead_is_elapsed_time_across_a_change():
    # Routine 03:30 EDT on 8 Mar (07:30 UTC); 90 real minutes earlier is 01:00 EST.
    reminder = reminder_at(date(2026, 3, 7), time(3, 30), 90, NEW_YORK)
    assert reminder == utc(2026, 3, 8, 6, 0)
    assert reminder.astimezone(NEW_YORK).time() == time(1, 0)


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        (KOLKATA, utc(2026, 1, 15, 16, 45)),  # 22:15 IST (+05:30)
        (CHATHAM, utc(2026, 1, 15, 8, 30)),  # 22:15 +13:45
        (SYDNEY, utc(2026, 1, 15, 11, 15)),  # 22:15 AEDT (southern summer)
    ],
)
def test_reminder_at_odd_offsets(zone, expected):
    assert reminder_at(date(2026, 1, 15), time(22, 30), 15, zone) == expected


def test_zero_lead_is_the_routine_itself():
    assert reminder_at(date(2026, 7, 1), time(22, 30), 0, KYIV) == local_occurrence(
        date(2026, 7, 1), time(22, 30), KYIV
    )


# ---------------------------------------------------------------- next_due (the one next-reminder function)


def next_reminder(after, weekdays, at, lead_minutes, zone):
    """The instant of the next reminder, as production computes it (prevention.plan.schedule.next_due)."""
    due = next_due(after, weekdays, at, lead_minutes, zone)
    if due is not None:
        evening, instant = due
        assert instant == reminder_at(evening, at, lead_minutes, zone) and evening.weekday() in set(weekdays)
    return due[1] if due else None


MON_WED_FRI = {0, 2, 4}


def reminders(start: datetime, count: int, **kwargs) -> list[datetime]:
    out, now = [], start
    for _ in range(count):
        now = next_reminder(now, **kwargs)
        out.append(now)
    return out


def test_next_reminder_through_a_week_across_kyiv_fall_back():
    found = reminders(utc(2026, 10, 19, 0, 0), 6, weekdays=MON_WED_FRI, at=time(22, 30), lead_minutes=30, zone=KYIV)
    assert found == [
        utc(2026, 10, 19, 19, 0),  # Mon 22:00 EEST
        utc(2026, 10, 21, 19, 0),  # Wed
        utc(2026, 10, 23, 19, 0),  # Fri
        utc(2026, 10, 26, 20, 0),  # Mon 22:00 EET: clocks went back on Sunday
        utc(2026, 10, 28, 20, 0),
        utc(2026, 10, 30, 20, 0),
    ]
    for instant in found:
        local = instant.astimezone(KYIV)
        assert local.time() == time(22, 0)
        assert local.weekday() in MON_WED_FRI


def test_next_reminder_through_a_week_across_new_york_changes():
    every_day = set(range(7))
    spring = reminders(utc(2026, 3, 6, 12, 0), 3, weekdays=every_day, at=time(22, 30), lead_minutes=0, zone=NEW_YORK)
    assert spring == [utc(2026, 3, 7, 3, 30), utc(2026, 3, 8, 3, 30), utc(2026, 3, 9, 2, 30)]
    fall = reminders(utc(2026, 10, 30, 12, 0), 3, weekdays=every_day, at=time(22, 30), lead_minutes=0, zone=NEW_YORK)
    assert fall == [utc(2026, 10, 31, 2, 30), utc(2026, 11, 1, 2, 30), utc(2026, 11, 2, 3, 30)]
    for instant in spring + fall:
        assert instant.astimezone(NEW_YORK).time() == time(22, 30)


def test_next_reminder_southern_hemisphere():
    # Sydney leaves summer time in April: 22:30 AEDT (+11) then 22:30 AEST (+10).
    found = reminders(utc(2026, 4, 4, 0, 0), 2, weekdays={5, 6}, at=time(22, 30), lead_minutes=0, zone=SYDNEY)
    assert found == [utc(2026, 4, 4, 11, 30), utc(2026, 4, 5, 12, 30)]


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        (KOLKATA, utc(2026, 6, 3, 16, 30)),  # Wed 22:00 IST
        (CHATHAM, utc(2026, 6, 3, 9, 15)),  # Wed 22:00 +12:45
    ],
)
def test_next_reminder_quarter_and_half_hour_offsets(zone, expected):
    assert next_reminder(utc(2026, 6, 2, 0, 0), {2}, time(22, 30), 30, zone) == expected


def test_next_reminder_is_strictly_after_now():
    first = next_reminder(utc(2026, 10, 19, 0, 0), MON_WED_FRI, time(22, 30), 30, KYIV)
    assert first == utc(2026, 10, 19, 19, 0)
    assert next_reminder(first, MON_WED_FRI, time(22, 30), 30, KYIV) == utc(2026, 10, 21, 19, 0)
    assert next_reminder(first - timedelta(microseconds=1), MON_WED_FRI, time(22, 30), 30, KYIV) == first


def test_a_reminder_already_past_tonight_goes_to_the_next_scheduled_evening():
    # Monday 22:10 Kyiv: tonight's 22:00 reminder has gone, the routine is still ahead.
    now = datetime(2026, 10, 19, 22, 10, tzinfo=KYIV).astimezone(UTC)
    assert next_reminder(now, MON_WED_FRI, time(22, 30), 30, KYIV) == utc(2026, 10, 21, 19, 0)


def test_next_reminder_for_a_routine_after_midnight_counts_the_evening_weekday():
    friday_evening = {4}
    at = time(0, 30)  # Friday evening's late bedtime, on Saturday's calendar date
    friday_2350 = datetime(2026, 5, 15, 23, 50, tzinfo=KYIV).astimezone(UTC)
    expected = datetime(2026, 5, 16, 0, 0, tzinfo=KYIV).astimezone(UTC)
    assert next_reminder(friday_2350, friday_evening, at, 30, KYIV) == expected
    saturday_0010 = datetime(2026, 5, 16, 0, 10, tzinfo=KYIV).astimezone(UTC)
    assert next_reminder(saturday_0010, friday_evening, at, 30, KYIV) == expected + timedelta(weeks=1)
    # A "Saturday" schedule is Saturday evening's, i.e. Sunday 00:30.
    assert next_reminder(friday_2350, {5}, at, 30, KYIV) == datetime(2026, 5, 17, 0, 0, tzinfo=KYIV).astimezone(UTC)


def test_next_reminder_with_a_lead_longer_than_a_day():
    found = next_reminder(utc(2026, 6, 1, 12, 0), {3}, time(22, 0), 36 * 60, KYIV)  # Thursday evening
    assert found == datetime(2026, 6, 3, 10, 0, tzinfo=KYIV).astimezone(UTC)


def test_zone_change_moves_the_utc_instant():
    now = utc(2026, 6, 1, 0, 0)  # a Monday
    in_kyiv = next_reminder(now, MON_WED_FRI, time(22, 30), 30, KYIV)
    in_new_york = next_reminder(now, MON_WED_FRI, time(22, 30), 30, NEW_YORK)
    in_kolkata = next_reminder(now, MON_WED_FRI, time(22, 30), 30, KOLKATA)
    assert in_kyiv == utc(2026, 6, 1, 19, 0)
    assert in_new_york == utc(2026, 6, 2, 2, 0)
    assert in_kolkata == utc(2026, 6, 1, 16, 30)
    assert len({in_kyiv, in_new_york, in_kolkata}) == 3
    for instant, zone in [(in_kyiv, KYIV), (in_new_york, NEW_YORK), (in_kolkata, KOLKATA)]:
        assert instant.astimezone(zone).time() == time(22, 0)


def test_after_moving_west_the_next_reminder_follows_the_new_zone():
    # Reminded in Kyiv on Monday evening, then the zone changes to New York: the next
    # reminder is by New York's clock (Monday 22:00 there is still ahead).
    sent = next_reminder(utc(2026, 6, 1, 0, 0), MON_WED_FRI, time(22, 30), 30, KYIV)
    following = next_reminder(sent, MON_WED_FRI, time(22, 30), 30, NEW_YORK)
    assert following == utc(2026, 6, 2, 2, 0)
    assert following.astimezone(NEW_YORK) == datetime(2026, 6, 1, 22, 0, tzinfo=NEW_YORK)


def test_next_reminder_empty_weekdays_is_none():
    assert next_reminder(utc(2026, 6, 1, 0, 0), set(), time(22, 30), 30, KYIV) is None


def test_next_reminder_accepts_any_aware_now():
    now_utc = utc(2026, 6, 1, 0, 0)
    assert next_reminder(now_utc.astimezone(SYDNEY), {0}, time(22, 30), 0, KYIV) == next_reminder(
        now_utc, {0}, time(22, 30), 0, KYIV
    )


def test_next_reminder_refuses_naive_now_and_bad_weekdays():
    with pytest.raises(ValueError):
        next_reminder(datetime(2026, 6, 1), {0}, time(22, 30), 30, KYIV)
    with pytest.raises(ValueError):
        next_reminder(utc(2026, 6, 1), {7}, time(22, 30), 30, KYIV)


ZONES = [KYIV, NEW_YORK, SYDNEY, KOLKATA, CHATHAM]


@settings(max_examples=examples(300), deadline=None)
@given(
    now=st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(UTC)),
    weekdays=st.sets(st.integers(0, 6), min_size=1),
    at=st.times().map(lambda t: t.replace(second=0, microsecond=0)),
    lead=st.integers(0, 180),
    zone=st.sampled_from(ZONES),
)
def test_next_reminder_is_the_earliest_scheduled_reminder_after_now(now, weekdays, at, lead, zone):
    found = next_reminder(now, weekdays, at, lead, zone)
    here = now.astimezone(zone).date()
    candidates = [
        reminder_at(evening, at, lead, zone)
        for offset in range(-3, 10)
        if (evening := here + timedelta(days=offset)).weekday() in weekdays
    ]
    assert found == min(c for c in candidates if c > now)
    assert found - now <= timedelta(days=8)


# ---------------------------------------------------------------- adherence

TODAY = date(2026, 11, 25)  # a Wednesday
EVERY_DAY = set(range(7))


def days_back(*offsets: int) -> set[date]:
    return {TODAY - timedelta(days=n) for n in offsets}


def test_adherence_nothing_done():
    assert adherence(set(), EVERY_DAY, TODAY) == Adherence(streak=0, done_last_28=0, scheduled_last_28=27)


def test_adherence_streak_including_tonight():
    result = adherence(days_back(0, 1, 2, 3, 4), EVERY_DAY, TODAY)
    assert result == Adherence(streak=5, done_last_28=5, scheduled_last_28=28)


def test_tonight_not_done_yet_does_not_break_the_streak():
    result = adherence(days_back(1, 2, 3), EVERY_DAY, TODAY)
    assert result == Adherence(streak=3, done_last_28=3, scheduled_last_28=27)


def test_a_missed_evening_breaks_the_streak():
    assert adherence(days_back(0, 1, 3, 4, 5), EVERY_DAY, TODAY).streak == 2
    # Yesterday missed and tonight not done yet: no streak.
    assert adherence(days_back(2, 3, 4), EVERY_DAY, TODAY).streak == 0


def test_unscheduled_evenings_neither_break_nor_add():
    # Mon/Wed/Fri only. Today is Wednesday.
    done = {date(2026, 11, 23), date(2026, 11, 20), date(2026, 11, 18), date(2026, 11, 16)}  # Mon Fri Wed Mon
    done |= {date(2026, 11, 22)}  # an extra Sunday: not scheduled, not counted
    result = adherence(done, MON_WED_FRI, TODAY)
    assert result.streak == 4  # tonight (Wed) not done yet; Mon, Fri, Wed, Mon
    assert result.done_last_28 == 4
    # Evenings 29 Oct (a Thursday) … 24 Nov, tonight excluded: 11 Mon/Wed/Fri.
    assert result.scheduled_last_28 == 11
    # Then done tonight too:
    result = adherence(done | {TODAY}, MON_WED_FRI, TODAY)
    assert result == Adherence(streak=5, done_last_28=5, scheduled_last_28=12)
    # A gap on Friday 13 Nov stops the count there.
    older = {date(2026, 11, 11), date(2026, 11, 9)}
    assert adherence(done | older, MON_WED_FRI, TODAY).streak == 4


def test_streak_counted_on_an_unscheduled_day():
    sunday = date(2026, 11, 29)
    done = {date(2026, 11, 27), date(2026, 11, 25), date(2026, 11, 23)}  # Fri Wed Mon
    assert adherence(done, MON_WED_FRI, sunday).streak == 3
    assert adherence(done | {sunday}, MON_WED_FRI, sunday).streak == 3


def test_streak_goes_back_beyond_28_evenings():
    done = {TODAY - timedelta(days=n) for n in range(60)}
    result = adherence(done, EVERY_DAY, TODAY)
    assert result == Adherence(streak=60, done_last_28=28, scheduled_last_28=28)


def test_window_is_the_28_evenings_ending_today():
    result = adherence(days_back(27, 28), EVERY_DAY, TODAY)
    assert result.done_last_28 == 1  # 27 evenings ago is in, 28 is out
    assert result.streak == 0


def test_done_on_an_unscheduled_evening_is_not_counted():
    result = adherence({date(2026, 11, 22), TODAY - timedelta(days=1)}, {2}, TODAY)  # Wednesdays only
    assert result.done_last_28 == 0
    assert result.scheduled_last_28 == 3  # 4, 11, 18 Nov (tonight not done)
    assert result.streak == 0  # last Wednesday (18 Nov) not done


def test_future_evenings_are_ignored():
    result = adherence(days_back(0, -1, -2), EVERY_DAY, TODAY)
    assert result == Adherence(streak=1, done_last_28=1, scheduled_last_28=28)


def test_no_schedule():
    assert adherence(days_back(0, 1, 2), set(), TODAY) == Adherence(0, 0, 0)


def test_adherence_is_frozen():
    result = adherence(set(), EVERY_DAY, TODAY)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.streak = 3  # type: ignore[misc]


@settings(max_examples=examples(200), deadline=None)
@given(
    offsets=st.sets(st.integers(-3, 60)),
    weekdays=st.sets(st.integers(0, 6)),
)
def test_adherence_invariants(offsets, weekdays):
    done = {TODAY - timedelta(days=n) for n in offsets}
    result = adherence(done, weekdays, TODAY)
    assert 0 <= result.done_last_28 <= result.scheduled_last_28 <= 28
    assert result.streak <= len([d for d in done if d <= TODAY and d.weekday() in weekdays])
    # Doing tonight never lowers anything.
    tonight = adherence(done | {TODAY}, weekdays, TODAY)
    assert tonight.streak >= result.streak
    assert tonight.done_last_28 >= result.done_last_28
