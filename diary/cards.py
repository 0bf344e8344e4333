"""The diary page, kept in the cache until what it shows changes: the page and each day card.

Rendering the 14 cards of a diary page was three quarters of its time, and its dozen queries
most of the rest (docs/performance.md). Two layers, both in Django's default cache (Redis in
production, shared by the web processes; the process's own memory in the embedded default):

- **The page** (``diary:page:<user id>:<page number>``): its cards and page count, kept with a
  digest of the person's ``Profile.diary_version``, the profile's id, the date today, the
  language, the time zone, the URL prefix and the code's fingerprint. ``diary_version`` is
  raised by the database in the same transaction as every change to the person's cramps and
  day logs (migration 0004's triggers: forms, imports, the admin, deletions, cascades), and
  the profile is read at the start of each request anyway, so a page answered from the cache
  costs no query of its own.
- **A day card** (``diary:card:<user id>:<date>``): kept with a digest of everything the card
  shows: the day log's fields, each cramp's fields and id (its edit link), the language, the
  zone (a cramp's clock time), whether the "add a day log" link applies (the date against
  today), the URL prefix and the fingerprint. After an edit the page is built again, but only
  the card whose contents changed is rendered again.

An entry is used only when its digest is the one the request computes now, so an edit, an
import, a deletion, a cramp moved to another night, a new language or a new zone can never show
an old page or card: a hit gives exactly what rendering would give. The fingerprint covers the
card's template, its filters, the vocabulary and the compiled translations (a deployment that
changes them starts afresh).

Deleted health data does not linger either: deleting a cramp or a day log drops that date's
card and every kept page of the person (a page holds its cards' words), and erasing an account
drops every card and page of the person (``forget_cards``, ``forget_pages``), the cards of dates
an entry has moved away from included (``dates_key`` lists every date carded). Entries expire after DIARY_CARD_CACHE_SECONDS (a day by default; 0 switches
both layers off).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.cache import cache as card_cache
from django.template.loader import get_template
from django.urls import get_script_prefix
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from .middleware import profile_of

CARD_TEMPLATE = "diary/_day_card.html"
DAYS_PER_PAGE = 14
DAY_LOG_SHOWN = (
    "date",
    "exertion",
    "training_minutes",
    "standing_hours",
    "footwear",
    "stress",
    "sleep_hours",
    "fluid_litres",
    "cold_exposure",
    "heavy_sweating",
    "exercises_done",
    "massage_done",
    "foods",
    "symptoms",
    "notes",
)
CRAMP_SHOWN = (
    "pk",
    "started_at",
    "day",
    "intensity",
    "leg",
    "muscle",
    "context",
    "duration_seconds",
    "relieved_by",
    "notes",
)


def card_key(user_id: int, day: date) -> str:
    return f"diary:card:{user_id}:{day.isoformat()}"


def dates_key(user_id: int) -> str:
    """Every date a card has been kept for (an entry may move away from a date; erasure reads this)."""
    return f"diary:card-dates:{user_id}"


def page_key(user_id: int, number: int) -> str:
    return f"diary:page:{user_id}:{number}"


def enabled() -> bool:
    return settings.DIARY_CARD_CACHE_SECONDS > 0


def account(user) -> tuple:
    """The account itself: its id and the moment it was made (an id used again, by a database
    restored from a backup or a rolled-back sign-up, is another account)."""
    return (user.pk, user.date_joined)


def version_digest(user, *more: object) -> str:
    """The state of the person's diary as this request sees it, with what else the caller depends on.

    The profile must have been read in this request (the time-zone middleware reads it first):
    its diary_version then belongs to a state no older than anything read after it.
    """
    profile = profile_of(user)
    parts = (
        render_fingerprint(),
        account(user),
        profile.pk,
        profile.diary_version,
        translation.get_language(),
        timezone.get_current_timezone_name(),
        get_script_prefix(),
        *more,
    )
    return hashlib.blake2b(repr(parts).encode(), digest_size=20).hexdigest()


# Keys of what other apps keep for the diary page (prevention: the warnings, the routine's
# evenings), as functions of the user id: the page fetches them with its own in one round trip.
PAGE_PARTS: list[Callable[[int], str]] = []


def fetch_page(request, number: int) -> None:
    """Everything kept for this diary page, in one round trip, for `kept(..., request)` to find."""
    keys = [page_key(request.user.pk, number), *(part(request.user.pk) for part in PAGE_PARTS)]
    found = card_cache.get_many(keys) if enabled() else {}
    request.diary_kept = {key: found.get(key) for key in keys}


def kept(key: str, digest: str, request=None):
    """What was kept under `key` for exactly this digest, or None (looked up by `fetch_page` when it ran)."""
    fetched = getattr(request, "diary_kept", None) or {}
    if key in fetched:
        entry = fetched[key]
    else:
        entry = card_cache.get(key) if enabled() else None
    if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == digest:
        return entry[1]
    return None


def keep(key: str, digest: str, value) -> None:
    if enabled():
        card_cache.set(key, (digest, value), timeout=settings.DIARY_CARD_CACHE_SECONDS)


@cache
def render_fingerprint() -> str:
    """What a page looks like besides its data: the card's template, its filters, the words, the
    translations, and the code that builds the page (this module, the views).

    Computed once per process: a deployment that changes any of them starts a new fingerprint.
    """
    digest = hashlib.blake2b(digest_size=16)
    digest.update(get_template(CARD_TEMPLATE).template.source.encode())
    here = Path(__file__).resolve().parent
    for path in (here / "templatetags" / "diary_tags.py", here / "vocabulary.py", here / "views.py", here / "cards.py"):
        digest.update(path.read_bytes())
    for folder in settings.LOCALE_PATHS:
        for catalogue in sorted(Path(folder).glob("*/LC_MESSAGES/django.mo")):
            digest.update(catalogue.read_bytes())
    return digest.hexdigest()


def card_digest(user, day: dict, today: date) -> str:
    """Everything the card of `day` ({"date", "log", "cramps", "worst"}) shows, as one digest."""
    log, cramps = day["log"], day["cramps"]
    parts: list[object] = [
        render_fingerprint(),
        account(user),
        day["date"],
        translation.get_language(),
        timezone.get_current_timezone_name(),
        get_script_prefix(),
        day["date"] <= today,  # the "add a day log" link, when there is no log
        None if log is None else tuple(getattr(log, name) for name in DAY_LOG_SHOWN),
        tuple(tuple(getattr(cramp, name) for name in CRAMP_SHOWN) for cramp in cramps),
    ]
    return hashlib.blake2b(repr(parts).encode(), digest_size=20).hexdigest()


def day_cards(user, days: Sequence[dict], today: date) -> list[SafeString]:
    """The rendered cards of `days`, from the cache where the kept card is still the right one."""
    seconds = settings.DIARY_CARD_CACHE_SECONDS
    if not enabled():
        return [_render(day, today) for day in days]
    keys = [card_key(user.pk, day["date"]) for day in days]
    digests = [card_digest(user, day, today) for day in days]
    kept = card_cache.get_many(keys)
    cards, fresh = [], {}
    for key, digest, day in zip(keys, digests, days, strict=True):
        entry = kept.get(key)
        if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == digest:
            cards.append(mark_safe(entry[1]))  # noqa: S308 - our own template's output, escaped when rendered
            continue
        html = _render(day, today)
        fresh[key] = (digest, str(html))
        cards.append(html)
    if fresh:
        card_cache.set_many(fresh, timeout=seconds)
        _remember_dates(user.pk, {day["date"] for key, day in zip(keys, days, strict=True) if key in fresh})
    return cards


def _remember_dates(user_id: int, new: set[date]) -> None:
    """Add to the person's list of carded dates; set again with each card, so it outlives them all."""
    card_cache.set(dates_key(user_id), kept_dates(user_id) | new, timeout=settings.DIARY_CARD_CACHE_SECONDS)


def kept_dates(user_id: int) -> frozenset[date]:
    """The dates cards may still be kept for (see dates_key)."""
    known = card_cache.get(dates_key(user_id))
    return known if isinstance(known, frozenset) else frozenset()


def _render(day: dict, today: date) -> SafeString:
    return mark_safe(get_template(CARD_TEMPLATE).render({"day": day, "today": today}))  # noqa: S308


def forget_cards(user_id: int, days: Iterable[date]) -> None:
    """Drop the kept cards of these dates (a deleted entry, an erased account)."""
    _forget([card_key(user_id, day) for day in set(days)])


def pages_for(days: int) -> int:
    """How many diary pages `days` dates with an entry fill."""
    return -(-days // DAYS_PER_PAGE)


def forget_pages(user_id: int, pages: int) -> None:
    """Drop the kept diary pages 1 … `pages` of the person (an erased account)."""
    _forget([page_key(user_id, number) for number in range(1, pages + 1)])


def forget_dates(user_id: int) -> None:
    _forget([dates_key(user_id)])


def _forget(keys: list[str]) -> None:
    for start in range(0, len(keys), 1000):
        card_cache.delete_many(keys[start : start + 1000])
