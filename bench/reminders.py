"""Bedtime reminders at scale: 100,000 people, 10,000 due in the same minute.

    .venv/bin/python bench/reminders.py                  # SQLite in a temporary folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/reminders.py
    REDIS_URL=redis://127.0.0.1:6379/14 .venv/bin/python bench/reminders.py   # the Redis broker

Set up like bench/diary_page.py (whose helpers it imports): tests.settings, a throwaway
SQLite database in a temporary folder, or with DATABASE_URL a separate PostgreSQL database
(cramps_bench_reminders, on the same server, dropped at the end; the database in the URL is
only used to connect). The Celery broker is the configured one: the file system (in the
temporary folder) or, with REDIS_URL, Redis; the script publishes to its own queue
(cramps-bench-reminders), which is never consumed, and deletes it at the end, so the Redis
database is left as it was found (use a database number of its own all the same).

People are written with bulk_create, or COPY on PostgreSQL (no signals; one cheap password hash
shared by all; a million in under two minutes);
each gets a profile, a routine schedule and a next reminder set directly: in the
current minute for the due ones (spread over five time zones, every tenth account), 3 to
27 hours later for the others. On SQLite, if writing 100,000 accounts would take over three
minutes, it writes fewer and says so (--people sets the number). It then measures, in one run:

1. claiming: prevention.dispatch.claim_due(now) for 10,000 due among 10,000 + 10,000
   (before the other 80,000 accounts are added), 10,000 and 1,000 due among 100,000: wall
   time, SQL queries (Django's query log, as CaptureQueriesContext but without its 9,000-query
   cap), ms per due person, the time of each batch's select; the plan of the due query
   (EXPLAIN ANALYZE on PostgreSQL, EXPLAIN QUERY PLAN on SQLite);
2. dispatching: prevention.tasks.dispatch_reminders() (claim a batch, queue it, …; then the
   sweeper) on the configured broker, when its first batch reached the broker, and the
   enqueueing alone;
3. sending: prevention.delivery.deliver() for --sends reminders in this process, with
   Django's SMTP backend to an aiosmtpd sink that the script starts on 127.0.0.1 (in a
   process of its own), next to a bare smtplib loop sending the same message the same
   number of times to the same sink, one connection per message as Django's backend
   does (and, for reference, over one reused connection); the ratio of sends per second;
   and what a second task for a reminder already sent costs (deliver() again);
4. memory: tracemalloc and the resident set after delivering 500, 1,000, 2,000 and 4,000
   more reminders in this process; what each step leaves behind should not grow;
5. a real worker: `celery -A cramps worker` (prefork, one pool process) on the bench queue,
   sending to the same sink: sends per second through the broker (tasks.queue, then until
   the reminders are recorded sent), and the pool process's resident set after 500, 1,000,
   2,000 and 4,000 more, which must stay flat.

With --claim-only it measures part 1 alone (claim_due for --due among --people, --runs times,
one RESULT line per figure) in DATABASE_URL's own database as given: no database is created or
dropped; the database must hold no accounts; it is migrated, and the tables the script wrote
are emptied at the end. --batch 500,2000,5000 compares batch sizes; it also traces the dispatcher's memory at 10,000 and --due claimed:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<empty> .venv/bin/python bench/reminders.py \
        --claim-only --people 1000000 --due 100000 --runs 3

See docs/performance.md and bench/README.md.
"""

import argparse
import gc
import itertools
import multiprocessing
import os
import resource
import smtplib
import socket
import statistics
import sys
import time
from collections import deque
from datetime import UTC, timedelta
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(Path(__file__).resolve().parent))

from diary_page import in_throwaway_database  # noqa: E402  (bench/diary_page.py)

# Not diary_page's cramps_bench: the benchmarks may run at the same time.
BENCH_DB = "cramps_bench_reminders"
BENCH_QUEUE = "cramps-bench-reminders"
ZONES = ["Europe/Kyiv", "Europe/London", "America/New_York", "Asia/Tokyo", "UTC"]
LEAD_MINUTES = 30  # the accounts not due
LEADS = (15, 30, 45, 60)  # the due ones: with five zones, 20 kinds of person due in the same minute
SQLITE_PEOPLE = 100_000  # lowered (with a note) if writing the accounts would take over 3 minutes
SQLITE_SETUP_LIMIT = 180.0
# In claim_due's select of a batch: PostgreSQL's own SQL (dispatch._locked), or the ORM's (SQLite).
DUE_PREDICATES = ('n."send_at" <=', '"prevention_nextreminder"."send_at" <=')


def is_due_select(sql: str) -> bool:
    return any(predicate in sql for predicate in DUE_PREDICATES)


# Django's SMTP backend, plain, to the script's sink (EMAIL_HOST and EMAIL_PORT are added where used).
SMTP_SETTINGS = {
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "EMAIL_USE_TLS": False,
    "EMAIL_USE_SSL": False,
    "EMAIL_HOST_USER": "",
    "EMAIL_HOST_PASSWORD": "",
    "EMAIL_TIMEOUT": 30,
}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=None, help="accounts (default 100000)")
    parser.add_argument("--due", type=int, default=10_000, help="accounts due in the same minute (default 10000)")
    parser.add_argument("--sends", type=int, default=2000, help="reminders delivered for sends/s (default 2000)")
    parser.add_argument("--small", type=int, default=1000, help="the smaller number due, among all (default 1000)")
    parser.add_argument(
        "--memory-steps",
        default="500,1000,2000,4000",
        help="reminders delivered per memory step (default 500,1000,2000,4000)",
    )
    parser.add_argument(
        "--worker-steps",
        default="500,1000,2000,4000",
        help="reminders sent by the real worker per step (default 500,1000,2000,4000)",
    )
    parser.add_argument(
        "--claim-only",
        action="store_true",
        help="only the claim (part 1), --runs times, in DATABASE_URL's own database as given: no database "
        "created or dropped; it must hold no accounts; its tables are migrated and emptied at the end",
    )
    parser.add_argument("--runs", type=int, default=3, help="timed claims with --claim-only (default 3)")
    parser.add_argument(
        "--batch",
        default="",
        help="with --claim-only: rows per batch, or several to compare: 500,2000,5000 (default REMINDER_CLAIM_BATCH)",
    )
    parser.add_argument(
        "--dispatchers",
        type=int,
        default=1,
        help="with --claim-only (PostgreSQL): also time this many dispatchers claiming at once, one thread "
        "and database connection each, as REMINDER_DISPATCHERS runs them",
    )
    args = parser.parse_args()
    args.memory_steps = [int(n) for n in args.memory_steps.split(",") if n.strip()]
    args.worker_steps = [int(n) for n in args.worker_steps.split(",") if n.strip()]
    return args


