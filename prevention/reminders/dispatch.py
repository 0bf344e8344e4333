"""Bedtime reminders by e-mail: when each is due, claiming an evening, and sending exactly once.

Exactly once per person per evening rests on the database, not on the broker:

1. Each person's next reminder is stored in UTC (`Schedule.next_send_at`, indexed) with the
   evening it is for. The dispatcher (beat, every minute) selects due rows by that index.
2. On PostgreSQL it selects a batch `FOR UPDATE SKIP LOCKED` (rows another dispatcher holds are
   skipped, not waited for) and moves all its rows on in one `UPDATE … FROM (VALUES …)` that
   still compares `next_send_at` with the value read; on SQLite it moves a row on by
   compare-and-set — `filter(id=…, next_send_at=old).update(next_send_at=new)`. Either way, of
   two dispatchers (a second beat, a retried task, one added for capacity) only one wins a row.
3. The winner inserts the evenings' `Reminder` rows (unique per person and evening; one
   statement) in the same transaction (one per batch of due rows), then queues the sends once
   that has committed.
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

from collections.abc import Iterator
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from prevention.models import Reminder, Schedule
from prevention.plan.due import _when
from prevention.plan.schedule import local_occurrence, routine_time
from prevention.reminders.delivery import IN_BATCH

LATE_AFTER = timedelta(hours=2)  # after the routine's time, a reminder is no use: the evening is over


BATCH = 500


def claim_due(now: datetime | None = None, batch: int = BATCH) -> list[int]:
    """Claim every due evening; returns the ids of the reminders to send (dropped ones are recorded)."""
    return [reminder_id for ids in claim_batches(now, batch) for reminder_id in ids]


def claim_batches(now: datetime | None = None, batch: int = BATCH) -> Iterator[list[int]]:
    """Claim the due evenings a batch at a time, yielding each batch's reminder ids once committed.

    The dispatcher queues each batch as it comes, so workers start sending while it claims the next.
    On PostgreSQL a batch is claimed by set: its rows are selected `FOR UPDATE SKIP LOCKED`, so
    several dispatchers share the due rows without waiting for each other, and moved on in one
    statement; elsewhere (SQLite) a row at a time by compare-and-set.
    """
    now = now or timezone.now()
    if connection.vendor == "postgresql":
        yield from _claim_locked_batches(now, batch)
        return
    while True:
        due = list(_due(now, batch))
        if not due:
            return
        # One transaction per batch: a row moved on and its evening's reminder commit together
        # (a dispatcher dying in between loses nothing: the batch is claimed again next minute),
        # and a commit per batch rather than per person keeps 10,000 due in the same minute cheap.
        # Rows are locked in the order selected, so two dispatchers cannot deadlock.
        with transaction.atomic():
            ids = _claim(due, now)
        yield ids


def _due(now: datetime, batch: int):
    """The first `batch` due rows, oldest first, with the person's profile."""
    return (
        Schedule.objects.filter(next_send_at__lte=now)
        .select_related("user__profile")
        .order_by("next_send_at", "id")[:batch]
    )


def _claim_locked_batches(now: datetime, batch: int) -> Iterator[list[int]]:
    """PostgreSQL: each batch selected and locked, moved on, and its reminders inserted in one transaction.

    A row another dispatcher holds is skipped (it is that dispatcher's until it commits, and no
    longer due after), so two dispatchers never claim the same evening and never wait for each
    other. The statements per batch are the same few however many people it holds.
    """
    while True:
        with transaction.atomic():
            # OF the schedule only: the profile is on the nullable side of an outer join.
            due = list(_due(now, batch).select_for_update(skip_locked=True, of=("self",)))
            if not due:
                return
            ids = _claim(due, now)
        yield ids


def _claim(due: list[Schedule], now: datetime) -> list[int]:
    """Move the rows on (each only if still as read); record the evenings won; the ids of those to send."""
    if connection.vendor == "postgresql":
        won = _move_on_together(due, now)
    else:
        won = [reminder for reminder in (_move_on(schedule, now) for schedule in due) if reminder]
    # An evening claimed already (e.g. before a change of schedule) keeps its one reminder.
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


def _following(schedule: Schedule, now: datetime) -> tuple[date | None, datetime | None]:
    """The evening after the one due and its reminder time (UTC); (None, None) when reminders are off."""
    following = _when(schedule, schedule.user.profile, now, schedule.next_evening)
    return following if following else (None, None)


def _reminder(schedule: Schedule, now: datetime) -> Reminder | None:
    """The due evening's reminder (not saved yet): claimed, or dropped when its evening is over."""
    evening, due_at = schedule.next_evening, schedule.next_send_at
    if evening is None:
        return None
    profile = schedule.user.profile
    at = routine_time(profile.bedtime, schedule.at)
    deadline = local_occurrence(evening, at, profile.zone) + LATE_AFTER
    status = Reminder.Status.CLAIMED if now <= deadline else Reminder.Status.DROPPED
    return Reminder(user_id=schedule.user_id, evening=evening, due_at=due_at, deadline=deadline, status=status)


