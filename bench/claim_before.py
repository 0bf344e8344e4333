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
from prevention.reminders.dispatch import _reminder, record

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
    return record(_move_on_together(due, now))  # then bulk_create and a re-select, as the SQLite path still does


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
