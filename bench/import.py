"""How long importing a diary takes: hostile 5 MB files refused, a 5 MB diary accepted, next to a small one.

    .venv/bin/python bench/import.py                 # SQLite in a temporary folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/import.py

Set up like bench/diary_page.py (whose helpers it imports): tests.settings, a throwaway SQLite
database in a temporary folder, or with DATABASE_URL a separate PostgreSQL database
(--database, default cramps_bench_import, on the same server, created and dropped by the script;
the database in the URL is only used to connect), or with --in-url-database the URL's own
database, migrated, where only the bench's account is added and deleted again.

Every file is posted to the import page with Django's test client, signed in (the whole view:
upload, checks, writes, the page listing the problems); an accepted file then also through its
preview page and the press of Import, the three steps a person takes. The reference is the accepted import of
the shared three-week example (tests/data/runner-three-weeks.json) into an empty diary. Printed
per case: the median of --runs posts, the answer's status, the problems listed and counted, and
the ratio to the reference, all measured in the same run. See docs/performance.md.
"""

import argparse
import json
import os
import re
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(Path(__file__).resolve().parent))

from diary_page import in_throwaway_database  # noqa: E402  (bench/diary_page.py)

LIMIT = 5 * 1024 * 1024
EXAMPLE = ROOT / "tests" / "data" / "runner-three-weeks.json"
HEAD = '{"format":"cramps-diary","version":1,"profile":{"timezone":"UTC"},'


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="timed posts of each file (default 5)")
    parser.add_argument("--database", default="cramps_bench_import", help="PostgreSQL database to create and drop")
    parser.add_argument(
        "--in-url-database",
        action="store_true",
        help="use the PostgreSQL database of DATABASE_URL itself (migrated; the bench's account "
        "is deleted at the end) instead of creating one",
    )
    return parser.parse_args()


def fill(item: str, head: str = HEAD + '"episodes":[', tail: str = '],"days":[]}') -> bytes:
    """A document of `item`s repeated up to just under the upload limit."""
    count = (LIMIT - len(head) - len(tail)) // (len(item) + 1)
    return (head + ",".join([item] * count) + tail).encode()


def accepted_5mb() -> bytes:
    """Distinct, valid cramps up to the limit (one every 37 minutes back from 2026-10-01)."""
    start = datetime(2026, 10, 1, tzinfo=UTC)
    items, size = [], len(HEAD) + 40
    while True:
        item = json.dumps(
            {
                "started_at": (start - timedelta(minutes=37 * len(items))).isoformat(),
                "leg": "left",
                "muscle": "calf",
                "intensity": 5,
                "duration_seconds": 60,
                "context": "sleep",
                "relieved_by": ["stretching"],
                "notes": "woke me",
            },
            separators=(",", ":"),
        )
        if size + len(item) + 1 > LIMIT:
            break
        items.append(item)
        size += len(item) + 1
    return (HEAD + '"episodes":[' + ",".join(items) + '],"days":[]}').encode()


