"""Prevention's answers to what happens in the diary."""

import logging

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from diary.locking import lock_person
from diary.models import Profile
from diary.safety import entry_saved
from prevention.assessment.services import open_alarms
from prevention.models import NextReminder, Reminder, Schedule
from prevention.plan.due import SCHEDULE_FIELDS, refresh_next_send
from prevention.templatetags.prevention_tags import forget_page_parts

logger = logging.getLogger(__name__)


@receiver(pre_save, sender=Profile)
@receiver(pre_save, sender=Schedule)
def lock_the_person_first(sender, instance, raw=False, using=None, **kwargs):
    # Inside a transaction (the admin's, an import's), the account's row before the schedule's or
    # profile's, as every writer takes them: the refresh after the save would take it second.
    if not raw and transaction.get_connection(using).in_atomic_block:
        lock_person(instance.user_id)


@receiver(post_save, sender=Profile)
def follow_the_profile(sender, instance, raw=False, **kwargs):
    # Every account has a routine schedule; a new zone or bedtime moves the next reminder.
    if raw:
        return
    Schedule.objects.get_or_create(user_id=instance.user_id)
    refresh_next_send(instance.user_id)


@receiver(post_save, sender=Schedule)
def follow_the_schedule(sender, instance, raw=False, update_fields=None, **kwargs):
    # New evenings, time, lead or switch move the next reminder, wherever they were saved (the
    # schedule page, the admin); a save of the items switched off or the feed's secret does not.
    if raw or (update_fields is not None and not set(update_fields) & SCHEDULE_FIELDS):
        return
    refresh_next_send(instance.user_id)


@receiver(pre_delete, sender=Schedule)
def lock_before_the_schedule_goes(sender, instance, **kwargs):
    lock_person(instance.user_id)  # a refresh running now finishes first; one after finds no schedule


@receiver(post_delete, sender=Schedule)
def forget_the_next_reminder(sender, instance, **kwargs):
    # A schedule deleted (by staff) takes the person out of the dispatcher's queue; the next one
    # made (ensure_schedule) puts them back.
    NextReminder.objects.filter(user_id=instance.user_id).delete()


@receiver(pre_delete, sender=settings.AUTH_USER_MODEL)
def wait_for_a_claim(sender, instance, **kwargs):
    """Deleting an account waits for a dispatcher claiming its reminder, then deletes the reminders.

    The reminder's link to the account has no foreign key in the database (prevention.models), so
    nothing there stops a claim committing a reminder for an account deleted meanwhile. Locking the
    person's next reminder (FOR UPDATE, in the deletion's own transaction) waits for a claim that
    holds it, and keeps any later one away (it skips locked rows); the reminders then deleted
    include the one just claimed.
    """
    lock_person(instance.pk)  # first, as every writer of several of a person's rows (diary.locking)
    list(NextReminder.objects.select_for_update().filter(user_id=instance.pk).values_list("pk", flat=True))
    Reminder.objects.filter(user_id=instance.pk).delete()


@receiver(post_delete, sender=settings.AUTH_USER_MODEL)
def forget_the_diary_page(sender, instance, **kwargs):
    # The warnings and evenings kept for the diary page are health data: they go with the account.
    user_id = instance.pk
    forget_page_parts(user_id)
    transaction.on_commit(lambda: forget_page_parts(user_id))


@receiver(entry_saved)
def warn_of_open_alarms(sender, user, day, **kwargs) -> list[str]:
    """The emergency and urgent warnings the saved entry's day raises (the red-flag rules decide).

    The entry is saved already: if the database fails now (a restart under load), the person
    must not get an error page for a write that happened, and log it twice. The diary home
    shows the warning as soon as the database answers again.
    """
    try:
        alarms = open_alarms(user)
    except DatabaseError:
        logger.warning("open warnings not checked after a save: the database did not answer")
        return []
    return [
        f"{flag['urgency_label']}: {flag['message']}" for flag in alarms if flag.get("last_seen") == day.isoformat()
    ]
