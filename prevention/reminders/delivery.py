"""Sending claimed reminders at most once, a batch at a time (step 4 of prevention/reminders/dispatch.py);
what the e-mail says is prevention/reminders/letters.py.

A batch (`deliver_batch`, one `send_reminder_batch` task) reads its reminders with their people
in one query, records the ones not to send (skipped, dropped, off, unconfirmed) a statement per
kind, and takes the rest from claimed (or failed) to sending in ONE compare-and-set statement,
marked with the batch's own token in `error`: only the rows it took are sent, so a duplicate
task takes none. It then sends them over one SMTP connection, what the e-mails share made once
per language, evening and routine time (the links are still each person's own). Each message is
taken "in flight" (the token cleared) while its envelope is given (MAIL FROM, RCPT TO, which hand
nothing over), before DATA hands it to the server, and recorded sent right after, in one statement
with the next one's taking: a worker killed mid-batch leaves at
most the message in flight "sending" (later unknown, never sent again); the rest still carry the
token, and the sweeper (dispatch.stuck) gives them back to be sent. docs/reminders.md has the
whole argument.
"""

from __future__ import annotations

import smtplib
import time
import uuid
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache

from django.conf import settings
from django.core.mail import get_connection
from django.db import DatabaseError, transaction
from django.db import connection as db
from django.db.models import F
from django.utils import timezone

from cramps.accounts import confirmed_among
from diary.locking import lock_person
from diary.models import DayLog, Profile
from prevention.assessment.services import recent_diaries
from prevention.models import NextReminder, Reminder, Schedule
from prevention.reminders.letters import Letter, Letters, reminder_context

__all__ = ["Retry", "Outcome", "deliver", "deliver_batch", "reason", "reminder_context", "transmit", "unsubscribe"]

WAITING = (Reminder.Status.CLAIMED, Reminder.Status.FAILED)

# A reminder taken by a batch and not yet handed to the SMTP server is "sending" with this in its
# `error`, followed by the batch's token. The sweeper knows it was never attempted.
IN_BATCH = "waiting its turn in batch "


# On PostgreSQL the token ends with this and when the database server started (see
# _commits_not_waiting_for_the_disk).
SERVER_MARK = " server started "


def server_mark() -> str:
    """SERVER_MARK and the PostgreSQL server's start time; "" on SQLite (its commits wait for the disk)."""
    if db.vendor != "postgresql":
        return ""
    with db.cursor() as cursor:
        cursor.execute("SELECT pg_postmaster_start_time()")
        return SERVER_MARK + cursor.fetchone()[0].isoformat()


# While a batch is being sent, its untried reminders are touched this often (at most every
# 10 s, and well within REMINDER_STUCK_AFTER), so the sweeper does not take a long batch (a slow
# SMTP server) for one whose worker died.
def _touch_every() -> float:
    return min(10.0, settings.REMINDER_STUCK_AFTER / 3)


class Retry(Exception):
    """The SMTP server could not take the message; the task tries again later."""


def reason(error: Exception) -> str:
    """What went wrong, for the reminder's row and the worker's log, without anything personal.

    A refusal's text names the recipient (`{'alice@example.com': (550, …)}`) and a server's reply
    may echo it: only the kind of error and the SMTP codes are kept.
    """
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = sorted({str(answer[0]) for answer in error.recipients.values() if answer})
        return f"SMTPRecipientsRefused {'/'.join(codes)}".strip()
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{type(error).__name__} {error.smtp_code}"
    if isinstance(error, OSError) and error.errno is not None:
        return f"{type(error).__name__} errno {error.errno}"
    return type(error).__name__


@dataclass
class Outcome:
    """What a batch did: each handled reminder's status, and the ones to try again later (and why)."""

    statuses: dict[int, str] = field(default_factory=dict)
    retry: list[int] = field(default_factory=list)
    error: str = ""


def deliver(reminder_id: int, now: datetime | None = None) -> str:
    """Send one claimed reminder at most once (a batch of one); returns its status afterwards."""
    outcome = deliver_batch([reminder_id], now=now)
    if reminder_id in outcome.retry:
        raise Retry(outcome.error)
    if reminder_id in outcome.statuses:
        return outcome.statuses[reminder_id]
    status = Reminder.objects.filter(pk=reminder_id).values_list("status", flat=True).first()
    return status or "missing"


