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

import smtplib
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import signing
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation

from cramps.tokens import seal, unseal
from diary.models import DayLog

from .emails import send_email
from .models import Reminder, Schedule
from .routine import ROUTINE, ROUTINE_SECONDS, exercise_summary
from .schedule import local_occurrence, reminder_at, routine_time

LATE_AFTER = timedelta(hours=2)  # after the routine's time, a reminder is no use: the evening is over
DONE_LINK_MAX_AGE = 36 * 3600
# An unsubscribe link works for half a year (a mail client may use it long after the e-mail came);
# later, the schedule page (after signing in) switches reminders off.
UNSUBSCRIBE_LINK_MAX_AGE = 183 * 24 * 3600
DONE_SALT = "prevention.reminders.done"
UNSUBSCRIBE_SALT = "prevention.reminders.unsubscribe"
BATCH = 500


# ---------------------------------------------------------------- when


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


# ---------------------------------------------------------------- claiming (the dispatcher)


def claim_due(now: datetime | None = None, batch: int = BATCH) -> list[int]:
    """Claim every due evening; returns the ids of the reminders to send (dropped ones are recorded)."""
    return [reminder_id for ids in claim_batches(now, batch) for reminder_id in ids]


def claim_batches(now: datetime | None = None, batch: int = BATCH) -> Iterator[list[int]]:
    """Claim the due evenings a batch at a time, yielding each batch's reminder ids once committed.

    The dispatcher queues each batch as it comes, so workers start sending while it claims the next.
    """
    now = now or timezone.now()
    while True:
        due = list(
            Schedule.objects.filter(next_send_at__lte=now)
            .select_related("user__profile")
            .order_by("next_send_at", "id")[:batch]
        )
        if not due:
            return
        # One transaction per batch: a row moved on and its evening's reminder commit together
        # (a dispatcher dying in between loses nothing: the batch is claimed again next minute),
        # and a commit per batch rather than per person keeps 10,000 due in the same minute cheap.
        # Rows are locked in the order selected, so two dispatchers cannot deadlock.
        with transaction.atomic():
            ids = _claim(due, now)
        yield ids


def _claim(due: list[Schedule], now: datetime) -> list[int]:
    """Move each row on by compare-and-set; record the evenings won; the ids of those to send."""
    won = [reminder for reminder in (_move_on(schedule, now) for schedule in due) if reminder]
    # An evening claimed already (e.g. before a change of schedule) keeps its one reminder.
    Reminder.objects.bulk_create(won, ignore_conflicts=True)
    wanted = {(r.user_id, r.evening, r.due_at) for r in won if r.status == Reminder.CLAIMED}
    if not wanted:
        return []
    recorded = Reminder.objects.filter(
        user_id__in={user_id for user_id, _, _ in wanted}, evening__in={evening for _, evening, _ in wanted},
        status=Reminder.CLAIMED,
    ).values_list("pk", "user_id", "evening", "due_at")
    return sorted(pk for pk, *key in recorded if tuple(key) in wanted)


def _move_on(schedule: Schedule, now: datetime) -> Reminder | None:
    """The evening's reminder (not saved yet) if this dispatcher won the row, else None."""
    profile = schedule.user.profile
    evening, due_at = schedule.next_evening, schedule.next_send_at
    following = _when(schedule, profile, now, evening)
    new_evening, new_at = following if following else (None, None)
    moved = Schedule.objects.filter(pk=schedule.pk, next_send_at=due_at).update(
        next_send_at=new_at, next_evening=new_evening
    )
    if moved != 1 or evening is None:
        return None  # another dispatcher won this row
    at = routine_time(profile.bedtime, schedule.at)
    deadline = local_occurrence(evening, at, profile.zone) + LATE_AFTER
    status = Reminder.CLAIMED if now <= deadline else Reminder.DROPPED
    return Reminder(user_id=schedule.user_id, evening=evening, due_at=due_at, deadline=deadline, status=status)


def _after(name: str) -> timedelta:
    """One of the sweeper's timings (settings.REMINDER_*, in seconds; see README.md's configuration)."""
    return timedelta(seconds=getattr(settings, name))