# --- an SMTP sink in a process of its own ---------------------------------------------


def _sink_main(port: int, counter, ready, stop) -> None:
    from aiosmtpd.controller import Controller

    class Counting:
        async def handle_DATA(self, server, session, envelope):
            with counter.get_lock():
                counter.value += 1
            return "250 OK"

    # server_hostname: otherwise aiosmtpd looks up the machine's name for every connection.
    controller = Controller(Counting(), hostname="127.0.0.1", port=port, server_hostname="sink.localhost")
    controller.start()
    ready.set()
    stop.wait()
    controller.stop()


class Sink:
    """aiosmtpd on 127.0.0.1, in another process (so it does not share this one's CPU), counting messages."""

    def __enter__(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        context = multiprocessing.get_context("spawn")
        self.counter = context.Value("l", 0)
        ready, self.stop = context.Event(), context.Event()
        self.process = context.Process(target=_sink_main, args=(self.port, self.counter, ready, self.stop), daemon=True)
        self.process.start()
        if not ready.wait(30):
            raise SystemExit("the SMTP sink did not start")
        return self

    @property
    def received(self) -> int:
        return self.counter.value

    def __exit__(self, *exc):
        self.stop.set()
        self.process.join(10)
        if self.process.is_alive():
            self.process.terminate()


# --- the people -----------------------------------------------------------------------


class Population:
    """Accounts 1..N; every tenth (id % 10 == 0) is due in `minute` (the first `due` of them).

    The due ones come in len(ZONES) x len(LEADS) kinds (zone, lead time; the routine time is
    what makes the reminder fall in `minute`), as people due in the same minute would: the claim
    computes the next time once per kind, so one kind for all would flatter it.
    """

    def __init__(self, minute, due: int):
        from zoneinfo import ZoneInfo

        from prevention.plan.schedule import next_due

        self.minute = minute  # UTC, seconds zeroed: the due instant
        self.due_count = due
        self.password = None
        self.evening = {}  # (zone, lead) -> (local routine time, evening) for a reminder due at `minute`
        for name in ZONES:
            zone = ZoneInfo(name)
            for lead in LEADS:
                at = (minute + timedelta(minutes=lead)).astimezone(zone).time().replace(tzinfo=None)
                evening, instant = next_due(minute - timedelta(seconds=1), range(7), at, lead, zone)
                assert instant == minute, (name, at, evening, instant, minute)
                self.evening[name, lead] = (at, evening)

    @staticmethod
    def zone_of(user_id: int) -> str:
        return ZONES[(user_id // 10) % len(ZONES)]

    @staticmethod
    def lead_of(user_id: int) -> int:
        return LEADS[(user_id // 50) % len(LEADS)]

    def is_due(self, user_id: int) -> bool:
        return user_id % 10 == 0 and user_id // 10 <= self.due_count

    def due_ids(self, limit: int | None = None) -> list[int]:
        ids = [10 * k for k in range(1, self.due_count + 1)]
        return ids[:limit] if limit is not None else ids

    def schedule_of(self, i: int) -> dict:
        """The varying fields of account i's schedule."""
        if self.is_due(i):
            lead = self.lead_of(i)
            return {"at": self.evening[self.zone_of(i), lead][0], "lead_minutes": lead}
        return {"at": None, "lead_minutes": LEAD_MINUTES}

    def next_of(self, i: int) -> dict:
        """Account i's next reminder (in `minute` for the due ones), with its copy of the schedule's and
        profile's fields, as refresh_next_send writes it."""
        copied = {"weekdays": list(range(7)), "reminders_on": True, "zone": self.zone_of(i), "bedtime": None}
        if self.is_due(i):
            at, evening = self.evening[self.zone_of(i), self.lead_of(i)]
            return {"send_at": self.minute, "evening": evening, "at": at, "lead_minutes": self.lead_of(i), **copied}
        later = self.minute + timedelta(hours=3, minutes=(i * 7919) % 1440)  # well after this run is over
        return {"send_at": later, "evening": later.date(), "at": None, "lead_minutes": LEAD_MINUTES, **copied}

    def create(self, ids: list[int], batch: int = 2000) -> None:
        """Accounts, confirmed addresses, profiles and schedules for these ids (no signals): by COPY on
        PostgreSQL (a million in about a minute), by bulk_create elsewhere."""
        from allauth.account.models import EmailAddress
        from django.contrib.auth import get_user_model
        from django.contrib.auth.hashers import make_password
        from django.db import connection

        from diary.models import Profile
        from prevention.models import NextReminder, Schedule

        User = get_user_model()
        if self.password is None:
            self.password = make_password("bench-password-123")  # tests.settings: the MD5 hasher
        if connection.vendor == "postgresql":
            self.copy(ids)
            return
        for start in range(0, len(ids), batch):
            chunk = ids[start : start + batch]
            User.objects.bulk_create(
                [
                    User(id=i, username=f"p{i}@example.com", email=f"p{i}@example.com", password=self.password)
                    for i in chunk
                ]
            )
            Profile.objects.bulk_create([Profile(id=i, user_id=i, timezone=self.zone_of(i)) for i in chunk])
            # Confirmed addresses, as after the sign-up e-mail's link (reminders go only to those).
            EmailAddress.objects.bulk_create(
                [EmailAddress(user_id=i, email=f"p{i}@example.com", primary=True, verified=True) for i in chunk]
            )
            Schedule.objects.bulk_create([Schedule(id=i, user_id=i, **self.schedule_of(i)) for i in chunk])
            NextReminder.objects.bulk_create([NextReminder(user_id=i, **self.next_of(i)) for i in chunk])

    def copy(self, ids: list[int]) -> None:
        """PostgreSQL: the same rows written with COPY (psycopg 3's cursor.copy), every column a model
        default gives taken from a model instance, so the rows are what bulk_create would write."""
        from allauth.account.models import EmailAddress
        from django.contrib.auth import get_user_model
        from django.db import transaction

        from diary.models import Profile
        from prevention.models import NextReminder, Schedule

        User = get_user_model()
        with transaction.atomic():
            copy_rows(
                User,
                (
                    {"id": i, "username": f"p{i}@example.com", "email": f"p{i}@example.com", "password": self.password}
                    for i in ids
                ),
            )
            copy_rows(Profile, ({"id": i, "user_id": i, "timezone": self.zone_of(i)} for i in ids))
            copy_rows(
                EmailAddress,
                ({"user_id": i, "email": f"p{i}@example.com", "primary": True, "verified": True} for i in ids),
            )
            copy_rows(
                Schedule, ({"id": i, "user_id": i, "feed_token": f"bench-feed-{i}", **self.schedule_of(i)} for i in ids)
            )
            copy_rows(NextReminder, ({"user_id": i, **self.next_of(i)} for i in ids))

    def arm(self, count: int) -> None:
        """Make the first `count` due accounts due again in `minute` (and only those), with no reminder claimed yet."""
        from prevention.models import NextReminder, Reminder

        Reminder.objects.all().delete()
        ids = self.due_ids(count)
        others = self.due_ids()[count:]  # the rest of the due ones: not due this time
        for start in range(0, len(others), 5000):
            NextReminder.objects.filter(user_id__in=others[start : start + 5000]).update(
                send_at=self.minute + timedelta(days=1)
            )
        for (name, lead), (_at, evening) in self.evening.items():
            kind_ids = [i for i in ids if self.zone_of(i) == name and self.lead_of(i) == lead]
            for start in range(0, len(kind_ids), 5000):
                NextReminder.objects.filter(user_id__in=kind_ids[start : start + 5000]).update(
                    send_at=self.minute, evening=evening
                )
        tidy()


def copy_rows(model, rows) -> int:
    """COPY `rows` (dicts of attribute names to values) into the model's table; the other columns as a
    model instance would have them (defaults, auto_now). The auto primary key is left to its sequence
    unless given. Returns the number of rows."""
    from django.db import connection

    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return 0
    template = model(**first)
    fields = [f for f in model._meta.concrete_fields if not (f.primary_key and f.attname not in first)]
    fixed = [field.get_db_prep_save(field.pre_save(template, add=True), connection) for field in fields]
    varying = [(position, field.attname) for position, field in enumerate(fields) if field.attname in first]
    # JSON values go through the field (a list would otherwise be written as an array).
    as_json = [(position, field) for position, field in enumerate(fields) if field.get_internal_type() == "JSONField"]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    count = 0
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN") as copy,
    ):
        for values in itertools.chain([first], rows):
            line = list(fixed)
            for position, name in varying:
                line[position] = values[name]
            for position, field in as_json:
                if field.attname in values:
                    line[position] = field.get_db_prep_save(values[field.attname], connection)
            copy.write_row(line)
            count += 1
    return count


def tidy() -> None:
    """PostgreSQL: VACUUM ANALYZE the tables the claim reads and writes (this server may run without autovacuum); SQLite: ANALYZE."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "VACUUM ANALYZE prevention_nextreminder, prevention_schedule, prevention_reminder, auth_user, diary_profile"
            )
        else:
            cursor.execute("ANALYZE")


# --- measuring ------------------------------------------------------------------------


def kind_of(sql: str) -> str:
    return "select due batch" if is_due_select(sql) else sql.split()[0].lower()


class AllQueries:
    """CaptureQueriesContext without its limit (Django keeps only the last 9,000 queries), and with
    precise times: `timings` holds (kind, seconds) of every statement and COMMIT (the query log
    rounds times to whole milliseconds)."""

    def __enter__(self):
        from django.db import connection

        self.connection = connection
        self.timings: list[tuple[str, float]] = []
        self.saved = connection.queries_log, connection.queries_limit, connection.force_debug_cursor
        connection.queries_log, connection.queries_limit = deque(), 10**9
        connection.force_debug_cursor = True
        connection.ensure_connection()
        commit = connection._commit

        def timed_commit():
            start = time.perf_counter()
            try:
                return commit()
            finally:
                self.timings.append(("commit", time.perf_counter() - start))

        connection._commit = timed_commit
        self.wrapper = connection.execute_wrapper(self.timed_execute)
        self.wrapper.__enter__()
        return self

    def timed_execute(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.timings.append((kind_of(sql), time.perf_counter() - start))

    def __exit__(self, *exc):
        self.wrapper.__exit__(*exc)
        del self.connection._commit
        self.captured_queries = list(self.connection.queries_log)
        self.connection.queries_log, self.connection.queries_limit, self.connection.force_debug_cursor = self.saved


def timed_claim(now, capture: bool = False):
    """(seconds, reminder ids, captured queries or None) of claim_due(now)."""
    from prevention.reminders.dispatch import claim_due

    gc.collect()
    if capture:
        with AllQueries() as captured:
            start = time.perf_counter()
            ids = claim_due(now)
            seconds = time.perf_counter() - start
        return seconds, ids, captured
    start = time.perf_counter()
    ids = claim_due(now)
    return time.perf_counter() - start, ids, None


def query_kinds(queries) -> dict[str, int]:
    """How many queries of each kind, as in Django's query log (BEGIN and COMMIT included)."""
    kinds: dict[str, int] = {}
    for query in queries:
        kind = kind_of(query["sql"])
        kinds[kind] = kinds.get(kind, 0) + 1
    return kinds


def query_times(timings) -> dict[str, float]:
    """Milliseconds spent in each kind of statement, and in COMMIT."""
    times: dict[str, float] = {}
    for kind, seconds in timings:
        times[kind] = times.get(kind, 0.0) + seconds * 1000
    return times


def batch_selects(timings) -> list[float]:
    """Milliseconds of each 'select due batch' query, in order."""
    return [seconds * 1000 for kind, seconds in timings if kind == "select due batch"]


def explain(sql: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
        rows = cursor.fetchall()
    if connection.vendor == "postgresql":
        return "\n".join(row[0] for row in rows)
    return "\n".join(str(row[-1]) for row in rows)


def queue_length() -> int:
    """Messages waiting in the bench queue of the configured broker."""
    from django.conf import settings

    if settings.CELERY_BROKER_URL.startswith("redis"):
        import redis

        return redis.Redis.from_url(settings.CELERY_BROKER_URL).llen(BENCH_QUEUE)
    folder = Path(settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_out"])
    return sum(1 for path in folder.iterdir() if f".{BENCH_QUEUE}." in path.name)


def remove_queue(keys_before: set[bytes] | None = None) -> str:
    """Delete the bench queue from Redis, and kombu's bookkeeping keys the run added (the worker's);
    the file-system broker goes with the temporary folder."""
    from django.conf import settings

    if not settings.CELERY_BROKER_URL.startswith("redis"):
        return "file-system broker: removed with the temporary folder"
    import redis

    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    added = {key for key in client.scan_iter("_kombu.*") if key not in (keys_before or set())}
    bench_keys = set(client.scan_iter(f"*{BENCH_QUEUE}*")) | added
    if bench_keys:
        client.delete(*bench_keys)
    return f"Redis: deleted {len(bench_keys)} bench keys, {client.dbsize()} keys left in the database"


class Capture:
    """An e-mail 'connection' that keeps the messages instead of sending them."""

    def __init__(self):
        self.messages = []

    def send_messages(self, messages):
        self.messages.extend(messages)
        return len(messages)


def rss_kib(pid: int | str = "self") -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def revision() -> str:
    """The commit the code is at, and whether prevention/ differs from it."""
    import subprocess

    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "prevention"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "not a git checkout"
    return f"commit {head}" + (" (prevention/ modified)" if dirty else "")


def main() -> int:
    args = parse_args()
    if args.claim_only:
        return in_given_database(claim_only, args)
    return in_throwaway_database("bench/reminders.py", run, args, database=BENCH_DB)


def in_given_database(run_it, args) -> int:
    """run_it(args) with tests.settings in a temporary var/ folder, on DATABASE_URL's database as given
    (none created or dropped), or SQLite in that folder when it is unset."""
    import shutil
    import tempfile

    var_dir = tempfile.mkdtemp(prefix="cramps-bench-")
    os.environ["CRAMPS_VAR_DIR"] = var_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
    try:
        return run_it(args)
    finally:
        from django.db import connections

        connections.close_all()
        shutil.rmtree(var_dir, ignore_errors=True)


def claim_only(args) -> int:
    """Part 1 alone: claim_due for --due among --people, --runs times; one RESULT line per figure.

    To compare with another version, run that version's own copy of this script (its own schema) in
    another empty database, the two taking turns (docs/performance.md). The dispatcher's memory is traced (and its resident set
    read) while it claims 10,000 and then --due, batch by batch as tasks.dispatch_reminders does.
    """
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import override_settings
    from django.utils import timezone

    from prevention.reminders import dispatch

    call_command("migrate", verbosity=0, interactive=False)
    User = get_user_model()
    if User.objects.exists():
        raise SystemExit("bench/reminders.py --claim-only: the database holds accounts; use an empty one")
    people = args.people or 100_000
    due = min(args.due, people // 10)
    sizes = [int(n) for n in args.batch.split(",") if n.strip()] or [settings.REMINDER_CLAIM_BATCH]
    batch = sizes[0]  # the memory is traced with the first
    minute = timezone.now().astimezone(UTC).replace(second=0, microsecond=0)
    population = Population(minute, due)
    print(f"cramps reminders benchmark (claim only), {timezone.now():%Y-%m-%d %H:%M} UTC, {revision()}")
    print(
        f"  database: {connection.vendor} ({connection.settings_dict['NAME']}); Python {sys.version.split()[0]}, "
        f"Django {django.get_version()}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}"
    )
    claims = {f"new (batch {size})": partial(dispatch.claim_due, batch=size) for size in sizes}
    if args.dispatchers > 1 and connection.vendor == "postgresql":
        claims[f"{args.dispatchers} dispatchers at once (batch {batch})"] = partial(
            claim_together, args.dispatchers, batch
        )
    try:
        start = time.perf_counter()
        population.create(list(range(1, people + 1)))
        how = "COPY" if connection.vendor == "postgresql" else "bulk_create"
        print(
            f"  {people:,} accounts written in {time.perf_counter() - start:.1f} s ({how}); {due:,} due at "
            f"{minute:%H:%M} UTC, {len(population.evening)} kinds (zone, lead time)"
        )

        # Memory first, while the process is fresh: the resident set then says something.
        for count in sorted({min(10_000, due), due}):
            population.arm(count)
            with override_settings(REMINDER_CLAIM_BATCH=batch):
                peak, rss_growth, max_rss = traced_dispatch(count)
            print(
                f"RESULT claim_memory_{count} = tracemalloc peak {peak / 1024:,.0f} KiB, RSS {rss_growth / 1024:+.1f} MiB, "
                f"max RSS {max_rss / 1024:.1f} MiB  (claim_batches, batch {batch}, each batch's ids dropped once read)"
            )

        per_batch = {}
        for label, claim in claims.items():
            if "at once" in label:
                continue  # its threads' queries are on connections of their own: timed below only
            population.arm(due)
            with AllQueries() as captured:
                ids = claim(timezone.now())
            assert len(ids) == due, (len(ids), due)
            queries = len(captured.captured_queries)
            size = int(label.split("batch ")[1].rstrip(")"))
            batches = -(-due // size)
            kinds = query_kinds(captured.captured_queries)
            selects = batch_selects(captured.timings)
            # From one batch's select to the next's: BEGIN, the statements, COMMIT.
            starts = [n for n, query in enumerate(captured.captured_queries) if is_due_select(query["sql"])]
            per_batch[label] = starts[1] - starts[0]
            print(f"  {label}: " + ", ".join(f"{n:,} {kind}" for kind, n in sorted(kinds.items())))
            print(
                f"    'due batch' selects: first {selects[0]:.1f} ms, median {statistics.median(selects):.1f} ms, "
                f"last {selects[-1]:.1f} ms; time in the database: "
                + ", ".join(f"{k} {ms / 1000:.2f} s" for k, ms in sorted(query_times(captured.timings).items()))
            )
            print(
                f"RESULT claim_queries_per_batch[{label}] = {per_batch[label]}  (BEGIN and COMMIT included; "
                f"{queries:,} queries for {batches} batches of {size} and the last, empty select)"
            )

        times: dict[str, list[float]] = {label: [] for label in claims}
        for _ in range(args.runs):
            for label, claim in claims.items():  # taking turns: a busy moment slows both alike
                population.arm(due)
                gc.collect()
                start = time.perf_counter()
                ids = claim(timezone.now())
                times[label].append(time.perf_counter() - start)
                assert len(ids) == due, (len(ids), due)
        for label, runs in times.items():
            median = statistics.median(runs)
            print(
                f"RESULT claim_seconds[{label}] = {median:.2f}  (runs {', '.join(f'{t:.2f}' for t in runs)}; "
                f"spread {max(runs) - min(runs):.2f} s; {median * 1000 / due:.3f} ms per due person)"
            )
        print(f"RESULT claim_when_us = {when_cost(population):.0f}  (one uncached call of _when, µs)")
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":  # it held no accounts when the run began
                cursor.execute(
                    "TRUNCATE auth_user, prevention_reminder, prevention_schedule, prevention_nextreminder, "
                    "diary_profile CASCADE"
                )
    return 0


def claim_together(dispatchers: int, batch: int, now) -> list[int]:
    """`dispatchers` threads claiming at once, each with a database connection of its own, as
    REMINDER_DISPATCHERS runs them (SKIP LOCKED shares the rows); every id they claimed, once each."""
    import threading

    from django.db import connections

    from prevention.reminders import dispatch

    claimed: list[list[int]] = []
    errors: list[BaseException] = []

    def dispatcher():
        try:
            claimed.append(dispatch.claim_due(now, batch=batch))
        except BaseException as error:  # noqa: BLE001  (re-raised below)
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=dispatcher) for _ in range(dispatchers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    ids = [i for part in claimed for i in part]
    assert len(ids) == len(set(ids)), "an evening claimed twice"
    return ids


def traced_dispatch(count: int) -> tuple[int, int, int]:
    """claim_batches as the dispatcher runs it (each batch's ids handed on, then dropped) under
    tracemalloc: (peak bytes, resident set growth KiB, max resident set KiB)."""
    import tracemalloc

    from django.utils import timezone

    from prevention.reminders.dispatch import claim_batches

    gc.collect()
    rss_before = rss_kib()
    tracemalloc.start()
    claimed = 0
    for ids in claim_batches(timezone.now()):
        claimed += len(ids)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert claimed == count, (claimed, count)
    return peak, rss_kib() - rss_before, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def when_cost(population) -> float:
    """µs per call of the next-time function without its cache, over the due people's own inputs: what
    the claim would pay per person were every person due in a minute a kind of their own."""
    import json

    from django.utils import timezone

    from prevention.reminders import dispatch

    now = timezone.now()
    calls = [
        (
            now,
            population.evening[population.zone_of(i), population.lead_of(i)][1],
            population.evening[population.zone_of(i), population.lead_of(i)][0],
            None,
            population.zone_of(i),
            json.dumps(list(range(7))),
            population.lead_of(i),
            True,
        )
        for i in population.due_ids(2000)
    ]
    uncached = dispatch._next.__wrapped__
    start = time.perf_counter()
    for call in calls:
        uncached(*call)
    return (time.perf_counter() - start) * 1e6 / len(calls)


def run(args) -> int:
    import django

    django.setup()
    from django.conf import settings
    from django.core.mail.utils import DNS_NAME
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import override_settings
    from django.utils import timezone

    import cramps.celery  # noqa: F401  (the app's Celery configuration for shared tasks)
    from cramps.emails import send_email
    from prevention import tasks
    from prevention.models import Reminder
    from prevention.reminders import delivery, dispatch, links

    cramps.celery.app.conf.task_default_queue = BENCH_QUEUE  # never consumed; deleted at the end

    call_command("migrate", verbosity=0, interactive=False)
    vendor = connection.vendor
    people = args.people
    note = ""
    if people is None:
        people = 100_000 if vendor == "postgresql" else SQLITE_PEOPLE
    due = min(args.due, people // 10)
    # Ids 1..N, the due ones every tenth (10, 20, …). First the due ones with as many others
    # (ids ending in 1): 10,000 due among 20,000; then the rest up to N (in id order).

    database = vendor
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            database += " " + cursor.fetchone()[0]
            cursor.execute("SHOW synchronous_commit")
            database += f" (synchronous_commit {cursor.fetchone()[0]}"
            cursor.execute("SHOW autovacuum")
            database += f", autovacuum {cursor.fetchone()[0]})"
    else:
        import sqlite3

        database += " " + sqlite3.sqlite_version
    broker = "file system"
    if settings.CELERY_BROKER_URL.startswith("redis"):
        parts = urlsplit(settings.CELERY_BROKER_URL)  # shown without a password
        broker = f"Redis {parts.hostname}:{parts.port or 6379}{parts.path or '/0'}"
    if broker.startswith("Redis"):
        import redis

        redis_keys_before = set(redis.Redis.from_url(settings.CELERY_BROKER_URL).scan_iter())

    print(f"cramps reminders benchmark, {timezone.now():%Y-%m-%d %H:%M} UTC, {revision()}")
    print(f"  database: {database} ({settings.DATABASES['default']['NAME']}); broker: {broker}")
    print(
        f"  Python {sys.version.split()[0]}, Django {django.get_version()}, DEBUG={settings.DEBUG}, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}"
    )

    minute = timezone.now().astimezone(UTC).replace(second=0, microsecond=0)
    population = Population(minute, due)

    # --- 10,000 due among 20,000 ---------------------------------------------------------
    due_ids = population.due_ids()
    first_ids = sorted(due_ids + [10 * k + 1 for k in range(due)])
    first_group = len(first_ids)
    chosen = set(first_ids)
    start = time.perf_counter()
    population.create(first_ids)
    made_first = time.perf_counter() - start
    tidy()
    results = {}
    seconds, ids, _ = timed_claim(timezone.now())
    assert len(ids) == due, (len(ids), due)
    results["first"] = (first_group, due, seconds, None)

    # --- the rest, up to 100,000 ----------------------------------------------------------
    rest = [i for i in range(1, max(people, 10 * due) + 1) if i not in chosen][: people - first_group]
    if vendor == "sqlite" and args.people is None and rest:
        # Time a tenth first; if all of them would take over 3 minutes, make fewer.
        sample = rest[: len(rest) // 10]
        start = time.perf_counter()
        population.create(sample)
        per_person = (time.perf_counter() - start) / len(sample)
        rest = rest[len(sample) :]
        made_first += per_person * len(sample)
        if per_person * (first_group + len(sample) + len(rest)) > SQLITE_SETUP_LIMIT:
            fit = int(SQLITE_SETUP_LIMIT / per_person) - first_group - len(sample)
            rest = rest[: max(fit, 0)]
            people = first_group + len(sample) + len(rest)
            note = (
                f"  NOTE: SQLite writes {1 / per_person:,.0f} accounts/s here; 100,000 would take over "
                f"{SQLITE_SETUP_LIMIT / 60:.0f} minutes, so {people:,} accounts (--people to choose)."
            )
    start = time.perf_counter()
    population.create(rest)
    made = made_first + time.perf_counter() - start
    if note:
        print(note)
    print(
        f"  {people:,} accounts with profile and schedule written in {made:.1f} s (bulk_create, no signals); "
        f"{due:,} due at {minute:%H:%M} UTC in {len(ZONES)} zones, the others 3 to 27 hours later"
    )

    # --- 10,000 due among all: queries, then timed ------------------------------------------
    population.arm(due)
    captured_seconds, _, captured = timed_claim(timezone.now(), capture=True)
    queries = captured.captured_queries
    kinds = query_kinds(queries)
    kind_times = query_times(captured.timings)
    selects = batch_selects(captured.timings)
    due_sql = next(q["sql"] for q in queries if is_due_select(q["sql"]))
    population.arm(due)
    plan = explain(due_sql)
    population.arm(due)
    seconds, ids, _ = timed_claim(timezone.now())
    assert len(ids) == due
    results["all"] = (people, due, seconds, len(queries))

    # dispatcher memory: claim_due of `small` and of `due`, traced
    traced = {}
    for count in (min(args.small, due), due):
        population.arm(count)
        traced[count] = traced_claim(count)

    # --- 1,000 due among all --------------------------------------------------------------
    small = min(args.small, due)
    population.arm(small)
    seconds_small, ids_small, small_captured = timed_claim(timezone.now(), capture=True)
    small_queries = small_captured.captured_queries
    assert len(ids_small) == small, (len(ids_small), small)
    population.arm(small)
    seconds_small, ids_small, _ = timed_claim(timezone.now())
    results["small"] = (people, small, seconds_small, len(small_queries))

    print("\n1. Claiming: dispatch.claim_due(now)")
    for label, key in (("due among the first", "first"), ("due among all", "all"), ("due among all", "small")):
        accounts, count, secs, n_queries = results[key]
        extra = f"  {n_queries:6,d} queries ({n_queries / count:.2f} per due)" if n_queries else ""
        print(
            f"  {count:7,d} {label:<20} {accounts:7,d}: {secs * 1000:9.0f} ms  "
            f"{secs * 1000 / count:6.3f} ms per due person{extra}"
        )
    print(f"  queries of the {due:,}: " + ", ".join(f"{n:,} {kind}" for kind, n in sorted(kinds.items())))
    print(
        f"  the {len(selects)} 'due batch' selects ({settings.REMINDER_CLAIM_BATCH} rows each): first {selects[0]:.1f} ms, "
        f"median {statistics.median(selects):.1f} ms, last {selects[-1]:.1f} ms, "
        f"sum {sum(selects):.0f} ms"
    )
    print(
        f"  time in the database for the {due:,}: "
        + ", ".join(f"{kind} {ms / 1000:.2f} s" for kind, ms in sorted(kind_times.items(), key=lambda item: -item[1]))
        + f"; in all {sum(kind_times.values()) / 1000:.2f} s of the {captured_seconds:.2f} s "
        f"(perf_counter around each statement and COMMIT; the rest is Python)"
    )
    for count, (peak, after, collected) in traced.items():
        print(
            f"  memory of claim_due for {count:6,d} due (tracemalloc): peak {peak / 1024:7,.0f} KiB, "
            f"{after / 1024:7,.0f} KiB still allocated on return, {collected / 1024:6,.0f} KiB after gc.collect()"
        )
    print(f"  plan of the due query ({due:,} due among {people:,}):")
    for line in plan.splitlines():
        print("    " + line)

    # --- 2. dispatch: claim + enqueue -------------------------------------------------------
    population.arm(due)
    queue, first_queued = tasks.queue, []

    def timed_queue(ids):  # when the first batch reaches the broker: the workers can start then
        queue(ids)
        if ids and not first_queued:
            first_queued.append(time.perf_counter() - start)

    tasks.queue = timed_queue
    start = time.perf_counter()
    try:
        dispatched = tasks.dispatch_reminders()
    finally:
        tasks.queue = queue
    dispatch_seconds = time.perf_counter() - start
    assert dispatched == due, dispatched
    queued_by_dispatch = queue_length()
    claimed = list(Reminder.objects.filter(status=Reminder.Status.CLAIMED).order_by("pk").values_list("pk", flat=True))
    start = time.perf_counter()
    tasks.queue(claimed)
    enqueue_seconds = time.perf_counter() - start
    queued = queue_length()
    # With nothing sent yet, what the sweeper would queue again three minutes later.
    # The sweeper, run by the dispatcher every minute, while none of these has been sent yet
    # (a backlog): how many it would queue again at each of the next minutes.
    swept_at = timezone.now()
    sweeps = [(minutes, len(dispatch.stuck(swept_at + timedelta(minutes=minutes)))) for minutes in range(1, 9)]

    print(f"\n2. Dispatching on the {broker} broker")
    print(
        f"  tasks.dispatch_reminders() for {due:,} due: {dispatch_seconds * 1000:,.0f} ms "
        f"({dispatch_seconds * 1000 / due:.3f} ms per reminder; {queued_by_dispatch:,} messages queued); "
        f"the first batch of {settings.REMINDER_CLAIM_BATCH} queued after {first_queued[0] * 1000:,.0f} ms"
    )
    print(
        f"  tasks.queue() alone (send_reminder over one connection), {len(claimed):,} reminders: {enqueue_seconds * 1000:,.0f} ms "
        f"({enqueue_seconds * 1e6 / len(claimed):.0f} µs per message, {len(claimed) / enqueue_seconds:,.0f}/s; "
        f"{queued:,} in the queue now)"
    )
    print(
        f"  claim share of the dispatch: {(dispatch_seconds - enqueue_seconds) / dispatch_seconds:.0%} "
        f"(dispatch minus enqueueing alone)"
    )
    print(
        f"  dispatch.stuck() a minute apart with none of the {len(claimed):,} sent yet (a backlog), "
        f"ids queued again: "
        + ", ".join(f"+{minutes} min {count:,}" for minutes, count in sweeps)
        + f"; {sum(count for _, count in sweeps):,} in 8 minutes"
    )

    # --- 3. sends per second --------------------------------------------------------------------
    smtp = SMTP_SETTINGS
    pool = iter(claimed)
    warm = [next(pool) for _ in range(20)]
    sends = [next(pool) for _ in range(min(args.sends, len(claimed) - 20))]
    with Sink() as sink, override_settings(EMAIL_HOST="127.0.0.1", EMAIL_PORT=sink.port, **smtp):
        for reminder_id in warm:
            assert delivery.deliver(reminder_id) == Reminder.Status.SENT
        gc.collect()
        received = sink.received
        start, cpu = time.perf_counter(), time.process_time()
        for reminder_id in sends:
            status = delivery.deliver(reminder_id)
            assert status == Reminder.Status.SENT, status
        app_seconds, app_cpu = time.perf_counter() - start, time.process_time() - cpu
        app_received = sink.received - received

        # The same message, rendered by the app, sent by smtplib alone.
        reminder = Reminder.objects.select_related("user__profile", "user__routine_schedule").get(pk=warm[0])
        capture = Capture()
        send_email(
            reminder.user.email,
            "reminder",
            delivery.reminder_context(reminder, reminder.user.routine_schedule),
            headers=links.unsubscribe_headers(reminder.user),
            connection=capture,
        )
        message = capture.messages[0]
        raw = message.message().as_bytes(linesep="\r\n")
        sender, recipients = message.from_email, message.recipients()
        local = str(DNS_NAME)  # as Django's backend: the machine's name, looked up once

        def bare_once():
            with smtplib.SMTP("127.0.0.1", sink.port, local_hostname=local, timeout=30) as client:
                client.sendmail(sender, recipients, raw)

        for _ in range(20):
            bare_once()
        received = sink.received
        start, cpu = time.perf_counter(), time.process_time()
        for _ in sends:
            bare_once()
        bare_seconds, bare_cpu = time.perf_counter() - start, time.process_time() - cpu
        bare_received = sink.received - received

        received = sink.received
        start, cpu = time.perf_counter(), time.process_time()
        with smtplib.SMTP("127.0.0.1", sink.port, local_hostname=local, timeout=30) as client:
            for _ in sends:
                client.sendmail(sender, recipients, raw)
        reused_seconds, reused_cpu = time.perf_counter() - start, time.process_time() - cpu
        reused_received = sink.received - received

        n = len(sends)
        assert app_received == bare_received == reused_received == n, (app_received, bare_received, reused_received)
        app_rate, bare_rate, reused_rate = n / app_seconds, n / bare_seconds, n / reused_seconds
        print(
            f"\n3. Sending {n:,} reminders to an aiosmtpd sink on 127.0.0.1 (another process; "
            f"{len(raw):,}-byte message)"
        )
        print(
            f"  app:  delivery.deliver(), Django SMTP backend: {app_rate:7.1f} sends/s  "
            f"({app_seconds * 1000 / n:.2f} ms each, {app_cpu * 1000 / n:.2f} ms CPU in this process)"
        )
        print(
            f"  bare: smtplib, one connection per message:      {bare_rate:7.1f} sends/s  "
            f"({bare_seconds * 1000 / n:.2f} ms each, {bare_cpu * 1000 / n:.2f} ms CPU in this process)"
        )
        print(
            f"  bare: smtplib, one connection for all:           {reused_rate:7.1f} sends/s  "
            f"({reused_seconds * 1000 / n:.2f} ms each, {reused_cpu * 1000 / n:.2f} ms CPU in this process)"
        )
        print(
            f"  app / bare (one connection per message) = {app_rate / bare_rate:.2f}; "
            f"app / bare (reused connection) = {app_rate / reused_rate:.2f}"
        )

        # A second task for a reminder already sent (what the sweeper's re-queueing costs a worker).
        again = sends[:500]
        start = time.perf_counter()
        for reminder_id in again:
            assert delivery.deliver(reminder_id) == Reminder.Status.SENT
        duplicate_ms = (time.perf_counter() - start) * 1000 / len(again)
        print(f"  deliver() of a reminder already sent (a duplicate task): {duplicate_ms:.2f} ms, nothing sent")

        # --- 4. memory -----------------------------------------------------------------------
        steps = list(args.memory_steps)
        left = [reminder_id for reminder_id in pool]
        if sum(steps) > len(left):
            population.arm(due)  # claim afresh: a new set of reminders to deliver
            left = dispatch.claim_due(timezone.now())
            if sum(steps) > len(left):
                steps = [max(1, s * len(left) // sum(steps)) for s in steps]
                print(f"  NOTE: memory steps scaled down to {steps} (only {len(left):,} due)")
        print("\n4. Memory while delivering (this process; tracemalloc, and the resident set)")
        gc.collect()
        import tracemalloc

        tracemalloc.start()
        base = tracemalloc.get_traced_memory()[0]
        previous = base
        rss_before = rss_kib()
        done = 0
        position = 0
        for step in steps:
            tracemalloc.reset_peak()
            for reminder_id in left[position : position + step]:
                assert delivery.deliver(reminder_id) == Reminder.Status.SENT
            position += step
            done += step
            gc.collect()
            current, peak = tracemalloc.get_traced_memory()
            print(
                f"  +{step:5,d} delivered ({done:6,d} in all): traced {(current - base) / 1024:8.1f} KiB above the "
                f"start, {(current - previous) / 1024:+8.1f} KiB this step ({(current - previous) / step:+7.1f} B per "
                f"reminder), step peak {(peak - base) / 1024:8.1f} KiB; RSS {rss_kib() / 1024:6.1f} MiB "
                f"({(rss_kib() - rss_before) / 1024:+5.1f}), max RSS "
                f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:6.1f} MiB"
            )
            previous = current
        tracemalloc.stop()

        # --- 5. a real worker ------------------------------------------------------------------
        worker_steps = list(args.worker_steps)
        population.arm(due)  # a fresh set of claimed reminders for the worker
        fresh = dispatch.claim_due(timezone.now())
        if sum(worker_steps) + 100 > len(fresh):
            worker_steps = [max(1, s * (len(fresh) - 100) // sum(worker_steps)) for s in worker_steps]
            print(f"  NOTE: worker steps scaled down to {worker_steps} (only {len(fresh):,} due)")
        purge_queue()  # the messages of section 2 name reminders that no longer exist
        print(
            f"\n5. A real worker (celery worker, prefork, concurrency 1) sending to the same sink over the {broker} broker"
        )
        with BenchWorker(sink.port) as worker:
            warm_ids, rest_ids = fresh[:100], fresh[100:]
            tasks.queue(warm_ids)
            worker.wait_sent(len(warm_ids))
            base_rss = worker.rss_kib()
            print(
                f"  after 100 to warm up: pool process RSS {base_rss / 1024:.1f} MiB "
                f"(main process {worker.main_rss_kib() / 1024:.1f} MiB)"
            )
            position, done = 0, len(warm_ids)
            rates = []
            for step in worker_steps:
                ids = rest_ids[position : position + step]
                position += step
                start = time.perf_counter()
                tasks.queue(ids)
                done += len(ids)
                worker.wait_sent(done)
                seconds = time.perf_counter() - start
                rates.append(len(ids) / seconds)
                rss = worker.rss_kib()
                print(
                    f"  +{len(ids):5,d} sent ({done - len(warm_ids):6,d} in all): {len(ids) / seconds:6.1f} sends/s "
                    f"(queue and send); pool process RSS {rss / 1024:6.1f} MiB ({(rss - base_rss) / 1024:+5.1f} MiB)"
                )
            worker_rss_growth = (worker.rss_kib() - base_rss) / 1024
        print(
            f"  worker sends/s / bare smtplib (one connection per message) = {statistics.median(rates) / bare_rate:.2f} "
            f"(median of the steps)"
        )

    sent = Reminder.objects.filter(status=Reminder.Status.SENT).count()
    print(f"\n  reminders sent: {sent:,}; messages received by the sink: {sink.received:,}")
    print(f"  {remove_queue(redis_keys_before if broker.startswith('Redis') else None)}")
    if broker.startswith("Redis"):
        print(f"  (the Redis database held {len(redis_keys_before)} keys before the run)")
    all_first = results["first"]
    all_due = results["all"]
    print(
        f"RESULT claim {due:,} due among {people:,}: {all_due[2]:.2f} s ({all_due[2] * 1000 / due:.3f} ms per due, "
        f"{all_due[3] / due:.2f} queries per due); among {all_first[0]:,}: {all_first[2]:.2f} s; "
        f"{small:,} among {people:,}: {seconds_small:.2f} s; dispatch {dispatch_seconds:.2f} s; "
        f"sends/s app {app_rate:.0f} / bare {bare_rate:.0f} = {app_rate / bare_rate:.2f}; "
        f"worker {statistics.median(rates):.0f}/s, its RSS {worker_rss_growth:+.1f} MiB over {sum(worker_steps):,} sends"
    )
    return 0


def purge_queue() -> None:
    from cramps.celery import app

    with app.connection_for_write() as connection:
        connection.default_channel.queue_purge(BENCH_QUEUE)


class BenchWorker:
    """tests/celery_worker.py's worker (prefork, one pool process) on the bench queue, sending to the
    sink; with the bench's settings, database and broker (it inherits this process's environment)."""

    def __init__(self, smtp_port: int):
        self.smtp_port = smtp_port

    def __enter__(self):
        from django.conf import settings

        from tests.celery_worker import Worker

        log = Path(settings.VAR_DIR) / "bench-worker.log"
        self.worker = Worker(BENCH_QUEUE, self.smtp_port, log, concurrency=1)
        return self

    def wait_sent(self, count: int, timeout: float = 600) -> None:
        from prevention.models import Reminder

        deadline = time.monotonic() + timeout
        while Reminder.objects.filter(status=Reminder.Status.SENT).count() < count:
            if self.worker.process.poll() is not None:
                raise SystemExit("the worker died:\n" + self.worker.output())
            if time.monotonic() > deadline:
                raise SystemExit(f"the worker did not send {count} reminders in {timeout:.0f} s")
            time.sleep(0.1)

    def rss_kib(self) -> int:
        """The resident set of the pool process (the one that runs the tasks)."""
        return sum(rss_kib(pid) for pid in self.worker.pool_pids())

    def main_rss_kib(self) -> int:
        return rss_kib(self.worker.process.pid)

    def __exit__(self, *exc):
        self.worker.stop()


def traced_claim(count: int) -> tuple[int, int, int]:
    """claim_due under tracemalloc: (peak, allocated on return, allocated after gc.collect()), in bytes."""
    import tracemalloc

    from django.utils import timezone

    from prevention.reminders.dispatch import claim_due

    gc.collect()
    tracemalloc.start()
    claimed = claim_due(timezone.now())
    after, peak = tracemalloc.get_traced_memory()
    gc.collect()
    collected = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    assert len(claimed) == count, (len(claimed), count)
    return peak, after, collected


if __name__ == "__main__":
    sys.exit(main())
