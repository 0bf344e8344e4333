"""Shared by the real-worker reminder tests (tests/test_reminders_worker.py, tests/test_reminders_broker.py).

Fixtures (import them by name into a test module): `smtp_sink` (tests/smtp_sink.py), `queue`
(a queue of the test's own that the dispatcher's sends are routed to, and where the sweeper
looks for them), `start_worker` (real workers, tests/celery_worker.py, on that queue). Helpers:
people due tonight in several zones, `wait_until`, `statuses`, `check_message`, `two_dispatchers`.
"""

import json
import re
import threading
import time
import uuid
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db import connections

from prevention import tasks
from prevention.models import NextReminder, Reminder, Schedule
from prevention.plan import due
from prevention.reminders import broker, links
from tests.celery_worker import Worker
from tests.smtp_sink import SmtpSink

ZONES = [
    "Europe/Kyiv",
    "America/New_York",
    "Asia/Kolkata",
    "Pacific/Auckland",
    "America/Los_Angeles",
    "Asia/Kathmandu",
    "UTC",
    "Australia/Adelaide",
]
EVERY_EVENING = [0, 1, 2, 3, 4, 5, 6]
LEAD = 30

# ---------------------------------------------------------------- the SMTP server, the queue, the worker


@pytest.fixture
def smtp_sink():
    sink = SmtpSink().start()
    try:
        yield sink
    finally:
        sink.stop()


class Route:
    """The test's own queue, and the reminder ids the dispatcher queued to it (in order)."""

    def __init__(self, name: str):
        self.name = name
        self.queued: list[int] = []

    def purge(self) -> int:
        from cramps.celery import app

        with app.connection_for_write() as conn:
            return conn.default_channel.queue_purge(self.name) or 0

    def lose(self) -> None:
        """As a broker restarted without its data: what waits in this queue and what its workers took is gone."""
        from cramps.celery import app

        self.purge()
        with app.connection_for_write() as conn:
            channel = conn.default_channel
            if conn.transport.driver_type != "redis":
                return  # the file-system broker keeps nothing for a taken message
            client = channel.client
            for tag, payload in client.hgetall(channel.unacked_key).items():
                try:
                    routing_key = json.loads(payload)[2]
                except (ValueError, IndexError, TypeError):
                    continue
                if routing_key == self.name:
                    client.hdel(channel.unacked_key, tag)
                    client.zrem(channel.unacked_index_key, tag)

    def forget(self) -> None:
        """On a shared Redis: drop what this queue left, even the message a killed worker held."""
        from cramps.celery import app

        self.lose()
        with app.connection_for_write() as conn:
            if conn.transport.driver_type == "redis":
                conn.default_channel.client.delete(
                    f"_kombu.binding.{self.name}", f"_kombu.binding_permanent.{self.name}", self.name
                )


@pytest.fixture
def queue(monkeypatch):
    """A queue of this test's own; the dispatcher's sends (send_reminder_batch, and send_reminder if
    a test queues one itself) are routed to it. `queued` lists the reminder ids in the order queued."""
    route = Route(f"test-reminders-{uuid.uuid4().hex[:8]}")
    for send in (tasks.send_reminder_batch, tasks.send_reminder):

        def apply_async(args, publish=send.apply_async, **options):
            ids = args[0]
            route.queued.extend(ids if isinstance(ids, list) else [ids])
            return publish(args, **{**options, "queue": route.name})

        monkeypatch.setattr(send, "apply_async", apply_async)
    monkeypatch.setattr(broker, "queues", lambda: {route.name})  # where the sweeper looks for the sends
    try:
        yield route
    finally:
        try:  # messages left behind (e.g. held by a killed worker) must not pile up on a shared Redis
            route.forget()
        except Exception:  # noqa: BLE001 - best effort; the queue may not exist
            pass


@pytest.fixture
def start_worker(transactional_db, queue, smtp_sink, tmp_path):
    """Start real workers on the test's queue; all are killed before the database is flushed (the
    test has checked what it needed: a warm shutdown would only wait seconds for the pool)."""
    workers: list[Worker] = []

    def start(concurrency: int = 2) -> Worker:
        worker = Worker(queue.name, smtp_sink.port, tmp_path / f"worker{len(workers) + 1}.log", concurrency)
        workers.append(worker)
        return worker

    try:
        yield start
    finally:
        for worker in workers:
            worker.kill()
            worker.close()


