"""Sending the bedtime reminders a batch at a time (issue 15): queueing, sends per second, memory.

    .venv/bin/python bench/reminder_sending.py                   # SQLite, file-system broker
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cramps_h15c REDIS_URL=redis://127.0.0.1:6379/12 \\
        .venv/bin/python bench/reminder_sending.py

Set up as bench/reminders.py (whose SMTP sink it imports): tests.settings, a throwaway database
(SQLite in a temporary folder, or cramps_bench_sending on DATABASE_URL's server, dropped at the
end), the configured broker, queues of its own (deleted at the end). The people are written by
bulk_create, all due now, their reminders recorded claimed directly (the claim is measured by
bench/reminders.py part 1). It prints one `RESULT name = value` line per figure:

1. queueing: tasks.queue() (one send_reminder_batch per REMINDER_SEND_BATCH ids) against the
   old way (one send_reminder per reminder, over one producer), for --queue ids, same run;
   when the first batch reached the broker;
2. sending in this process: delivery.deliver_batch() in batches, Django's SMTP backend, to an
   aiosmtpd sink in a process of its own, against a bare smtplib loop sending the same message
   the same number of times, over one reused connection and with one connection per message;
   CPU ms per e-mail;
3. a real worker (celery worker, prefork, concurrency 1) on the broker: sends per second and the
   pool process's resident set after each of --worker-steps reminders.
"""

import argparse
import gc
import os
import smtplib
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(Path(__file__).resolve().parent))

from diary_page import in_throwaway_database  # noqa: E402  (bench/diary_page.py)
from reminders import SMTP_SETTINGS, Capture, Sink, rss_kib  # noqa: E402  (bench/reminders.py)

BENCH_DB = "cramps_bench_sending"
IDLE_QUEUE = "cramps-bench-sending-idle"  # never consumed: what queueing publishes
WORK_QUEUE = "cramps-bench-sending"  # the bench worker's
ZONES = ["Europe/Kyiv", "Europe/London", "America/New_York", "Asia/Tokyo", "UTC"]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--queue", type=int, default=100_000, help="reminder ids queued each way (default 100000)")
    parser.add_argument(
        "--queue-old", type=int, default=10_000, help="ids queued the old way, one task each (default 10000)"
    )
    parser.add_argument("--sends", type=int, default=2000, help="reminders sent in this process (default 2000)")
    parser.add_argument(
        "--worker-steps", default="10000,90000", help="reminders sent by the real worker per step (default 10000,90000)"
    )
    parser.add_argument("--runs", type=int, default=3, help="runs of parts 1 and 2 (default 3)")
    args = parser.parse_args()
    args.worker_steps = [int(n) for n in args.worker_steps.split(",") if n.strip()]
    return args


