"""What the diary's pages show from prevention, without the diary importing prevention."""

import functools
import hashlib
from dataclasses import astuple
from pathlib import Path

from django import template
from django.core.cache import cache

from diary import cards
from prevention.assessment import document, engine, facts, flag_rules
from prevention.assessment.rules import RULES_VERSION
from prevention.assessment.services import open_alarms, profile_facts_of
from prevention.plan.schedule import Adherence, adherence
from prevention.plan.services import routine_done_days, schedule_of

register = template.Library()


@functools.cache
def warning_code() -> str:
    """A fingerprint of the code that finds and words the warnings (a deployment that changes it starts afresh)."""
    digest = hashlib.blake2b(digest_size=16)
    for module in (facts, flag_rules, engine, document):
        digest.update(Path(module.__file__).read_bytes())
    return digest.hexdigest()


def alarms_key(user_id: int) -> str:
    return f"prevention:alarms:{user_id}"


def done_key(user_id: int) -> str:
    return f"prevention:done:{user_id}"


def forget_page_parts(user_id: int) -> None:
    """Drop what the diary page keeps from prevention for the person (an erased account)."""
    cache.delete_many([alarms_key(user_id), done_key(user_id)])


@register.simple_tag(takes_context=True)
def alarms_of(context, user) -> list[dict]:
    """The open emergency and urgent red flags of `user` (prevention.services.open_alarms).

    Kept in the cache with the diary page (diary/cards.py) until the diary changes (its
    `diary_version`), or the profile, the language or the rules do: the warnings read the
    profile and the last two weeks of diary, nothing else. A page only: after a save the
    warning check (prevention.signals) always assesses afresh.
    """
    if not getattr(user, "is_authenticated", False):
        return []
    # Sorted: a frozenset's order differs from one process to the next, the digest must not.
    profile = tuple(sorted(v) if isinstance(v, frozenset) else v for v in astuple(profile_facts_of(user)))
    digest = cards.version_digest(user, RULES_VERSION, warning_code(), profile)
    alarms = cards.kept(alarms_key(user.pk), digest, context.get("request"))
    if alarms is None:
        alarms = open_alarms(user)
        cards.keep(alarms_key(user.pk), digest, alarms)
    return alarms


@register.simple_tag(takes_context=True)
def adherence_of(context, user, today) -> Adherence:
    """How the bedtime routine went up to `today` (the card on the diary home).

    The evenings done come from the day logs, kept with the diary page until the diary changes;
    the routine's weekdays are read with the profile, at the start of the request.
    """
    schedule = schedule_of(user)
    digest = cards.version_digest(user, today)
    done = cards.kept(done_key(user.pk), digest, context.get("request"))
    if done is None:
        done = routine_done_days(user, today)
        cards.keep(done_key(user.pk), digest, done)
    return adherence(done, set(schedule.weekdays), today)


@register.simple_tag
def doctor_links_of(user) -> list:
    """The person's share links for a doctor (the account page lists them)."""
    from prevention.doctor.links import links_of

    if not getattr(user, "is_authenticated", False):
        return []
    return links_of(user)


@register.simple_tag
def report_periods() -> list:
    """The periods a doctor's link can show (DoctorLink.Period), for the share forms."""
    from prevention.models import DoctorLink

    return DoctorLink.Period.choices
