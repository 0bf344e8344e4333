"""How long assessing three years of diary takes, next to loading that diary from the database.

    .venv/bin/python bench/assessment.py                 # SQLite in a temporary folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/assessment.py

Set up like bench/diary_page.py (whose helpers it imports): tests.settings, a throwaway
SQLite database in a temporary folder, or with DATABASE_URL a separate PostgreSQL database
(cramps_bench_assessment, on the same server, dropped at the end; the database in the URL is
only used to connect).

It makes one person with ~1,100 day logs and 1,500 cramps and times, in the same run,
(1) loading the diary, prevention.assessment.services.diary_for(user); (2) assessing it,
prevention.assessment.engine.assess(diary); (3) assessing and building the document with its
sentences, report.to_document(assess(diary)). It prints the medians of --runs calls after
--warmup calls, the number of SQL queries of diary_for, and last the ratio assessing/loading.
See docs/performance.md.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(Path(__file__).resolve().parent))

from diary_page import analysed_database, in_throwaway_database, person_with_diary  # noqa: E402  (bench/diary_page.py)

# Not diary_page's cramps_bench: the two benchmarks may run at the same time.
BENCH_DB = "cramps_bench_assessment"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30, help="timed calls of each step (default 30)")
    parser.add_argument("--warmup", type=int, default=5, help="untimed calls first (default 5)")
    parser.add_argument("--days", type=int, default=1100, help="days of diary (default 1100)")
    parser.add_argument("--cramps", type=int, default=1500, help="cramps (default 1500)")
    return parser.parse_args()


def time_call(function, runs: int, warmup: int) -> tuple[float, object]:
    """(median milliseconds, last result) of function()."""
    for _ in range(warmup):
        result = function()
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings), result


def main() -> int:
    return in_throwaway_database("bench/assessment.py", run, parse_args(), database=BENCH_DB)


def run(args) -> int:
    import django

    django.setup()

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import translation

    from prevention.assessment.document import to_document
    from prevention.assessment.engine import assess
    from prevention.assessment.services import diary_for

    call_command("migrate", verbosity=0, interactive=False)
    user, episodes, day_logs, made = person_with_diary("bench@example.com", args.days, args.cramps)

    database = analysed_database()
    translation.activate(settings.LANGUAGE_CODE)

    # Queries: with the profile already loaded (as in a request: the time-zone middleware
    # loads it), and with a user fetched afresh.
    with CaptureQueriesContext(connection) as captured:
        diary = diary_for(user)
    queries = len(captured.captured_queries)
    fresh = get_user_model().objects.get(pk=user.pk)
    with CaptureQueriesContext(connection) as captured:
        diary_for(fresh)
    fresh_queries = len(captured.captured_queries)

    load, diary = time_call(lambda: diary_for(user), args.runs, args.warmup)
    assessing, result = time_call(lambda: assess(diary), args.runs, args.warmup)
    documenting, doc = time_call(lambda: to_document(assess(diary)), args.runs, args.warmup)
    document_only, _doc = time_call(lambda: to_document(result), args.runs, args.warmup)

    print(f"cramps assessment benchmark, {date.today().isoformat()}")
    print(f"  database: {database} ({settings.DATABASES['default']['NAME']})")
    print(
        f"  Python {sys.version.split()[0]}, Django {django.get_version()}, DEBUG={settings.DEBUG}, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}"
    )
    print(
        f"  diary: {len(day_logs)} day logs and {len(episodes)} cramps (written in {made:.1f} s); "
        f"diary_for read {len(diary.days)} days and {len(diary.episodes)} cramps"
    )
    print(
        f"  assessment: {len(result.causes)} causes, {len(result.red_flags)} red flags, "
        f"{len(result.patterns)} patterns; document: "
        f"{sum(len(c['evidence']) for c in doc['causes']) + sum(len(f['evidence']) for f in doc['red_flags'])} "
        f"sentences"
    )
    print(f"  {args.runs} timed calls of each step after {args.warmup} warm-up calls; medians:")
    total = load + documenting
    rows = [
        ("load     diary_for(user)", load),
        ("assess   assess(diary)", assessing),
        ("document to_document(assess(diary))", documenting),
        ("  to_document(assessment) alone", document_only),
        ("load + assess + document", total),
    ]
    for name, median in rows:
        print(f"  {name:<38} {median:8.2f} ms  ×{median / load:.2f} load")
    print(
        f"  diary_for: {queries} SQL queries (profile already loaded, as in a request; "
        f"{fresh_queries} with a user fetched afresh)"
    )
    print(f"  (assess + document) / load = {documenting / load:.2f}")
    ratio = assessing / load
    print(
        f"RESULT assessment / load = {ratio:.2f} (assessment is the smaller part: {'yes' if ratio < 1 else 'no'}; "
        f"load {load:.2f} ms, assess {assessing:.2f} ms, {queries} queries)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
