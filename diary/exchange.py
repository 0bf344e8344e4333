"""Export and import of a whole diary in the shared format (diary/spec/diary-export.schema.json).

The schema is a copy of ../shared/spec (a test keeps the two equal) so that a deployed
app, which has no shared/ folder beside it, still validates.

Import is all or nothing: every problem is reported with its place in the file, and
nothing is written unless there are none. Importing the same file twice adds nothing
twice: a cramp with the same start, leg and muscle is the same cramp, and a day log
identical to the one already kept for its date is skipped.
"""

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from . import bulk
from . import vocabulary as v
from .import_check import (  # parse_document and parse_instant are read from here too (manage.py assess)
    Problem,
    ProblemList,
    parse_document,  # noqa: F401
    parse_instant,
    read_document,
    without_cycle_collection,
)
from .locking import lock_person
from .middleware import profile_of
from .models import DayLog, Episode, Profile, utc_second
from .schema_check import SCHEMA_PATH, schema  # noqa: F401  (the export's schema, read by tests and the import)

# Keys left out when empty (the schema has no null for them) and keys always written.
PROFILE_OPTIONAL = ("sex", "flat_feet", "birth_year")
PROFILE_VALUES = ("pregnant", "pregnancy_week", "conditions", "medications")
EPISODE_FIELDS = ("leg", "muscle", "intensity", "duration_seconds")
# The profile fields that are codes (the ones an import may change: Profile.EDITABLE).
PROFILE_CHOICES = {"sex": v.SEX, "flat_feet": v.FLAT_FEET, "conditions": v.CONDITIONS, "medications": v.MEDICATIONS}
DAY_ENUMS = ("exertion", "footwear")
DAY_VALUES = (
    "training_minutes",
    "standing_hours",
    "cold_exposure",
    "stress",
    "sleep_hours",
    "foods",
    "exercises_done",
    "massage_done",
    "symptoms",
    "heavy_sweating",
    "fluid_litres",
    "notes",
)


# ---------------------------------------------------------------- export


def _profile_dict(profile: Profile) -> dict[str, Any]:
    doc: dict[str, Any] = {"timezone": profile.timezone}
    if profile.bedtime is not None:
        doc["bedtime"] = profile.bedtime.strftime("%H:%M")
    for name in PROFILE_OPTIONAL:
        if getattr(profile, name) not in (None, ""):
            doc[name] = getattr(profile, name)
    for name in PROFILE_VALUES:
        doc[name] = getattr(profile, name)
    return doc


def instant_text(instant: datetime, zone) -> str:
    """An RFC 3339 date-time at the person's local offset, or in UTC where that offset has seconds
    (a zone's local mean time before about 1970, e.g. Kyiv before 1924: +02:02:04), which RFC 3339
    and our import do not take. The instant is the same either way."""
    local = instant.astimezone(zone)
    offset = local.utcoffset()
    return (local if offset is None or offset.seconds % 60 == 0 else instant.astimezone(UTC)).isoformat()


def episode_dict(episode: Episode, zone) -> dict[str, Any]:
    doc: dict[str, Any] = {"started_at": instant_text(episode.started_at, zone)}
    for name in EPISODE_FIELDS:
        doc[name] = getattr(episode, name)
    if episode.context:
        doc["context"] = episode.context
    doc["relieved_by"] = list(episode.relieved_by)
    doc["notes"] = episode.notes
    return doc


def day_dict(day_log: DayLog) -> dict[str, Any]:
    doc: dict[str, Any] = {"date": day_log.date.isoformat()}
    for name in DAY_ENUMS:
        if getattr(day_log, name):
            doc[name] = getattr(day_log, name)
    for name in DAY_VALUES:
        doc[name] = getattr(day_log, name)
    return doc


def export_document(user, now: datetime | None = None) -> dict[str, Any]:
    profile = profile_of(user)
    zone = profile.zone
    now = (now or timezone.now()).astimezone(zone).replace(microsecond=0)
    return {
        "format": "cramps-diary",
        "version": 1,
        "exported_at": instant_text(now, zone),
        "profile": _profile_dict(profile),
        "episodes": [
            episode_dict(e, zone) for e in Episode.objects.filter(user=user).order_by("started_at", "id").iterator()
        ],
        "days": [day_dict(d) for d in DayLog.objects.filter(user=user).order_by("date").iterator()],
    }


def _csv_cell(value: Any) -> Any:
    # A cell starting with = + - @ would run as a formula in a spreadsheet.
    if isinstance(value, list):
        value = ";".join(value)
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value


#: Excel and LibreOffice read a CSV as UTF-8 only when it starts with the byte-order mark.
CSV_BOM = "\ufeff"


