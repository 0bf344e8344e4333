"""A private iCalendar (RFC 5545) feed of the bedtime routine, for phone calendars.

One recurring VEVENT in the person's own zone: DTSTART carries ``TZID=<zone>`` and
the local wall time (never UTC), so the routine stays at 22:30 on both sides of a
daylight-saving change, and the calendar app, not this server, does the DST maths.
The VTIMEZONE is included for clients that do not know IANA zone names.

The schedule's words (evening, weekdays of the evening, a routine before noon falling
on the next calendar date) are those of ``prevention.schedule``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event

from prevention.plan.schedule import _check_weekdays, occurrence_date

__all__ = ["PRODID", "build_feed"]


PRODID = "-//cramps//bedtime routine//EN"


_BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def build_feed(
    *,
    zone_name: str,
    weekdays: Iterable[int],
    at: time,
    duration_minutes: int,
    lead_minutes: int,
    start: date,
    uid: str,
    title: str,
    description: str,
    url: str = "",
    stamp: datetime | None = None,
) -> bytes:
    """The feed as iCalendar bytes (CRLF lines, UTF-8).

    ``weekdays``: the scheduled evenings' ``weekday()`` numbers (0 = Monday); empty →
    a calendar with no event. ``at``: the routine's local wall time; a time before
    noon falls on the calendar date after the evening, so DTSTART and BYDAY name that
    date and its weekday. The first occurrence is the first scheduled evening on or
    after ``start``. ``lead_minutes`` > 0 adds a display alarm that many minutes
    before. ``uid`` should be stable per person, so a re-fetched feed updates the
    event instead of adding another. ``stamp`` (DTSTAMP) defaults to now.

    Unlike ``prevention.schedule.local_occurrence``, a routine time inside a
    spring-forward gap is left to the calendar app (RFC 5545 reads it with the offset
    before the gap, e.g. 02:30 → 03:30 in New York).
    """
    zone = ZoneInfo(zone_name)  # unknown zone → ZoneInfoNotFoundError
    if at.tzinfo is not None:
        raise ValueError("`at` must be a naive wall time, not an aware time")
    if duration_minutes <= 0:
        raise ValueError("duration_minutes must be positive")
    if lead_minutes < 0:
        raise ValueError("lead_minutes must not be negative")
    days = _check_weekdays(weekdays)

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", title)
    cal.add("x-wr-timezone", zone_name)

    if days:
        evening = start
        while evening.weekday() not in days:
            evening += timedelta(days=1)
        first_day = occurrence_date(evening, at)
        shift = (first_day - evening).days  # 1 when the routine is after midnight
        dtstart = datetime.combine(first_day, at.replace(fold=0, microsecond=0), tzinfo=zone)

        event = Event()
        event.add("uid", uid)
        event.add("dtstamp", (stamp or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0))
        event.add("dtstart", dtstart)
        event.add("duration", timedelta(minutes=duration_minutes))
        if len(days) == 7:
            event.add("rrule", {"FREQ": "DAILY"})
        else:
            byday = [_BYDAY[(d + shift) % 7] for d in sorted(days)]
            event.add("rrule", {"FREQ": "WEEKLY", "BYDAY": byday})
        event.add("summary", title)
        event.add("description", description)
        if url:
            event.add("url", url)
        event.add("transp", "TRANSPARENT")  # a reminder, not a busy slot
        if lead_minutes > 0:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", title)  # required for DISPLAY alarms
            alarm.add("trigger", timedelta(minutes=-lead_minutes))
            event.add_component(alarm)
        cal.add_component(event)
        # Transitions from the year before the first occurrence onwards are enough.
        cal.add_missing_timezones(
            first_date=date(first_day.year - 1, 1, 1),
            last_date=date(max(2038, first_day.year + 12), 1, 1),
        )

    return cal.to_ical()
