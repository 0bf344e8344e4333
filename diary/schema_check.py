"""The diary schema checked field by field, in time that grows with the file and no faster.

jsonschema's validator is correct but slow: a valid 5 MB file took about a second, and a file
of 1.3 million unknown food codes made as many error objects (several seconds, past the
server's timeout). Here the schema's outer shape (objects with `properties` and `required`,
arrays of such objects) is walked by hand and every field's value is checked by jsonschema
against that field's own schema. The verdict per field is remembered for repeated values
(codes, numbers, short lists), so a valid file costs about one dictionary look-up per field.

Problems are listed up to MAX_PROBLEMS; after that, only counted, one per field, with no
messages made. A list of codes longer than its vocabulary cannot be valid (the codes must
be distinct), so it is one problem, without checking each code (or sorting it for
`uniqueItems`, which jsonschema does in quadratic time for lists of mixed types).

A schema part with any other keyword is checked whole by jsonschema: slower, still right.
"""

import json
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator, FormatChecker

MAX_PROBLEMS = 100
# Keywords of the outer shape this module walks itself; the rest only annotate.
SHAPE_KEYWORDS = {"type", "properties", "required", "items", "description", "title", "$schema", "$id"}


class Problem:
    """One problem and its place in the file (a path such as days[4].foods[0], or line and column)."""

    __slots__ = ("where", "message")

    def __init__(self, where: str, message: str):
        self.where = where
        self.message = message

    def __eq__(self, other):
        return isinstance(other, Problem) and (self.where, self.message) == (other.where, other.message)

    def __hash__(self) -> int:
        return hash((self.where, self.message))

    def __repr__(self) -> str:
        return f"Problem({self.where!r}, {self.message!r})"

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class AlreadyReported:
    """A value in a document whose problem is already listed (a refused number, a NUL): checks pass over it."""

    __slots__ = ()


class ProblemList(list):
    """The first MAX_PROBLEMS problems; `more` counts those past them (without their messages)."""

    more = 0

    def add(self, problem: Problem) -> None:
        if len(self) < MAX_PROBLEMS:
            self.append(problem)
        else:
            self.more += 1

    def note(self, make_where, make_message) -> None:
        """Add a problem made by the two functions, or past the limit only count it (no messages made)."""
        if len(self) < MAX_PROBLEMS:
            self.append(Problem(make_where(), make_message()))
        else:
            self.more += 1

    @property
    def full(self) -> bool:
        return len(self) >= MAX_PROBLEMS

    @property
    def total(self) -> int:
        return len(self) + self.more


def where(path) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or _("the file")


def preview(value) -> str:
    """A short, bounded rendering of a value for a message (a value may be megabytes long)."""
    if isinstance(value, str):
        return value if len(value) <= 40 else value[:40] + "…"
    if isinstance(value, list):
        return _("a list of %(count)s") % {"count": len(value)}
    if isinstance(value, dict):
        return _("an object")
    if isinstance(value, AlreadyReported):
        return "…"
    return json.dumps(value)


def friendly(error) -> str:
    kind = error.validator
    value = error.instance
    if kind == "enum":
        allowed = ", ".join(str(item) for item in error.validator_value)
        return _("“%(value)s” is not a known code; allowed: %(allowed)s.") % {
            "value": preview(value),
            "allowed": allowed,
        }
    if kind == "maximum":
        return _("%(value)s is too large; the most allowed is %(limit)s.") % {
            "value": value,
            "limit": error.validator_value,
        }
    if kind == "minimum":
        return _("%(value)s is too small; the least allowed is %(limit)s.") % {
            "value": value,
            "limit": error.validator_value,
        }
    if kind == "type":
        return _wrong_type(value, error.validator_value)
    if kind == "format":
        if error.validator_value == "date":
            return _("“%(value)s” is not a date like 2026-10-02.") % {"value": preview(value)}
        return _("“%(value)s” is not a date and time with a UTC offset, like 2026-10-02T02:40:00+03:00.") % {
            "value": preview(value)
        }
    if kind == "const":
        return _("must be %(expected)s.") % {"expected": json.dumps(error.validator_value)}
    if kind == "uniqueItems":
        return _("lists the same code twice.")
    if kind == "maxLength":
        return _("is longer than %(limit)s characters.") % {"limit": error.validator_value}
    if kind == "pattern":
        return _("“%(value)s” is not a time like 22:30.") % {"value": preview(value)}
    return _("This value does not fit the diary format.")


def _wrong_type(value, expected) -> str:
    return _("%(value)s has the wrong type; expected %(type)s.") % {
        "value": preview(value) if isinstance(value, (list, dict)) else json.dumps(preview(value))[:60],
        "type": expected if isinstance(expected, str) else " or ".join(expected),
    }


