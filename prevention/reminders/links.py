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

from datetime import date

from django.conf import settings
from django.core import signing
from django.urls import reverse

from cramps.tokens import seal, unseal



DONE_LINK_MAX_AGE = 36 * 3600


# An unsubscribe link works for half a year (a mail client may use it long after the e-mail came);
# later, the schedule page (after signing in) switches reminders off.
UNSUBSCRIBE_LINK_MAX_AGE = 183 * 24 * 3600


DONE_SALT = "prevention.reminders.done"


UNSUBSCRIBE_SALT = "prevention.reminders.unsubscribe"


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
