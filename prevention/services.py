"""Reads and writes for the assessment; the engine itself (assessment.py) never touches the database."""

from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from diary.middleware import profile_of
from diary.models import DayLog, Episode

from .assessment import Assessment, DayFacts, Diary, EpisodeFacts, ProfileFacts, assess
from .models import Snapshot
from .report import picture, to_document

DAY_FIELDS = (
    "date", "exertion", "training_minutes", "standing_hours", "footwear", "cold_exposure", "heavy_sweating",
    "fluid_litres", "stress", "sleep_hours", "foods", "exercises_done", "massage_done", "symptoms",
)
EPISODE_FIELDS = ("day", "intensity", "leg", "muscle", "duration_seconds", "context", "relieved_by")


def diary_for(user) -> Diary:
    """One person's whole diary as the engine's plain values: two queries, no model instances."""
    profile = profile_of(user)
    facts = ProfileFacts(
        sex=profile.sex,
        birth_year=profile.birth_year,
        pregnant=profile.pregnant,
        pregnancy_week=profile.pregnancy_week if profile.pregnant else None,
        flat_feet=profile.flat_feet or "unknown",
        conditions=frozenset(profile.conditions or ()),
        medications=frozenset(profile.medications or ()),
    )
    episodes = tuple(
        EpisodeFacts(**{**row, "relieved_by": frozenset(row["relieved_by"] or ())})
        for row in Episode.objects.filter(user=user).order_by().values(*EPISODE_FIELDS).iterator(chunk_size=2000)
    )
    days = tuple(
        DayFacts(**{**row, "foods": frozenset(row["foods"] or ()), "symptoms": frozenset(row["symptoms"] or ())})
        for row in DayLog.objects.filter(user=user).order_by("date").values(*DAY_FIELDS).iterator(chunk_size=2000)
    )
    return Diary(profile=facts, episodes=episodes, days=days)


def current_assessment(user, now: datetime | None = None) -> Assessment:
    now = now or timezone.now()
    return assess(diary_for(user), assessed_at=now.astimezone(profile_of(user).zone))


def record_snapshot(user, doc: dict, today: date) -> Snapshot:
    """Keep the dated history of the picture: at most one snapshot a day, and a new one only when it changed.

    Today's snapshot is brought up to date in place; a new day gets a snapshot only if its
    causes, likelihoods or red flags differ from the last one, so the history shows changes.
    """
    latest = Snapshot.objects.filter(user=user).order_by("-date").first()
    if latest is not None and latest.date == today:
        if latest.document != doc:
            latest.document, latest.rules_version = doc, doc["rules_version"]
            latest.save(update_fields=["document", "rules_version", "updated_at"])
        return latest
    if latest is not None and latest.date > today:
        return latest  # the person moved west across the date line; keep the later one
    if latest is not None and picture(latest.document) == picture(doc):
        return latest
    try:
        with transaction.atomic():
            return Snapshot.objects.create(user=user, date=today, rules_version=doc["rules_version"], document=doc)
    except IntegrityError:  # a second tab recorded it a moment ago
        return Snapshot.objects.get(user=user, date=today)


def current_document(user, today: date, now: datetime | None = None) -> dict:
    """Assess the diary now, record the snapshot, and return the document."""
    doc = to_document(current_assessment(user, now))
    record_snapshot(user, doc, today)
    return doc
