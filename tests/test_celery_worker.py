"""A real Celery worker, on the configured broker: the file system embedded, Redis with REDIS_URL."""

import os
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone

from prevention.tasks import clear_expired_sessions

ROOT = Path(__file__).resolve().parent.parent


def test_broker_follows_the_configuration():
    if os.environ.get("REDIS_URL"):
        assert os.environ["REDIS_URL"] == settings.CELERY_BROKER_URL
    else:
        options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
        assert settings.CELERY_BROKER_URL == "filesystem://"
        assert options["data_folder_in"] == options["data_folder_out"]


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_housekeeping_task():
    now = timezone.now()
    Session.objects.create(session_key="expired" + "x" * 20, session_data="{}", expire_date=now - timedelta(days=1))
    Session.objects.create(session_key="current" + "x" * 20, session_data="{}", expire_date=now + timedelta(days=1))
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "CRAMPS_VAR_DIR": str(settings.VAR_DIR),
        "CRAMPS_TEST_DB_NAME": str(connection.settings_dict["NAME"]),
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "cramps", "worker", "-Q", queue, "--pool=solo", "--loglevel=INFO"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        clear_expired_sessions.apply_async(queue=queue)
        deadline = time.monotonic() + 60
        while Session.objects.filter(session_key__startswith="expired").exists():
            assert worker.poll() is None, worker.stdout.read()
            assert time.monotonic() < deadline, "the worker did not run the task in 60 s"
            time.sleep(0.3)
        assert Session.objects.filter(session_key__startswith="current").exists()
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def test_beats_tasks_have_a_queue_of_their_own_that_every_worker_consumes():
    """The dispatcher, its claim tasks and the heartbeat go to "beat"; the sends stay on the default
    queue; a worker started without -Q (docker-compose.yml) consumes both, so a backlog of sends does
    not hold up the next minute's claim."""
    from cramps.celery import app
    from prevention.reminders import broker

    def queue_of(task: str) -> str:
        return app.amqp.router.route({}, task)["queue"].name

    beats = ("prevention.tasks.dispatch_reminders", "prevention.tasks.claim_reminders", "cramps.tasks.heartbeat")
    assert {queue_of(task) for task in beats} == {"beat"}
    assert (
        queue_of("prevention.tasks.send_reminder_batch")
        == queue_of("prevention.tasks.clear_expired_sessions")
        == "celery"
    )
    assert {"celery", "beat"} <= set(app.amqp.queues)  # what a worker without -Q consumes
    assert broker.queues() == {"celery"}  # where the sweeper looks for the sends
