"""Bedtime reminders across a broker restarted without its data: re-queued within the window, sent once.

A redis-server of the test's own (a spare port on 127.0.0.1, no persistence) is the broker of the
test process (the dispatcher and its sweeper) and of a real worker (tests/celery_worker.py). It
is restarted mid-batch, which loses every message waiting in the queue and every message the
worker had taken. The sweeper (prevention.reminders.stuck, looking into the broker through
prevention.broker) must queue the lost ones again at its first run past REMINDER_STUCK_AFTER, never
queue one that still waits in a healthy queue, and every person gets one e-mail.
"""

import shutil
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from prevention import tasks
from prevention.models import Reminder
from prevention.reminders import broker
from tests.reminder_fixtures import (  # noqa: F401 - fixtures used by name
    check_message,
    due_crowd,
    queue,
    smtp_sink,
    start_worker,
    statuses,
    wait_until,
)
from tests.servers import RedisServer

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server"),
]


def _reset_pools(app) -> None:
    """Forget every broker connection pool (kombu keeps them by URL), so the next use opens afresh."""
    from kombu import pools

    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def own_redis(tmp_path, monkeypatch):
    """The test process's Celery app and the workers it starts use a redis-server of the test's own."""
    from cramps.celery import app

    server = RedisServer(tmp_path).start()
    saved = app.conf.broker_url, app.conf.broker_transport_options
    app.conf.broker_url, app.conf.broker_transport_options = server.url, {"visibility_timeout": 900}
    _reset_pools(app)
    monkeypatch.setenv("REDIS_URL", server.url)  # the worker's settings: its broker (and cache)
    try:
        yield server
    finally:
        _reset_pools(app)
        app.conf.broker_url, app.conf.broker_transport_options = saved
        server.stop()


def sweep_until(condition, timeout: float, worker, every: float = 1.0) -> None:
    """Beat's dispatcher every `every` seconds (every minute in production) until `condition()`."""
    deadline = time.monotonic() + timeout
    while not condition():
        worker.alive()
        assert time.monotonic() < deadline, f"not done in {timeout:.0f} s: {statuses()}\n{worker.output()}"
        assert tasks.dispatch_reminders() == 0, "nothing new is due"
        time.sleep(every)


def test_a_broker_restarted_without_its_data_is_swept_within_the_window_and_each_sent_once(
    own_redis, make_user, smtp_sink, queue, start_worker, settings
):
    settings.REMINDER_STUCK_AFTER = 3  # seconds here (45 by default), so that the test runs in real time
    settings.REMINDER_SEND_BATCH = 4  # several batches: the restart loses some waiting in the queue
    smtp_sink.delay = 0.2  # a server taking a moment over each message: the restart lands mid-batch
    now = timezone.now()
    people = due_crowd(make_user, 20, now, "lost")
    assert tasks.dispatch_reminders() == len(people)
    ids = set(queue.queued)

    # No worker yet: every message waits in a healthy queue, well past the window. Never queued twice.
    time.sleep(settings.REMINDER_STUCK_AFTER + 0.5)
    assert broker.reminders_held(timezone.now(), timedelta(seconds=settings.REMINDER_STUCK_AFTER)) == ids
    assert tasks.dispatch_reminders() == 0
    assert len(queue.queued) == len(people), "a reminder waiting in the queue was queued again"

    worker = start_worker(concurrency=1)
    assert smtp_sink.wait_for(3, timeout=60, alive=worker.alive) >= 3, worker.output()
    own_redis.restart()  # without its data: the queue and what the worker had taken are gone
    lost_at = time.monotonic()
    assert broker.reminders_held(timezone.now(), timedelta(seconds=3)) == set()
    before = len(queue.queued)

    requeued_at = []

    def all_sent() -> bool:
        if len(queue.queued) > before and not requeued_at:
            requeued_at.append(time.monotonic() - lost_at)
        return Reminder.objects.filter(status=Reminder.Status.SENT).count() == len(people)

    sweep_until(all_sent, timeout=90, worker=worker)
    assert requeued_at and requeued_at[0] <= settings.REMINDER_STUCK_AFTER + 2, requeued_at
    time.sleep(1)  # duplicates still running find their reminder sent
    assert tasks.dispatch_reminders() == 0
    time.sleep(1)
    print(f"re-queued {len(queue.queued) - before} lost messages {requeued_at[0]:.1f} s after the restart")

    per_recipient = smtp_sink.per_recipient()
    assert set(per_recipient) == set(people)
    assert all(n == 1 for n in per_recipient.values()), {r: n for r, n in per_recipient.items() if n != 1}
    assert statuses() == {Reminder.Status.SENT: len(people)}
    queued_twice = {pk: n for pk, n in Counter(queue.queued).items() if n > 2}
    assert not queued_twice, f"queued again more than once after the loss: {queued_twice}"
    for message in smtp_sink.messages:
        check_message(message, *people[message["To"]])
