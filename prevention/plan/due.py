"""When the next bedtime reminder is due, written onto the person's next reminder.

The time maths is `schedule.next_due` (pure); this module reads the schedule and profile, leaves
out an evening already claimed, and stores the result (`NextReminder`: the instant in UTC and the
evening, the dispatcher's queue).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from diary.locking import lock_person
from diary.models import Profile
from prevention.models import NextReminder, Reminder, Schedule
from prevention.plan.schedule import LATE_AFTER, next_due, routine_time


def _when(schedule: Schedule, profile, after: datetime, after_evening: date | None = None):
    if not schedule.reminders_on:
        return None
    at = routine_time(profile.bedtime, schedule.at)
    return next_due(after, schedule.weekdays, at, schedule.lead_minutes, profile.zone, after_evening)


def refresh_next_send(user_id: int, now: datetime | None = None) -> None:
    """Recompute the person's next reminder after a change of schedule, bedtime, zone or any profile save.

    An evening already claimed is not offered again, so changing the time after tonight's
    reminder went out does not bring a second one tonight. An evening not claimed and not over
    yet (its routine less than LATE_AFTER ago, or ahead) whose reminder time has passed is due at
    once: switching reminders on at 21:40 for a 22:00 routine, moving it earlier past the
    reminder's time, or saving the profile after tonight's reminder fell due but before the
    dispatcher took it, still gives tonight's reminder.

    One refresh at a time per person, each from the schedule and the profile as the database holds
    them now, not as a caller read them: two saves at once (a profile and a schedule, or a save and
    an unsubscribe) would otherwise leave the copy computed from a row already replaced, and the
    claim reads only the copy. The account's row is the lock (it always exists; NO KEY UPDATE does
    not hold up the diary's writes that refer to it).
    """
    now = now or timezone.now()
    with transaction.atomic():
        lock_person(user_id)
        schedule = Schedule.objects.filter(user_id=user_id).first()
        if schedule is None:  # deleted (by staff): nothing to remind of until it is made again
            NextReminder.objects.filter(user_id=user_id).delete()
            return
        profile = Profile.objects.filter(user_id=user_id).first() or Profile(user_id=user_id)
        _write_next(schedule, profile, now)


def _write_next(schedule: Schedule, profile: Profile, now: datetime) -> None:
    claimed = Reminder.objects.filter(user_id=schedule.user_id, evening__gte=now.date() - timedelta(days=3))
    last_claimed = claimed.order_by("-evening").values_list("evening", flat=True).first()
    # The first evening not over: its reminder instant is after now - lead - LATE_AFTER.
    still_open = now - timedelta(minutes=schedule.lead_minutes) - LATE_AFTER
    due = _when(schedule, profile, still_open, last_claimed)
    if due and due[1] < now:
        due = (due[0], now)
    evening, send_at = due if due else (None, None)
    row = NextReminder(
        user_id=schedule.user_id,
        send_at=send_at,
        evening=evening,
        # What the evening after is computed from, when the dispatcher claims this one.
        weekdays=list(schedule.weekdays),
        at=schedule.at,
        lead_minutes=schedule.lead_minutes,
        reminders_on=schedule.reminders_on,
        zone=profile.timezone or "UTC",
        bedtime=profile.bedtime,
    )
    # One statement whether the row is there or not (an upsert on the person's key).
    NextReminder.objects.bulk_create(
        [row], update_conflicts=True, unique_fields=["user"], update_fields=[*COPIED, "send_at", "evening"]
    )


# The fields of NextReminder copied from the schedule and the profile.
COPIED = ["weekdays", "at", "lead_minutes", "reminders_on", "zone", "bedtime"]
# The schedule's fields the next reminder depends on: a save that writes none of them leaves it.
SCHEDULE_FIELDS = {"weekdays", "at", "lead_minutes", "reminders_on"}


def next_send_at(user_id: int) -> datetime | None:
    """When the person's next reminder goes out (UTC); None when none is planned."""
    return NextReminder.objects.filter(user_id=user_id).values_list("send_at", flat=True).first()