@cache
def _validator(schema_json: str) -> Draft202012Validator:
    return Draft202012Validator(json.loads(schema_json), format_checker=FormatChecker())


class _Field:
    """One field's schema and its jsonschema validator."""

    def __init__(self, schema: dict):
        self.validator = _validator(json.dumps(schema, sort_keys=True))
        items = schema.get("items", {})
        # Distinct codes from a vocabulary: never more of them than the vocabulary has.
        self.max_items = len(items["enum"]) if schema.get("uniqueItems") and "enum" in items else None

    def problems(self, value, path, problems: ProblemList, verdicts: dict) -> None:
        """Add the value's problems; `verdicts` remembers, for one document, the verdicts already reached."""
        if isinstance(value, AlreadyReported):
            return
        if self.max_items is not None and isinstance(value, list) and len(value) > self.max_items:
            problems.add(Problem(where(path), _too_many(len(value), self.max_items)))
            return
        key = _key(self, value)
        valid = verdicts.get(key) if key is not None else None
        if valid is None:
            valid = self.validator.is_valid(value)
            if key is not None:
                verdicts[key] = valid
        if valid:
            return
        if problems.full:
            problems.more += 1
            return
        for error in self.validator.iter_errors(value):  # a field's own errors: bounded by max_items
            if not isinstance(error.instance, AlreadyReported):  # such as a NaN in a list of codes
                problems.add(Problem(where((*path, *error.absolute_path)), friendly(error)))


def _too_many(count: int, limit: int) -> str:
    return _("lists %(count)s codes; there are only %(limit)s different ones, and each may appear once.") % {
        "count": count,
        "limit": limit,
    }


def _key(field: _Field, value):
    """A dictionary key for a field's value whose verdict may be reused (its type included: 1 == True)."""
    if isinstance(value, (str, int, float, bool)) or value is None:
        return (field, type(value), value)
    if isinstance(value, list) and len(value) <= 32 and all(type(item) is str for item in value):
        return (field, list, tuple(value))
    return None


class Checker:
    """The schema compiled into its shape, with a _Field for each leaf; one per document checked.

    It is made afresh for each document: the verdicts it remembers are the document's values
    (notes included), which must neither outlive the request nor grow with every import.
    """

    def __init__(self, root):
        self.root = root
        self.verdicts: dict = {}

    def check(self, value, node, path, problems: ProblemList) -> None:
        if isinstance(value, AlreadyReported):
            return
        kind = node[0]
        if kind == "field":
            node[1].problems(value, path, problems, self.verdicts)
        elif kind == "object":
            self._object(value, node, path, problems)
        elif not isinstance(value, list):
            problems.add(Problem(where(path), _wrong_type(value, "array")))
        else:
            check = self._object if node[1][0] == "object" else self.check  # the usual case, one call less
            for index, item in enumerate(value):
                check(item, node[1], (*path, index), problems)

    def _object(self, value, node, path, problems: ProblemList) -> None:
        required, properties = node[1], node[2]
        if isinstance(value, AlreadyReported):
            return
        if not isinstance(value, dict):
            problems.add(Problem(where(path), _wrong_type(value, "object")))
            return
        for name in required:
            if name not in value:
                problems.note(lambda: where(path), lambda: _("“%(name)s” is missing.") % {"name": name})
        for name, item in value.items():  # usually fewer than the schema's properties
            part = properties.get(name)
            if part is not None:
                self.check(item, part, (*path, name), problems)


def _compile(schema: dict):
    """The shape of the schema as nested tuples: ("object", required, properties), ("array", item), ("field", _Field)."""
    if set(schema) <= SHAPE_KEYWORDS and schema.get("type") == "object" and "items" not in schema:
        properties = {name: _compile(part) for name, part in schema.get("properties", {}).items()}
        return ("object", tuple(schema.get("required", ())), properties)
    items = schema.get("items")
    if set(schema) <= SHAPE_KEYWORDS and schema.get("type") == "array" and isinstance(items, dict):
        if items.get("type") == "object":
            return ("array", _compile(items))
    return ("field", _Field(schema))


SCHEMA_PATH = Path(__file__).resolve().parent / "spec" / "diary-export.schema.json"


def schema() -> dict:
    """The diary export's JSON Schema (a copy of ../shared/spec in diary/spec/)."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@cache
def _shape():
    return _compile(schema())


def check_document(doc, problems: ProblemList) -> None:
    """Add to `problems` what the schema finds wrong with `doc` (a parsed JSON value)."""
    checker = Checker(_shape())
    checker.check(doc, checker.root, (), problems)
