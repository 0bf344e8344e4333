"""Reading and checking an uploaded diary file before anything is written (docs/data-exchange.md).

An upload is untrusted and may be up to DIARY_IMPORT_MAX_BYTES of anything. The work done
on it must therefore grow with the size of the file and stay small, whatever it holds:

1. JSON parsing refuses what would only fail later, further from its place: nesting deeper
   than the format needs, integers of more digits than any field allows (Python's int()
   refuses over 4,300 and would raise), NaN and Infinity (not JSON; they would be stored and
   break the export), NUL characters (PostgreSQL refuses them in text) and lone surrogates
   (not encodable as UTF-8: the page listing them could not even be sent).
2. The schema is checked field by field (schema_check.py): the problems are listed up to
   MAX_PROBLEMS, the rest only counted.
3. What the schema cannot say (a known zone, offsets, nothing in the future, one log per date).
"""

import json
import math
import re
import zoneinfo
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from .forms import CLOCK_SLACK, MAX_UTC_OFFSET
from .models import timezone_names
from .schema_check import MAX_PROBLEMS, Problem, ProblemList, check_document, where

# The format nests four deep (days[0].foods[0]); extra keys are allowed, so leave room.
MAX_DEPTH = 16
# No field holds a number of more digits (the largest is 86400); a longer one is refused.
MAX_INT_DIGITS = 20
# Skips strings and finds the brackets of a text, to place nesting that json refused.
BRACKETS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')

__all__ = ["MAX_PROBLEMS", "Problem", "ProblemList", "parse_document", "parse_instant"]


class Refused:
    """A number the parser kept aside, to be reported at its place rather than raised."""

    def __init__(self, text: str):
        self.text = text

    def message(self) -> str:
        if self.text.lstrip("-").isdigit():
            return _("A number with %(digits)s digits; no value in a diary is that long.") % {
                "digits": len(self.text.lstrip("-"))
            }
        return _("“%(value)s” is not a number a diary can hold (JSON has no NaN or Infinity).") % {
            "value": self.text[:20]
        }


def _parse_int(text: str):
    return int(text) if len(text) <= MAX_INT_DIGITS else Refused(text)


def _parse_float(text: str):
    value = float(text)  # 1e400 is read as infinity
    return value if math.isfinite(value) else Refused(text)


