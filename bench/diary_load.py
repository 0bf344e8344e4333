"""/diary/ under load: wrk with 50 connections against gunicorn, this code next to another checkout.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test REDIS_URL=redis://127.0.0.1:6379/14 \\
        .venv/bin/python bench/diary_load.py --old /tmp/oldcramps
    git -C /work/main archive HEAD | tar -x -C /tmp/oldcramps     # a copy of the code to compare with

One person with three years of diary (1,100 day logs, 1,500 cramps), signed in (a session cookie
made with Django's own login, and a CSRF cookie, as a browser sends both after its first
visit); wrk asks for /diary/ over 50 connections for --duration seconds.
gunicorn runs as docker-compose.yml runs it (`gunicorn cramps.wsgi:application`, --workers
processes for either tree (2, compose's default, unless told), the tree's own gunicorn.conf.py,
its access log, production settings with DEBUG off) on PostgreSQL and Redis,
first the --old tree's code, then this one's, --runs times in turn, on the same PostgreSQL server
and Redis. Each tree has a throwaway database of its own on the server of DATABASE_URL (created,
migrated with that tree's own migrations, dropped at the end: the schemas may differ), holding
the same diary written by that tree's own code, and a session made by that tree's own sign-in;
without REDIS_URL the script starts a redis-server of its own. Both trees use this tree's
virtualenv.

Prints `RESULT name = value` lines: requests/s, p50 and p99 latency of each run, the medians, and
new/old requests per second. See docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(Path(__file__).resolve().parent))

import httpx  # noqa: E402
import stack  # noqa: E402  (bench/stack.py)
from diary_page import create_postgres_database, drop_postgres_database  # noqa: E402

URL = "/diary/"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--old", type=Path, help="a checkout of the code to compare with (e.g. /tmp/oldcramps)")
    parser.add_argument("--runs", type=int, default=2, help="rounds of old then new (default 2)")
    parser.add_argument("--duration", type=int, default=30, help="seconds of wrk per run (default 30)")
    parser.add_argument("--connections", type=int, default=50, help="wrk connections (default 50)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument(
        "--workers",
        type=int,
        default=2,
        help="gunicorn worker processes, the same for both trees (default 2, as compose)",
    )
    parser.add_argument("--days", type=int, default=1100)
    parser.add_argument("--cramps", type=int, default=1500)
    parser.add_argument("--database", default="cramps_diary_load", help="the throwaway database's name")
    parser.add_argument("--port", type=int, default=0, help="gunicorn's port (default: a spare one)")
    args = parser.parse_args(argv)
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        parser.error("DATABASE_URL must name a PostgreSQL server (the production shape)")
    if args.old is not None and not (args.old / "manage.py").exists():
        parser.error(f"--old {args.old}: no manage.py there")
    if shutil.which("wrk") is None:
        parser.error("wrk is not installed (Debian: apt-get install wrk)")
    return args


# ---------------------------------------------------------------- wrk


def wrk(base: str, cookie: str, args) -> dict[str, float]:
    command = [
        "wrk",
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{args.duration}s",
        "--timeout",
        "10s",
        "--latency",
        "-H",
        f"Cookie: {cookie}",
        base + URL,
    ]
    out = subprocess.run(command, check=True, capture_output=True, text=True, timeout=args.duration + 60).stdout
    return parse_wrk(out)


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def parse_wrk(out: str) -> dict[str, float]:
    result = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))}
    for percent in ("50", "90", "99"):
        found = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s|m)\s*$", out, re.M)
        result[f"p{percent}"] = _ms(*found.groups())
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    result["non_2xx"] = float(errors.group(1)) if errors else 0.0
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    result["socket_errors"] = float(sum(int(n) for n in socket_errors.groups())) if socket_errors else 0.0
    result["requests"] = float(re.search(r"(\d+) requests in", out).group(1))
    return result


# ---------------------------------------------------------------- the run


# Run by `manage.py shell` in each tree, on that tree's database: the person, their diary (the same
# generated one in every tree: diary.demo.volume_diary is deterministic), a session; prints the cookie.
PREPARE = """
import secrets
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from diary.demo import save_diary, volume_diary
from diary.models import local_today
email = f"load-{secrets.token_hex(3)}@example.com"
user = get_user_model().objects.create_user(username=email, email=email, password="bench-password-123")
user.profile.timezone = "Europe/Kyiv"
user.profile.save()
episodes, day_logs = volume_diary(local_today(user.profile.zone), days=DAYS, cramps=CRAMPS)
save_diary(user, episodes, day_logs)
with connection.cursor() as cursor:
    cursor.execute("ANALYZE")
