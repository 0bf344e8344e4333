"""`manage.py assess DIARY.json`: print the assessment of a diary export, for doctors and batch use.

Reads a diary export (../shared/spec/diary-export.schema.json; "-" reads standard input),
checks it as the import does, and prints the assessment JSON
(../shared/spec/assessment.schema.json). A file that is not a valid diary gives every
problem with its place on standard error and exit status 2.
"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation

from diary.exchange import parse_document, parse_instant
from prevention.assessment.document import diary_from_export, to_document
from prevention.assessment.engine import assess


class Command(BaseCommand):
    help = "Print the rule-based assessment (JSON) of a diary export file."

    def add_arguments(self, parser):
        parser.add_argument("diary", help="a diary export (JSON); - for standard input")
        parser.add_argument("--language", default="en", help="language of the sentences, e.g. en or uk")
        parser.add_argument(
            "--assessed-at",
            help="the time to write as assessed_at (RFC 3339); default now, for reproducible output give a fixed one",
        )
        parser.add_argument("--compact", action="store_true", help="one line instead of indented JSON")

    def handle(self, *args, **options):
        path = options["diary"]
        try:
            raw = sys.stdin.buffer.read() if path == "-" else open(path, "rb").read()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from error
        assessed_at = timezone.now()
        if options["assessed_at"]:
            try:
                assessed_at = parse_instant(options["assessed_at"])
            except ValueError as error:
                raise CommandError(
                    "--assessed-at needs a date and time with an offset, like 2026-10-22T08:00:00+03:00"
                ) from error
        with translation.override(options["language"]):
            doc, problems = parse_document(raw)
            if doc is None:
                for problem in problems:
                    self.stderr.write(f"{path}: {problem}")
                # Only the first 100 are listed (diary/schema_check.py); the total counts them all.
                raise CommandError(f"{path} is not a valid diary export ({problems.total} problems).", returncode=2)
            result = to_document(assess(diary_from_export(doc), assessed_at=assessed_at))
        indent = None if options["compact"] else 2
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=indent))
