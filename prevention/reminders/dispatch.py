"""Bedtime reminders by e-mail: when each is due, claiming an evening, and sending exactly once.

Exactly once per person per evening rests on the database, not on the broker:

1. Each person's next reminder is stored in UTC (`NextReminder.send_at`, indexed) with the
   evening it is for, in a narrow row of its own. The dispatcher (beat, every minute) selects due
   rows by that index.
2. On PostgreSQL it selects a batch `FOR UPDATE SKIP LOCKED` (rows another dispatcher holds are
   skipped, not waited for) and moves all its rows on in one `UPDATE` that still compares
   `send_at` with the value read; on SQLite it moves a row on by compare-and-set —
   `filter(user_id=…, send_at=old).update(send_at=new)`. Either way, of two dispatchers
   (a second beat, a retried task, one added for capacity) only one wins a row.
3. The winner inserts the evenings' `Reminder` rows (unique per person and evening; on
   PostgreSQL in the same statement as the `UPDATE`, from the rows it moved) in the same
   transaction (one per batch of due rows), then queues the sends once that has committed: one
   `send_reminder_batch` task per REMINDER_SEND_BATCH reminders.
4. The send task (`delivery.deliver_batch`) takes its reminders from claimed to sending in one
   compare-and-set, marked with the batch's token, and sends only those, over one SMTP
   connection; each is recorded sent in the statement that takes the next one in flight, so at
   most one is ever in doubt. A retried or duplicated task finds them sending or sent and does
   nothing; a refusal sets that one back to failed and the task retries it with back-off.
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

import json
from collections.abc import Iterator, Sequence
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from types import SimpleNamespace
from typing import NamedTuple, cast

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from diary.models import Profile
from prevention.models import NextReminder, Reminder
from prevention.plan.due import _when
from prevention.plan.schedule import LATE_AFTER, local_occurrence, routine_time
from prevention.reminders.delivery import IN_BATCH, SERVER_MARK, server_mark


def claim_due(now: datetime | None = None, batch: int | None = None) -> list[int]:
    """Claim every due evening; returns the ids of the reminders to send (dropped ones are recorded)."""
    return [reminder_id for ids in claim_batches(now, batch) for reminder_id in ids]


def claim_batches(now: datetime | None = None, batch: int | None = None) -> Iterator[list[int]]:
    """Claim the due evenings a batch at a time, yielding each batch's reminder ids once committed.

    The dispatcher queues each batch as it comes, so workers start sending while it claims the next.
    On PostgreSQL a batch is claimed by set: its rows are selected `FOR UPDATE SKIP LOCKED`, so
    several dispatchers share the due rows without waiting for each other, then moved on and their
    reminders inserted in one statement; elsewhere (SQLite) a row at a time by compare-and-set.
    `batch` defaults to settings.REMINDER_CLAIM_BATCH.
    """
    now = now or timezone.now()
    batch = batch or settings.REMINDER_CLAIM_BATCH
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
    """SQLite: the first `batch` due rows, oldest first."""
    return NextReminder.objects.filter(send_at__lte=now).order_by("send_at", "user_id")[:batch]


class Due(NamedTuple):
    """What claiming one due row needs, read as plain values (no model instances: 100,000 due is
    100,000 rows, and building a Schedule, a User and a Profile for each cost more than the rest)."""

    user_id: int
    send_at: str  # as PostgreSQL writes it, passed back as read for the compare-and-set (no parsing)
    evening: date | None
    at: time | None
    weekdays: str  # the JSON text, as stored: hashable, parsed once per distinct value
    lead_minutes: int
    reminders_on: bool
    bedtime: time | None
    zone: str


def _claim_locked_batches(now: datetime, batch: int) -> Iterator[list[int]]:
    """PostgreSQL: each batch selected and locked, then moved on with its reminders inserted, in one transaction.

    A row another dispatcher holds is skipped (it is that dispatcher's until it commits, and no
    longer due after), so two dispatchers never claim the same evening and never wait for each
    other. Two statements per batch however many people it holds.

    The batch's commit does not wait for its write-ahead log to reach the disk (`synchronous_commit
    off` for this transaction alone: a quarter of the claim's time). Exactly once still holds: a
    worker sends only after its own, synchronous, commit taking the reminder to "sending", and that
    flushes the log up to it, the claim included. A database crash before the flush loses the
    claim as a whole (the schedule rows are still due, and claimed again a minute later), and any
    send task queued for it finds no reminder and sends nothing.
    """
    while True:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
            due = _locked(now, batch)
            if not due:
                return
            ids = _claim(due, now)
        yield ids


def _locked(now: datetime, batch: int) -> list[Due]:
    """PostgreSQL: the first `batch` due rows no other dispatcher holds, locked, as plain values.

    Ordered by `send_at` alone, which the index gives, so the scan stops after `batch` rows; a
    tie-break on the person would make PostgreSQL read and sort every row due in that minute
    (100,000 of them) for each batch. No order is needed against deadlocks: a locked row is
    skipped, never waited for. The row holds its own copy of what the following time is computed
    from, so nothing else is read: joining the schedule and the profile of 100,000 people cost a
    third of the claim, most of it reading pages of two large tables.
    """
    sql = (
        'SELECT n."user_id", n."send_at"::text, n."evening", n."at", n."weekdays"::text, n."lead_minutes", '
        f'n."reminders_on", n."bedtime", n."zone" FROM "{NextReminder._meta.db_table}" n '
        'WHERE n."send_at" <= %s ORDER BY n."send_at" LIMIT %s FOR UPDATE SKIP LOCKED'
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [now, batch])
        return [Due(*row) for row in cursor.fetchall()]


def _claim(due: Sequence[Due] | Sequence[NextReminder], now: datetime) -> list[int]:
    """Move the rows on (each only if still as read); record the evenings won; the ids of those to send.

    The rows as this database's dispatcher reads them: plain values on PostgreSQL (`_locked`),
    NextReminders elsewhere (`_due`)."""
    if connection.vendor == "postgresql":
        return _claim_together(cast(Sequence[Due], due), now)
    return record(
        [reminder for reminder in (_move_on(row, now) for row in cast(Sequence[NextReminder], due)) if reminder]
    )


def record(won: list[Reminder]) -> list[int]:
    """Insert the evenings won (one already there is kept); the ids of the claimed ones, to send."""
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


def _claim_together(due: Sequence[Due], now: datetime) -> list[int]:
    """PostgreSQL: every row moved on, and the reminders of the rows moved inserted, in one statement.

    The next times are the same pure function's (`_when`, DST-correct), computed once per kind of
    person: everything it reads (`_next`). The UPDATE keeps the compare-and-set (a row moves only
    if `send_at` is still the one read), so a row read stale is not claimed twice even without
    the lock; the INSERT takes only the rows the UPDATE moved, and an evening that already has its
    reminder keeps it (ON CONFLICT DO NOTHING). The ids returned are the new reminders still to send.

    The batch goes over as the rows' ids and, for each, the number of its kind and of the time
    read, written out as array literals: psycopg quotes a Python list element by element in
    Python, which cost a third of the claim; the kinds and the times read are a few dozen values.
    """
    kinds: dict[tuple, int] = {}
    olds: dict[str, int] = {}
    kind_of, old_of = [], []
    for row in due:
        key = (row.evening, row.at, row.bedtime, row.zone, row.weekdays, row.lead_minutes, row.reminders_on)
        kind_of.append(kinds.setdefault(key, len(kinds) + 1))
        old_of.append(olds.setdefault(row.send_at, len(olds) + 1))
    columns: list[list[object]] = [[] for _ in range(5)]
    for evening, at, bedtime, zone_name, weekdays, lead, on in kinds:
        new_evening, new_at = _next(now, evening, at, bedtime, zone_name, weekdays, lead, on)
        deadline = _deadline(evening, at, bedtime, zone_name) if evening else None
        status = Reminder.Status.CLAIMED if deadline is None or now <= deadline else Reminder.Status.DROPPED
        for column, value in zip(columns, (new_at, new_evening, evening, deadline, str(status)), strict=True):
            column.append(value)
    following, reminder = NextReminder._meta.db_table, Reminder._meta.db_table
    sql = (
        "WITH v AS (SELECT r.user_id, o.old_at, k.new_at, k.new_evening, k.evening, k.deadline, k.status "
        "FROM unnest(%s::int[], %s::int[], %s::int[]) AS r(user_id, old, kind) "
        "JOIN unnest(%s::timestamptz[]) WITH ORDINALITY AS o(old_at, n) ON o.n = r.old "
        "JOIN unnest(%s::timestamptz[], %s::date[], %s::date[], %s::timestamptz[], %s::text[]) "
        "WITH ORDINALITY AS k(new_at, new_evening, evening, deadline, status, n) ON k.n = r.kind), "
        f'moved AS (UPDATE "{following}" AS n SET "send_at" = v.new_at, "evening" = v.new_evening '
        'FROM v WHERE n."user_id" = v.user_id AND n."send_at" = v.old_at '
        'RETURNING n."user_id", v.evening, v.old_at, v.deadline, v.status), '
        f'inserted AS (INSERT INTO "{reminder}" ("user_id", "evening", "due_at", "deadline", "status", "attempts", '
        '"error", "created_at", "updated_at") '
        "SELECT user_id, evening, old_at, deadline, status, 0, '', %s, %s FROM moved WHERE evening IS NOT NULL "
        'ON CONFLICT ("user_id", "evening") DO NOTHING RETURNING "id", "status") '
        "SELECT id FROM inserted WHERE status = %s ORDER BY id"
    )
    written = timezone.now()  # as auto_now would: the real clock, not the claim's `now`
    params = [
        _literal(row.user_id for row in due),
        _literal(old_of),
        _literal(kind_of),
        _literal(f'"{old}"' for old in olds),
        *columns,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, written, written, str(Reminder.Status.CLAIMED)])
        return [row[0] for row in cursor.fetchall()]


def _literal(values) -> str:
    """Whole numbers (or strings already quoted) as a PostgreSQL array literal, '{1,2,3}'."""
    return "{" + ",".join(map(str, values)) + "}"


@lru_cache(maxsize=4096)
def _next(
    now: datetime,
    evening: date | None,
    at: time | None,
    bedtime: time | None,
    zone_name: str,
    weekdays: str,
    lead_minutes: int,
    reminders_on: bool,
) -> tuple[date | None, datetime | None]:
    """The evening after `evening` and its reminder time (UTC), by `_when`; (None, None) when off.

    Its arguments are everything `_when` reads, so people who share them share the answer: the
    thousands due in the same minute come in a few dozen kinds (zone, time, evenings, lead).
    """
    schedule = SimpleNamespace(
        reminders_on=reminders_on, at=at, weekdays=json.loads(weekdays), lead_minutes=lead_minutes
    )
    following = _when(schedule, _profile(zone_name, bedtime), now, evening)  # type: ignore[arg-type]
    return following if following else (None, None)


@lru_cache(maxsize=4096)
def _deadline(evening: date, at: time | None, bedtime: time | None, zone_name: str) -> datetime:
    """When the evening is over: two hours after the routine's local time."""
    return local_occurrence(evening, routine_time(bedtime, at), _profile(zone_name, bedtime).zone) + LATE_AFTER


def _profile(zone_name: str, bedtime: time | None) -> Profile:
    """The profile's fields `_when` reads; Profile.zone reads the zone (UTC when it is not known)."""
    return Profile(timezone=zone_name, bedtime=bedtime)


def _reminder(row: NextReminder, now: datetime) -> Reminder | None:
    """The due evening's reminder (not saved yet): claimed, or dropped when its evening is over."""
    if row.evening is None:
        return None
    deadline = _deadline(row.evening, row.at, row.bedtime, row.zone)
    status = Reminder.Status.CLAIMED if now <= deadline else Reminder.Status.DROPPED
    return Reminder(user_id=row.user_id, evening=row.evening, due_at=row.send_at, deadline=deadline, status=status)


def _move_on(row: NextReminder, now: datetime) -> Reminder | None:
    """SQLite: the evening's reminder (not saved yet) if this dispatcher won the row, else None.

    The following time is the one `_claim_together` computes, from the same copied fields."""
    weekdays = json.dumps(row.weekdays)
    new_evening, new_at = _next(
        now, row.evening, row.at, row.bedtime, row.zone, weekdays, row.lead_minutes, row.reminders_on
    )
    moved = NextReminder.objects.filter(pk=row.pk, send_at=row.send_at).update(send_at=new_at, evening=new_evening)
    if moved != 1:
        return None  # another dispatcher won this row
    return _reminder(row, now)


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
    """Untried ones of a batch whose worker is gone: claimed again (compare-and-set on the batch's mark).

    A batch's commits do not wait for the disk (delivery._commits_not_waiting_for_the_disk), so a
    crash of the database server may have lost the "in flight" of an e-mail the SMTP server had:
    the untried rows of a batch that took them before the server last started (its token names
    another start) are not given back but turn unknown: a missed reminder, never two."""
    mark = server_mark()
    if mark:
        _untried(reminders).filter(error__contains=SERVER_MARK).exclude(error__endswith=mark).update(
            status=Reminder.Status.UNKNOWN,
            error="its batch was sending when the database restarted; not sent again to avoid a second e-mail",
        )
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
