"""Signed-in people logging cramps and day logs against gunicorn on PostgreSQL; optionally with faults.

    .venv/bin/python bench/load.py                          # 50 people, 60 s, its own PostgreSQL
    .venv/bin/python bench/load.py --people 20 --duration 30
    .venv/bin/python bench/load.py --fault                  # and PostgreSQL restarted twice under the load
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/helpere .venv/bin/python bench/load.py

Everything runs on 127.0.0.1 and stops by itself: the script starts its own PostgreSQL cluster
(initdb into a temporary folder, a spare port; or, with DATABASE_URL, that database, migrated,
where the run's accounts and all they wrote are deleted at the end; never restarted), its own
redis-server, and gunicorn as docker-compose.yml runs it (3 workers, production settings). It
makes the accounts,
signs each person in through the sign-in form (session cookie, CSRF), then each virtual person
(a thread with its own httpx client) opens and posts the real forms as a browser would: a cramp
(diary:episode_new), a day log for an earlier day (diary:day_log_new) or a change to one
(diary:day_log_edit), one after another without pause until the time is up. Every write carries
a marker in its notes, so that each acknowledged write (a 302) is looked for afterwards.

With --fault, bench/faults.py restarts the cluster (pg_ctl restart -m fast) under the load and
checks that no acknowledged write is lost and the app recovers without being restarted.
Prints `RESULT name = value` lines; see bench/README.md and docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(Path(__file__).resolve().parent))

import httpx  # noqa: E402
import stack  # noqa: E402  (bench/stack.py)
import webforms  # noqa: E402  (bench/webforms.py)

TIMEOUT = httpx.Timeout(15.0)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=50, help="signed-in people writing at once (default 50)")
    parser.add_argument("--duration", type=float, default=60, help="seconds of load (default 60)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2, as docker-compose.yml)")
    parser.add_argument("--fault", action="store_true", help="restart the script's own PostgreSQL under the load")
    parser.add_argument("--restarts", type=int, default=2, help="with --fault: how many restarts (default 2)")
    parser.add_argument(
        "--restart-mode",
        default="fast",
        choices=["smart", "fast", "immediate"],
        help="with --fault: pg_ctl's shutdown mode (default fast)",
    )
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args(argv)
    if not (1 <= args.people <= 200 and 1 <= args.duration <= 600):
        parser.error("--people 1..200 and --duration 1..600 s: the run must stay bounded")
    if args.fault and os.environ.get("DATABASE_URL"):
        parser.error("--fault restarts a PostgreSQL the script started itself: unset DATABASE_URL")
    return args


# ---------------------------------------------------------------- what happened


@dataclass
class Record:
    kind: str  # "episode", "day_new", "day_edit" (+ ":form" for the GET that opens it), "login"
    status: int  # the HTTP status; 0 for a transport error (refused, reset, timed out)
    seconds: float
    at: float  # seconds since the load started


@dataclass
class Person:
    index: int
    email: str
    client: httpx.Client | None = None
    records: list[Record] = field(default_factory=list)
    episodes: list[tuple[str, bool]] = field(default_factory=list)  # (marker, acknowledged)
    days: dict[date, list[tuple[str, bool]]] = field(default_factory=dict)  # every write to that day, in order
    seq: int = 0

    def marker(self) -> str:
        self.seq += 1
        return f"load {self.index}-{self.seq}"


# ---------------------------------------------------------------- accounts and signing in


def make_accounts(count: int, password: str, run: str) -> list[Person]:
    """Accounts with confirmed addresses, written directly (the password hashed once, not 50 times)."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    encoded = make_password(password)
    people = []
    for index in range(count):
        email = f"load-{run}-{index:03d}@example.com"
        user = get_user_model()(username=email, email=email, password=encoded)
        user.save()  # the profile comes from the post_save signal, as at sign-up
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
        people.append(Person(index, email))
    return people


