"""Bedtime reminders by e-mail: when each is due, claiming an evening, and sending exactly once.

Exactly once per person per evening rests on the database, not on the broker:

1. Each person's next reminder is stored in UTC (`Schedule.next_send_at`, indexed) with the
   evening it is for. The dispatcher (beat, every minute) selects due rows by that index.
2. It moves a row on by compare-and-set — `filter(id=…, next_send_at=old).update(next_send_at=new)` —
   so of two dispatchers (a second beat, a retried task) only one wins the row.
3. The winner inserts the evening's `Reminder` (unique per person and evening) in the same
   transaction (one per batch of due rows), then queues the send once that has committed.
4. The send task sets the reminder from claimed to sending by compare-and-set before talking to the
   SMTP server, and to sent after. A retried or duplicated task finds it sending or sent and does
   nothing; an SMTP error sets it back to failed and the task retries with back-off.
5. A reminder still waiting whose message was lost (a broker restarted without its data, a killed
   worker) is queued again by the sweeper, which looks into the broker to tell lost from waiting.
   One that cannot go out before its evening is over (two hours after the routine's time) is
   dropped and recorded, never sent the next morning.

The window left is a connection lost, or a worker killed, after the message may have reached
the SMTP server but before "sent" is written: such a reminder is marked "unknown" rather than
risk a second e-mail. An SMTP server that answers "no" (or cannot be reached at all) took
nothing, and that is retried.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone


from prevention.models import Reminder, Schedule
from prevention.plan.schedule import reminder_at, routine_time


def next_due(
    after: datetime, weekdays, at: time, lead_minutes: int, zone: ZoneInfo, after_evening: date | None = None
) -> tuple[date, datetime] | None:
    """The first scheduled evening (after `after_evening`) whose reminder is after `after`: (evening, UTC instant)."""
    days = set(weekdays)
    if not days:
        return None
    evening = after.astimezone(zone).date() - timedelta(days=2 + lead_minutes // 1440)
    for _ in range(12 + lead_minutes // 1440):
        if evening.weekday() in days and (after_evening is None or evening > after_evening):
            instant = reminder_at(evening, at, lead_minutes, zone)
            if instant > after:
                return evening, instant
        evening += timedelta(days=1)
    return None


def _when(schedule: Schedule, profile, after: datetime, after_evening: date | None = None):
    if not schedule.reminders_on:
        return None
    at = routine_time(profile.bedtime, schedule.at)
    return next_due(after, schedule.weekdays, at, schedule.lead_minutes, profile.zone, after_evening)


def refresh_next_send(schedule: Schedule, profile, now: datetime | None = None) -> None:
    """Recompute the next reminder after a change of schedule, bedtime or zone.

    An evening already claimed is not offered again, so changing the time after tonight's
    reminder went out does not bring a second one tonight.
    """
    now = now or timezone.now()
    claimed = Reminder.objects.filter(user_id=schedule.user_id, evening__gte=now.date() - timedelta(days=2))
    last_claimed = claimed.order_by("-evening").values_list("evening", flat=True).first()
    due = _when(schedule, profile, now, last_claimed)
    schedule.next_evening, schedule.next_send_at = due if due else (None, None)
    Schedule.objects.filter(pk=schedule.pk).update(next_send_at=schedule.next_send_at, next_evening=schedule.next_evening)
