"""Reads for the insights page and the doctor's report: a fixed number of queries, whatever the diary's size.

Everything comes back as plain values (prevention/insights/analysis.py works on them without
the database). Ranges are of diary days (diary/attribution.py): a cramp at 3 a.m. belongs to
the evening before, so it is in the range when that evening is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from diary.middleware import profile_of
from diary.models import DayLog, Episode
from diary.services import local_evening_for
from prevention.assessment.facts import DayFacts, ProfileFacts
from prevention.assessment.services import DAY_FIELDS, profile_facts_of
from prevention.models import Plan, Schedule


@dataclass(frozen=True)
class Cramp:
    day: date  # the diary day (attributed)
    started: datetime  # local time
    leg: str
    muscle: str
    intensity: int
    duration_seconds: int | None
    context: str
    notes: str


@dataclass(frozen=True)
class PlanMark:
    number: int
    day: date  # local date the version was made


@dataclass(frozen=True)
class DiaryData:
    first: date | None  # the range's first diary day (None: from the diary's first day)
    last: date
    cramps: tuple[Cramp, ...]
    days: tuple[DayFacts, ...]
    profile: ProfileFacts
    plans: tuple[PlanMark, ...]  # every version, oldest first (also those outside the range)
    open_from: date | None = None  # the evening the person is in now: its night is not over (facts.Diary)

    def nights(self) -> list[date]:
        """The logged days whose night is over, in order."""
        return sorted(d.date for d in self.days if self.open_from is None or d.date < self.open_from)

    @property
    def start(self) -> date:
        """The first day shown: the range's first day, or the diary's first day in it if that is later
        (weeks before the diary began are not weeks without cramps)."""
        known = [c.day for c in self.cramps] + [d.date for d in self.days]
        if not known:
            return self.first or self.last
        return max(self.first, min(known)) if self.first is not None else min(known)


CRAMP_FIELDS = ("day", "started_at", "leg", "muscle", "intensity", "duration_seconds", "context", "notes")


def _cramps(user, first: date | None, last: date, zone: tzinfo) -> tuple[Cramp, ...]:
    rows = Episode.objects.filter(user=user, day__lte=last)
    if first is not None:
        rows = rows.filter(day__gte=first)
    return tuple(
        Cramp(
            day=row["day"],
            started=row["started_at"].astimezone(zone),
            leg=row["leg"],
            muscle=row["muscle"],
            intensity=row["intensity"],
            duration_seconds=row["duration_seconds"],
            context=row["context"],
            notes=row["notes"],
        )
        for row in rows.order_by("started_at").values(*CRAMP_FIELDS).iterator(chunk_size=2000)
    )


def _days(user, first: date | None, last: date) -> tuple[DayFacts, ...]:
    rows = DayLog.objects.filter(user=user, date__lte=last)
    if first is not None:
        rows = rows.filter(date__gte=first)
    return tuple(
        DayFacts(**{**row, "foods": frozenset(row["foods"] or ()), "symptoms": frozenset(row["symptoms"] or ())})
        for row in rows.order_by("date").values(*DAY_FIELDS).iterator(chunk_size=2000)
    )


def plan_marks(user, zone: tzinfo) -> tuple[PlanMark, ...]:
    rows = Plan.objects.filter(user=user).order_by("number").values_list("number", "created_at")
    return tuple(PlanMark(number, created.astimezone(zone).date()) for number, created in rows)


def diary_data(user, first: date | None, last: date) -> DiaryData:
    """Four queries at most (profile, cramps, day logs, plan versions), for a week or for years."""
    zone = profile_of(user).zone
    return DiaryData(
        first=first,
        last=last,
        cramps=_cramps(user, first, last, zone),
        days=_days(user, first, last),
        profile=profile_facts_of(user),
        plans=plan_marks(user, zone),
        open_from=local_evening_for(user),
    )


def routine_weekdays(user) -> list[int]:
    """The routine's evenings, read only (a GET must not create the schedule)."""
    weekdays = Schedule.objects.filter(user=user).values_list("weekdays", flat=True).first()
    return list(weekdays) if weekdays is not None else [0, 1, 2, 3, 4, 5, 6]


def routine_done_days(user, first: date, last: date) -> set[date]:
    return set(
        DayLog.objects.filter(user=user, exercises_done=True, date__gte=first, date__lte=last).values_list(
            "date", flat=True
        )
    )


def latest_plan(user) -> Plan | None:
    return Plan.objects.filter(user=user).order_by("-number").first()