def episodes_csv(user) -> str:
    zone = profile_of(user).zone
    out = io.StringIO()
    out.write(CSV_BOM)
    writer = csv.writer(out)
    columns = [
        "started_at",
        "diary_day",
        "leg",
        "muscle",
        "intensity",
        "duration_seconds",
        "context",
        "relieved_by",
        "notes",
    ]
    writer.writerow(columns)
    for episode in Episode.objects.filter(user=user).order_by("started_at", "id").iterator():
        row = episode_dict(episode, zone)
        row["diary_day"] = episode.day.isoformat()
        writer.writerow([_csv_cell(row.get(c)) for c in columns])
    return out.getvalue()


def days_csv(user) -> str:
    out = io.StringIO()
    out.write(CSV_BOM)
    writer = csv.writer(out)
    columns = ["date", *DAY_ENUMS, *DAY_VALUES]
    writer.writerow(columns)
    for day_log in DayLog.objects.filter(user=user).order_by("date").iterator():
        row = day_dict(day_log)
        writer.writerow([_csv_cell(row.get(c)) for c in columns])
    return out.getvalue()


# ---------------------------------------------------------------- import


@dataclass(frozen=True)
class ProfileChange:
    """One profile field the import would change: its name and values as the file has them (JSON)."""

    name: str
    old_value: Any
    new_value: Any

    @property
    def label(self) -> str:
        return str(capfirst(getattr(Profile._meta.get_field(self.name), "verbose_name", self.name)))

    @property
    def old(self) -> str:
        return _shown(self.name, self.old_value)

    @property
    def new(self) -> str:
        return _shown(self.name, self.new_value)


@dataclass
class ImportResult:
    """What an import added (or, for a preview, would add), skipped and change; or its problems."""

    problems: ProblemList = field(default_factory=ProblemList)
    episodes_added: int = 0
    episodes_skipped: int = 0
    days_added: int = 0
    days_skipped: int = 0
    profile_changes: list[ProfileChange] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _apply_profile(profile: Profile, doc: dict) -> None:
    """Set the file's profile on `profile` (in memory; the caller saves)."""
    profile.timezone = doc["timezone"]
    if "bedtime" in doc:
        profile.bedtime = time.fromisoformat(doc["bedtime"])
    for name in (*PROFILE_OPTIONAL, *PROFILE_VALUES):
        if name in doc:
            setattr(profile, name, doc[name])
    if not profile.pregnant:
        profile.pregnancy_week = None  # the profile form's rule


def _shown(name: str, value: Any) -> str:
    """A profile value as the profile page words it, in the language of the request."""
    if value in (None, "", []):
        return _("not set")
    if name in PROFILE_CHOICES:
        codes = value if isinstance(value, list) else [value]
        return ", ".join(v.label(PROFILE_CHOICES[name], code) for code in codes)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return str(value)


def _json_value(value: Any) -> Any:
    return value.strftime("%H:%M") if isinstance(value, time) else value  # 24-hour, as the app writes times


def profile_changes(profile: Profile, doc: dict) -> list[ProfileChange]:
    """Every profile field the file's profile would change, in the profile form's order."""
    after = Profile(**{f.attname: getattr(profile, f.attname) for f in Profile._meta.concrete_fields})
    _apply_profile(after, doc)
    changes = []
    for name in Profile.EDITABLE:
        old, new = _json_value(getattr(profile, name)), _json_value(getattr(after, name))
        if old != new and not (old in (None, "", []) and new in (None, "", [])):
            changes.append(ProfileChange(name=name, old_value=old, new_value=new))
    return changes


def summary_of(result: ImportResult) -> dict[str, Any]:
    """What a preview shows, as JSON, kept with the uploaded file (the import checks the file again)."""
    return {
        "episodes_added": result.episodes_added,
        "episodes_skipped": result.episodes_skipped,
        "days_added": result.days_added,
        "days_skipped": result.days_skipped,
        "profile_changes": [[c.name, c.old_value, c.new_value] for c in result.profile_changes],
    }


def result_from(summary: dict[str, Any]) -> ImportResult:
    changes = [ProfileChange(name=n, old_value=o, new_value=w) for n, o, w in summary.get("profile_changes", [])]
    return ImportResult(
        episodes_added=int(summary.get("episodes_added", 0)),
        episodes_skipped=int(summary.get("episodes_skipped", 0)),
        days_added=int(summary.get("days_added", 0)),
        days_skipped=int(summary.get("days_skipped", 0)),
        profile_changes=changes,
    )


def _new_episode(user, doc: dict, zone, started_at: datetime) -> Episode:
    episode = Episode(
        user_id=user.pk,  # not user=: the relation's descriptor costs as much as the rest together
        started_at=started_at,
        leg=doc["leg"],
        muscle=doc["muscle"],
        intensity=doc["intensity"],
        duration_seconds=doc.get("duration_seconds"),
        context=doc.get("context", ""),
        relieved_by=list(doc.get("relieved_by", [])),
        notes=doc.get("notes", ""),
    )
    episode.attribute(zone)
    return episode


