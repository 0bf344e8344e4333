"""The links in a reminder e-mail: "Done" and unsubscribe (sealed tokens, cramps/tokens.py), and the
RFC 8058 one-click unsubscribe headers."""

from __future__ import annotations

from collections.abc import Callable
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


def unsubscribe_url(user_id: int) -> str:
    return absolute(reverse("prevention:unsubscribe", args=[unsubscribe_token(user_id)]))


def done_url(user_id: int, evening: date) -> str:
    return absolute(reverse("prevention:done_link", args=[done_token(user_id, evening)]))


TOKEN_SLOT = "cramps-token-slot"


def link_maker(view: str) -> Callable[[str], str]:
    """The absolute link of `view` for a token, reversed once (for a batch): a sealed token is
    URL-safe base64 (letters, digits, - and _), which reverse() would put in as it is."""
    head, tail = absolute(reverse(view, args=[TOKEN_SLOT])).split(TOKEN_SLOT)
    return lambda token: head + token + tail


def unsubscribe_headers(user, url: str | None = None) -> dict[str, str]:
    """RFC 8058 one-click unsubscribe: the mail client POSTs "List-Unsubscribe=One-Click" to the link
    (`url`, when the caller has it already: each link is sealed afresh, which costs)."""
    url = url or unsubscribe_url(user.pk)
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