def deliver_batch(reminder_ids: Iterable[int], now: datetime | None = None) -> Outcome:
    """Send a batch of claimed reminders, each at most once, over one SMTP connection."""
    now = now or timezone.now()
    outcome = Outcome()
    waiting = list(
        Reminder.objects.select_related("user__profile", "user__routine_schedule")
        .filter(pk__in=list(reminder_ids), status__in=WAITING)
        .order_by("pk")
    )
    if not waiting:
        return outcome
    sendable = _not_to_send(waiting, now, outcome)
    mine = _take(sendable, now)
    if not mine:
        return outcome
    for reminder in mine:
        _with_a_profile(reminder.user)
    connection = get_connection()
    try:
        connection.open()  # nothing handed over yet: any failure here is safe to retry
    except (smtplib.SMTPException, OSError) as error:
        _give_back([r.pk for r in mine], token=mine.token, error=error, outcome=outcome)
        return outcome
    try:
        with _commits_not_waiting_for_the_disk():
            _send_all(mine, connection, outcome)
    finally:
        connection.close()
    return outcome


@contextmanager
def _commits_not_waiting_for_the_disk():
    """On PostgreSQL, while a batch sends, its commits do not wait for the disk's flush
    (`synchronous_commit off`): each is seen by every other session at once, and a killed worker
    loses none of them; only a crash of the database server itself can lose the last fraction of a
    second of them. An e-mail's "in flight" may then be lost while the SMTP server had the e-mail,
    so the sweeper never gives back the untried rows of a batch whose token names an earlier start
    of the database server (dispatch._give_back): they turn unknown instead. The batch's taking
    stays synchronous."""
    if db.vendor != "postgresql":
        yield
        return
    with db.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO off")
    try:
        yield
    finally:
        try:
            with db.cursor() as cursor:
                cursor.execute("RESET synchronous_commit")
        except DatabaseError:
            db.close()  # the next task gets a new connection, with the server's setting


class _Taken(list[Reminder]):
    """The reminders a batch took, and the token it marked them with."""

    token: str = ""


def _not_to_send(waiting: list[Reminder], now: datetime, outcome: Outcome) -> list[Reminder]:
    """Record the ones not to send (a statement per kind); the ones to send."""
    done = set(
        DayLog.objects.filter(
            user_id__in={r.user_id for r in waiting}, date__in={r.evening for r in waiting}, exercises_done=True
        ).values_list("user_id", "date")
    )
    confirmed = confirmed_among(r.user for r in waiting)
    groups: dict[str, list[int]] = {}
    sendable = []
    for reminder in waiting:
        if (reminder.user_id, reminder.evening) in done:
            groups.setdefault(Reminder.Status.SKIPPED, []).append(reminder.pk)
        elif now > reminder.deadline:
            groups.setdefault(Reminder.Status.DROPPED, []).append(reminder.pk)
        elif not _switched_on(reminder.user):
            groups.setdefault(Reminder.Status.OFF, []).append(reminder.pk)
        elif reminder.user_id not in confirmed:
            groups.setdefault(Reminder.Status.UNCONFIRMED, []).append(reminder.pk)
        else:
            sendable.append(reminder)
    reasons = {Reminder.Status.OFF: "unsubscribed", Reminder.Status.UNCONFIRMED: "address not confirmed"}
    for status, ids in groups.items():
        Reminder.objects.filter(pk__in=ids, status__in=WAITING).update(
            status=status, updated_at=now, error=reasons.get(status, "")
        )
        outcome.statuses.update(dict.fromkeys(ids, status))
    return sendable


def _take(sendable: list[Reminder], now: datetime) -> _Taken:
    """Claimed (or failed) to sending, in one compare-and-set statement; the ones this batch took."""
    taken = _Taken()
    if not sendable:
        return taken
    taken.token = IN_BATCH + uuid.uuid4().hex + server_mark()
    ids = [r.pk for r in sendable]
    Reminder.objects.filter(pk__in=ids, status__in=WAITING).update(
        status=Reminder.Status.SENDING, error=taken.token, attempts=F("attempts") + 1, updated_at=now
    )
    mine = set(
        Reminder.objects.filter(pk__in=ids, status=Reminder.Status.SENDING, error=taken.token).values_list(
            "pk", flat=True
        )
    )
    taken.extend(r for r in sendable if r.pk in mine)  # a duplicate task got the others first
    return taken


