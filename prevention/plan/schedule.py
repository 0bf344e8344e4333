"""The bedtime routine's schedule maths, in the person's own time zone.

Plain functions over dates, times and zones: no database, no Django. Instants are
stored in UTC elsewhere; everything a person sees (the evening, the routine time) is
local wall time in their zone.

Words used here:

* **evening** — the date a night belongs to. A moment before ``EVENING_ENDS`` (05:00
  local) belongs to the previous date's evening: doing the routine at 00:40 on Tuesday
  is Monday evening's routine.
* **routine time** — the local wall time the routine is done at. A time at or after
  noon is on the evening's own calendar date; a time before noon is on the next
  calendar date (a 00:30 routine is that evening's late bedtime).
* **weekdays** — ``date.weekday()`` numbers (0 = Monday … 6 = Sunday) of the
  *evening's* date, never of the calendar date a small-hours routine falls on.

Daylight-saving time, the two choices (RFC 5545 makes the same choice for an ambiguous
time; for a nonexistent one see ``local_occurrence``):

* a wall time that does not exist (the spring-forward gap) moves forward to the first
  instant that exists after the gap, i.e. the moment the clocks change (New York,
  2026-03-08: 02:30 → 03:00 EDT; Kyiv, 2026-03-29: 03:30 → 04:00 EEST);
* a wall time that exists twice (the fall-back overlap) is the first of the two
  (``fold=0``, still on summer time; New York, 2026-11-01: 01:30 EDT = 05:30 UTC).

Do arithmetic on instants in UTC: Python adds a ``timedelta`` to an aware datetime in
wall-clock time, which is off by the DST shift across a change.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from diary.attribution import EVENING_ENDS as _DIARY_EVENING_ENDS

__all__ = [
    "DEFAULT_TIME",
    "EVENING_ENDS",
    "NEXT_DAY_BEFORE",
    "WINDOW_DAYS",
    "Adherence",
    "adherence",
    "evening_of",
    "local_occurrence",
    "next_due",
    "occurrence_date",
    "reminder_at",
    "routine_time",
]


#: A moment before this local time belongs to the previous date's evening (the diary's
#: boundary, diary.attribution.EVENING_ENDS: one night rule for the whole app).
EVENING_ENDS = _DIARY_EVENING_ENDS


#: The routine time when the person has chosen none and given no bedtime.
DEFAULT_TIME = time(22, 0)


#: A routine time before this is on the calendar date after the evening's date.
NEXT_DAY_BEFORE = time(12, 0)


#: After the routine's local time, a reminder is no use: the evening is over.
LATE_AFTER = timedelta(hours=2)


#: The adherence window, in evenings (ending today).
WINDOW_DAYS = 28


_ONE_DAY = timedelta(days=1)


def evening_of(local: datetime) -> date:
    """The evening a local moment belongs to: before 05:00 it is the previous date's.

    ``local`` is read as wall time (naive, or aware in the person's zone — convert an
    instant with ``.astimezone(zone)`` first).
    """
    if local.time() < EVENING_ENDS:
        return local.date() - _ONE_DAY
    return local.date()


def routine_time(bedtime: time | None, chosen: time | None) -> time:
    """The routine's time: the one chosen, else the bedtime, else ``DEFAULT_TIME``.

    A bedtime from ``EVENING_ENDS`` to noon (after a night shift) is no evening's routine time,
    which the schedule form refuses too: ``DEFAULT_TIME`` then, until the person chooses one.
    """
    if chosen is not None:
        return chosen
    if bedtime is not None and not EVENING_ENDS <= bedtime < NEXT_DAY_BEFORE:
        return bedtime
    return DEFAULT_TIME


def occurrence_date(evening: date, at: time) -> date:
    """The calendar date the routine at ``at`` falls on for ``evening``.

    The evening's own date when ``at`` is at or after noon, else the next date (a
    00:30 routine is that evening's late bedtime).
    """
    return evening if at >= NEXT_DAY_BEFORE else evening + _ONE_DAY


def local_occurrence(evening: date, at: time, zone: ZoneInfo) -> datetime:
    """The aware local datetime (tzinfo ``zone``) of the routine at ``at`` on ``evening``.

    The calendar date is ``occurrence_date(evening, at)``. Daylight-saving edges:

    * nonexistent wall time (spring-forward gap) → the first existing instant after
      the gap, i.e. the transition itself, shown as the wall time the clocks jump to
      (New York 2026-03-08 02:30 → 03:00 EDT; Kyiv 2026-03-29 03:30 → 04:00 EEST).
      A reminder is better early-ish than an hour late, and it stays on the same
      night. (RFC 5545 would instead read such a time with the pre-gap offset, i.e.
      03:30 EDT; a calendar feed of the same routine may show that. Only routine
      times inside the gap, in the small hours, are affected.)
    * ambiguous wall time (fall-back overlap) → the first of the two instants
      (``fold=0``, the pre-transition offset), like RFC 5545.

    The result is normalised (round-tripped through UTC), so its wall time, ``fold``
    and ``utcoffset()`` always describe the instant it stands for. ``at`` must be
    naive (a wall time); its ``fold`` is ignored.
    """
    if at.tzinfo is not None:
        raise ValueError("`at` must be a naive wall time, not an aware time")
    wall = datetime.combine(occurrence_date(evening, at), at.replace(fold=0))
    first = wall.replace(tzinfo=zone, fold=0)
    instant = first.astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None, fold=0) != wall:
        # Inside a gap: zoneinfo reads fold=0 with the offset before the change, which
        # lands after the gap; fold=1 reads it with the offset after, landing before.
        instant = _gap_end(before=wall.replace(tzinfo=zone, fold=1).astimezone(UTC), after=instant, zone=zone)
    return instant.astimezone(zone)


def _gap_end(*, before: datetime, after: datetime, zone: ZoneInfo) -> datetime:
    """The first UTC instant in (before, after] whose offset is the post-gap one.

    Offsets change on whole seconds, so a bisection over seconds finds the change.
    """
    target = after.astimezone(zone).utcoffset()
    lo, hi = before, after  # offset(lo) != target, offset(hi) == target
    while hi - lo > timedelta(seconds=1):
        mid = lo + (hi - lo) / 2
        mid = mid.replace(microsecond=0)
        if mid <= lo:
            mid = lo + timedelta(seconds=1)
        if mid.astimezone(zone).utcoffset() == target:
            hi = mid
        else:
            lo = mid
    return hi


def reminder_at(evening: date, at: time, lead_minutes: int, zone: ZoneInfo) -> datetime:
    """The reminder instant, in UTC: the routine's local occurrence minus the lead.

    The lead is real elapsed time (subtracted in UTC), so a 30-minute lead is 30
    minutes even when the clocks change in between.
    """
    occurrence = local_occurrence(evening, at, zone).astimezone(UTC)
    return occurrence - timedelta(minutes=lead_minutes)


def next_due(
    after: datetime,
    weekdays: Iterable[int],
    at: time,
    lead_minutes: int,
    zone: ZoneInfo,
    after_evening: date | None = None,
) -> tuple[date, datetime] | None:
    """The next reminder: the first scheduled evening (after ``after_evening``, if given) whose
    reminder instant is strictly after ``after``, as (evening, UTC instant); ``None`` without
    evenings. The one function that says when a reminder is due (prevention/plan/due.py stores it).

    ``weekdays`` are the evenings' ``weekday()`` numbers (0 = Monday). Stateless: the zone, time
    and lead are read afresh each call, so after the person moves zone the next reminder follows
    the new zone's wall clock.
    """
    if after.tzinfo is None or after.utcoffset() is None:
        raise ValueError("`after` must be an aware datetime")
    days = _check_weekdays(weekdays)
    if not days:
        return None
    after = after.astimezone(UTC)
    here = after.astimezone(zone).date()
    # Reminder instants grow with the evening, so the first scheduled evening whose reminder is
    # after `after` is the answer. Start early enough for long leads and the small-hours routine
    # (which falls on the next calendar date).
    back = 2 + max(lead_minutes, 0) // (24 * 60)
    ahead = 9 + max(-lead_minutes, 0) // (24 * 60)
    if after_evening is not None:
        ahead += max(0, (after_evening - here).days)
    evening = here - timedelta(days=back)
    for _ in range(back + ahead + 1):
        if evening.weekday() in days and (after_evening is None or evening > after_evening):
            instant = reminder_at(evening, at, lead_minutes, zone)
            if instant > after:
                return evening, instant
        evening += _ONE_DAY
    raise AssertionError("no scheduled evening within a week")  # pragma: no cover


@dataclass(frozen=True)
class Adherence:
    """How the person keeps to the routine.

    ``streak``: consecutive scheduled evenings done, counting back from the latest one
    (tonight only when already done). ``done_last_28`` / ``scheduled_last_28``: the
    scheduled evenings done / scheduled among the 28 evenings ending today, tonight
    counted in both only when done (so the ratio is fair before bedtime).
    """

    streak: int
    done_last_28: int
    scheduled_last_28: int
    #: Any evening done at all, scheduled or not (a new account's record has not started yet).
    any_done: bool = field(default=False, compare=False)


def adherence(done: Iterable[date], weekdays: Iterable[int], today: date) -> Adherence:
    """The streak and the 28-evening record.

    ``done``: the evenings the routine was done (evening dates, see ``evening_of``);
    ``weekdays``: the scheduled evenings' ``weekday()`` numbers; ``today``: the
    current evening (``evening_of`` the local now). Unscheduled evenings are skipped:
    they neither break the streak nor add to it, done or not. Tonight, not done yet,
    does not break the streak. Evenings after ``today`` are ignored.
    """
    days = _check_weekdays(weekdays)
    done_set = {d for d in done if d <= today}

    streak = 0
    if days and done_set:
        earliest = min(done_set)
        evening = today if today in done_set else today - _ONE_DAY
        while evening >= earliest:
            if evening.weekday() in days:
                if evening not in done_set:
                    break
                streak += 1
            evening -= _ONE_DAY

    scheduled = done_count = 0
    for back in range(WINDOW_DAYS):
        evening = today - timedelta(days=back)
        if evening.weekday() not in days:
            continue
        if evening == today and evening not in done_set:
            continue
        scheduled += 1
        done_count += evening in done_set

    return Adherence(streak=streak, done_last_28=done_count, scheduled_last_28=scheduled, any_done=bool(done_set))


def _check_weekdays(weekdays: Iterable[int]) -> frozenset[int]:
    days = frozenset(weekdays)
    bad = sorted(d for d in days if not (isinstance(d, int) and 0 <= d <= 6))
    if bad:
        raise ValueError(f"weekdays must be 0 (Monday) … 6 (Sunday), got {bad}")
    return days
