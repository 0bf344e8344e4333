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

Steps 1 (past the JSON syntax), 2 and 3 all run, so that a refused file is reported whole, not
in rounds: a value refused in step 1 is replaced by an AlreadyReported marker that the later
steps pass over, and step 3 looks only at the values of the right type at places step 2 found
no fault with.
"""

import gc
import json
import math
import re
import zoneinfo
from collections import deque
from contextlib import contextmanager
from datetime import UTC, date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from .forms import CLOCK_SLACK, MAX_UTC_OFFSET
from .models import timezone_names
from .schema_check import MAX_PROBLEMS, AlreadyReported, Problem, ProblemList, check_document, where

# The format nests four deep (days[0].foods[0]); extra keys are allowed, so leave room.
MAX_DEPTH = 16
# No field holds a number of more digits (the largest is 86400); a longer one is refused.
MAX_INT_DIGITS = 20
# A JSON string (skipped when looking at brackets), the brackets of a text, and everything else.
STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
BRACKETS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')
NOT_BRACKETS = re.compile(r"[^\[\]{}]+")
# The only ways JSON text can hold a NUL or a lone surrogate: \u0000, \uD800-\uDFFF.
BAD_ESCAPE = re.compile(rb"\\u(?:0000|[dD][89a-fA-F])")

__all__ = ["MAX_PROBLEMS", "Problem", "ProblemList", "parse_document", "parse_instant", "read_document"]


class Refused(AlreadyReported):
    """A number the parser kept aside, to be reported at its place rather than raised."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text

    def message(self) -> str:
        if self.text.lstrip("-").isdigit():
            return _("A number with %(digits)s digits; no value in a diary is that long.") % {
                "digits": len(self.text.lstrip("-"))
            }
        if self.text in ("NaN", "Infinity", "-Infinity"):
            return _("“%(value)s” is not a number a diary can hold (JSON has no NaN or Infinity).") % {
                "value": self.text
            }
        return _("“%(value)s” is too large for any number in a diary.") % {"value": self.text[:40]}


class _Reader:
    """json.loads with the number hooks; remembers whether any number was kept aside."""

    def __init__(self):
        self.refused = 0

    def refuse(self, text: str) -> Refused:
        self.refused += 1
        return Refused(text)

    def parse_int(self, text: str):
        return int(text) if len(text) <= MAX_INT_DIGITS else self.refuse(text)

    def parse_float(self, text: str):
        value = float(text)  # 1e400 is read as infinity
        return value if math.isfinite(value) else self.refuse(text)

    def loads(self, text: str):
        return json.loads(text, parse_int=self.parse_int, parse_float=self.parse_float, parse_constant=self.refuse)


def _decode(raw: bytes, reader: _Reader) -> tuple[object, ProblemList]:
    """The JSON value of the file, or the problems that stop it being read."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, ProblemList([Problem("", _("The file is not UTF-8 text. Is it a diary export (JSON)?"))])
    try:
        doc = reader.loads(text)
    except json.JSONDecodeError as error:
        place = _("line %(line)s, column %(column)s") % {"line": error.lineno, "column": error.colno}
        message = _("The file is not valid JSON (%(reason)s).") % {"reason": error.msg}
        return None, ProblemList([Problem(place, message)])
    except RecursionError:  # json gives up at about 1,000 levels
        return None, ProblemList([Problem(_place_too_deep(text), _too_deep())])
    if _deeper_than(text, MAX_DEPTH):
        return None, ProblemList([Problem(_place_too_deep(text), _too_deep())])
    return doc, ProblemList()


def _too_deep() -> str:
    return _("Lists or objects are nested more than %(depth)s deep here; a diary is never nested that deep.") % {
        "depth": MAX_DEPTH
    }


def _deeper_than(text: str, limit: int) -> bool:
    """Whether the (valid JSON) text nests deeper than limit, in a few C-speed passes over its brackets.

    Each pass removes the innermost pairs, [] or {}, leaving a 0 so that a pair and the one
    around it are not both removed in one pass: exactly one level per pass.
    """
    brackets = NOT_BRACKETS.sub("", STRING.sub("", text))
    for _level in range(limit):
        brackets = brackets.replace("0", "").replace("[]", "0").replace("{}", "0")
        if not brackets.strip("0"):
            return False
    return True


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


def _hostile_values(doc, check_text: bool, refused: int, problems: ProblemList) -> None:
    """Walk the document (nesting is known to be shallow) for refused numbers and, if asked, bad text.

    Breadth first, so that the first problems listed are the first in the file (days[0] before
    days[1]). Without text to check, the walk stops once the list is full: the parser counted the rest.
    """
    queue = deque([(doc, ())])
    while queue:
        if not check_text and problems.full:
            problems.more = refused - len(problems)
            return
        node, path = queue.popleft()
        items = node.items() if type(node) is dict else enumerate(node)
        for key, value in items:
            kind = type(value)
            if kind is dict or kind is list:
                if value:  # an empty one holds nothing to report
                    queue.append((value, (*path, key)))
            elif kind is Refused:
                problems.note(lambda: where((*path, key)), value.message)
            elif check_text and kind is str and _bad_text(value):
                problems.note(lambda: where((*path, key)), lambda: _bad_text(value))
                node[key] = AlreadyReported()  # the later checks must not echo it
            if check_text and type(key) is str and _bad_text(key):
                # The name itself is not shown: it could not be written into the page.
                problems.note(
                    lambda: where(path), lambda: _("A name in this object: %(reason)s") % {"reason": _bad_text(key)}
                )


def _natural(problem: Problem) -> list:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", problem.where)]


@contextmanager
def without_cycle_collection():
    """Pause Python's cycle collector while a large document is built and walked.

    Reading 5 MB of JSON makes hundreds of thousands of objects, none in a cycle; each batch of
    them set off another collection over all those already made, which took more time than the
    reading itself (NaN everywhere: 1.5 s, 0.6 s without). Reference counting still frees them.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def parse_document(raw: bytes) -> tuple[dict | None, ProblemList]:
    """Read and check a diary file; returns the document, or the problems found."""
    doc, problems = read_document(raw)
    return (None, problems) if problems else (doc, problems)