def stuck(now: datetime | None = None, held=None) -> list[int]:
    """Reminders whose send task was lost (a broker restarted without its data, a killed worker),
    still in time: queue them again.

    `held(now, stale_after)` (prevention.broker.reminders_held) tells which reminders the broker
    still holds for a worker. A claimed or failed reminder it does not hold, and that has waited
    REMINDER_STUCK_AFTER, is lost and queued again at once; one waiting in a healthy queue,
    however long the backlog, is never queued twice. When the broker cannot be looked into
    (`held` None or answering None), time alone decides, as before: claimed ones after
    REMINDER_STUCK_BLIND_AFTER, failed ones after the longest retry countdown and a margin. The
    ones queued again are touched, so the next sweep does not queue them once more.
    """
    now = now or timezone.now()
    stale = now - _after("REMINDER_SENDING_STALE_AFTER")
    Reminder.objects.filter(status=Reminder.SENDING, updated_at__lt=stale).update(
        status=Reminder.UNKNOWN, error="interrupted while sending; not sent again to avoid a second e-mail"
    )
    late = Reminder.objects.filter(status__in=[Reminder.CLAIMED, Reminder.FAILED], deadline__lt=now)
    late.update(status=Reminder.DROPPED)
    ids = _lost(now, held)
    if ids is None:
        failed_after = _after("REMINDER_RETRY_MAX_SECONDS") + timedelta(minutes=2)
        lost = Reminder.objects.filter(
            Q(status=Reminder.CLAIMED, updated_at__lt=now - _after("REMINDER_STUCK_BLIND_AFTER"))
            | Q(status=Reminder.FAILED, updated_at__lt=now - failed_after)
        )
        ids = list(lost.values_list("pk", flat=True)[:5000])
    Reminder.objects.filter(pk__in=ids).update(updated_at=now)
    return ids


def _lost(now: datetime, held) -> list[int] | None:
    """The waiting reminders the broker no longer holds; None when it cannot tell."""
    if held is None:
        return None
    stale_after = _after("REMINDER_STUCK_AFTER")
    waiting = Reminder.objects.filter(status__in=[Reminder.CLAIMED, Reminder.FAILED])
    candidates = set(waiting.filter(updated_at__lt=now - stale_after).values_list("pk", flat=True)[:5000])
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
    # Still waiting: one sent meanwhile (its message just finished) is not queued again.
    return sorted(waiting.filter(pk__in=missing).values_list("pk", flat=True))


# ---------------------------------------------------------------- sending


class Retry(Exception):
    """The SMTP server could not take the message; the task tries again later."""


def deliver(reminder_id: int, now: datetime | None = None) -> str:
    """Send one claimed reminder at most once; returns its status afterwards."""
    now = now or timezone.now()
    reminder = Reminder.objects.select_related("user__profile", "user__routine_schedule").filter(pk=reminder_id).first()
    if reminder is None or reminder.status not in (Reminder.CLAIMED, Reminder.FAILED):
        return reminder.status if reminder else "missing"
    user = reminder.user
    if DayLog.objects.filter(user=user, date=reminder.evening, exercises_done=True).exists():
        return _finish(reminder, Reminder.SKIPPED, now)
    if now > reminder.deadline:
        return _finish(reminder, Reminder.DROPPED, now)
    schedule = user.routine_schedule
    if not schedule.reminders_on:
        return _finish(reminder, Reminder.OFF, now, error="unsubscribed")
    if not address_confirmed(user):
        return _finish(reminder, Reminder.UNCONFIRMED, now, error="address not confirmed")
    taken = Reminder.objects.filter(pk=reminder.pk, status__in=[Reminder.CLAIMED, Reminder.FAILED]).update(
        status=Reminder.SENDING, attempts=F("attempts") + 1, updated_at=now
    )
    if taken != 1:
        return "taken"  # a duplicate of this task got there first
    connection = get_connection()
    try:
        connection.open()  # nothing handed over yet: any failure here is safe to retry
    except (smtplib.SMTPException, OSError) as error:
        return _retry_later(reminder, error)
    language = user.profile.language or settings.LANGUAGE_CODE
    try:
        with translation.override(language):  # the exercises' texts are translated as the context is built
            context = reminder_context(reminder, schedule)
        send_email(
            user.email, "reminder", context, headers=unsubscribe_headers(user), connection=connection, language=language
        )
    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException) as error:
        return _retry_later(reminder, error)  # the server answered no: it did not take the message
    except (smtplib.SMTPException, OSError) as error:
        # The connection broke mid-conversation: the server may have taken the message already.
        Reminder.objects.filter(pk=reminder.pk).update(status=Reminder.UNKNOWN, error=str(error)[:300])
        return Reminder.UNKNOWN
    finally:
        connection.close()
    Reminder.objects.filter(pk=reminder.pk).update(status=Reminder.SENT, sent_at=timezone.now(), error="")
    return Reminder.SENT


