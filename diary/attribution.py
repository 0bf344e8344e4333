"""Which diary day a cramp belongs to (docs/attribution.md).

A cramp in the night belongs to the evening before: what the person did, ate and wore
that day is what may have led to it. The rule, used everywhere in the app:

    a cramp that began during sleep (context "sleep") before 12:00 local time
    counts for the previous day's log; every other cramp counts for its own local date.
"""

from datetime import date, datetime, time, timedelta, tzinfo

# The app's three night boundaries live here, because they answer three different questions:
# - NIGHT_ENDS: until when a cramp during sleep still belongs to the evening before (late risers),
#   and until when a routine ticked "Done" is the night just passed's (routine_evening_of);
# - EVENING_ENDS: until when "today" and "tonight" still mean the evening before (a 02:00 log);
# - SLEEP_LIKELY_HOURS: when a new cramp is most likely one that woke the person (the form's default).
NIGHT_ENDS = time(12, 0)
SLEEP_LIKELY_HOURS = (22, 6)  # from 22:00 to 06:00

#: The night rule for "today" and "tonight": a moment before this local time belongs to the
#: previous date's evening (at 02:00 on Tuesday, "today's day log" is Monday's). The routine's
#: schedule (prevention.plan.schedule) uses the same boundary.
EVENING_ENDS = time(5, 0)


def evening_of(local: datetime) -> date:
    """The evening a local moment belongs to: before ``EVENING_ENDS`` it is the previous date's.

    ``local`` is read as wall time (naive, or aware in the person's zone).
    """
    if local.time() < EVENING_ENDS:
        return local.date() - timedelta(days=1)
    return local.date()


def routine_evening_of(local: datetime) -> date:
    """The evening a bedtime routine ticked "Done" at a local moment belongs to.

    Before ``NIGHT_ENDS`` it is the night just passed (the previous date's evening): routine times
    from ``EVENING_ENDS`` to noon are refused, so in the morning no evening's routine is still
    ahead, and "Done" at 05:58 on Tuesday is Monday night's routine, not Tuesday evening's, which
    has not happened. From noon on it is the day's own evening.
    """
    if local.time() < NIGHT_ENDS:
        return local.date() - timedelta(days=1)
    return local.date()


def diary_day(started_at: datetime, zone: tzinfo, context: str | None) -> date:
    """The diary day of a cramp that started at `started_at` (aware) for a person in `zone`."""
    local = started_at.astimezone(zone)
    if context == "sleep" and local.time() < NIGHT_ENDS:
        return local.date() - timedelta(days=1)
    return local.date()
