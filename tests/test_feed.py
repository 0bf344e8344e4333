"""The private iCalendar feed of the bedtime routine, parsed back and expanded."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pytest
from dateutil.rrule import rrulestr
from icalendar import Calendar

from prevention.plan.feed import PRODID, build_feed
from prevention.plan.schedule import evening_of, local_occurrence

KYIV = ZoneInfo("Europe/Kyiv")
STAMP = datetime(2026, 10, 1, 8, 0, tzinfo=UTC)


def feed(**overrides) -> bytes:
    kwargs = dict(
        zone_name="Europe/Kyiv",
        weekdays={0, 2, 4},
        at=time(22, 30),
        duration_minutes=20,
        lead_minutes=15,
        start=date(2026, 10, 17),  # a Saturday: the first Mon/Wed/Fri is 19 Oct
        uid="routine-42@cramps.example",
        title="Bedtime stretches",
        description="Calf stretch 3 × 30 s, then a glass of water; no screens.\nSleep well.",
        url="https://cramps.example/prevention/routine/",
        stamp=STAMP,
    )
    kwargs.update(overrides)
    return build_feed(**kwargs)


def parse(raw: bytes) -> Calendar:
    return Calendar.from_ical(raw)


def the_event(cal: Calendar):
    events = cal.walk("VEVENT")
    assert len(events) == 1
    return events[0]


def expand(event, until: datetime) -> list[datetime]:
    dtstart = event.decoded("DTSTART")
    rule = rrulestr(event["RRULE"].to_ical().decode(), dtstart=dtstart)
    return list(rule.between(dtstart, until, inc=True))


# ---------------------------------------------------------------- the calendar


def test_calendar_properties():
    cal = parse(feed())
    assert str(cal["PRODID"]) == PRODID == "-//cramps//bedtime routine//EN"
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["X-WR-CALNAME"]) == "Bedtime stretches"
    assert str(cal["X-WR-TIMEZONE"]) == "Europe/Kyiv"


def test_dtstart_is_local_wall_time_with_tzid_not_utc():
    raw = feed()
    event = the_event(parse(raw))
    assert event["DTSTART"].params["TZID"] == "Europe/Kyiv"
    start = event.decoded("DTSTART")
    assert start.replace(tzinfo=None) == datetime(2026, 10, 19, 22, 30)  # first Mon/Wed/Fri on/after 17 Oct
    assert start.utcoffset() == timedelta(hours=3)
    assert b"DTSTART;TZID=Europe/Kyiv:20261019T223000\r\n" in raw
    assert b"DTSTART:2026" not in raw  # never a floating or UTC start


def test_start_on_a_scheduled_evening_is_the_first_occurrence():
    event = the_event(parse(feed(start=date(2026, 10, 21))))  # a Wednesday
    assert event.decoded("DTSTART").replace(tzinfo=None) == datetime(2026, 10, 21, 22, 30)


def test_event_properties():
    event = the_event(parse(feed()))
    assert str(event["UID"]) == "routine-42@cramps.example"
    assert str(event["SUMMARY"]) == "Bedtime stretches"
    assert str(event["DESCRIPTION"]) == "Calf stretch 3 × 30 s, then a glass of water; no screens.\nSleep well."
    assert str(event["URL"]) == "https://cramps.example/prevention/routine/"
    assert event.decoded("DURATION") == timedelta(minutes=20)
    assert event.decoded("DTSTAMP") == STAMP
    assert "DTEND" not in event


def test_no_url_when_not_given():
    event = the_event(parse(feed(url="")))
    assert "URL" not in event


def test_dtstamp_defaults_to_now_in_utc():
    before = datetime.now(UTC).replace(microsecond=0)
    event = the_event(parse(feed(stamp=None)))
    stamp = event.decoded("DTSTAMP")
    assert stamp.utcoffset() == timedelta(0)
    assert before <= stamp <= datetime.now(UTC)


def test_rrule_weekly_byday():
    event = the_event(parse(feed()))
    rule = event["RRULE"]
    assert rule["FREQ"] == ["WEEKLY"]
    assert rule["BYDAY"] == ["MO", "WE", "FR"]


def test_rrule_daily_when_every_evening():
    event = the_event(parse(feed(weekdays=set(range(7)))))
    rule = event["RRULE"]
    assert rule["FREQ"] == ["DAILY"]
    assert "BYDAY" not in rule
    assert event.decoded("DTSTART").replace(tzinfo=None) == datetime(2026, 10, 17, 22, 30)


def test_a_routine_after_midnight_names_the_next_calendar_day():
    # Friday and Sunday evenings at 00:30 → Saturday and Monday 00:30.
    event = the_event(parse(feed(weekdays={4, 6}, at=time(0, 30), start=date(2026, 10, 17))))
    assert event["RRULE"]["BYDAY"] == ["SA", "MO"]
    assert event.decoded("DTSTART").replace(tzinfo=None) == datetime(2026, 10, 19, 0, 30)  # Sunday 18's
    for occurrence in expand(event, datetime(2026, 11, 30, tzinfo=KYIV)):
        assert occurrence.time() == time(0, 30)
        assert evening_of(occurrence).weekday() in {4, 6}


def test_valarm_trigger():
    raw = feed()
    alarms = the_event(parse(raw)).walk("VALARM")
    assert len(alarms) == 1
    alarm = alarms[0]
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert alarm.decoded("TRIGGER") == timedelta(minutes=-15)
    assert str(alarm["DESCRIPTION"]) == "Bedtime stretches"
    assert b"TRIGGER:-PT15M\r\n" in raw


def test_no_valarm_without_lead():
    assert the_event(parse(feed(lead_minutes=0))).walk("VALARM") == []


def test_vtimezone_present_and_matches_the_zone():
    cal = parse(feed())
    zones = cal.walk("VTIMEZONE")
    assert [str(z["TZID"]) for z in zones] == ["Europe/Kyiv"]
    zone = zones[0]
    assert zone.walk("STANDARD") and zone.walk("DAYLIGHT")
    as_tz = zone.to_tz()
    for instant in [
        datetime(2026, 10, 24, 19, 30, tzinfo=UTC),
        datetime(2026, 10, 25, 20, 30, tzinfo=UTC),
        datetime(2027, 3, 27, 20, 30, tzinfo=UTC),
        datetime(2027, 3, 28, 19, 30, tzinfo=UTC),
    ]:
        assert instant.astimezone(as_tz).utcoffset() == instant.astimezone(KYIV).utcoffset()


def test_no_weekdays_is_a_calendar_without_an_event():
    cal = parse(feed(weekdays=set()))
    assert cal.walk("VEVENT") == []
    assert str(cal["PRODID"]) == PRODID
    assert str(cal["X-WR-CALNAME"]) == "Bedtime stretches"


def test_output_is_deterministic_and_well_formed():
    raw = feed()
    assert raw == feed()
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n")
    assert raw.endswith(b"END:VCALENDAR\r\n")
    for line in raw.split(b"\r\n"):
        assert len(line) <= 75  # folded per RFC 5545 §3.1


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"zone_name": "Mars/Olympus_Mons"}, ZoneInfoNotFoundError),
        ({"duration_minutes": 0}, ValueError),
        ({"lead_minutes": -5}, ValueError),
        ({"weekdays": {7}}, ValueError),
        ({"at": time(22, 30, tzinfo=UTC)}, ValueError),
    ],
)
def test_bad_input(overrides, error):
    with pytest.raises(error):
        feed(**overrides)


# ---------------------------------------------------------------- the recurrence across DST


def test_occurrences_around_kyiv_fall_back_stay_at_2230_local():
    event = the_event(parse(feed(weekdays={4, 0})))  # Friday 23 Oct and Monday 26 Oct
    occurrences = expand(event, datetime(2026, 11, 1, tzinfo=KYIV))
    by_date = {o.date(): o for o in occurrences}
    before, after = by_date[date(2026, 10, 23)], by_date[date(2026, 10, 26)]

    assert before.time() == after.time() == time(22, 30)
    assert before.utcoffset() == timedelta(hours=3)  # EEST
    assert after.utcoffset() == timedelta(hours=2)  # EET
    assert before.utcoffset() - after.utcoffset() == timedelta(hours=1)
    assert before.astimezone(UTC).time() == time(19, 30)
    assert after.astimezone(UTC).time() == time(20, 30)


def test_daily_occurrences_on_the_change_night_are_25_hours_apart():
    event = the_event(parse(feed(weekdays=set(range(7)))))
    occurrences = expand(event, datetime(2026, 10, 27, tzinfo=KYIV))
    by_date = {o.date(): o for o in occurrences}
    saturday, sunday = by_date[date(2026, 10, 24)], by_date[date(2026, 10, 25)]
    assert saturday.time() == sunday.time() == time(22, 30)
    assert sunday.astimezone(UTC) - saturday.astimezone(UTC) == timedelta(hours=25)


@pytest.mark.parametrize(
    ("zone_name", "start", "before", "after", "offset_before", "offset_after"),
    [
        ("Europe/Kyiv", date(2026, 3, 23), date(2026, 3, 28), date(2026, 3, 29), 2, 3),
        ("America/New_York", date(2026, 3, 2), date(2026, 3, 7), date(2026, 3, 8), -5, -4),
        ("America/New_York", date(2026, 10, 26), date(2026, 10, 31), date(2026, 11, 1), -4, -5),
        ("Australia/Sydney", date(2026, 3, 30), date(2026, 4, 4), date(2026, 4, 5), 11, 10),
        ("Australia/Sydney", date(2026, 9, 28), date(2026, 10, 3), date(2026, 10, 4), 10, 11),
        ("Pacific/Chatham", date(2026, 3, 30), date(2026, 4, 4), date(2026, 4, 5), 13.75, 12.75),
        ("Asia/Kolkata", date(2026, 3, 23), date(2026, 3, 28), date(2026, 3, 29), 5.5, 5.5),
    ],
)
def test_expansion_agrees_with_the_schedule_maths(zone_name, start, before, after, offset_before, offset_after):
    zone = ZoneInfo(zone_name)
    raw = feed(zone_name=zone_name, weekdays=set(range(7)), start=start)
    cal = parse(raw)
    event = the_event(cal)
    assert event["DTSTART"].params["TZID"] == zone_name
    assert [str(z["TZID"]) for z in cal.walk("VTIMEZONE")] == [zone_name]
    occurrences = {o.date(): o for o in expand(event, datetime.combine(after + timedelta(days=2), time(), zone))}

    first, second = occurrences[before], occurrences[after]
    assert first.time() == second.time() == time(22, 30)
    assert first.utcoffset() == timedelta(hours=offset_before)
    assert second.utcoffset() == timedelta(hours=offset_after)
    for day, occurrence in occurrences.items():
        assert occurrence.astimezone(UTC) == local_occurrence(day, time(22, 30), zone).astimezone(UTC)