def address_confirmed(user) -> bool:
    """Reminders go only to a confirmed address: a mistyped one must not send a stranger
    someone's nightly health routine."""
    if settings.ACCOUNT_EMAIL_VERIFICATION == "none":
        return True  # this site does not confirm addresses at all
    return EmailAddress.objects.filter(user_id=user.pk, email__iexact=user.email, verified=True).exists()


def _retry_later(reminder: Reminder, error: Exception) -> str:
    Reminder.objects.filter(pk=reminder.pk).update(status=Reminder.FAILED, error=str(error)[:300])
    raise Retry(str(error)) from error


def _finish(reminder: Reminder, status: str, now: datetime, error: str = "") -> str:
    Reminder.objects.filter(pk=reminder.pk, status__in=[Reminder.CLAIMED, Reminder.FAILED]).update(
        status=status, updated_at=now, error=error
    )
    return status


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def done_token(user_id: int, evening: date) -> str:
    """Opaque (encrypted, not only signed): the link does not show the user id."""
    return seal({"u": user_id, "e": evening.isoformat()}, DONE_SALT)


def _read(token: str, salt: str, max_age: int) -> dict:
    """A link's payload; links sent before the switch to sealed tokens (signed, readable) still
    work until they expire."""
    try:
        return unseal(token, salt, max_age)
    except signing.SignatureExpired:
        raise
    except signing.BadSignature:
        return signing.loads(token, salt=salt, max_age=max_age)


def read_done_token(token: str) -> tuple[int, date]:
    """(user id, evening) from a "Done" link; signing.BadSignature (or SignatureExpired) otherwise."""
    data = _read(token, DONE_SALT, DONE_LINK_MAX_AGE)
    try:
        return int(data["u"]), date.fromisoformat(data["e"])
    except (KeyError, TypeError, ValueError) as error:
        raise signing.BadSignature("malformed link") from error


def unsubscribe_token(user_id: int) -> str:
    return seal({"u": user_id}, UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token: str) -> int:
    """The user id from an unsubscribe link; signing.SignatureExpired after UNSUBSCRIBE_LINK_MAX_AGE."""
    data = _read(token, UNSUBSCRIBE_SALT, UNSUBSCRIBE_LINK_MAX_AGE)
    try:
        return int(data["u"])
    except (KeyError, TypeError, ValueError) as error:
        raise signing.BadSignature("malformed link") from error


def unsubscribe_headers(user) -> dict[str, str]:
    """RFC 8058 one-click unsubscribe: the mail client POSTs "List-Unsubscribe=One-Click" to the link."""
    url = absolute(reverse("prevention:unsubscribe", args=[unsubscribe_token(user.pk)]))
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def reminder_context(reminder: Reminder, schedule: Schedule) -> dict:
    profile = reminder.user.profile
    at = routine_time(profile.bedtime, schedule.at)
    from .services import open_alarms  # the reminder leads with "seek care first" while a warning sign is open

    return {
        "alarms": open_alarms(reminder.user),
        "evening": reminder.evening,
        "at": at,
        "minutes": round(ROUTINE_SECONDS / 60),
        "routine": [{"exercise": e, "summary": exercise_summary(e)} for e in ROUTINE],
        "done_url": absolute(reverse("prevention:done_link", args=[done_token(reminder.user_id, reminder.evening)])),
        "tonight_url": absolute(reverse("prevention:tonight")),
        "schedule_url": absolute(reverse("prevention:schedule")),
        "unsubscribe_url": absolute(reverse("prevention:unsubscribe", args=[unsubscribe_token(reminder.user_id)])),
    }


def unsubscribe(user_id: int) -> None:
    Schedule.objects.filter(user_id=user_id).update(reminders_on=False, next_send_at=None, next_evening=None)
