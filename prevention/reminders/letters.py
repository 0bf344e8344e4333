"""What a reminder e-mail says, made for a batch: tonight's routine, led by "seek care first" while a
warning sign is open, with the person's own "Done" and unsubscribe links.

What the e-mails of a batch share (the subject, the exercises and their steps, in one language,
for one evening and routine time) is rendered once, and made into the MIME message once, with
slots where each person's address, links, date and message id go; each person's e-mail is that
message's bytes with the slots filled. The shared message is checked once: each slot where it
should be, nothing to re-encode (8-bit parts, short lines). Anything else (an open alarm, an
address or link that is not plain ASCII) gets an e-mail rendered and composed whole, as
cramps.emails.send_email would.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.utils import formatdate, make_msgid
from functools import lru_cache

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import sanitize_address
from django.core.mail.utils import DNS_NAME
from django.urls import get_script_prefix, reverse
from django.utils import translation
from django.utils.html import escape

from cramps.emails import compose_email, render_email
from prevention.assessment.services import alarms_in, open_alarms
from prevention.models import Reminder, Schedule
from prevention.plan.routine import ROUTINE, ROUTINE_SECONDS, exercise_summary
from prevention.plan.schedule import routine_time
from prevention.reminders.links import (
    absolute,
    done_token,
    done_url,
    link_maker,
    unsubscribe_headers,
    unsubscribe_token,
    unsubscribe_url,
)

# Rendered in place of each person's own values, then replaced by them: unlike anything a template writes.
TO_SLOT = "cramps-slot-to@slot.invalid"
DONE_SLOT = "cramps-slot-done-url-3f9c1a"
UNSUBSCRIBE_SLOT = "cramps-slot-unsubscribe-url-3f9c1a"
DATE_SLOT = "cramps-slot-date-3f9c1a"
MESSAGE_ID_SLOT = "<cramps-slot-message-id-3f9c1a@slot.invalid>"
# Where each slot must appear in the shared message: the address and the date in their headers, the
# Done link in both parts, the unsubscribe link in both and in List-Unsubscribe.
SLOTS = {TO_SLOT: 1, DONE_SLOT: 2, UNSUBSCRIBE_SLOT: 3, DATE_SLOT: 1, MESSAGE_ID_SLOT: 1}
LONGEST_LINE = 998  # RFC 5322; a line with a slot grows by the link's length
ROOM = 300


@dataclass
class Letter:
    """One person's e-mail: its bytes ready for the SMTP conversation (with the envelope's sender),
    or, for a backend that is not SMTP or a letter rendered whole, the message."""

    to: list[str]
    message: EmailMultiAlternatives | None = None
    raw: bytes | None = None
    sender: str = ""


class Letters:
    """The reminder e-mails of a batch: what they share rendered once per language, evening and
    routine time; each person's values put in. With `raw`, the shared MIME message is made once too
    and each letter is its bytes, filled in."""

    def __init__(self, raw: bool = False) -> None:
        self.raw = raw
        self._done_link = link_maker("prevention:done_link")
        self._unsubscribe_link = link_maker("prevention:unsubscribe")
        # What the shared part shows of the site, read once per batch (part of its cache's key).
        self._site = (settings.SITE_URL, settings.DEFAULT_FROM_EMAIL, settings.DEFAULT_CHARSET, get_script_prefix())

    def letter(self, reminder: Reminder, *, language: str, diary=None) -> Letter:
        user = reminder.user
        at = routine_time(user.profile.bedtime, user.routine_schedule.at)
        done = self._done_link(done_token(user.pk, reminder.evening))
        unsubscribe = self._unsubscribe_link(unsubscribe_token(user.pk))
        alarms = []
        if diary is not None:
            with translation.override(language):  # the flags' labels are translated as they are made
                alarms = alarms_in(diary)
        headers = unsubscribe_headers(user, url=unsubscribe)
        if alarms:  # rendered whole: the warning leads this person's e-mail
            with translation.override(language):  # the exercises' texts are translated as the context is built
                context = _context(reminder.evening, at=at, alarms=alarms, done=done, unsubscribe=unsubscribe)
            subject, text, html = render_email("reminder", context, language)
            return Letter(
                to=[user.email],
                message=compose_email(user.email, subject, text, html, language=language, headers=headers),
            )
        (subject, text, html), raw, sender = _shared(reminder.evening, at, language, self.raw, self._site)
        if raw is not None and all(v.isascii() and escape(v) == v for v in (user.email, done, unsubscribe)):
            filled = {
                TO_SLOT: user.email,
                DONE_SLOT: done,
                UNSUBSCRIBE_SLOT: unsubscribe,
                DATE_SLOT: formatdate(localtime=settings.EMAIL_USE_LOCALTIME),
                MESSAGE_ID_SLOT: make_msgid(domain=DNS_NAME),
            }
            for slot, value in filled.items():
                raw = raw.replace(slot.encode(), value.encode())
            return Letter(to=[user.email], raw=raw, sender=sender)
        text = text.replace(DONE_SLOT, done).replace(UNSUBSCRIBE_SLOT, unsubscribe)
        html = html.replace(DONE_SLOT, escape(done)).replace(UNSUBSCRIBE_SLOT, escape(unsubscribe))
        message = compose_email(user.email, subject, text, html, language=language, headers=headers)
        return Letter(to=[user.email], message=message)


@lru_cache(maxsize=256)
def _shared(evening, at, language: str, raw: bool, site: tuple) -> tuple[tuple[str, str, str], bytes | None, str]:
    """The shared (subject, text, html) with their slots; with `raw`, the shared message's bytes (None
    if they cannot be filled in safely) and the envelope's sender. Made once per process for each
    evening, routine time and language (and the `site` settings the e-mail shows), for every batch
    that needs it: a few kilobytes each."""
    with translation.override(language):
        context = _context(evening, at=at, alarms=[], done=DONE_SLOT, unsubscribe=UNSUBSCRIBE_SLOT)
    parts = render_email("reminder", context, language)
    if not raw:
        return parts, None, ""
    headers = {
        **unsubscribe_headers(None, url=UNSUBSCRIBE_SLOT),
        "Date": DATE_SLOT,
        "Message-ID": MESSAGE_ID_SLOT,
    }
    message = compose_email(TO_SLOT, *parts, language=language, headers=headers)
    data = message.message().as_bytes(linesep="\r\n")
    sender = sanitize_address(message.from_email, message.encoding or settings.DEFAULT_CHARSET)
    fits = all(data.count(slot.encode()) == count for slot, count in SLOTS.items())
    long_lines = any(len(line) + ROOM > LONGEST_LINE for line in data.split(b"\r\n") if b"cramps-slot-" in line)
    return parts, data if fits and not long_lines else None, sender


def _context(evening, *, at, alarms: list, done: str, unsubscribe: str) -> dict:
    return {
        "alarms": alarms,
        "evening": evening,
        "at": at,
        "minutes": round(ROUTINE_SECONDS / 60),
        "routine": [{"exercise": e, "summary": exercise_summary(e)} for e in ROUTINE],
        "done_url": done,
        "tonight_url": absolute(reverse("prevention:tonight")),
        "schedule_url": absolute(reverse("prevention:schedule")),
        "unsubscribe_url": unsubscribe,
    }


def reminder_context(reminder: Reminder, schedule: Schedule) -> dict:
    """The whole context of one person's reminder e-mail, rendered for them alone."""
    at = routine_time(reminder.user.profile.bedtime, schedule.at)
    return _context(
        reminder.evening,
        at=at,
        alarms=open_alarms(reminder.user),
        done=done_url(reminder.user_id, reminder.evening),
        unsubscribe=unsubscribe_url(reminder.user_id),
    )