def people(count: int, start: int, minute) -> list[int]:
    """`count` confirmed accounts due in `minute`, each with tonight's reminder claimed; the reminder ids."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from diary.models import Profile
    from prevention.models import NextReminder, Reminder, Schedule

    User = get_user_model()
    password = make_password("bench-password-123")
    for first in range(start, start + count, 5000):
        chunk = range(first, min(first + 5000, start + count))
        User.objects.bulk_create(
            [User(id=i, username=f"s{i}@example.com", email=f"s{i}@example.com", password=password) for i in chunk]
        )
        # A quarter read the site in Ukrainian: the shared parts are rendered once per language.
        Profile.objects.bulk_create(
            [
                Profile(id=i, user_id=i, timezone=ZONES[i % len(ZONES)], language="uk" if i % 4 == 0 else "en")
                for i in chunk
            ]
        )
        EmailAddress.objects.bulk_create(
            [EmailAddress(user_id=i, email=f"s{i}@example.com", primary=True, verified=True) for i in chunk]
        )
        later = minute + timedelta(days=1)
        Schedule.objects.bulk_create([Schedule(id=i, user_id=i, lead_minutes=30) for i in chunk])
        NextReminder.objects.bulk_create(
            [
                NextReminder(
                    user_id=i,
                    send_at=later,
                    evening=later.date(),
                    weekdays=list(range(7)),
                    reminders_on=True,
                    zone=ZONES[i % len(ZONES)],
                )
                for i in chunk
            ]
        )
        Reminder.objects.bulk_create(
            [
                Reminder(
                    user_id=i,
                    evening=minute.date(),
                    due_at=minute,
                    deadline=minute + timedelta(hours=6),
                    status=Reminder.Status.CLAIMED,
                )
                for i in chunk
            ]
        )
    reminders = Reminder.objects.filter(user_id__gte=start, user_id__lt=start + count).order_by("pk")
    return list(reminders.values_list("pk", flat=True))


def spread(values: list[float], digits: int = 1) -> str:
    return f"{statistics.median(values):.{digits}f}  (runs {', '.join(f'{v:.{digits}f}' for v in values)})"


def queueing(args, results) -> None:
    """Part 1: the old per-reminder publishing against batches, same run, --runs times."""
    from prevention import tasks

    ids = list(range(1, args.queue + 1))
    old_ids = ids[: args.queue_old]  # the old way takes minutes for 100,000: its µs per reminder from fewer
    old, new, first = [], [], []
    for _ in range(args.runs):
        start = time.perf_counter()
        with tasks.send_reminder.app.producer_or_acquire() as producer:
            for reminder_id in old_ids:
                tasks.send_reminder.apply_async((reminder_id,), producer=producer, queue=IDLE_QUEUE)
        old.append((time.perf_counter() - start) * 1e6 / len(old_ids))
        purge(IDLE_QUEUE)
        publish = tasks.send_reminder_batch.apply_async
        stamps: list[float] = []

        def timed(args_, publish=publish, stamps=stamps, **options):
            result = publish(args_, **{**options, "queue": IDLE_QUEUE})
            if not stamps:
                stamps.append(time.perf_counter())
            return result

        tasks.send_reminder_batch.apply_async = timed
        start = time.perf_counter()
        try:
            tasks.queue(ids)
        finally:
            del tasks.send_reminder_batch.apply_async
        new.append((time.perf_counter() - start) * 1e6 / len(ids))
        first.append((stamps[0] - start) * 1000)
        purge(IDLE_QUEUE)
    results[f"queue_old_us_per_reminder ({len(old_ids)} ids)"] = spread(old)
    results[f"queue_batched_us_per_reminder ({len(ids)} ids)"] = spread(new, 2)
    results[f"queue_{args.queue}_batched_seconds"] = spread([us * args.queue / 1e6 for us in new], 2)
    results["queue_first_batch_ms"] = spread(first, 2)


def sending(args, results, sink) -> None:
    """Part 2: deliver_batch against bare smtplib loops, to the same sink, --runs times."""
    from django.conf import settings
    from django.core.mail.utils import DNS_NAME
    from django.utils import timezone

    from prevention.models import Reminder
    from prevention.reminders import delivery
    from prevention.reminders.letters import Letters

    size = settings.REMINDER_SEND_BATCH
    app_rates, reused_rates, fresh_rates, cpu_ms, ratios_reused, ratios_fresh = [], [], [], [], [], []
    for run in range(args.runs):
        ids = people(args.sends + size, 1_000_000 + run * 100_000, timezone.now().replace(second=0, microsecond=0))
        warm, sends = ids[:size], ids[size:]
        delivery.deliver_batch(warm)
        gc.collect()
        received = sink.received
        start, cpu = time.perf_counter(), time.process_time()
        for first in range(0, len(sends), size):
            outcome = delivery.deliver_batch(sends[first : first + size])
            assert not outcome.retry, outcome
        seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
        assert sink.received - received == len(sends), (sink.received - received, len(sends))
        assert Reminder.objects.filter(pk__in=sends, status=Reminder.Status.SENT).count() == len(sends)

        # The same message, as the app makes it, sent by smtplib alone.
        reminder = Reminder.objects.select_related("user__profile", "user__routine_schedule").get(pk=warm[0])
        capture = Capture()
        capture.send_messages([Letters().letter(reminder, language="en").message])
        message = capture.messages[0]
        raw = message.message().as_bytes(linesep="\r\n")
        sender, recipients, local = message.from_email, message.recipients(), str(DNS_NAME)
        received = sink.received
        begin = time.perf_counter()
        with smtplib.SMTP("127.0.0.1", sink.port, local_hostname=local, timeout=30) as client:
            for _ in sends:
                client.sendmail(sender, recipients, raw)
        reused = time.perf_counter() - begin
        begin = time.perf_counter()
        for _ in sends:
            with smtplib.SMTP("127.0.0.1", sink.port, local_hostname=local, timeout=30) as client:
                client.sendmail(sender, recipients, raw)
        fresh = time.perf_counter() - begin
        assert sink.received - received == 2 * len(sends)
        n = len(sends)
        app_rates.append(n / seconds)
        reused_rates.append(n / reused)
        fresh_rates.append(n / fresh)
        cpu_ms.append(cpu_seconds * 1000 / n)
        ratios_reused.append(reused / seconds)
        ratios_fresh.append(fresh / seconds)
    results["send_batch_per_second"] = spread(app_rates)
    results["send_bare_reused_connection_per_second"] = spread(reused_rates)
    results["send_bare_connection_per_message_per_second"] = spread(fresh_rates)
    results["send_ratio_vs_reused_connection"] = spread(ratios_reused, 2)
    results["send_ratio_vs_connection_per_message"] = spread(ratios_fresh, 2)
    results["send_cpu_ms_per_email"] = spread(cpu_ms, 2)


def worker_run(args, results, sink) -> None:
    """Part 3: a real worker (prefork, one pool process) through the broker; its pool process's RSS per step."""
    from django.conf import settings
    from django.utils import timezone

    from prevention import tasks
    from prevention.models import Reminder
    from tests.celery_worker import Worker

    total = sum(args.worker_steps)
    warm_count = 200
    begin = time.perf_counter()
    ids = people(total + warm_count, 2_000_000, timezone.now().replace(second=0, microsecond=0))
    print(f"  {len(ids):,} people and claimed reminders written in {time.perf_counter() - begin:.0f} s", flush=True)
    worker = Worker(WORK_QUEUE, sink.port, Path(settings.VAR_DIR) / "bench-sending-worker.log", concurrency=1)
    publish = tasks.send_reminder_batch.apply_async
    tasks.send_reminder_batch.apply_async = lambda args_, **options: publish(args_, **{**options, "queue": WORK_QUEUE})
    try:

        def wait_sent(count: int, timeout: float = 1800) -> None:
            deadline = time.monotonic() + timeout
            while Reminder.objects.filter(user_id__gte=2_000_000, status=Reminder.Status.SENT).count() < count:
                if worker.process.poll() is not None:
                    raise SystemExit("the worker died:\n" + worker.output())
                if time.monotonic() > deadline:
                    raise SystemExit(f"the worker did not send {count} in {timeout:.0f} s\n{worker.output()}")
                time.sleep(0.5)

        tasks.queue(ids[:warm_count])
        wait_sent(warm_count)
        base = sum(rss_kib(pid) for pid in worker.pool_pids())
        done, position = warm_count, warm_count
        for step in args.worker_steps:
            start = time.perf_counter()
            tasks.queue(ids[position : position + step])
            position += step
            done += step
            wait_sent(done)
            seconds = time.perf_counter() - start
            rss = sum(rss_kib(pid) for pid in worker.pool_pids())
            results[f"worker_sends_per_second_after_{done - warm_count}"] = f"{step / seconds:.1f}"
            results[f"worker_pool_rss_mib_after_{done - warm_count}"] = (
                f"{rss / 1024:.1f}  ({(rss - base) / 1024:+.1f} MiB since the warm-up)"
            )
            print(f"  worker: {done - warm_count:,} sent, {step / seconds:.1f}/s, RSS {rss / 1024:.1f} MiB", flush=True)
    finally:
        tasks.send_reminder_batch.apply_async = publish
        worker.stop()
        purge(WORK_QUEUE)