def sign_in(base: str, person: Person, password: str) -> None:
    # Each person from an address of their own in 127.0.0.0/8, as 50 people would come from 50 addresses
    # (allauth limits sign-ins per address: 30 a minute from one).
    address = f"127.0.{1 + person.index // 250}.{2 + person.index % 250}"
    transport = httpx.HTTPTransport(local_address=address)
    client = httpx.Client(base_url=base, timeout=TIMEOUT, follow_redirects=False, transport=transport)
    page = client.get("/accounts/login/")
    fields = webforms.replace(webforms.post_form(page.text, "login"), login=person.email, password=password)
    answer = client.post("/accounts/login/", data=_data(fields))
    if answer.status_code != 302:
        raise RuntimeError(f"signing in answered {answer.status_code}")
    person.client = client


def _data(fields: list[tuple[str, str]]) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    return data


# ---------------------------------------------------------------- one virtual person


def _request(person: Person, kind: str, method: str, url: str, started: float, data=None) -> httpx.Response | None:
    begin = time.perf_counter()
    try:
        response = person.client.request(method, url, data=data)
        status = response.status_code
    except httpx.HTTPError:
        response, status = None, 0
    person.records.append(Record(kind, status, time.perf_counter() - begin, begin - started))
    return response


def write(person: Person, kind: str, form_url: str, post_url: str, having: str, started: float, **values) -> bool:
    """Open a form, post it with these values; True when acknowledged (302). The write is remembered either way."""
    page = _request(person, f"{kind}:form", "GET", form_url, started)
    if page is None or page.status_code != 200:
        return False
    marker = person.marker()
    fields = webforms.replace(webforms.post_form(page.text, having), notes=marker, **values)
    answer = _request(person, kind, "POST", post_url, started, data=_data(fields))
    acknowledged = answer is not None and answer.status_code == 302
    if kind == "episode":
        person.episodes.append((marker, acknowledged))
    else:
        person.days.setdefault(date.fromisoformat(values["date"]), []).append((marker, acknowledged))
    return acknowledged


def one_write(person: Person, rng: random.Random, today: date, started: float) -> bool:
    choice = rng.random()
    if choice < 0.6:
        return write(
            person,
            "episode",
            "/diary/cramp/new/",
            "/diary/cramp/new/",
            "started_at",
            started,
            intensity=str(rng.randint(1, 10)),
            leg=rng.choice(["left", "right", "both"]),
        )
    stored = [day for day, writes in person.days.items() if any(ok for _, ok in writes)]
    if choice < 0.85 or not stored:
        day = (today - timedelta(days=1 + len(person.days))).isoformat()
        return write(
            person,
            "day_new",
            f"/diary/day/?date={day}",
            f"/diary/day/?date={day}",
            "date",
            started,
            date=day,
            fluid_litres=str(rng.choice([1, 1.5, 2, 2.5])),
        )
    day = rng.choice(stored).isoformat()
    return write(
        person,
        "day_edit",
        f"/diary/day/{day}/",
        f"/diary/day/{day}/",
        "date",
        started,
        date=day,
        stress=str(rng.randint(0, 10)),
    )


def virtual_person(person: Person, seed: int, started: float, until: float, today: date) -> None:
    rng = random.Random(seed)
    while time.perf_counter() < until:
        try:
            ok = one_write(person, rng, today, started)
        except LookupError:  # the page had no form (an error page): as a refused write
            ok = False
        if not ok:
            time.sleep(0.2)  # a person waits a moment before trying again


# ---------------------------------------------------------------- afterwards


def verify(people: list[Person]) -> dict[str, int]:
    """Look for every acknowledged write in the database; count the rows the run wrote."""
    from django.db import connections

    from diary.models import DayLog, Episode

    connections.close_all()  # the cluster may have been restarted under this process's connection
    emails = [person.email for person in people]
    notes = set(Episode.objects.filter(user__email__in=emails).values_list("notes", flat=True))
    days = {
        (email, day): note
        for email, day, note in DayLog.objects.filter(user__email__in=emails).values_list(
            "user__email", "date", "notes"
        )
    }
    lost = 0
    for person in people:
        lost += sum(1 for marker, acknowledged in person.episodes if acknowledged and marker not in notes)
        for day, writes in person.days.items():
            acknowledged = [i for i, (_, ok) in enumerate(writes) if ok]
            note = days.get((person.email, day))
            # What is stored must be the last acknowledged write to that day, or one attempted after it
            # (its answer lost); an acknowledged write with nothing stored, or older, was lost.
            later = {marker for marker, _ in writes[acknowledged[-1] :]} if acknowledged else None
            lost += bool(acknowledged) and note not in later
    records = [record for person in people for record in person.records]
    return {
        "lost": lost,
        "episodes_in_db": Episode.objects.filter(user__email__in=emails).count(),
        "episodes_302": sum(1 for r in records if r.kind == "episode" and r.status == 302),
        "day_logs_in_db": len(days),
        "day_logs_302": sum(1 for r in records if r.kind == "day_new" and r.status == 302),
    }


