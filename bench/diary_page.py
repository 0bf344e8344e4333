"""How long the diary page takes with three years of diary, next to a bare page.

    .venv/bin/python bench/diary_page.py                 # SQLite in a temporary folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/diary_page.py

With DATABASE_URL set, the script creates a separate database (cramps_bench, on the
same server), works there and drops it at the end; the database in the URL is only
used to connect. Nothing else is touched: SQLite, the Celery broker folder and
sessions all live in a temporary folder that is removed at the end.

It makes one person with ~1,100 day logs and 1,500 cramps, signs in with Django's test
client, and times GET /diary/ (and a few other pages) against a bare page: a view that
renders a one-line template through the same client, URL resolver and middleware. It
prints the medians of --runs requests after --warmup requests, the ratio diary/bare and
the number of SQL queries of each page. See docs/performance.md.
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
import types
from datetime import date
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BENCH_DB = "cramps_bench"


def analysed_database() -> str:
    """The database's name and version, after ANALYZE on PostgreSQL (fresh statistics for the plans)."""
    from django.db import connection

    database = connection.vendor
    if database == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
            cursor.execute("SHOW server_version")
            database += " " + cursor.fetchone()[0]
    else:
        import sqlite3

        database += " " + sqlite3.sqlite_version
    return database


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30, help="timed requests per page (default 30)")
    parser.add_argument("--warmup", type=int, default=5, help="untimed requests first (default 5)")
    parser.add_argument("--days", type=int, default=1100, help="days of diary (default 1100)")
    parser.add_argument("--cramps", type=int, default=1500, help="cramps (default 1500)")
    parser.add_argument(
        "--database", default=BENCH_DB, help=f"with PostgreSQL: the throwaway database's name (default {BENCH_DB})"
    )
    return parser.parse_args()


# --- a throwaway PostgreSQL database -------------------------------------------------


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


def _admin_connection(url: str):
    import psycopg

    # Connect to the database in the URL (or "postgres") to create and drop the bench database.
    for candidate in (url, _with_database(url, "postgres")):
        try:
            return psycopg.connect(candidate, autocommit=True)
        except psycopg.OperationalError as error:
            last = error
    raise SystemExit(f"Cannot connect to PostgreSQL at {url}: {last}")


def create_postgres_database(url: str, name: str = BENCH_DB) -> str:
    with _admin_connection(url) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    return _with_database(url, name)


def drop_postgres_database(url: str, name: str = BENCH_DB) -> None:
    with _admin_connection(url) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')


def create_postgres_schema(url: str, name: str) -> str:
    """A throwaway schema in the URL's own database, first on the search path (for a shared server
    where the bench may not create databases: BENCH_IN_SCHEMA=1)."""
    if not name.replace("_", "").isalnum():
        raise SystemExit(f"bad schema name {name!r}")
    with _admin_connection(url) as admin:
        admin.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
        admin.execute(f'CREATE SCHEMA "{name}"')
    parts = urlsplit(url)
    extra = urlencode({"options": f"-c search_path={name}"}, quote_via=quote)
    return urlunsplit(parts._replace(query=f"{parts.query}&{extra}" if parts.query else extra))


def drop_postgres_schema(url: str, name: str) -> None:
    with _admin_connection(url) as admin:
        admin.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')


def in_throwaway_database(script: str, run, args, database: str = BENCH_DB) -> int:
    """run(args) with tests.settings in a temporary var/ folder, on PostgreSQL when DATABASE_URL is set:
    in a throwaway database `database`, or with BENCH_IN_SCHEMA=1 in a throwaway schema of that name
    inside DATABASE_URL's own database (dropped afterwards)."""
    var_dir = tempfile.mkdtemp(prefix="cramps-bench-")
    os.environ["CRAMPS_VAR_DIR"] = var_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
    original_url = os.environ.get("DATABASE_URL", "")
    if original_url and not original_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit(f"{script}: DATABASE_URL must be PostgreSQL (or unset for SQLite)")
    in_schema = bool(original_url) and os.environ.get("BENCH_IN_SCHEMA") == "1"
    create, drop = (
        (create_postgres_schema, drop_postgres_schema)
        if in_schema
        else (
            create_postgres_database,
            drop_postgres_database,
        )
    )
    created = False
    try:
        if original_url:
            os.environ["DATABASE_URL"] = create(original_url, database)
            created = True
        return run(args)
    finally:
        if created:
            from django.db import connections

            connections.close_all()
            drop(original_url, database)
        shutil.rmtree(var_dir, ignore_errors=True)


def person_with_diary(email: str, days: int, cramps: int):
    """A person in Kyiv with `days` day logs and `cramps` night cramps; returns (user, episodes, day logs, seconds)."""
    from django.contrib.auth import get_user_model

    from diary.demo import save_diary, volume_diary
    from diary.models import local_today

    user = get_user_model().objects.create_user(username=email, email=email, password="bench-password-123")
    user.profile.timezone = "Europe/Kyiv"
    user.profile.save()
    started = time.perf_counter()
    episodes, day_logs = volume_diary(local_today(user.profile.zone), days=days, cramps=cramps)
    save_diary(user, episodes, day_logs)
    return user, episodes, day_logs, time.perf_counter() - started