def purge(name: str) -> None:
    from cramps.celery import app

    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge(name)
        if conn.transport.driver_type == "redis":
            conn.default_channel.client.delete(name, f"_kombu.binding.{name}")


def run(args) -> int:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import override_settings

    import cramps.celery  # noqa: F401  (the app's Celery configuration for shared tasks)

    call_command("migrate", verbosity=0, interactive=False)
    broker = "Redis" if settings.CELERY_BROKER_URL.startswith("redis") else "file-system"
    print(
        f"database {connection.vendor}, broker {broker}, REMINDER_SEND_BATCH {settings.REMINDER_SEND_BATCH}, "
        f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    results: dict[str, str] = {}
    queueing(args, results)
    print("  queueing done", flush=True)
    smtp = SMTP_SETTINGS
    with Sink() as sink, override_settings(EMAIL_HOST="127.0.0.1", EMAIL_PORT=sink.port, **smtp):
        sending(args, results, sink)
        print("  sending done", flush=True)
        if args.worker_steps:
            worker_run(args, results, sink)
    for name, value in results.items():
        print(f"RESULT {name} = {value}")
    return 0


def main() -> int:
    return in_throwaway_database("bench/reminder_sending.py", run, parse_args(), database=BENCH_DB)


if __name__ == "__main__":
    sys.exit(main())