def percentile(values: list[float], p: int) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def report(people: list[Person], elapsed: float, counts: dict[str, int], args) -> bool:
    records = [record for person in people for record in person.records]
    expected = [r for r in records if r.status == (200 if r.kind.endswith(":form") else 302)]
    posts = [r for r in records if not r.kind.endswith(":form")]
    errors = Counter(r.status for r in records if r not in expected)
    ms = sorted(r.seconds * 1000 for r in records)
    post_ms = sorted(r.seconds * 1000 for r in posts)
    print(f"RESULT people = {len(people)}")
    print(f"RESULT duration_s = {elapsed:.1f}")
    print(f"RESULT requests = {len(records)} ({len(posts)} posts, {len(records) - len(posts)} form pages)")
    print(f"RESULT throughput_rps = {len(records) / elapsed:.1f}")
    print(f"RESULT writes_per_s = {sum(1 for r in posts if r.status == 302) / elapsed:.1f}")
    print(f"RESULT latency_p50_ms = {percentile(ms, 50):.1f}")
    print(f"RESULT latency_p95_ms = {percentile(ms, 95):.1f}")
    print(f"RESULT post_latency_p50_ms = {percentile(post_ms, 50):.1f}")
    print(f"RESULT post_latency_p95_ms = {percentile(post_ms, 95):.1f}")
    kinds = sorted({r.kind for r in records})
    print(
        "RESULT latency_p50_by_kind_ms = "
        + ", ".join(
            f"{kind} {percentile(sorted(r.seconds * 1000 for r in records if r.kind == kind), 50):.0f}"
            for kind in kinds
        )
    )
    print(f"RESULT errors = {sum(errors.values())} {dict(sorted(errors.items())) or ''}".rstrip())
    for name in ("episodes", "day_logs"):
        print(f"RESULT {name}_rows_vs_302 = {counts[name + '_in_db']} / {counts[name + '_302']}")
    print(f"RESULT acknowledged_writes_lost = {counts['lost']}")
    unacknowledged = sum(counts[f"{n}_in_db"] - counts[f"{n}_302"] for n in ("episodes", "day_logs"))
    print(f"RESULT written_but_answered_error = {unacknowledged}")
    rows_match = all(counts[f"{n}_in_db"] == counts[f"{n}_302"] for n in ("episodes", "day_logs"))
    print(f"RESULT rows_written_equal_302 = {'yes' if rows_match else 'no'}")
    if args.fault:  # an answer lost in the outage may still have written: more rows than 302s is no loss
        return counts["lost"] == 0 and all(counts[f"{n}_in_db"] >= counts[f"{n}_302"] for n in ("episodes", "day_logs"))
    return counts["lost"] == 0 and rows_match and not errors


# ---------------------------------------------------------------- the run


