from collections import Counter

from celery import shared_task
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone

from prevention.reminders import broker, delivery, dispatch


@shared_task
def clear_expired_sessions() -> int:
    """Housekeeping run by beat: expired sign-in sessions are personal data we no longer need."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


@shared_task
def dispatch_reminders() -> int:
    """Run by beat every minute: claim the due evenings and fan the sends out to the workers.

    With REMINDER_DISPATCHERS above 1 (PostgreSQL) it first queues that many less one claim tasks,
    which claim alongside it: each batch is locked SKIP LOCKED, so they share the due rows without
    waiting for each other and never claim one twice. Then it sweeps up lost sends.
    """
    if connection.vendor == "postgresql":
        for _ in range(settings.REMINDER_DISPATCHERS - 1):
            # Not started within the minute (every worker busy sending): dropped, not piled up;
            # the next minute's dispatcher claims what is due by then.
            claim_reminders.apply_async(expires=settings.REMINDER_DISPATCH_EVERY)
    claimed = claim_reminders()
    queue(dispatch.stuck(held=broker.reminders_held))
    return claimed


@shared_task
def claim_reminders() -> int:
    """Claim the due evenings a batch at a time, queueing each batch's sends as soon as it commits."""
    claimed = 0
    for batch in dispatch.claim_batches():
        queue(batch)
        claimed += len(batch)
    return claimed


def queue(reminder_ids: list[int]) -> None:
    """One send task per REMINDER_SEND_BATCH reminders, published over one broker connection."""
    if not reminder_ids:
        return
    size = settings.REMINDER_SEND_BATCH
    with send_reminder_batch.app.producer_or_acquire() as producer:
        for start in range(0, len(reminder_ids), size):
            send_reminder_batch.apply_async((list(reminder_ids[start : start + size]),), producer=producer)


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=10)
def send_reminder_batch(self, reminder_ids: list[int]) -> dict[str, int]:
    """Send a batch of claimed reminders over one SMTP connection; the ones the server refused (or
    that the connection's breaking left untried) are retried, alone, with back-off until the evening is over."""
    outcome = delivery.deliver_batch(reminder_ids)
    if outcome.retry:
        countdown = retry_countdown(self.request.retries)
        raise self.retry(args=(outcome.retry,), exc=delivery.Retry(outcome.error), countdown=countdown)
    return dict(Counter(outcome.statuses.values()))


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=10)
def send_reminder(self, reminder_id: int) -> str:
    """One reminder: what queue() published before batches (messages still queued at the upgrade)."""
    try:
        return delivery.deliver(reminder_id)
    except delivery.Retry as error:
        raise self.retry(exc=error, countdown=retry_countdown(self.request.retries)) from error


def retry_countdown(retries: int) -> int:
    """Seconds before the next try: REMINDER_RETRY_BASE_SECONDS, doubled each time, at most REMINDER_RETRY_MAX_SECONDS."""
    return min(settings.REMINDER_RETRY_BASE_SECONDS * 2**retries, settings.REMINDER_RETRY_MAX_SECONDS)