def _move_on(schedule: Schedule, now: datetime) -> Reminder | None:
    """The evening's reminder (not saved yet) if this dispatcher won the row, else None."""
    new_evening, new_at = _following(schedule, now)
    moved = Schedule.objects.filter(pk=schedule.pk, next_send_at=schedule.next_send_at).update(
        next_send_at=new_at, next_evening=new_evening
    )
    if moved != 1:
        return None  # another dispatcher won this row
    return _reminder(schedule, now)


def _move_on_together(due: list[Schedule], now: datetime) -> list[Reminder]:
    """PostgreSQL: every row moved on in one `UPDATE … FROM (VALUES …)`; the reminders of the rows moved.

    The next times are the same pure function's (`_when`, DST-correct). The statement keeps the
    compare-and-set (a row moves only if `next_send_at` is still the one read), so a row read
    stale is not claimed twice even without the lock.
    """
    quote = connection.ops.quote_name
    table, pk = quote(Schedule._meta.db_table), quote(Schedule._meta.pk.column)
    send_at = quote(Schedule._meta.get_field("next_send_at").column)
    evening = quote(Schedule._meta.get_field("next_evening").column)
    params: list[object] = []
    for schedule in due:
        new_evening, new_at = _following(schedule, now)
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


def _after(name: str) -> timedelta:
    """One of the sweeper's timings (settings.REMINDER_*, in seconds; see README.md's configuration)."""
    return timedelta(seconds=getattr(settings, name))


def stuck(now: datetime | None = None, held=None) -> list[int]:
    """Reminders whose send task was lost (a broker restarted without its data, a killed worker),
    still in time: queue them again.

    `held(now, stale_after)` (prevention.broker.reminders_held) tells which reminders the broker
    still holds for a worker (the ids inside each batch task's arguments). A claimed or failed
    reminder it does not hold, and that has waited REMINDER_STUCK_AFTER, is lost and queued again
    at once; one waiting in a healthy queue, however long the backlog, is never queued twice. So
    is one a batch took but never handed to the SMTP server ("sending", still marked with the
    batch's token: its worker was killed), given back by compare-and-set first, so that a worker
    still alive cannot send it too. When the broker cannot be looked into (`held` None or
    answering None), time alone decides, as before: claimed (and untried batch) ones after
    REMINDER_STUCK_BLIND_AFTER, failed ones after the longest retry countdown and a margin. The
    ones queued again are touched, so the next sweep does not queue them once more.
    """
    now = now or timezone.now()
    stale = now - _after("REMINDER_SENDING_STALE_AFTER")
    Reminder.objects.filter(status=Reminder.Status.SENDING, updated_at__lt=stale).exclude(
        error__startswith=IN_BATCH
    ).update(status=Reminder.Status.UNKNOWN, error="interrupted while sending; not sent again to avoid a second e-mail")
    late = Reminder.objects.filter(status__in=[Reminder.Status.CLAIMED, Reminder.Status.FAILED], deadline__lt=now)
    late.update(status=Reminder.Status.DROPPED)
    ids = _lost(now, held)
    if ids is None:
        _give_back(Reminder.objects.filter(updated_at__lt=now - _after("REMINDER_STUCK_BLIND_AFTER")))
        failed_after = _after("REMINDER_RETRY_MAX_SECONDS") + timedelta(minutes=2)
        lost = Reminder.objects.filter(
            Q(status=Reminder.Status.CLAIMED, updated_at__lt=now - _after("REMINDER_STUCK_BLIND_AFTER"))
            | Q(status=Reminder.Status.FAILED, updated_at__lt=now - failed_after)
        )
        ids = list(lost.values_list("pk", flat=True)[:5000])
    Reminder.objects.filter(pk__in=ids).update(updated_at=now)
    return ids


def _untried(reminders):
    """Taken by a batch, not yet handed to the SMTP server."""
    return reminders.filter(status=Reminder.Status.SENDING, error__startswith=IN_BATCH)


def _give_back(reminders) -> int:
    """Untried ones of a batch whose worker is gone: claimed again (compare-and-set on the batch's mark)."""
    return _untried(reminders).update(status=Reminder.Status.CLAIMED, error="")


def _lost(now: datetime, held) -> list[int] | None:
    """The waiting reminders the broker no longer holds; None when it cannot tell."""
    if held is None:
        return None
    stale_after = _after("REMINDER_STUCK_AFTER")
    waiting = Reminder.objects.filter(status__in=[Reminder.Status.CLAIMED, Reminder.Status.FAILED])
    old = Reminder.objects.filter(updated_at__lt=now - stale_after)
    candidates = set(waiting.filter(updated_at__lt=now - stale_after).values_list("pk", flat=True)[:5000])
    candidates |= set(_untried(old).values_list("pk", flat=True)[:5000])
    if not candidates:
        return []
    present = held(now, stale_after)
    if present is None:
        return None
    missing = candidates - present
    if missing:
        # Look once more: a message a worker is taking right now is, for an instant, in neither place.
        again = held(now, stale_after)
        if again is None:
            return None
        missing -= again
    # A batch's untried ones whose message is gone: claimed again, unless their worker took them meanwhile.
    _give_back(old.filter(pk__in=missing))
    # Still waiting: one sent meanwhile (its message just finished) is not queued again.
    return sorted(waiting.filter(pk__in=missing).values_list("pk", flat=True))
