"""Bedtime reminders end to end: a real Celery worker, the test database and a real SMTP server.

The worker is a subprocess on the configured broker (the file system embedded, Redis with
REDIS_URL), on a queue of its own; it sends through SMTP to tests/smtp_sink.py. The dispatcher
(prevention.tasks.dispatch_reminders, beat's job) runs in the test process, its sends routed to
that queue. What is checked is the promise of prevention/reminders.py: one e-mail per person
and evening, even with a worker killed mid-batch or the mail server down for a while.
"""

import time
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import timezone

from diary.models import DayLog
from prevention import tasks
from prevention.models import Reminder, Schedule
from prevention.reminders import delivery, dispatch
from prevention.reminders.delivery import IN_BATCH
from tests.reminder_fixtures import (  # noqa: F401 - fixtures used by name
    ZONES,
    _schedule,
    check_message,
    due_crowd,
    next_of,
    person_due,
    person_not_due,
    queue,
    smtp_sink,
    start_worker,
    statuses,
    wait_until,
)

pytestmark = pytest.mark.django_db(transaction=True)


def sent_to_all(smtp_sink, worker, count: int) -> None:
    """Wait for `count` e-mails at the sink and for no reminder left waiting or in flight."""
    got = smtp_sink.wait_for(count, timeout=60, alive=worker.alive)
    assert got == count, f"{got} of {count} e-mails arrived in 60 s\n{worker.output()}"
    wait_until(
        lambda: not Reminder.objects.filter(status__in=[Reminder.Status.CLAIMED, Reminder.Status.SENDING]).exists(),
        30,
        lambda: f"reminders still waiting: {statuses()}\n{worker.output()}",
        worker.alive,
    )


# ---------------------------------------------------------------- a. the right people, one e-mail each


def test_the_right_people_get_one_email_each(make_user, smtp_sink, queue, start_worker):
    now = timezone.now()
    due = due_crowd(make_user, 24, now, "due")
    not_due = [person_not_due(make_user, f"later{i}@example.com", ZONES[i], now)[0] for i in range(3)]

    done_user, done_schedule = person_due(make_user, "done@example.com", "Europe/Kyiv", now)
    DayLog.objects.create(user=done_user, date=next_of(done_schedule).evening, exercises_done=True)

    gone_user, _ = person_due(make_user, "unsubscribed@example.com", "America/New_York", now)
    delivery.unsubscribe(gone_user.pk)
    # Unsubscribed after the dispatcher read the row, before the send: claimed, then skipped.
    racing_user, _ = person_due(make_user, "racing@example.com", "Asia/Kolkata", now)
    Schedule.objects.filter(user=racing_user).update(reminders_on=False)

    # The evening is over (routine 3 hours ago): dropped, never sent.
    late_user = make_user(email="late@example.com", timezone="UTC")
    late_at = (now - timedelta(hours=3)).astimezone(ZoneInfo("UTC")).time().replace(second=0, microsecond=0)
    _schedule(late_user, late_at, now - timedelta(hours=4))

    worker = start_worker(concurrency=8)
    claimed = tasks.dispatch_reminders()
    assert claimed == len(due) + 2, "the due people, the one already done and the one unsubscribing are claimed"

    sent_to_all(smtp_sink, worker, len(due))

    # Beat's next minutes: nothing new is due and nothing is sent again.
    time.sleep(2)
    assert tasks.dispatch_reminders() == 0
    time.sleep(3)
    worker.alive()
    assert tasks.dispatch_reminders() == 0
    time.sleep(1)

    per_recipient = smtp_sink.per_recipient()
    assert set(per_recipient) == set(due), f"unexpected recipients: {set(per_recipient) ^ set(due)}"
    assert all(n == 1 for n in per_recipient.values()), {r: n for r, n in per_recipient.items() if n != 1}
    assert smtp_sink.count() == len(due)

    for message in smtp_sink.messages:
        user, schedule = due[message["To"]]
        check_message(message, user, schedule)

    sent = Reminder.objects.filter(user__email__in=list(due))
    assert sent.count() == len(due)
    assert set(sent.values_list("status", flat=True)) == {Reminder.Status.SENT}
    assert set(sent.values_list("attempts", flat=True)) == {1}
    assert not sent.filter(sent_at__isnull=True).exists()
    assert Reminder.objects.get(user=done_user).status == Reminder.Status.SKIPPED
    racing = Reminder.objects.get(user=racing_user)
    assert (racing.status, racing.error) == (Reminder.Status.OFF, "unsubscribed")
    assert Reminder.objects.get(user=late_user).status == Reminder.Status.DROPPED
    assert not Reminder.objects.filter(user=gone_user).exists()
    assert not Reminder.objects.filter(user__in=not_due).exists()
    for user in not_due:
        assert next_of(user).send_at > now
    # Everyone claimed has moved on to a later evening.
    for user, schedule in due.values():
        moved = next_of(user)
        assert moved.send_at > now and moved.evening > schedule.due_evening


