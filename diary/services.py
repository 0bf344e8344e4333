"""Small write and read services for the diary; views stay thin."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .attribution import SLEEP_LIKELY_HOURS, evening_of
from .erasure import erase_traces
from .locking import lock_person
from .middleware import profile_of
from .models import DayLog, Episode

# Habits that carry over from the previous day log; symptoms never do.
CARRIED_HABITS = ("footwear", "foods")


def set_timezone(user, name: str) -> None:
    profile = profile_of(user)
    profile.timezone = name
    profile.save(update_fields=["timezone", "updated_at"])


def local_now_for(user) -> datetime:
    return timezone.now().astimezone(profile_of(user).zone)


def local_today_for(user) -> date:
    return local_now_for(user).date()


def local_evening_for(user) -> date:
    """The evening the person is in now (the night rule): at 02:00 on Tuesday, Monday's."""
    return evening_of(local_now_for(user))


def new_episode_initial(user) -> dict:
    """Defaults for a new cramp: now, the last leg, muscle and intensity, sleep at night."""
    now = local_now_for(user).replace(second=0, microsecond=0)
    initial: dict = {"started_at": now, "intensity": 5}
    last = Episode.objects.filter(user=user).order_by("-created_at").values("leg", "muscle", "intensity").first()
    if last:
        initial.update(last)
    else:
        initial.update({"leg": "right", "muscle": "calf"})
    late, early = SLEEP_LIKELY_HOURS
    if now.hour >= late or now.hour < early:
        initial["context"] = "sleep"
    return initial


def save_episode(user, form) -> Episode:
    episode = form.save(commit=False)
    episode.user = user
    # The diary day is fixed in the zone the person was in when it was logged; an edit that
    # leaves the time and activity alone must not move it after a later change of zone.
    if not episode.pk or {"started_at", "context"} & set(form.changed_data):
        episode.attribute(profile_of(user).zone)
    episode.save()
    return episode


def new_day_log_initial(user, day: date) -> dict:
    """A new day log starts from the habits of the latest earlier log."""
    initial: dict = {"date": day}
    previous = DayLog.objects.filter(user=user, date__lt=day).order_by("-date").values(*CARRIED_HABITS).first()
    if previous:
        initial.update(previous)
    return initial


def duplicate_day_log_error() -> ValidationError:
    """The one message for a second day log on a date (the form's check and the database's)."""
    return ValidationError(
        _("You already have a day log for this date. Open it from the diary to change it."), code="duplicate"
    )


def save_day_log(user, form) -> DayLog | None:
    """Save the form's day log; None, with the form's "already a day log" error, if the date was taken.

    The form checks the date is free, but two submissions for the same new date (a double tap,
    two tabs) both pass that check; the database's unique constraint then refuses the second.
    The savepoint keeps the request's transaction usable after that refusal.
    """
    day_log = form.save(commit=False)
    day_log.user = user
    try:
        with transaction.atomic():
            day_log.save()
    except IntegrityError:
        if not DayLog.objects.filter(user=user, date=day_log.date).exclude(pk=day_log.pk).exists():
            raise
        form.add_error("date", duplicate_day_log_error())
        return None
    return day_log


@transaction.atomic
def delete_account(user) -> None:
    """Remove the person and, by cascade, every record of theirs; and their sessions and the
    admin log's entries about them, which nothing cascades to (diary/erasure.py)."""
    lock_person(user.pk)  # first, as every writer of several of a person's rows (diary.locking)
    erase_traces(user)
    Episode.objects.filter(user=user).delete()
    DayLog.objects.filter(user=user).delete()
    user.delete()
