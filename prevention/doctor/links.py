"""Share links for a doctor: read-only, unguessable, expiring, revocable.

The secret is 32 random bytes (`secrets.token_urlsafe`), shown to the person once; the
database keeps only its SHA-256, so a leaked database or backup opens no report. A link
works until it expires (14 days unless chosen otherwise) or is revoked, whichever is first.
Each link keeps the report's period the person chose (4 weeks, 3 months, a year or the whole
diary), counted back from the day it is opened, so a doctor always sees the latest entries.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from prevention.models import DoctorLink

DEFAULT_DAYS = 14
MAX_DAYS = 90
TOKEN_BYTES = 32


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_link(
    user, *, days: int = DEFAULT_DAYS, period: str = DoctorLink.Period.THREE_MONTHS, now: datetime | None = None
) -> tuple[DoctorLink, str]:
    """A new link and its secret (the only time the secret exists outside the person's hands).

    `period` is the report's period the person chose (DoctorLink.Period), counted back from the
    day the doctor opens the link."""
    if period not in DoctorLink.Period.values:
        raise ValueError(f"unknown report period {period!r}")
    now = now or timezone.now()
    token = secrets.token_urlsafe(TOKEN_BYTES)
    days = max(1, min(MAX_DAYS, days))
    link = DoctorLink.objects.create(
        user=user, token_hash=hash_token(token), expires_at=now + timedelta(days=days), period=period
    )
    return link, token


def active_link(token: str, now: datetime | None = None) -> DoctorLink | None:
    """The link this secret opens, if it is neither expired nor revoked and its owner's account is active."""
    if not token or len(token) > 200:
        return None
    now = now or timezone.now()
    link = (
        DoctorLink.objects.select_related("user__profile")
        .filter(token_hash=hash_token(token), revoked_at__isnull=True, expires_at__gt=now, user__is_active=True)
        .first()
    )
    return link


def mark_opened(link: DoctorLink, now: datetime | None = None) -> None:
    """The one write a doctor's visit makes: when the link was last opened, for the person's account page."""
    now = now or timezone.now()
    DoctorLink.objects.filter(pk=link.pk).update(last_opened_at=now)
    link.last_opened_at = now


def revoke(user, pk: int, now: datetime | None = None) -> bool:
    """Revoke one of the person's own links; False if there is none of that number (or it was already revoked)."""
    return bool(
        DoctorLink.objects.filter(user=user, pk=pk, revoked_at__isnull=True).update(revoked_at=now or timezone.now())
    )


ENDED_LINKS_SHOWN = 20


def links_of(user, now: datetime | None = None) -> list[DoctorLink]:
    """For the account page, newest first: every link that still opens, however many (each must be
    revocable there), and the latest ENDED_LINKS_SHOWN revoked or expired ones; each marked `expired`."""
    now = now or timezone.now()
    mine = DoctorLink.objects.filter(user=user).order_by("-created_at")
    live = mine.filter(revoked_at__isnull=True, expires_at__gt=now)
    ended = mine.filter(Q(revoked_at__isnull=False) | Q(expires_at__lte=now))[:ENDED_LINKS_SHOWN]
    items = sorted([*live, *ended], key=lambda link: link.created_at, reverse=True)
    for link in items:
        link.expired = link.expires_at <= now
    return items