def wait_until(condition, timeout: float, message, alive=None, every: float = 0.1):
    deadline = time.monotonic() + timeout
    while not condition():
        if alive is not None:
            alive()
        if time.monotonic() > deadline:
            raise AssertionError(message() if callable(message) else message)
        time.sleep(every)


def statuses() -> dict[str, int]:
    counts: dict[str, int] = {}
    for status in Reminder.objects.values_list("status", flat=True):
        counts[status] = counts.get(status, 0) + 1
    return counts


# ---------------------------------------------------------------- people


def person_due(make_user, email: str, zone: str, now, minutes_ago: int = 10):
    """A person whose reminder for tonight was due `minutes_ago`, the routine still ahead."""
    user = make_user(email=email, timezone=zone)
    local = (now + timedelta(minutes=LEAD - minutes_ago)).astimezone(ZoneInfo(zone))
    at = local.time().replace(second=0, microsecond=0)
    return user, _schedule(user, at, now - timedelta(minutes=minutes_ago + 5))


def person_not_due(make_user, email: str, zone: str, now):
    user = make_user(email=email, timezone=zone)
    at = (now + timedelta(hours=3)).astimezone(ZoneInfo(zone)).time().replace(second=0, microsecond=0)
    return user, _schedule(user, at, now)


def next_of(who) -> NextReminder:
    """The person's next reminder as the database holds it now (`who`: a user, a schedule or an id)."""
    user_id = who if isinstance(who, int) else getattr(who, "user_id", who.pk)
    return NextReminder.objects.get(user_id=user_id)


def _schedule(user, at, since):
    Schedule.objects.filter(user=user).update(at=at, lead_minutes=LEAD, weekdays=EVERY_EVENING, reminders_on=True)
    schedule = Schedule.objects.select_related("user__profile").get(user=user)
    due.refresh_next_send(schedule.user_id, now=since)
    schedule.refresh_from_db()
    schedule.due_evening = next_of(user).evening  # the evening of the reminder due: kept once it moves on
    return schedule


def due_crowd(make_user, count: int, now, prefix: str):
    people = {}
    for i in range(count):
        user, schedule = person_due(make_user, f"{prefix}{i:02d}@example.com", ZONES[i % len(ZONES)], now)
        assert next_of(schedule).send_at <= now, (schedule.at, next_of(schedule).send_at, now)
        people[user.email] = (user, schedule)
    return people


def check_message(message, user, schedule) -> None:
    site = settings.SITE_URL
    assert message["To"] == user.email
    assert message["From"] == settings.DEFAULT_FROM_EMAIL
    assert message["Subject"] == f"Tonight's leg routine at {schedule.at:%H:%M}"
    assert message.get_content_type() == "multipart/alternative"
    plain = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert plain is not None and html is not None, "a text/plain and a text/html part"
    text, markup = plain.get_content(), html.get_content()

    unsubscribe = "".join(str(message["List-Unsubscribe"]).split())
    found = re.fullmatch(rf"<{re.escape(site)}/reminders/unsubscribe/([^/]+)/>", unsubscribe)
    assert found, unsubscribe
    assert links.read_unsubscribe_token(found[1]) == user.pk
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    done = re.search(rf"{re.escape(site)}/plan/done/([^/\s\"]+)/", text)
    assert done, f"no Done link in the text part:\n{text}"
    assert links.read_done_token(done[1]) == (user.pk, schedule.due_evening)
    assert f'href="{done[0]}"' in markup, "the same Done link in the HTML part"
    assert f"{schedule.at:%H:%M}" in text


def two_dispatchers(claim) -> tuple[list[int], list[int]]:
    """`claim()` run by two threads at once, each with a database connection of its own (PostgreSQL):
    the ids each claimed. A thread's error fails the test."""
    claims: dict[str, list[int]] = {}
    errors: list[BaseException] = []

    def dispatcher():
        try:
            claims[threading.current_thread().name] = claim()
        except BaseException as error:  # noqa: BLE001  (reported by the test's thread below)
            errors.append(error)
        finally:
            connections.close_all()  # each thread had a connection of its own

    threads = [threading.Thread(target=dispatcher, name=name) for name in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return claims["first"], claims["second"]