# --- the pages ------------------------------------------------------------------------

BARE_TEMPLATE = "<!doctype html><html><head><title>bare</title></head><body><p>{{ message }}</p></body></html>"


def install_bench_urls():
    """A URLconf with the app's own URLs plus /bench/bare/: a trivial template, rendered like the app's pages."""
    from django.http import HttpResponse
    from django.template import engines
    from django.urls import path

    import cramps.urls

    template = engines["django"].from_string(BARE_TEMPLATE)

    def bare(request):
        return HttpResponse(template.render({"message": "bare"}, request))

    module = types.ModuleType("bench_urls")
    module.urlpatterns = [path("bench/bare/", bare, name="bench_bare"), *cramps.urls.urlpatterns]
    sys.modules["bench_urls"] = module
    return "bench_urls"


def time_pages(
    pages: list[tuple[str, object, str]], runs: int, warmup: int
) -> dict[str, tuple[float, float, int, int]]:
    """{name: (median ms, median CPU ms of this process, SQL queries, response bytes)} of GET url.

    The pages take turns, one request each per round, so that other work on the machine
    slows all of them alike; the CPU time of this process (time.process_time) does not count
    the time it waited for a core, so it varies far less on a busy machine than the wall time
    (with PostgreSQL the server's own work is not in it; with SQLite all of it is).
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    queries, sizes, timings, cpu = {}, {}, {}, {}
    for name, client, url in pages:
        for _ in range(warmup):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        queries[name] = len(captured.captured_queries)  # now: every request resets the query log
        sizes[name], timings[name], cpu[name] = len(response.content), [], []
    for _ in range(runs):
        for name, client, url in pages:
            start, start_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            cpu[name].append((time.process_time() - start_cpu) * 1000)
            timings[name].append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
    return {
        name: (statistics.median(timings[name]), statistics.median(cpu[name]), queries[name], sizes[name])
        for name, _, _ in pages
    }


def main() -> int:
    args = parse_args()
    return in_throwaway_database("bench/diary_page.py", run, args, database=args.database)


def run(args) -> int:
    import django

    django.setup()

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import reverse

    from diary.demo import demo_diary, save_diary
    from diary.models import local_today

    call_command("migrate", verbosity=0, interactive=False)
    user, episodes, day_logs, made = person_with_diary("bench@example.com", args.days, args.cramps)
    today = local_today(user.profile.zone)
    # For comparison: the same page for a person with one month of diary.
    month_user = get_user_model().objects.create_user(
        username="month@example.com", email="month@example.com", password="bench-password-123"
    )
    month_user.profile.timezone = "Europe/Kyiv"
    month_user.profile.save()
    save_diary(month_user, *demo_diary(today, days=31))

    database = analysed_database()
    print(f"cramps diary-page benchmark, {date.today().isoformat()}")
    print(f"  database: {database} ({settings.DATABASES['default']['NAME']})")
    print(
        f"  Python {sys.version.split()[0]}, Django {django.get_version()}, DEBUG={settings.DEBUG}, "
        f"{os.cpu_count()} CPUs"
    )
    print(f"  diary: {len(day_logs)} day logs and {len(episodes)} cramps (written in {made:.1f} s)")
    print("  (and, for comparison, a person with one month: /diary/ as 'diary, 1 month')")
    print(f"  {args.runs} timed requests per page (taking turns) after {args.warmup} warm-up requests; medians:")

    client = Client()
    client.force_login(user)
    month_client = Client()
    month_client.force_login(month_user)
    pages = [
        ("bare template", "/bench/bare/"),
        ("healthz", reverse("healthz")),
        ("diary", reverse("diary:timeline")),
        ("diary page 40", reverse("diary:timeline") + "?page=40"),
        ("calendar", reverse("diary:calendar")),
    ]
    timeline = reverse("diary:timeline")
    pages.append(("diary, 1 month", timeline))
    with override_settings(ROOT_URLCONF=install_bench_urls()):
        results = time_pages(
            [(name, month_client if name == "diary, 1 month" else client, url) for name, url in pages],
            args.runs,
            args.warmup,
        )
    bare, bare_cpu = results["bare template"][:2]
    for name, url in pages:
        median, cpu, queries, size = results[name]
        print(
            f"  {name:<14} {url:<22} {median:7.2f} ms ({cpu:6.2f} ms CPU)  {queries:2d} queries  {size:6d} bytes  "
            f"×{median / bare:.1f} bare (CPU ×{cpu / bare_cpu:.1f})"
        )
    diary = results["diary"]
    print(
        f"RESULT diary/bare = {diary[0] / bare:.2f} (diary {diary[0]:.2f} ms, bare {bare:.2f} ms, "
        f"{diary[2]} queries on the diary page, {results['bare template'][2]} on the bare page)"
    )
    print(f"RESULT diary/bare CPU time = {diary[1] / bare_cpu:.2f} (diary {diary[1]:.2f} ms, bare {bare_cpu:.2f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
