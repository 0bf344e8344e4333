from celery import shared_task

from diary.models import PendingImport


@shared_task
def forget_unconfirmed_imports() -> int:
    """Run by beat: an uploaded diary nobody confirmed in time is health data we no longer need."""
    return PendingImport.forget_expired()
