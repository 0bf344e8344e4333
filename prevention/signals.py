from django.db.models.signals import post_save
from django.dispatch import receiver

from diary.models import Profile
from diary.safety import entry_saved

from prevention.models import Schedule
from prevention.plan.due import refresh_next_send


@receiver(post_save, sender=Profile)
def follow_the_profile(sender, instance, raw=False, **kwargs):
    # Every account has a routine schedule; a new zone or bedtime moves the next reminder.
    if raw:
        return
    schedule, _created = Schedule.objects.get_or_create(user_id=instance.user_id)
    refresh_next_send(schedule, instance)


@receiver(entry_saved)
def warn_of_open_alarms(sender, user, day, **kwargs) -> list[str]:
    """The emergency and urgent warnings the saved entry's day raises (the red-flag rules decide)."""
    from prevention.assessment.services import open_alarms

    return [f"{flag['urgency_label']}: {flag['message']}" for flag in open_alarms(user) if flag.get("last_seen") == day.isoformat()]
