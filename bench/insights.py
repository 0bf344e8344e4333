"""How long the insights page takes with three years of diary, next to the diary page, in one run.

    .venv/bin/python bench/insights.py                 # SQLite in a temporary folder
    DATABASE_URL=postgres://... .venv/bin/python bench/insights.py   # a throwaway cramps_bench_insights database

Set up like bench/diary_page.py (whose helpers it imports). It makes one person with ~1,100
day logs and 1,500 cramps and a prevention plan, signs in with Django's test client, and
times GET /diary/, GET /insights/ (the default 3 months), GET /insights/?range=all (every
chart and comparison over three years), GET /report/ and, fewer times, the report's PDF. It
prints medians, query counts and last the ratio insights (all) / diary. See docs/performance.md.
"""

import argparse
import os
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(Path(__file__).resolve().parent))

from diary_page import in_throwaway_database, person_with_diary, time_page  # noqa: E402  (bench/diary_page.py)

BENCH_DB = "cramps_bench_insights"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30, help="timed requests per page (default 30)")
    parser.add_argument("--warmup", type=int, default=5, help="untimed requests first (default 5)")
    parser.add_argument("--pdf-runs", type=int, default=5, help="timed PDF downloads (default 5)")
    parser.add_argument("--days", type=int, default=1100, help="days of diary (default 1100)")
    parser.add_argument("--cramps", type=int, default=1500, help="cramps (default 1500)")
    return parser.parse_args()


def main() -> int:
    return in_throwaway_database("bench/insights.py", run, parse_args(), database=BENCH_DB)


def run(args) -> int:
    import django

    django.setup()

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from diary.models import local_today
    from prevention.plan.services import ensure_plan

    call_command("migrate", verbosity=0, interactive=False)
    user, episodes, day_logs, made = person_with_diary("bench@example.com", args.days, args.cramps)
    ensure_plan(user, local_today(user.profile.zone))
    print(f"cramps insights benchmark, {date.today().isoformat()}")
    print(f"  database: {connection.vendor} ({settings.DATABASES['default']['NAME']})")
    print(
        f"  Python {sys.version.split()[0]}, Django {django.get_version()}, DEBUG={settings.DEBUG}, {os.cpu_count()} CPUs"
    )
    print(f"  diary: {len(day_logs)} day logs and {len(episodes)} cramps (written in {made:.1f} s)")
    print(
        f"  {args.runs} timed requests per page after {args.warmup} warm-up requests ({args.pdf_runs} for the PDF); medians:"
    )
    client = Client()
    client.force_login(user)
    pages = [
        ("diary", reverse("diary:timeline"), args.runs),
        ("insights 3 months", reverse("prevention:insights"), args.runs),
        ("insights all", reverse("prevention:insights") + "?range=all", args.runs),
        ("report", reverse("prevention:report"), args.runs),
        ("report PDF", reverse("prevention:report_pdf"), args.pdf_runs),
    ]
    results = {}
    for name, url, runs in pages:
        results[name] = time_page(client, url, runs, min(args.warmup, runs))
    diary = results["diary"][0]
    for name, url, _runs in pages:
        median, queries, size = results[name]
        print(
            f"  {name:<18} {url:<28} {median:8.2f} ms  {queries:2d} queries  {size:7d} bytes  ×{median / diary:.1f} diary"
        )
    insights = results["insights all"]
    print(
        f"RESULT insights(all, 3 years)/diary = {insights[0] / diary:.2f} (insights {insights[0]:.2f} ms, "
        f"diary {diary:.2f} ms, {insights[1]} queries on insights, {results['diary'][1]} on the diary page)"
    )
    print(f"RESULT insights(3 months)/diary = {results['insights 3 months'][0] / diary:.2f}")
    print(f"RESULT report PDF = {results['report PDF'][0]:.0f} ms (×{results['report PDF'][0] / diary:.0f} diary)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