client = Client()
client.force_login(user)
# As a browser has them after its first visit: the session, and a CSRF cookie (a secret of the
# form the diary page's first answer sets; without one every answer makes and sets a new one).
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
from django.utils.crypto import get_random_string
csrf = get_random_string(CSRF_SECRET_LENGTH, allowed_chars=CSRF_ALLOWED_CHARS)
session = client.cookies[settings.SESSION_COOKIE_NAME].value
print("COOKIE", f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={csrf}")
print("DIARY", len(day_logs), len(episodes))
"""


def prepare(tree: Path, env: dict, args) -> tuple[str, str]:
    """Migrate the tree's database with its own migrations and write the person by its own code:
    the session cookie, and what was written."""
    stack.manage("migrate", "--noinput", env=env, cwd=tree)
    code = PREPARE.replace("DAYS", str(args.days)).replace("CRAMPS", str(args.cramps))
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if out.returncode:
        raise RuntimeError(f"{tree}: preparing failed:\n{out.stderr[-2000:]}")
    out = out.stdout
    cookie = re.search(r"^COOKIE (.+)$", out, re.M)
    diary = re.search(r"^DIARY (\d+) (\d+)$", out, re.M)
    if not cookie or not diary:
        raise RuntimeError(f"{tree}: no session made:\n{out}")
    return cookie[1], f"{diary[1]} day logs and {diary[2]} cramps"


def serve_and_measure(name: str, tree: Path, env: dict, folder: Path, cookie: str, args) -> dict[str, float]:
    port = args.port or stack.spare_port()
    run_env = {
        **env,
        "SITE_URL": f"http://127.0.0.1:{port}",
        "STATIC_ROOT": str(folder / f"static-{name}"),
    }
    server = stack.Gunicorn(run_env, port, folder / name, workers=args.workers, cwd=tree)
    (folder / name).mkdir(exist_ok=True)
    if not Path(run_env["STATIC_ROOT"]).exists():
        stack.manage("collectstatic", "--noinput", env=run_env, cwd=tree)
    server.start()
    try:
        page = httpx.get(server.base + URL, headers={"Cookie": cookie}, timeout=30)
        if page.status_code != 200 or 'id="day-' not in page.text:
            raise RuntimeError(f"{name}: {URL} answered {page.status_code} without the diary")
        for _ in range(20):  # warm: imports, templates, connections, the cache
            httpx.get(server.base + URL, headers={"Cookie": cookie}, timeout=30)
        cpu = stack.tree_cpu(server.pid())
        started = time.perf_counter()
        result = wrk(server.base, cookie, args)
        elapsed = time.perf_counter() - started
        seconds = stack.tree_cpu(server.pid()) - cpu
        result["gunicorn_cpu_ms"] = 1000 * seconds / max(result["requests"], 1)
        result["gunicorn_cores"] = seconds / elapsed
        result["bytes"] = float(len(page.content))
    finally:
        server.stop()
    return result


def report(results: dict[str, list[dict[str, float]]]) -> None:
    for name, runs in results.items():
        for number, run in enumerate(runs, 1):
            print(
                f"RESULT {name}_run{number} = {run['rps']:.1f} requests/s, p50 {run['p50']:.0f} ms, "
                f"p90 {run['p90']:.0f} ms, p99 {run['p99']:.0f} ms, {run['requests']:.0f} requests, "
                f"non-2xx {run['non_2xx']:.0f}, socket errors {run['socket_errors']:.0f}, "
                f"gunicorn {run['gunicorn_cpu_ms']:.1f} ms CPU per request ({run['gunicorn_cores']:.2f} cores)"
            )
    medians = {
        name: {key: statistics.median(run[key] for run in runs) for key in runs[0]} for name, runs in results.items()
    }
    for name, median in medians.items():
        print(f"RESULT {name}_requests_per_s = {median['rps']:.1f} (median of {len(results[name])} runs)")
        print(f"RESULT {name}_p99_ms = {median['p99']:.0f}")
    if "old" in medians:
        ratio = medians["new"]["rps"] / medians["old"]["rps"]
        ok = ratio >= 4 and medians["new"]["p99"] < 300
        print(
            f"RESULT new/old requests per second = {ratio:.2f} (goal >= 4, p99 < 300 ms: {'met' if ok else 'NOT met'})"
        )


def run(args) -> int:
    folder = Path(tempfile.mkdtemp(prefix="cramps-diary-load-"))
    services: list = []
    original = os.environ["DATABASE_URL"]
    trees = ([("old", args.old)] if args.old else []) + [("new", ROOT)]
    created: list[str] = []
    try:
        redis_url = os.environ.get("REDIS_URL", "")
        if not redis_url:
            redis = stack.Redis(folder)
            services.append(redis.start())
            redis_url = redis.url
        secret = secrets.token_urlsafe(50)
        envs, cookies = {}, {}
        for name, tree in trees:
            database = f"{args.database}_{name}"
            url = create_postgres_database(original, database)
            created.append(database)
            envs[name] = {**stack.app_env(folder, url, redis_url, 0), "SECRET_KEY": secret}
            cookies[name], written = prepare(tree, envs[name], args)
        print(
            f"cramps /diary/ under load: {written}; wrk -t{args.threads} -c{args.connections} -d{args.duration}s; "
            f"{os.cpu_count()} CPUs; old: {args.old or '-'}; new: {ROOT}; a database of each tree's own"
        )
        results: dict[str, list[dict[str, float]]] = {name: [] for name, _ in trees}
        for _ in range(args.runs):
            for name, tree in trees:
                results[name].append(serve_and_measure(name, tree, envs[name], folder, cookies[name], args))
                print(f"  {name}: {results[name][-1]['rps']:.1f} requests/s, p99 {results[name][-1]['p99']:.0f} ms")
        report(results)
        return 0
    finally:
        for database in created:
            drop_postgres_database(original, database)
        for service in reversed(services):
            service.stop()
        shutil.rmtree(folder, ignore_errors=True)


def main(argv=None) -> int:
    return run(parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