def test_a_second_dispatcher_on_the_worker_shares_the_claim_and_everyone_gets_one(
    make_user, smtp_sink, queue, start_worker, monkeypatch, settings
):
    """REMINDER_DISPATCHERS=2 as in production: beat's dispatcher (here, the test process) queues a
    claim task, which the worker runs while the dispatcher claims too, a batch of 4 at a time."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("several dispatchers are PostgreSQL's (SKIP LOCKED); SQLite claims with one")
    now = timezone.now()
    due = due_crowd(make_user, 30, now, "shared")
    settings.REMINDER_DISPATCHERS, settings.REMINDER_CLAIM_BATCH = 2, 4
    claim_on_worker = tasks.claim_reminders.apply_async
    sent = []
    monkeypatch.setattr(
        tasks.claim_reminders,
        "apply_async",
        lambda **options: sent.append(claim_on_worker(queue=queue.name, **options)),
    )
    worker = start_worker(concurrency=4)
    claimed_here = tasks.dispatch_reminders()

    sent_to_all(smtp_sink, worker, len(due))
    assert 0 < claimed_here <= len(due) and len(sent) == 1, sent
    wait_until(lambda: worker.count(r"claim_reminders\[[^]]+\] succeeded") == 1, 10, worker.output, worker.alive)
    assert Reminder.objects.filter(status=Reminder.Status.SENT).count() == len(due)
    time.sleep(1)
    per_recipient = smtp_sink.per_recipient()
    assert set(per_recipient) == set(due) and set(per_recipient.values()) == {1}, per_recipient


# ---------------------------------------------------------------- b. a worker killed mid-batch


def test_a_worker_killed_mid_batch_still_gives_one_each(make_user, smtp_sink, queue, start_worker):
    smtp_sink.delay = 0.05  # the server takes a moment over each message, like a real one
    now = timezone.now()
    people = due_crowd(make_user, 60, now, "batch")

    first = start_worker(concurrency=1)
    assert tasks.dispatch_reminders() == len(people)
    before = smtp_sink.wait_for(5, timeout=60, alive=first.alive)
    assert before >= 5, f"no e-mails from the first worker in 60 s\n{first.output()}"
    first.kill()
    before = smtp_sink.count()
    assert before < len(people), "the worker finished the batch before it was killed: make the sink slower"

    # Nothing runs now: what the kill left "sending" in flight is the documented unknown case; the
    # rest of its batch is still marked with the batch's token (taken, never tried).
    sending = Reminder.objects.filter(status=Reminder.Status.SENDING)
    orphans = list(sending.exclude(error__startswith=IN_BATCH).values_list("pk", "user__email"))
    assert len(orphans) <= 1, f"with one process, at most one reminder can be mid-send: {orphans}"
    untried = sending.filter(error__startswith=IN_BATCH)
    waiting = Reminder.objects.filter(status=Reminder.Status.CLAIMED).count() + untried.count()
    print(f"killed after {before} e-mails: {len(orphans)} left sending, {waiting} claimed or untried")  # with -rP
    assert waiting >= len(people) - before - len(orphans)

    # A kill loses the message in flight; lose the queued ones too (a broker restarted without
    # its data), so that only the sweeper can bring the batch out.
    queue.lose()
    assert Reminder.objects.filter(status=Reminder.Status.CLAIMED).count() + untried.count() == waiting

    # Many processes now, and re-queued duplicates racing each other for the same reminder.
    second = start_worker(concurrency=8)
    # The sweeper (the dispatcher's next runs) queues again what waited longer than its window
    # (REMINDER_STUCK_AFTER on Redis, which it looks into; REMINDER_STUCK_BLIND_AFTER otherwise):
    # travel there in time rather than wait.
    window = max(settings.REMINDER_STUCK_AFTER, settings.REMINDER_STUCK_BLIND_AFTER)
    (Reminder.objects.filter(status=Reminder.Status.CLAIMED) | untried).update(
        updated_at=now - timedelta(seconds=window + 60)
    )
    queue.queued.clear()
    assert tasks.dispatch_reminders() == 0
    first_sweep = len(queue.queued)
    assert first_sweep == waiting, "the sweeper queues every claimed (or untried) reminder whose message was lost"
    assert tasks.dispatch_reminders() == 0  # beat's next minute, with most still waiting in the queue
    assert len(queue.queued) == first_sweep, "what the first sweep queued is not queued again"

    expected_sent = len(people) - len(orphans)
    wait_until(
        lambda: Reminder.objects.filter(status=Reminder.Status.SENT).count() == expected_sent,
        90,
        lambda: f"not all sent after the restart: {statuses()}\n{second.output()}",
        second.alive,
    )
    # Later sweeps: a claimed one would be queued again; the one left sending turns "unknown".
    Reminder.objects.filter(pk__in=[pk for pk, _ in orphans]).update(
        updated_at=now - timedelta(seconds=settings.REMINDER_SENDING_STALE_AFTER + 60)
    )
    assert tasks.dispatch_reminders() == 0
    time.sleep(3)
    second.alive()

    per_recipient = smtp_sink.per_recipient()
    twice = {r: n for r, n in per_recipient.items() if n > 1}
    assert not twice, f"nobody gets two e-mails: {twice}"
    missing = set(people) - set(per_recipient)
    assert missing <= {email for _, email in orphans}, f"only a reminder killed mid-send may be missing: {missing}"
    assert statuses() == {
        Reminder.Status.SENT: expected_sent,
        **({Reminder.Status.UNKNOWN: len(orphans)} if orphans else {}),
    }
    for message in smtp_sink.messages:
        check_message(message, *people[message["To"]])


# ---------------------------------------------------------------- c. the mail server down, then back


def test_mail_server_down_then_back_delivers_each_once(make_user, smtp_sink, queue, start_worker, monkeypatch):
    # The worker's back-off in seconds rather than minutes (REMINDER_RETRY_*: 1 s, then 2 s at most).
    monkeypatch.setenv("REMINDER_RETRY_BASE_SECONDS", "1")
    monkeypatch.setenv("REMINDER_RETRY_MAX_SECONDS", "2")
    smtp_sink.stop()
    assert smtp_sink.refuses_connections()
    now = timezone.now()
    people = due_crowd(make_user, 10, now, "down")

    worker = start_worker(concurrency=2)
    assert tasks.dispatch_reminders() == len(people)
    wait_until(
        lambda: Reminder.objects.filter(status=Reminder.Status.FAILED, attempts__gte=1).count() == len(people),
        60,
        lambda: f"the sends did not fail while the server was down: {statuses()}\n{worker.output()}",
        worker.alive,
    )
    assert all(r.error for r in Reminder.objects.filter(status=Reminder.Status.FAILED))
    batches = -(-len(people) // settings.REMINDER_SEND_BATCH)
    wait_until(
        lambda: worker.count(r"send_reminder_batch\[[^\]]+\] retry: Retry in 1s") == batches,
        15,
        lambda: f"the task did not schedule its retries:\n{worker.output()}",
        worker.alive,
    )
    # The retries run by themselves a second later, and fail again while the server is down.
    wait_until(
        lambda: Reminder.objects.filter(status=Reminder.Status.FAILED, attempts__gte=2).count() == len(people),
        30,
        lambda: f"the retries did not run: {statuses()}\n{worker.output()}",
        worker.alive,
    )
    assert smtp_sink.count() == 0

    smtp_sink.start()  # the same port, back up: the next retries (2 s apart at most) deliver
    got = smtp_sink.wait_for(len(people), timeout=30, alive=worker.alive)
    assert got == len(people), f"{got} of {len(people)} arrived after the server came back\n{worker.output()}"
    wait_until(
        lambda: Reminder.objects.filter(status=Reminder.Status.SENT).count() == len(people),
        30,
        lambda: f"not all sent: {statuses()}",
        worker.alive,
    )

    # The operator (or the sweeper) queues them all once more, as batches and as the single-reminder
    # tasks queued before the upgrade to batches: each finds its reminder sent.
    ids = list(Reminder.objects.values_list("pk", flat=True))
    tasks.queue(ids)
    for reminder_id in ids:
        tasks.send_reminder.apply_async(args=[reminder_id], queue=queue.name)
    sent_pattern = r"send_reminder\[[^\]]+\] succeeded in [0-9.]+s: 'sent'"
    wait_until(
        lambda: (
            worker.count(sent_pattern) >= len(people)
            and worker.count(r"send_reminder_batch\[[^\]]+\] succeeded in [0-9.]+s: \{\}") >= batches
        ),
        30,
        lambda: f"the duplicates did not run:\n{worker.output()}",
        worker.alive,
        every=0.5,
    )
    time.sleep(1)

    per_recipient = smtp_sink.per_recipient()
    assert set(per_recipient) == set(people)
    assert all(n == 1 for n in per_recipient.values()), per_recipient
    reminders_now = Reminder.objects.filter(user__email__in=list(people))
    assert set(reminders_now.values_list("status", flat=True)) == {Reminder.Status.SENT}
    attempts = set(reminders_now.values_list("attempts", flat=True))
    assert min(attempts) >= 3, f"at least two failed attempts, then one that sent: {attempts}"
    assert set(reminders_now.values_list("error", flat=True)) == {""}
    for message in smtp_sink.messages:
        check_message(message, *people[message["To"]])


# ---------------------------------------------------------------- gaps found here, now closed


def test_a_connection_lost_after_the_server_took_the_message_sends_no_second(make_user, smtp_sink, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = smtp_sink.host, smtp_sink.port
    now = timezone.now()
    user, _ = person_due(make_user, "dropped@example.com", "Europe/Kyiv", now)
    [reminder_id] = dispatch.claim_due(now)

    smtp_sink.drop_after_data(1)
    try:
        status = delivery.deliver(reminder_id)
    except delivery.Retry:
        status = Reminder.objects.get(pk=reminder_id).status
    assert smtp_sink.per_recipient()[user.email] == 1, "the server has the message"
    if status == Reminder.Status.FAILED:
        delivery.deliver(reminder_id)  # what the task's retry does
    assert smtp_sink.per_recipient()[user.email] == 1, f"a second e-mail after status {status!r}"


def test_a_failed_reminder_whose_retry_was_lost_is_swept(make_user):
    now = timezone.now()
    person_due(make_user, "lost-retry@example.com", "Europe/Kyiv", now)
    [reminder_id] = dispatch.claim_due(now)
    # The first attempt failed 20 minutes ago; its retry (30 s later) never ran: the worker was killed.
    Reminder.objects.filter(pk=reminder_id).update(
        status=Reminder.Status.FAILED, attempts=1, error="Connection refused", updated_at=now - timedelta(minutes=20)
    )
    assert reminder_id in dispatch.stuck(now)