def hostile_files() -> list[tuple[str, bytes]]:
    episode = '{"started_at":"2026-10-01T01:00:00Z","leg":"left","muscle":"calf","intensity":2%s}'
    days = HEAD + '"episodes":[],"days":['
    return [
        (
            "1.3 million unknown food codes in one list",
            fill('"x"', HEAD + '"episodes":[],"days":[{"date":"2026-10-01","foods":[', "]}]}"),
        ),
        (
            "unknown food codes, 18 a day",
            fill('{"date":"2026-10-01","foods":[' + ",".join(['"x"'] * 18) + "]}", days, "]}"),
        ),
        ("invalid cramps (leg 'up')", fill(episode.replace('"left"', '"up"') % "")),
        ("cramps in the future", fill(episode.replace("2026-10-01", "2099-10-01") % "")),
        ("the same date again and again", fill('{"date":"2026-10-01"}', days, "]}")),
        ("NaN everywhere", fill('{"date":"2026-10-01","sleep_hours":NaN}', days, "]}")),
        ("integers of 4,000 digits", fill(episode % (',"duration_seconds":' + "9" * 4000))),
        ("NUL in every note", fill(episode % ',"notes":"a\\u0000b"')),
        ("offset +16:00", fill(episode.replace("Z", "+16:00") % "")),
        ("nesting 2.6 million deep", ("[" * (LIMIT // 2 - 1) + "]" * (LIMIT // 2 - 1)).encode()),
        (
            "mixed values in one code list",
            fill(
                "{},1",
                HEAD + '"episodes":[{"started_at":"2026-10-01T01:00:00Z",'
                '"leg":"left","muscle":"calf","intensity":2,"relieved_by":[',
                ']}],"days":[]}',
            ),
        ),
    ]


def post(client, raw: bytes):
    """(wall ms, this process's CPU ms, response) of one import as a person makes it.

    The upload; for a file accepted there, also the preview page and the press of Import
    (docs/data-exchange.md: the file is read at upload and again at Import). The response is the
    refusal of the upload, or the answer to Import.
    """
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("diary.json", raw, content_type="application/json")
    wall, cpu = time.perf_counter(), time.process_time()
    response = client.post("/diary/import/", {"file": upload})
    if response.status_code == 302:
        preview = client.get("/diary/import/preview/").content.decode()
        token = re.search(r'name="token" value="([^"]+)"', preview).group(1)
        response = client.post("/diary/import/confirm/", {"token": token})
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000, response


def time_import(client, raw: bytes, runs: int, reset) -> tuple[float, float, object]:
    """(median wall ms, median CPU ms, last response) of `runs` posts of raw, calling reset() before each.

    CPU time is reported too: on a shared machine the wall time also measures the neighbours.
    With PostgreSQL, the server's own work is in the wall time only.
    """
    walls, cpus = [], []
    for _ in range(runs):
        reset()
        wall, cpu, response = post(client, raw)
        walls.append(wall)
        cpus.append(cpu)
    return statistics.median(walls), statistics.median(cpus), response


def line(name: str, raw: bytes, timing, reference, outcome: str) -> str:
    wall, cpu = timing
    return (
        f"  {name:<52} {len(raw):>9,} B {wall:8.1f} ms wall {cpu:8.1f} ms CPU  ×{wall / reference[0]:5.1f} "
        f"×{cpu / reference[1]:5.1f}  {outcome}"
    )


def describe(response) -> str:
    """The status, and for a refusal how many problems the page lists and how many it says there are."""
    html = response.content.decode()
    total = re.search(r"the file has (\d+) problems?", html)
    if total is None:
        return f"{response.status_code}"
    return f"{response.status_code}, {html.count('<li><code>')} listed of {int(total.group(1)):,}"


def compare_with_jsonschema(files) -> None:
    """The checks alone, in-process: this import's, against all of jsonschema's errors (the former way)."""
    from jsonschema import Draft202012Validator, FormatChecker

    from diary.exchange import schema
    from diary.import_check import parse_document

    validator = Draft202012Validator(schema(), format_checker=FormatChecker())
    for name, raw in files:
        if name not in ("invalid cramps (leg 'up')", "unknown food codes, 18 a day"):
            continue
        start = time.process_time()
        parse_document(raw)
        ours = time.process_time() - start
        start = time.process_time()
        errors = sum(1 for _ in validator.iter_errors(json.loads(raw)))
        theirs = time.process_time() - start
        print(
            f"RESULT check {name}: jsonschema, all {errors:,} errors / this import's check = "
            f"{theirs / ours:.0f} in CPU time ({theirs * 1000:.0f} ms / {ours * 1000:.0f} ms)"
        )


def main() -> int:
    args = parse_args()
    if args.in_url_database:
        os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
        return run(args)
    return in_throwaway_database("bench/import.py", run, args, database=args.database)


def run(args) -> int:
    import logging

    import django

    django.setup()
    logging.getLogger("django.request").setLevel(logging.ERROR)  # not a "Bad Request" line per refusal

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from diary.models import DayLog, Episode

    call_command("migrate", verbosity=0, interactive=False)
    get_user_model().objects.filter(username="bench@example.com").delete()  # left by an interrupted run
    user = get_user_model().objects.create_user(
        username="bench@example.com", email="bench@example.com", password="bench-password-123"
    )
    client = Client()
    client.force_login(user)

    def empty_diary():
        Episode.objects.filter(user=user).delete()
        DayLog.objects.filter(user=user).delete()

    print(f"cramps import benchmark, {datetime.now().date().isoformat()}")
    print(
        f"  database: {connection.vendor} ({settings.DATABASES['default']['NAME']}), Python "
        f"{sys.version.split()[0]}, Django {django.get_version()}, DEBUG={settings.DEBUG}, "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    print(f"  medians of {args.runs} posts to /diary/import/ (test client, signed in); ×: to the small import")
    measure(client, user, args.runs, empty_diary, Episode)
    user.delete()
    compare_with_jsonschema(hostile_files())
    return 0


def measure(client, user, runs: int, empty_diary, Episode) -> None:
    small = EXAMPLE.read_bytes()
    *reference, response = time_import(client, small, runs, empty_diary)
    assert response.status_code == 302, "the example must import"
    print(line("accepted: the three-week example", small, reference, reference, "302"))
    big = accepted_5mb()
    *accepted, response = time_import(client, big, runs, empty_diary)
    assert response.status_code == 302
    rows = Episode.objects.filter(user=user).count()
    print(line(f"accepted: {rows:,} cramps into an empty diary", big, accepted, reference, "302"))
    *again, response = time_import(client, big, runs, lambda: None)
    print(line("accepted again: all already there", big, again, reference, "302"))
    empty_diary()
    slowest = ("", 0.0, 0.0)
    for name, raw in hostile_files():
        assert len(raw) <= LIMIT, name
        *refused, response = time_import(client, raw, runs, lambda: None)
        assert response.status_code == 400 and not Episode.objects.filter(user=user).exists(), name
        print(line("refused: " + name, raw, refused, reference, describe(response)))
        slowest = max(slowest, (name, *refused), key=lambda item: item[2])
    print(
        f"RESULT refused 5MB slowest / accepted small = {slowest[2] / reference[1]:.1f} in CPU time, "
        f"{slowest[1] / reference[0]:.1f} in wall time ({slowest[0]}: {slowest[2]:.0f} ms CPU, "
        f"{slowest[1]:.0f} ms wall; small {reference[1]:.1f} ms CPU, {reference[0]:.1f} ms wall)"
    )
    print(
        f"RESULT accepted 5MB / accepted small = {accepted[1] / reference[1]:.1f} in CPU time, "
        f"{accepted[0] / reference[0]:.1f} in wall time ({rows:,} cramps: {accepted[1]:.0f} ms CPU, "
        f"{accepted[0]:.0f} ms wall; again, all skipped: {again[1]:.0f} ms CPU, {again[0]:.0f} ms wall)"
    )


if __name__ == "__main__":
    sys.exit(main())
