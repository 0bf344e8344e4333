"""Reads and writes for the plan and the routine.

`ensure_plan` and `ensure_schedule` materialise derived rows and are idempotent; the rest either
reads (`routine_adherence`) or says what it writes (`set_item_shown`, `record_routine_done`,
`revoke_feed`).
"""

from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction

from diary.models import DayLog
from prevention.assessment.facts import ProfileFacts, only_the_tick
from prevention.assessment.services import ensure_snapshot, profile_facts_of
from prevention.models import Plan, Schedule, new_feed_token
from prevention.plan.content import LOCKED_ITEMS, build_plan
from prevention.plan.schedule import Adherence, adherence


def schedule_of(user) -> Schedule:
    """The person's schedule to read: the one read with the profile in this request if there is one
    (diary.middleware.READ_WITH_PROFILE), otherwise read (or made) now."""
    try:
        return user.routine_schedule
    except Schedule.DoesNotExist:
        return ensure_schedule(user)


def ensure_schedule(user) -> Schedule:
    # An account older than schedules (new ones get theirs with the profile): its next reminder
    # follows the schedule's creation (prevention.signals), due from now on.
    schedule, _created = Schedule.objects.get_or_create(user=user)
    user.routine_schedule = schedule
    return schedule


def plan_items(doc: dict, profile: ProfileFacts) -> list[dict]:
    return [
        {
            "code": i.code,
            "section": i.section,
            "answers": list(i.answers),
            "nutrients": list(i.nutrients),
            "foods": list(i.foods),
        }
        for i in build_plan(doc, profile)
    ]


def ensure_plan(user, today: date, now: datetime | None = None) -> Plan:
    """The plan for the latest assessment; a new version only when its items differ from the last one."""
    snapshot = ensure_snapshot(user, today, now)
    items = plan_items(snapshot.document, profile_facts_of(user))
    latest = Plan.objects.filter(user=user).order_by("-number").first()
    if latest is not None and latest.items == items:
        return latest
    number = (latest.number if latest else 0) + 1
    try:
        with transaction.atomic():
            return Plan.objects.create(
                user=user, number=number, snapshot=snapshot, rules_version=snapshot.rules_version, items=items
            )
    except IntegrityError:  # another tab made this version a moment ago
        return Plan.objects.filter(user=user).order_by("-number").first()


def set_item_shown(user, code: str, shown: bool) -> bool:
    """Show or hide a plan item; False (nothing changed) for an item that cannot be switched off."""
    if not shown and code in LOCKED_ITEMS:
        return False
    schedule = ensure_schedule(user)
    hidden = [c for c in schedule.hidden_items if c != code]
    if not shown:
        hidden.append(code)
    schedule.hidden_items = sorted(hidden)
    schedule.save(update_fields=["hidden_items", "updated_at"])
    return True


def record_routine_done(user, evening: date, done: bool = True) -> DayLog | None:
    """Tonight's routine done (or undone): the same `exercises_done` the day log form sets.

    Undone, a day log that the tick made and nothing else has touched goes again (None): an empty
    log would count as a night logged in the insights and the assessment.
    """
    day_log, created = DayLog.objects.get_or_create(user=user, date=evening, defaults={"exercises_done": done})
    if not created and day_log.exercises_done != done:
        if not done and _made_by_a_tick_alone(day_log):
            day_log.delete()
            return None
        day_log.exercises_done = done
        day_log.save(update_fields=["exercises_done", "updated_at"])
    return day_log


def _made_by_a_tick_alone(day_log: DayLog) -> bool:
    """Nothing in it but the tick, and never saved again since it was made (a log saved empty on
    purpose from the day log form, a quiet night, is kept)."""
    untouched = day_log.updated_at - day_log.created_at < timedelta(seconds=1)
    return untouched and not day_log.notes and only_the_tick(day_log)


def revoke_feed(user) -> Schedule:
    schedule = ensure_schedule(user)
    schedule.feed_token = new_feed_token()
    schedule.save(update_fields=["feed_token", "updated_at"])
    return schedule


def routine_done_days(user, today: date) -> set[date]:
    """The evenings up to `today` (some 13 months back) whose routine was done."""
    return set(
        DayLog.objects.filter(
            user=user, exercises_done=True, date__lte=today, date__gt=today - timedelta(days=400)
        ).values_list("date", flat=True)
    )


def routine_adherence(user, today: date) -> Adherence:
    schedule = ensure_schedule(user)
    return adherence(routine_done_days(user, today), set(schedule.weekdays), today)
