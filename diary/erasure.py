"""What account deletion must remove besides the rows that cascade from the user.

- **Sessions.** Django keeps sessions in the database, keyed by a random id, not by user: the
  person's signed-in sessions, and sign-in/sign-up sessions that hold their e-mail address in
  plain text (allauth keeps it there between steps), would stay until they expire.
- **The admin's log.** A LogEntry keeps ``object_repr`` (e.g. a cramp's description) and a
  change message for every change staff made to the person's records; it refers to them by
  content type and id only, so nothing cascades to it.
- **The diary page's cached day cards** (diary/cards.py): rendered health data kept in the cache
  (Redis in production) under the person's id. They are dropped now and again once the deletion
  is committed, so that a page rendered in between leaves nothing behind.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from .cards import forget_cards, forget_dates, forget_pages, kept_dates, pages_for
from .models import DayLog, Episode


def admin_log_of(user) -> list[int]:
    """Ids of the admin log entries about the person's user row and every row that belongs to them."""
    user_model = get_user_model()
    about: list[tuple[ContentType, list[str]]] = [(ContentType.objects.get_for_model(user_model), [str(user.pk)])]
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if (
                field.concrete
                and field.is_relation
                and (field.many_to_one or field.one_to_one)
                and field.related_model is user_model
            ):
                pks = [
                    str(pk)
                    for pk in model._default_manager.filter(**{field.name: user.pk}).values_list("pk", flat=True)
                ]
                if pks:
                    about.append((ContentType.objects.get_for_model(model), pks))
    ids: list[int] = []
    for content_type, pks in about:
        for start in range(0, len(pks), 500):
            ids += LogEntry.objects.filter(
                content_type=content_type, object_id__in=pks[start : start + 500]
            ).values_list("pk", flat=True)
    return ids


def sessions_of(user) -> list[str]:
    """Keys of the unexpired sessions signed in as the person or holding their address."""
    user_id, email = str(user.pk), (user.email or "").lower()
    store, keys = SessionStore(), []
    for key, data in (
        Session.objects.filter(expire_date__gt=timezone.now()).values_list("session_key", "session_data").iterator()
    ):
        decoded = store.decode(data)
        if not decoded:
            continue
        if (
            decoded.get("_auth_user_id") == user_id
            or decoded.get("account_authentication_methods_user") == user_id
            or email
            and _holds(decoded, email)
        ):
            keys.append(key)
    return keys


def _holds(value, email: str) -> bool:
    """Whether the session holds the address itself somewhere (exactly: not malice@ for alice@)."""
    if isinstance(value, str):
        return value.strip().lower() == email
    if isinstance(value, dict):
        return any(_holds(item, email) for pair in value.items() for item in pair)
    if isinstance(value, list | tuple | set):
        return any(_holds(item, email) for item in value)
    return False


def erase_traces(user) -> None:
    """Before the user row is deleted (the log entries' ids are found through their rows)."""
    LogEntry.objects.filter(pk__in=admin_log_of(user)).delete()
    LogEntry.objects.filter(user=user).delete()
    keys = sessions_of(user)
    for start in range(0, len(keys), 500):
        Session.objects.filter(session_key__in=keys[start : start + 500]).delete()
    forget_kept_pages(user)


def forget_kept_pages(user) -> None:
    """Drop the person's kept diary pages and cards, now and again once the deletion is committed."""
    user_id = user.pk
    days = set(DayLog.objects.filter(user=user).values_list("date", flat=True))
    days |= set(Episode.objects.filter(user=user).values_list("day", flat=True))
    days |= kept_dates(user_id)  # cards of dates an entry has moved away from are health data too
    pages = pages_for(len(days))

    def forget() -> None:
        forget_cards(user_id, days)
        forget_pages(user_id, pages)
        forget_dates(user_id)

    forget()
    transaction.on_commit(forget)
