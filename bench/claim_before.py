"""The claim of due reminders on PostgreSQL as it was before the set-based rewrite (kept for comparison).

bench/reminders.py --claim-only --compare times it next to prevention.reminders.dispatch.claim_due in
the same run: batches of 500 Schedule instances with select_related user__profile, ordered by
(next_send_at, id) FOR UPDATE SKIP LOCKED, `_when` per person, one UPDATE … FROM (VALUES …), then
bulk_create of the Reminder rows and a re-select of their ids. Not used by the app.
"""

from __future__ import annotations

from datetime import datetime

from django.db import connection, transaction

from prevention.models import Reminder, Schedule
from prevention.plan.due import _when
from prevention.plan.schedule import local_occurrence, routine_time
from prevention.reminders.dispatch import LATE_AFTER

BATCH = 500


def claim_due(now: datetime, batch: int = BATCH) -> list[int]:
    ids: list[int] = []
    while True:
        with transaction.atomic():
            due = list(
                Schedule.objects.filter(next_send_at__lte=now)
                .select_related("user__profile")
                .order_by("next_send_at", "id")[:batch]
                .select_for_update(skip_locked=True, of=("self",))
            )
            if not due:
                return ids
            ids += _claim(due, now)


def _claim(due: list[Schedule], now: datetime) -> list[int]:
    won = _move_on_together(due, now)
    Reminder.objects.bulk_create(won, ignore_conflicts=True)
    wanted = {(r.user_id, r.evening, r.due_at) for r in won if r.status == Reminder.Status.CLAIMED}
    if not wanted:
        return []
    recorded = Reminder.objects.filter(
        user_id__in={user_id for user_id, _, _ in wanted},
        evening__in={evening for _, evening, _ in wanted},
        status=Reminder.Status.CLAIMED,
    ).values_list("pk", "user_id", "evening", "due_at")
    return sorted(pk for pk, *key in recorded if tuple(key) in wanted)


def _reminder(schedule: Schedule, now: datetime) -> Reminder | None:
    evening, due_at = schedule.next_evening, schedule.next_send_at
    if evening is None:
        return None
    profile = schedule.user.profile
    at = routine_time(profile.bedtime, schedule.at)
    deadline = local_occurrence(evening, at, profile.zone) + LATE_AFTER
    status = Reminder.Status.CLAIMED if now <= deadline else Reminder.Status.DROPPED
    return Reminder(user_id=schedule.user_id, evening=evening, due_at=due_at, deadline=deadline, status=status)


def _move_on_together(due: list[Schedule], now: datetime) -> list[Reminder]:
    quote = connection.ops.quote_name
    table, pk = quote(Schedule._meta.db_table), quote(Schedule._meta.pk.column)
    send_at = quote(Schedule._meta.get_field("next_send_at").column)
    evening = quote(Schedule._meta.get_field("next_evening").column)
    params: list[object] = []
    for schedule in due:
        following = _when(schedule, schedule.user.profile, now, schedule.next_evening)
        new_evening, new_at = following if following else (None, None)
        params += [schedule.pk, schedule.next_send_at, new_at, new_evening]
    values = ", ".join(["(%s::bigint, %s::timestamptz, %s::timestamptz, %s::date)"] * len(due))
    sql = (
        f"UPDATE {table} AS s SET {send_at} = v.new_at, {evening} = v.new_evening "
        f"FROM (VALUES {values}) AS v(id, old_at, new_at, new_evening) "
        f"WHERE s.{pk} = v.id AND s.{send_at} = v.old_at RETURNING s.{pk}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        moved = {row[0] for row in cursor.fetchall()}
    return [reminder for schedule in due if schedule.pk in moved and (reminder := _reminder(schedule, now))]