def machine_busy() -> tuple[int, int]:
    """(busy, total) clock ticks of the whole machine so far, from /proc/stat (Linux)."""
    try:
        ticks = [int(value) for value in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    except (OSError, ValueError):
        return 0, 1
    idle = ticks[3] + (ticks[4] if len(ticks) > 4 else 0)
    return sum(ticks) - idle, sum(ticks)


def run_load(people: list[Person], args, during=None, servers=()) -> tuple[float, object]:
    """The virtual people for args.duration seconds; `during(started, until)` runs alongside (the faults)."""
    from diary.services import local_today_for  # noqa: F401 - the app is importable before the clock starts

    today = date.today()
    cpu, machine = time.process_time(), machine_busy()
    server_cpu = [stack.tree_cpu(server.pid()) for server in servers]
    started = time.perf_counter()
    until = started + args.duration
    outcome = None
    with ThreadPoolExecutor(max_workers=len(people) + 1) as pool:
        futures = [pool.submit(virtual_person, p, args.seed * 1000 + p.index, started, until, today) for p in people]
        side = pool.submit(during, started, until) if during else None
        for future in futures:
            future.result(timeout=args.duration + 60)
        outcome = side.result(timeout=args.duration + 120) if side else None
    elapsed = time.perf_counter() - started
    # The load generator shares the machine's cores with gunicorn and PostgreSQL: how much it took.
    busy, total = (after - before for after, before in zip(machine_busy(), machine))
    print(f"RESULT machine_cpu_busy = {os.cpu_count() * busy / total:.2f} of {os.cpu_count()} cores")
    print(f"RESULT load_generator_cpu = {(time.process_time() - cpu) / elapsed:.2f} cores")
    # The machine may be shared: what the app's own processes took, per request.
    requests = sum(len(person.records) for person in people)
    for server, before in zip(servers, server_cpu):
        seconds = stack.tree_cpu(server.pid()) - before
        print(
            f"RESULT {type(server).__name__.lower()}_cpu = {seconds / elapsed:.2f} cores, "
            f"{1000 * seconds / max(requests, 1):.1f} ms per request"
        )
    return elapsed, outcome


def start_stack(args, folder: Path, services: list, given: str):
    """PostgreSQL (its own, or the given database), Redis, the app migrated; Django set up here too."""
    if given:  # used as it is: the run's accounts and what they wrote are deleted at the end
        database_url, postgres = given, None
    else:
        folder.chmod(0o711)  # the cluster's account must reach its own folder inside
        (folder / "pg").mkdir()
        postgres = stack.Postgres(folder / "pg")
        services.append(postgres.start())
        database_url = postgres.url
    redis = stack.Redis(folder)
    services.append(redis.start())
    port = stack.spare_port()
    env = stack.app_env(folder, database_url, redis.url, port)
    os.environ.update(env)  # this process counts the rows afterwards with the same settings
    gunicorn = stack.Gunicorn(env, port, folder, args.workers)
    gunicorn.prepare()

    import django

    django.setup()
    return postgres, gunicorn


def load_and_check(args, postgres, gunicorn) -> bool:
    password, run = secrets.token_urlsafe(16), secrets.token_hex(3)
    people = make_accounts(args.people, password, run)
    try:
        with ThreadPoolExecutor(max_workers=10) as pool:
            list(pool.map(lambda person: sign_in(gunicorn.base, person, password), people))
        where = "its own PostgreSQL cluster" if postgres else "the given PostgreSQL database"
        print(
            f"{len(people)} people signed in; {args.duration:.0f} s of load on gunicorn ({args.workers} workers), {where}"
        )
        during = None
        if args.fault:
            import faults  # bench/faults.py

            during = faults.Restarts(postgres, gunicorn, args.restarts, args.restart_mode)
        # PostgreSQL's processes are counted only without restarts (a restart starts a new server).
        servers = (gunicorn,) if args.fault or postgres is None else (gunicorn, postgres)
        elapsed, _ = run_load(people, args, during, servers)
        ok = report(people, elapsed, verify(people), args)
        if during:
            ok = during.report(people) and ok
    finally:
        for person in people:
            if person.client:
                person.client.close()
        if postgres is None:
            remove_accounts(people)
    print(f"RESULT verdict = {'pass' if ok else 'FAIL'}")
    return ok


def remove_accounts(people: list[Person]) -> None:
    """On a given database: the run's accounts, what they wrote and their sessions go."""
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.models import Session
    from django.db import connections

    connections.close_all()
    users = get_user_model().objects.filter(email__in=[person.email for person in people])
    ids = {str(pk) for pk in users.values_list("pk", flat=True)}
    sessions = [s.pk for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") in ids]
    Session.objects.filter(pk__in=sessions).delete()
    users.delete()


def main(argv=None) -> int:
    args = parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="cramps-load-"))
    services: list = []
    given = os.environ.pop("DATABASE_URL", "")
    try:
        postgres, gunicorn = start_stack(args, folder, services, given)
        services.append(gunicorn.start())
        return 0 if load_and_check(args, postgres, gunicorn) else 1
    finally:
        for service in reversed(services):
            service.stop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
