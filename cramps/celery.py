"""The Celery app: the broker is Redis (REDIS_URL) or, embedded, the file system."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cramps.settings")

app = Celery("cramps")
# All CELERY_* settings in cramps/settings.py configure the app.
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# The readiness heartbeat (cramps/health.py), run by a worker on beat's schedule.
app.autodiscover_tasks(["cramps"], related_name="health")