@without_cycle_collection()
def read_document(raw: bytes) -> tuple[object, ProblemList]:
    """Read a diary file and list every problem found in it, in one pass of each check.

    The value returned is the JSON read (None if it could not be), even when there are problems:
    the import's last check, against the diary already kept, looks at the day logs of a refused
    file too, so that its person learns everything at once.
    """
    reader = _Reader()
    doc, problems = _decode(raw, reader)
    if problems:
        return None, problems
    if isinstance(doc, Refused):
        return None, ProblemList([Problem(where(()), doc.message())])
    # NUL and lone surrogates can only come from \u escapes: without those, no text is looked at.
    check_text = BAD_ESCAPE.search(raw) is not None
    if (reader.refused or check_text) and isinstance(doc, (dict, list)):
        _hostile_values(doc, check_text, reader.refused, problems)
        problems.sort(key=_natural)
    check_document(doc, problems)
    _check_meaning(doc, problems)
    return doc, problems


def parse_instant(text: str) -> datetime:
    """RFC 3339 date-time (lower-case t and z allowed) to an aware datetime; ValueError otherwise."""
    value = datetime.fromisoformat(text.upper().replace("Z", "+00:00"))
    if value.tzinfo is None:
        raise ValueError("no offset")
    return value


def _instant_problem(text: str, now: datetime, zone=None):
    """None, or a function making the message (made only for the problems listed).

    The year is judged on the local time in the file's zone (the form's rule: from 1900), since
    the app's own export writes an early instant in UTC where the zone's offset had seconds.
    """
    try:
        started = parse_instant(text)
    except ValueError:
        return lambda: _("Not a date and time with a UTC offset, like 2026-10-02T02:40:00+03:00.")
    if abs(started.utcoffset()) > MAX_UTC_OFFSET:
        return lambda: (
            _("The UTC offset %(offset)s does not exist anywhere; offsets go from −12:00 to +14:00.")
            % {"offset": text[-6:]}
        )
    # 1899-9998 as written keeps the UTC time within datetime's range; then the local year decides.
    if not 1899 <= started.year <= 9998:
        return lambda: _("Check the year.")
    local = started.astimezone(zone) if zone else started.astimezone(UTC) + MAX_UTC_OFFSET
    if local.year < 1900:
        return lambda: _("Check the year.")
    if started > now + CLOCK_SLACK:
        return lambda: _("This cramp starts in the future.")
    return None


def _items(doc: dict, key: str, field: str):
    """(index, value) of the list doc[key]'s objects whose `field` is text, whatever else the file holds."""
    items = doc.get(key)
    if type(items) is not list:
        return
    for i, item in enumerate(items):
        if type(item) is dict and type(item.get(field)) is str:
            yield i, item[field]


def _check_meaning(doc, problems: ProblemList) -> None:
    """What the schema cannot say: known zone, offsets, nothing in the future, one log per date.

    Run on a file the schema refused too: only text values are looked at, and a place the schema
    already faulted is not faulted twice.
    """
    if type(doc) is not dict:
        return
    faulted = {problem.where for problem in problems}
    now = timezone.now()
    profile = doc.get("profile")
    name = profile.get("timezone") if type(profile) is dict else None
    zone = None
    if type(name) is str and "profile.timezone" not in faulted:
        if name in timezone_names():
            zone = zoneinfo.ZoneInfo(name)
        else:
            problems.add(Problem("profile.timezone", _("“%(name)s” is not a known time zone.") % {"name": name[:64]}))
    for i, started_at in _items(doc, "episodes", "started_at"):
        place = f"episodes[{i}].started_at"
        message = None if place in faulted else _instant_problem(started_at, now, zone)
        if message:
            problems.note(lambda: place, message)
    # Today is the latest date anywhere on Earth (UTC+14): a day logged in an earlier zone (before a
    # move west) may be "tomorrow" in the file's zone, and the file cannot say where it was logged.
    today = (now + MAX_UTC_OFFSET).date()
    _check_dates(doc, today, problems, faulted)


def _check_dates(doc: dict, today: date, problems: ProblemList, faulted: set[str]) -> None:
    seen: dict[str, int] = {}
    for i, text in _items(doc, "days", "date"):
        place = f"days[{i}].date"
        if place in faulted:
            continue
        try:
            value = date.fromisoformat(text)
        except ValueError:
            problems.note(lambda: place, lambda: _("Not a date like 2026-10-02."))
            continue
        if value.year < 1900:
            problems.note(lambda: place, lambda: _("Check the year."))
        if value > today:
            problems.note(lambda: place, lambda: _("This day log is for a future date."))
        first = seen.setdefault(text, i)
        if first != i:
            problems.note(
                lambda: place,
                lambda: (
                    _("A second day log for %(date)s (the first is days[%(first)s]).") % {"date": text, "first": first}
                ),
            )
