"""Reads and writes for the assessment (the engine itself never touches the database).

Reads: `diary_for` (the diary as plain values), `current_assessment`, `open_alarms` (the open
emergency and urgent flags, from the last two weeks only). Writes: `ensure_snapshot` records the
day's snapshot, idempotently.
"""

from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from diary.middleware import profile_of
from diary.models import DayLog, Episode
from diary.services import local_evening_for
from prevention.assessment.document import picture, present, to_document
from prevention.assessment.engine import assess
from prevention.assessment.facts import RECENT_SIGN_DAYS, Assessment, DayFacts, Diary, EpisodeFacts, ProfileFacts
from prevention.assessment.flag_rules import ALARM_URGENCIES, LOOKBACK_DAYS
from prevention.models import Snapshot

DAY_FIELDS = DayLog.RECORDED


EPISODE_FIELDS = ("day", "intensity", "leg", "muscle", "duration_seconds", "context", "relieved_by")


def profile_facts_of(user) -> ProfileFacts:
    profile = profile_of(user)
    return ProfileFacts(
        sex=profile.sex,
        birth_year=profile.birth_year,
        pregnant=profile.pregnant,
        pregnancy_week=profile.pregnancy_week if profile.pregnant else None,
        flat_feet=profile.flat_feet or "unknown",
        conditions=frozenset(profile.conditions or ()),
        medications=frozenset(profile.medications or ()),
    )


def diary_for(user, since: date | None = None) -> Diary:
    """One person's diary (from `since`, or all of it) as the engine's plain values: two queries, no model instances."""
    facts = profile_facts_of(user)
    episode_rows = Episode.objects.filter(user=user)
    day_rows = DayLog.objects.filter(user=user)
    if since is not None:
        episode_rows, day_rows = episode_rows.filter(day__gte=since), day_rows.filter(date__gte=since)
    episodes = tuple(
        _episode_facts(row) for row in episode_rows.order_by().values(*EPISODE_FIELDS).iterator(chunk_size=2000)
    )
    days = tuple(_day_facts(row) for row in day_rows.order_by("date").values(*DAY_FIELDS).iterator(chunk_size=2000))
    return Diary(profile=facts, episodes=episodes, days=days, open_from=local_evening_for(user))


def _episode_facts(row: dict) -> EpisodeFacts:
    return EpisodeFacts(**{**row, "relieved_by": frozenset(row["relieved_by"] or ())})


def _day_facts(row: dict) -> DayFacts:
    return DayFacts(**{**row, "foods": frozenset(row["foods"] or ()), "symptoms": frozenset(row["symptoms"] or ())})


def last_recorded_day(user) -> date | None:
    days = [
        DayLog.objects.filter(user=user).aggregate(last=Max("date"))["last"],
        Episode.objects.filter(user=user).aggregate(last=Max("day"))["last"],
    ]
    known = [d for d in days if d is not None]
    return max(known) if known else None


# The days before the last recorded one that can hold an open alarm's sign (RECENT_SIGN_DAYS) and
# the evidence it rests on (LOOKBACK_DAYS: a cramp near dark urine, a calf sign before chest pain).
ALARM_WINDOW_DAYS = RECENT_SIGN_DAYS + LOOKBACK_DAYS


def open_alarms(user) -> list[dict]:
    """The emergency and urgent red flags the newest diary evidence still supports, ready to show.

    Only the last RECENT_SIGN_DAYS can hold such a sign, and its evidence reaches back at most
    LOOKBACK_DAYS before it (a cramp near dark urine, a calf sign before chest pain), so only
    those days are read: cheap enough for every diary page and every reminder.
    """
    last = last_recorded_day(user)
    if last is None:
        return []
    return alarms_in(diary_for(user, since=last - timedelta(days=ALARM_WINDOW_DAYS)))


def recent_diaries(users) -> dict[int, Diary]:
    """Each person's diary from the last ALARM_WINDOW_DAYS before their last recorded day, as
    `open_alarms` reads it, for many people at once: four queries however many (a reminder batch).
    People with nothing recorded are left out: they have no open alarm."""
    by_id = {user.pk: user for user in users}
    last: dict[int, date] = {}
    for model, field in ((DayLog, "date"), (Episode, "day")):
        rows = model.objects.filter(user_id__in=by_id).order_by().values("user_id").annotate(last=Max(field))
        for row in rows:
            last[row["user_id"]] = max(last.get(row["user_id"], row["last"]), row["last"])
    if not last:
        return {}
    since = {user_id: day - timedelta(days=ALARM_WINDOW_DAYS) for user_id, day in last.items()}
    earliest = min(since.values())
    episodes: dict[int, list[EpisodeFacts]] = {user_id: [] for user_id in last}
    rows = Episode.objects.filter(user_id__in=list(last), day__gte=earliest).order_by()
    for row in rows.values("user_id", *EPISODE_FIELDS).iterator(chunk_size=2000):
        user_id = row.pop("user_id")
        if row["day"] >= since[user_id]:
            episodes[user_id].append(_episode_facts(row))
    days: dict[int, list[DayFacts]] = {user_id: [] for user_id in last}
    rows = DayLog.objects.filter(user_id__in=list(last), date__gte=earliest).order_by("user_id", "date")
    for row in rows.values("user_id", *DAY_FIELDS).iterator(chunk_size=2000):
        user_id = row.pop("user_id")
        if row["date"] >= since[user_id]:
            days[user_id].append(_day_facts(row))
    return {
        user_id: Diary(
            profile=profile_facts_of(by_id[user_id]), episodes=tuple(episodes[user_id]), days=tuple(days[user_id])
        )
        for user_id in last
    }


def alarms_in(diary: Diary) -> list[dict]:
    """The open emergency and urgent flags of a recent diary, in the current language (pure: no queries)."""
    doc = present(to_document(assess(diary)))
    return [flag for flag in doc["red_flags"] if flag["urgency"] in ALARM_URGENCIES]


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


def ensure_document(user, today: date, now: datetime | None = None) -> dict:
    """Assess the diary now, record the snapshot, and return the document."""
    return ensure_snapshot(user, today, now).document


def ensure_snapshot(user, today: date, now: datetime | None = None) -> Snapshot:
    doc = to_document(current_assessment(user, now))
    return record_snapshot(user, doc, today)