def _new_day_log(user, doc: dict) -> DayLog:
    day_log = DayLog(user_id=user.pk, date=date.fromisoformat(doc["date"]))
    for name in (*DAY_ENUMS, *DAY_VALUES):
        if name in doc and doc[name] is not None:
            setattr(day_log, name, doc[name])
        elif name in doc:  # an explicit null for an optional number
            setattr(day_log, name, None)
    return day_log


def _days_to_add(user, items: list, result: ImportResult) -> list[DayLog]:
    """The file's day logs that are new; one already kept and identical is skipped, a different one is a problem.

    Also run on a refused file, for its day logs whose date can be read, so that a clash with
    the diary is reported with the file's other problems.
    """
    existing_days = {d.date: day_dict(d) for d in DayLog.objects.filter(user=user)}
    # For a refused file only the clashes matter: its new day logs are not built (238,000 of them took 3 s).
    refused = bool(result.problems)
    new_days = []
    for i, item in enumerate(items):
        if type(item) is not dict or type(item.get("date")) is not str:
            continue
        try:
            day = date.fromisoformat(item["date"])
        except ValueError:  # not a date: the schema's problem, already listed
            continue
        current = existing_days.get(day)
        if current is None:
            if not refused:
                new_days.append(_new_day_log(user, item))
            continue
        if current == day_dict(_new_day_log(user, item)):
            result.days_skipped += 1
        else:
            result.problems.note(
                lambda: f"days[{i}]",
                lambda: (
                    _("You already keep a different day log for %(date)s. Change or delete it first.")
                    % {"date": item["date"]}
                ),
            )
    return new_days


def _episodes_to_add(user, items: list, zone, result: ImportResult) -> list[Episode]:
    """The file's cramps not already in the diary (same start, leg and muscle), built only for those.

    Counted, not deduplicated: two cramps of the file with the same start, leg and muscle (logged
    within the same minute, as the form's "Another one?" invites) are two cramps, and importing the
    file again finds both already there.
    """
    already = Counter(Episode.objects.filter(user=user).values_list("started_at", "leg", "muscle"))
    new_episodes = []
    for item in items:
        started_at = utc_second(parse_instant(item["started_at"]))
        key = (started_at, item["leg"], item["muscle"])
        if already[key] > 0:
            already[key] -= 1
            result.episodes_skipped += 1
            continue
        new_episodes.append(_new_episode(user, item, zone, started_at))
    return new_episodes


def _plan(user, profile: Profile, raw: bytes) -> tuple[ImportResult, Profile | None, list[DayLog], list[Episode]]:
    """Every problem of the file, or the profile after it and the rows it adds; writes nothing."""
    doc, problems = read_document(raw)
    result = ImportResult(problems=problems)
    new_days = _days_to_add(user, doc["days"], result) if type(doc) is dict and type(doc.get("days")) is list else []
    if result.problems or type(doc) is not dict:
        return result, None, [], []
    after = Profile(**{f.attname: getattr(profile, f.attname) for f in Profile._meta.concrete_fields})
    _apply_profile(after, doc["profile"])
    new_episodes = _episodes_to_add(user, doc["episodes"], after.zone, result)
    result.profile_changes = profile_changes(profile, doc["profile"])
    result.days_added, result.episodes_added = len(new_days), len(new_episodes)
    return result, after, new_days, new_episodes


@without_cycle_collection()
def preview_import(user, raw: bytes) -> ImportResult:
    """What importing the file would add, skip and change in the profile, or all its problems; a read."""
    result, _after, _days, _episodes = _plan(user, profile_of(user), raw)
    return result


@without_cycle_collection()  # the rows built for a large file, like its JSON, hold no cycles
def import_document(user, raw: bytes) -> ImportResult:
    """Check the file again against the diary as it is now, and import it whole or not at all."""
    with transaction.atomic():
        lock_person(user.pk)  # the account first, as every writer of several of a person's rows
        profile = Profile.objects.select_for_update().get(pk=profile_of(user).pk)
        result, after, new_days, new_episodes = _plan(user, profile, raw)
        if after is not None:
            try:
                with transaction.atomic():  # a savepoint: the refusal below can still be answered
                    after.save()
                    bulk.insert(DayLog, new_days)
                    bulk.insert(Episode, new_episodes)
            except IntegrityError:
                # A day log saved from another tab between the check above and this insert.
                changed = _("The diary changed while importing. Nothing was imported; try again.")
                result.problems.add(Problem("", changed))
        if result.problems:
            transaction.set_rollback(True)
            result.days_added = result.episodes_added = 0
            return result
    user.profile = after  # later reads in this request see the imported profile
    return result