def _send_all(mine: _Taken, connection, outcome: Outcome) -> None:
    """Each message in turn: taken in flight, handed to the server, recorded sent (with the next one's taking).

    Over SMTP, a helper thread gives a message's envelope (MAIL FROM, RCPT TO: nothing handed over
    yet) while this thread writes its taking in flight: the two waits overlap (a quarter more e-mails
    a second, docs/performance.md). DATA, which hands the message over, waits for that write. The
    helper touches neither the database nor the batch's state.
    """
    diaries = recent_diaries([r.user for r in mine])
    letters = Letters(raw=isinstance(getattr(connection, "connection", None), smtplib.SMTP))
    sent: int | None = None  # handed over, not yet recorded
    touched, touch_every = time.monotonic(), _touch_every()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="smtp-envelope") as helper:
        for position, reminder in enumerate(mine):
            language = reminder.user.profile.language or settings.LANGUAGE_CODE
            letter = letters.letter(reminder, language=language, diary=diaries.get(reminder.user_id))
            try:
                _reopen_if_closed(connection)
            except (smtplib.SMTPException, OSError) as error:  # nothing handed over: all of the rest go back
                _record_and_take(sent=sent, next_id=None, token=mine.token)
                _give_back([r.pk for r in mine[position:]], token=mine.token, error=error, outcome=outcome)
                return
            envelope = helper.submit(_envelope, connection, letter) if letter.raw is not None else None
            try:
                taken = _record_and_take(sent=sent, next_id=reminder.pk, token=mine.token)
            finally:
                refused = envelope.exception() if envelope is not None else None  # waits for the envelope
            sent = None
            if not taken:  # given back meanwhile (the sweeper took this batch for a dead one's): not ours now
                if envelope is not None and refused is None:
                    _abandon(connection)
                continue
            try:
                if refused is not None:
                    raise refused
                transmit(connection, letter)
            except (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException) as error:
                # The server answered no: it did not take the message. This one is tried again later.
                outcome.error = reason(error)
                Reminder.objects.filter(pk=reminder.pk, status=Reminder.Status.SENDING).update(
                    status=Reminder.Status.FAILED, error=outcome.error
                )
                outcome.statuses[reminder.pk] = Reminder.Status.FAILED
                outcome.retry.append(reminder.pk)
                continue
            except (smtplib.SMTPException, OSError) as error:
                if error is refused:
                    # The connection broke in the envelope, before DATA: the server has nothing of this
                    # one, which goes back with the rest.
                    _give_back([reminder.pk], token="", error=error, outcome=outcome)
                    _give_back([r.pk for r in mine[position + 1 :]], token=mine.token, error=error, outcome=outcome)
                    return
                # The connection broke in DATA: the server may have this one already (unknown, never
                # sent again); the ones not yet tried go back to be sent later.
                Reminder.objects.filter(pk=reminder.pk).update(status=Reminder.Status.UNKNOWN, error=reason(error))
                outcome.statuses[reminder.pk] = Reminder.Status.UNKNOWN
                rest = [r.pk for r in mine[position + 1 :]]
                _give_back(rest, token=mine.token, error=error, outcome=outcome)
                return
            sent = reminder.pk
            outcome.statuses[reminder.pk] = Reminder.Status.SENT
            if time.monotonic() - touched > touch_every:
                touched = time.monotonic()
                rest = [r.pk for r in mine[position + 1 :]]
                Reminder.objects.filter(pk__in=rest, status=Reminder.Status.SENDING, error=mine.token).update(
                    updated_at=timezone.now()
                )
    if sent is not None:
        _record_and_take(sent=sent, next_id=None, token=mine.token)


def _envelope(connection, letter: Letter) -> None:
    """MAIL FROM and RCPT TO, as smtplib's sendmail begins: nothing is handed over before DATA (transmit)."""
    smtp = connection.connection
    smtp.ehlo_or_helo_if_needed()
    options = [f"size={len(letter.raw)}"] if smtp.does_esmtp and smtp.has_extn("size") else []
    code, answer = smtp.mail(letter.sender, options)
    if code != 250:
        _after_no(smtp, code)
        raise smtplib.SMTPSenderRefused(code, answer, letter.sender)
    refused = {}
    for address in letter.to:
        code, answer = smtp.rcpt(address)
        if code not in (250, 251):
            refused[address] = (code, answer)
        if code == 421:
            smtp.close()
            raise smtplib.SMTPRecipientsRefused(refused)
    if len(refused) == len(letter.to):
        _reset(smtp)
        raise smtplib.SMTPRecipientsRefused(refused)


def _after_no(smtp: smtplib.SMTP, code: int) -> None:
    """As sendmail after a refusal: 421 closes the connection, anything else resets the transaction."""
    if code == 421:
        smtp.close()
    else:
        _reset(smtp)


def _reset(smtp: smtplib.SMTP) -> None:
    try:
        smtp.rset()
    except smtplib.SMTPServerDisconnected:  # as sendmail's: the next message opens a new connection
        pass


