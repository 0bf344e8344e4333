"""Which diary day a cramp belongs to (docs/attribution.md).

A cramp in the night belongs to the evening before: what the person did, ate and wore
that day is what may have led to it. The rule, used everywhere in the app:

    a cramp that began during sleep (context "sleep") before 12:00 local time
    counts for the previous day's log; every other cramp counts for its own local date.
"""

from datetime import date, datetime, time, timedelta, tzinfo

NIGHT_ENDS = time(12, 0)


def diary_day(started_at: datetime, zone: tzinfo, context: str | None) -> date:
    """The diary day of a cramp that started at `started_at` (aware) for a person in `zone`."""
    local = started_at.astimezone(zone)
    if context == "sleep" and local.time() < NIGHT_ENDS:
        return local.date() - timedelta(days=1)
    return local.date()
