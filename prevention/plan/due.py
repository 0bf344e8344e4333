"""When the next bedtime reminder is due, written onto the person's schedule.

The time maths is `schedule.next_due` (pure); this module reads the schedule and profile, leaves
out an evening already claimed, and stores the result (`Schedule.next_send_at`, in UTC).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone

from prevention.models import Reminder, Schedule
from prevention.plan.schedule import next_due, routine_time


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
    Schedule.objects.filter(pk=schedule.pk).update(
        next_send_at=schedule.next_send_at, next_evening=schedule.next_evening
    )