def _abandon(connection) -> None:
    """The envelope was given for a message no longer ours: reset the transaction (the server has
    nothing of it); a connection broken meanwhile is opened again before the next message."""
    try:
        connection.connection.rset()
    except (smtplib.SMTPException, OSError):
        connection.connection.close()


def transmit(connection, letter: Letter) -> None:
    """Hand one e-mail to the SMTP server (the seam the tests replace to make the server misbehave):
    DATA with its bytes, after its envelope (_envelope), as smtplib's sendmail ends; or, for a letter
    that is a message, the whole message through Django's backend."""
    if letter.raw is None:
        connection.send_messages([letter.message])
        return
    smtp = connection.connection
    code, answer = smtp.data(letter.raw)
    if code != 250:
        _after_no(smtp, code)
        raise smtplib.SMTPDataError(code, answer)


def _reopen_if_closed(connection) -> None:
    """After some refusals (421) smtplib closes the connection; open a new one before the next message,
    rather than take "please run connect() first" for a connection that broke mid-message."""
    smtp = getattr(connection, "connection", False)
    if smtp is None or (smtp is not False and getattr(smtp, "sock", True) is None):
        connection.close()
        connection.open()


def _record_and_take(*, sent: int | None, next_id: int | None, token: str) -> bool:
    """One statement: the message just handed over recorded sent, and the next one taken in flight
    (only if still this batch's: compare-and-set on its token). True if the next one was taken."""
    now = timezone.now()
    if next_id is None:
        if sent is not None:
            Reminder.objects.filter(pk=sent).update(status=Reminder.Status.SENT, sent_at=now, error="", updated_at=now)
        return False
    if sent is None:
        taking = Reminder.objects.filter(pk=next_id, status=Reminder.Status.SENDING, error=token)
        return taking.update(error="", updated_at=now) == 1
    # Written out (the statement of every e-mail): building the ORM's Case/When costs more than running it.
    at = db.ops.adapt_datetimefield_value(now)
    with db.cursor() as cursor:
        cursor.execute(_record_and_take_sql(), [sent, Reminder.Status.SENT, sent, at, at, sent, next_id, token])
        return cursor.rowcount == 2


@cache
def _record_and_take_sql() -> str:
    """UPDATE: row `sent` to sent (with its time); row `next` (still sending, with the batch's token) in flight."""
    quote, meta = db.ops.quote_name, Reminder._meta
    pk, status, sent_at, error, updated_at = (
        quote(meta.get_field(name).column) for name in ("id", "status", "sent_at", "error", "updated_at")
    )
    return (
        f"UPDATE {quote(meta.db_table)} SET {status} = CASE WHEN {pk} = %s THEN %s ELSE {status} END, "
        f"{sent_at} = CASE WHEN {pk} = %s THEN %s ELSE {sent_at} END, {error} = '', {updated_at} = %s "
        f"WHERE {pk} = %s OR ({pk} = %s AND {status} = '{Reminder.Status.SENDING.value}' AND {error} = %s)"
    )


def _give_back(ids: list[int], *, token: str, error: Exception, outcome: Outcome) -> None:
    """Taken by this batch but not handed over: back to failed, to be tried again later."""
    outcome.error = reason(error)
    Reminder.objects.filter(pk__in=ids, status=Reminder.Status.SENDING, error=token).update(
        status=Reminder.Status.FAILED, error=outcome.error
    )
    outcome.statuses.update(dict.fromkeys(ids, Reminder.Status.FAILED))
    outcome.retry.extend(ids)


def _with_a_profile(user) -> None:
    """A person whose profile staff deleted: their letter is written from a profile's defaults
    (the site's language, no bedtime), as refresh_next_send reads them, and nothing is saved: a
    saved one would move their next reminder (prevention.signals); their next page makes it.
    Without one the letter could not be written, and the error would cost the whole batch."""
    # Read with the batch (select_related): no query here; a missing one is an AttributeError.
    if not hasattr(user, "profile"):
        user.profile = Profile(user=user)


def _switched_on(user) -> bool:
    """Reminders on in the person's schedule; a schedule deleted (by staff) counts as off."""
    schedule = getattr(user, "routine_schedule", None)
    return schedule is not None and schedule.reminders_on


def unsubscribe(user_id: int) -> None:
    with transaction.atomic():  # under refresh_next_send's lock: a refresh at the same time comes before or after
        lock_person(user_id)
        Schedule.objects.filter(user_id=user_id).update(reminders_on=False)
        NextReminder.objects.filter(user_id=user_id).update(send_at=None, evening=None, reminders_on=False)