def _decode(raw: bytes) -> tuple[object, ProblemList]:
    """The JSON value of the file, or the problems that stop it being read."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, ProblemList([Problem("", _("The file is not UTF-8 text. Is it a diary export (JSON)?"))])
    try:
        return json.loads(text, parse_int=_parse_int, parse_float=_parse_float, parse_constant=Refused), ProblemList()
    except json.JSONDecodeError as error:
        place = _("line %(line)s, column %(column)s") % {"line": error.lineno, "column": error.colno}
        return None, ProblemList([Problem(place, _("The file is not valid JSON (%(reason)s).") % {"reason": error.msg})])
    except RecursionError:
        return None, ProblemList([Problem(_place_too_deep(text), _too_deep())])


def _too_deep() -> str:
    return _("Lists or objects are nested more than %(depth)s deep here; a diary is never nested that deep.") % {
        "depth": MAX_DEPTH
    }


def _place_too_deep(text: str) -> str:
    """Line and column where the nesting first passes MAX_DEPTH (only run on a refused file)."""
    depth = 0
    for match in BRACKETS.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                line = text.count("\n", 0, match.start()) + 1
                column = match.start() - text.rfind("\n", 0, match.start())
                return _("line %(line)s, column %(column)s") % {"line": line, "column": column}
        elif token in "]}":
            depth -= 1
    return ""


def _bad_text(value: str) -> str | None:
    if "\x00" in value:
        return _("Contains a NUL character (\\u0000), which a diary cannot store.")
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return _("Contains a lone surrogate (such as \\ud800), which is not a character.")
    return None


def _hostile_values(doc, check_text: bool, problems: ProblemList) -> None:
    """Walk the document without recursion: nesting, refused numbers and, if escapes were used, text."""
    stack = [(doc, (), 0)]
    while stack:
        node, path, depth = stack.pop()
        if depth > MAX_DEPTH:
            problems.add(Problem(where(path), _too_deep()))
            continue
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in items:
            if check_text and isinstance(key, str) and _bad_text(key):
                # The key itself is not shown: it could not be written into the page.
                problems.add(Problem(where(path), _("A name in this object: %(reason)s") % {"reason": _bad_text(key)}))
                continue
            if isinstance(value, (dict, list)):
                stack.append((value, (*path, key), depth + 1))
            elif isinstance(value, Refused):
                problems.add(Problem(where((*path, key)), value.message()))
            elif check_text and isinstance(value, str) and _bad_text(value):
                problems.add(Problem(where((*path, key)), _bad_text(value)))


def parse_document(raw: bytes) -> tuple[dict | None, ProblemList]:
    """Read and check a diary file; returns the document, or the problems found."""
    doc, problems = _decode(raw)
    if problems:
        return None, problems
    if isinstance(doc, Refused):
        return None, ProblemList([Problem(where(()), doc.message())])
    if isinstance(doc, (dict, list)):
        # NUL and lone surrogates can only come from \u escapes: without one, no text is looked at.
        _hostile_values(doc, b"\\u" in raw, problems)
        problems.sort(key=lambda p: [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", p.where)])
    if not problems:
        check_document(doc, problems)
    if not problems:
        _check_meaning(doc, problems)
    return (None, problems) if problems else (doc, problems)


def parse_instant(text: str) -> datetime:
    """RFC 3339 date-time (lower-case t and z allowed) to an aware datetime; ValueError otherwise."""
    value = datetime.fromisoformat(text.upper().replace("Z", "+00:00"))
    if value.tzinfo is None:
        raise ValueError("no offset")
    return value


def _instant_problem(text: str, now: datetime) -> str | None:
    try:
        started = parse_instant(text)
    except ValueError:
        return _("Not a date and time with a UTC offset, like 2026-10-02T02:40:00+03:00.")
    if abs(started.utcoffset()) > MAX_UTC_OFFSET:
        return _("The UTC offset %(offset)s does not exist anywhere; offsets go from −12:00 to +14:00.") % {
            "offset": text[-6:]
        }
    if started.year < 1900 or started.year > 9998:  # also keeps the UTC time within datetime's range
        return _("Check the year.")
    if started > now + CLOCK_SLACK:
        return _("This cramp starts in the future.")
    return None


def _check_meaning(doc: dict, problems: ProblemList) -> None:
    """What the schema cannot say: known zone, offsets, nothing in the future, one log per date."""
    name = doc["profile"]["timezone"]
    if name not in timezone_names():
        problems.add(Problem("profile.timezone", _("“%(name)s” is not a known time zone.") % {"name": name[:64]}))
        return
    now = timezone.now()
    for i, episode in enumerate(doc["episodes"]):
        message = _instant_problem(episode["started_at"], now)
        if message:
            problems.add(Problem(f"episodes[{i}].started_at", message))
    today = now.astimezone(zoneinfo.ZoneInfo(name)).date()
    seen: dict[str, int] = {}
    for i, day in enumerate(doc["days"]):
        try:
            value = date.fromisoformat(day["date"])
        except ValueError:
            problems.add(Problem(f"days[{i}].date", _("Not a date like 2026-10-02.")))
            continue
        if value.year < 1900:
            problems.add(Problem(f"days[{i}].date", _("Check the year.")))
        if value > today:
            problems.add(Problem(f"days[{i}].date", _("This day log is for a future date.")))
        if day["date"] in seen:
            problems.add(
                Problem(
                    f"days[{i}].date",
                    _("A second day log for %(date)s (the first is days[%(first)s]).")
                    % {"date": day["date"], "first": seen[day["date"]]},
                )
            )
        seen.setdefault(day["date"], i)

