from celery import shared_task
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from prevention.reminders import broker, delivery, dispatch


@shared_task
def clear_expired_sessions() -> int:
    """Housekeeping run by beat: expired sign-in sessions are personal data we no longer need."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


@shared_task
def dispatch_reminders() -> int:
    """Run by beat every minute: claim the due evenings and fan the sends out to the workers."""
    claimed = 0
    for batch in dispatch.claim_batches():
        queue(batch)
        claimed += len(batch)
    queue(dispatch.stuck(held=broker.reminders_held))
    return claimed


def queue(reminder_ids: list[int]) -> None:
    """One send task per reminder, published over one broker connection."""
    if not reminder_ids:
        return
    with send_reminder.app.producer_or_acquire() as producer:
        for reminder_id in reminder_ids:
            send_reminder.apply_async((reminder_id,), producer=producer)


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=10)
def send_reminder(self, reminder_id: int) -> str:
    """Send one claimed reminder; SMTP trouble is retried with back-off until the evening is over."""
    try:
        return delivery.deliver(reminder_id)
    except delivery.Retry as error:
        raise self.retry(exc=error, countdown=retry_countdown(self.request.retries)) from error


def retry_countdown(retries: int) -> int:
    """Seconds before the next try: REMINDER_RETRY_BASE_SECONDS, doubled each time, at most REMINDER_RETRY_MAX_SECONDS."""
    return min(settings.REMINDER_RETRY_BASE_SECONDS * 2**retries, settings.REMINDER_RETRY_MAX_SECONDS)
