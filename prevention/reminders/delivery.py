"""Sending one claimed reminder at most once (step 4 of prevention/reminders/dispatch.py), and what
the e-mail says: tonight's routine, led by "seek care first" while a warning sign is open."""

from __future__ import annotations

import smtplib
from datetime import datetime

from django.conf import settings
from django.core.mail import get_connection
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation

from cramps.accounts import address_confirmed
from cramps.emails import send_email
from diary.models import DayLog
from prevention.models import Reminder, Schedule
from prevention.plan.routine import ROUTINE, ROUTINE_SECONDS, exercise_summary
from prevention.plan.schedule import routine_time
from prevention.reminders.links import absolute, done_token, unsubscribe_headers, unsubscribe_token


class Retry(Exception):
    """The SMTP server could not take the message; the task tries again later."""


def deliver(reminder_id: int, now: datetime | None = None) -> str:
    """Send one claimed reminder at most once; returns its status afterwards."""
    now = now or timezone.now()
    reminder = Reminder.objects.select_related("user__profile", "user__routine_schedule").filter(pk=reminder_id).first()
    if reminder is None or reminder.status not in (Reminder.Status.CLAIMED, Reminder.Status.FAILED):
        return reminder.status if reminder else "missing"
    user = reminder.user
    if DayLog.objects.filter(user=user, date=reminder.evening, exercises_done=True).exists():
        return _finish(reminder, Reminder.Status.SKIPPED, now)
    if now > reminder.deadline:
        return _finish(reminder, Reminder.Status.DROPPED, now)
    schedule = user.routine_schedule
    if not schedule.reminders_on:
        return _finish(reminder, Reminder.Status.OFF, now, error="unsubscribed")
    if not address_confirmed(user):
        return _finish(reminder, Reminder.Status.UNCONFIRMED, now, error="address not confirmed")
    taken = Reminder.objects.filter(
        pk=reminder.pk, status__in=[Reminder.Status.CLAIMED, Reminder.Status.FAILED]
    ).update(status=Reminder.Status.SENDING, attempts=F("attempts") + 1, updated_at=now)
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
        Reminder.objects.filter(pk=reminder.pk).update(status=Reminder.Status.UNKNOWN, error=str(error)[:300])
        return Reminder.Status.UNKNOWN
    finally:
        connection.close()
    Reminder.objects.filter(pk=reminder.pk).update(status=Reminder.Status.SENT, sent_at=timezone.now(), error="")
    return Reminder.Status.SENT


def _retry_later(reminder: Reminder, error: Exception) -> str:
    Reminder.objects.filter(pk=reminder.pk).update(status=Reminder.Status.FAILED, error=str(error)[:300])
    raise Retry(str(error)) from error


def _finish(reminder: Reminder, status: str, now: datetime, error: str = "") -> str:
    Reminder.objects.filter(pk=reminder.pk, status__in=[Reminder.Status.CLAIMED, Reminder.Status.FAILED]).update(
        status=status, updated_at=now, error=error
    )
    return status


def reminder_context(reminder: Reminder, schedule: Schedule) -> dict:
    profile = reminder.user.profile
    at = routine_time(profile.bedtime, schedule.at)
    from prevention.assessment.services import open_alarms

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
