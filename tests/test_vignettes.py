"""Vignettes: realistic diaries of made-up people, each with the assessment a clinician would expect.

The diaries live in tests/vignettes/*.json (built by tests/vignettes/build.py, seeded, so they
are reproducible); each carries its expectations under the extra top-level key "expected".
`load_vignettes()` and `check_expectations()` are meant for reuse by other tests (the page test
checks the same expectations through the web page). A vignette whose expected["known_disagreement"]
is set describes where the engine's answer differs from the clinical expectation: the expectation
is kept, and the test is a strict expected failure (it turns red once the engine changes, so the
mark can be dropped).
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from datetime import date
from functools import cache
from pathlib import Path

import pytest
from django.core.management import call_command
from jsonschema import Draft202012Validator, FormatChecker

from tests.potassium import potassium_named

ROOT = Path(__file__).resolve().parent.parent
VIGNETTE_DIR = ROOT / "tests" / "vignettes"
SPEC = ROOT / "diary" / "spec"
ASSESSED_AT = "2026-11-21T09:00:00+00:00"

LEVELS = {"low": 0, "moderate": 1, "high": 2}
CAUSE_CODES = {
    "flat_feet_footwear",
    "pregnancy",
    "cold_exposure",
    "micronutrient_deficiency",
    "vascular",
    "stress",
    "overexertion",
    "deconditioning",
    "medication",
    "medical_condition",
    "dehydration",
    "idiopathic",
}
FLAG_CODES = {
    "possible_dvt",
    "prolonged_cramp",
    "frequent_cramps",
    "claudication",
    "neurological",
    "not_typical_cramp",
    "cramps_beyond_legs",
    "pregnancy_warning",
    "muscle_breakdown",
    "leg_swelling",
    "pre_eclampsia",
    "low_calcium_signs",
    "limb_ischaemia",
}
EXPECTATION_KEYS = {
    "summary",
    "sufficient_data",
    "ranking",
    "likelihood",
    "absent",
    "red_flags",
    "max_likelihood",
    "nutrients",
    "rules",
    "last_seen",
    "no_potassium",
    "known_disagreement",
}
# The page shows last_seen as text, not as a data attribute: checked on the document only.
NOT_ON_THE_PAGE = {"last_seen"}


@cache
def _schema(name: str) -> Draft202012Validator:
    return Draft202012Validator(json.loads((SPEC / name).read_text(encoding="utf-8")), format_checker=FormatChecker())


def load_vignettes() -> list[tuple[str, Path, dict]]:
    """Every vignette as (name, path, document); the document still holds its "expected" key."""
    return [
        (path.stem, path, json.loads(path.read_text(encoding="utf-8"))) for path in sorted(VIGNETTE_DIR.glob("*.json"))
    ]


def check_expectations(result: dict, expected: dict) -> None:
    """Check an assessment document against a vignette's expectations; one AssertionError lists every mismatch."""
    unknown = set(expected) - EXPECTATION_KEYS
    assert not unknown, f"unknown expectation keys {sorted(unknown)}"
    causes = {c["code"]: c for c in result["causes"]}
    order = [c["code"] for c in result["causes"]]
    flags = {f["code"]: f for f in result["red_flags"]}
    got = {
        "causes": [(c["code"], c["likelihood"], c.get("score")) for c in result["causes"]],
        "red_flags": {code: f["urgency"] for code, f in flags.items()},
    }
    problems: list[str] = []

    if "sufficient_data" in expected and result["sufficient_data"] != expected["sufficient_data"]:
        problems.append(f"sufficient_data: expected {expected['sufficient_data']}, got {result['sufficient_data']}")
    ranking = expected.get("ranking", [])
    if order[: len(ranking)] != ranking:
        problems.append(f"ranking: expected the causes to start with {ranking}, got {order}")
    for code, level in expected.get("likelihood", {}).items():
        if code not in causes:
            problems.append(f"likelihood: {code} expected {level}, but it is not among the causes")
        elif causes[code]["likelihood"] != level:
            problems.append(
                f"likelihood: {code} expected {level}, got {causes[code]['likelihood']} (score {causes[code].get('score')})"
            )
    for code in expected.get("absent", []):
        if code in causes:
            problems.append(
                f"absent: {code} should not appear, got {causes[code]['likelihood']} (rules {causes[code].get('rules')})"
            )
    if "red_flags" in expected:
        want = expected["red_flags"]
        if got["red_flags"] != want:
            problems.append(f"red_flags: expected {want}, got {got['red_flags']}")
    if "max_likelihood" in expected:
        ceiling = LEVELS[expected["max_likelihood"]]
        above = [(c["code"], c["likelihood"]) for c in result["causes"] if LEVELS[c["likelihood"]] > ceiling]
        if above:
            problems.append(f"max_likelihood {expected['max_likelihood']}: above it {above}")
    if "nutrients" in expected:
        cause = causes.get("micronutrient_deficiency")
        if cause is None:
            problems.append(
                f"nutrients: expected {expected['nutrients']}, but micronutrient_deficiency is not among the causes"
            )
        elif cause.get("nutrients") != expected["nutrients"]:
            problems.append(f"nutrients: expected {expected['nutrients']}, got {cause.get('nutrients')}")
    for code, day in expected.get("last_seen", {}).items():
        if code not in flags:
            problems.append(f"last_seen: {code} expected last seen on {day}, but it is not among the red flags")
        elif flags[code].get("last_seen") != day:
            problems.append(f"last_seen: {code} expected {day}, got {flags[code].get('last_seen')}")
    if expected.get("no_potassium"):
        problems += [f"no_potassium: {where}" for where in potassium_named(result)]
    for code, rule_ids in expected.get("rules", {}).items():
        item = causes.get(code) or flags.get(code)
        if item is None:
            problems.append(f"rules: {code} expected from {rule_ids}, but it is not in the result")
        elif sorted(item.get("rules", [])) != sorted(rule_ids):
            problems.append(f"rules: {code} expected from {sorted(rule_ids)}, got {sorted(item.get('rules', []))}")
    assert not problems, "\n".join(problems + [f"(got causes {got['causes']}, red flags {got['red_flags']})"])


def assess_file(path: Path) -> dict:
    out = io.StringIO()
    call_command("assess", str(path), assessed_at=ASSESSED_AT, stdout=out)
    return json.loads(out.getvalue())


VIGNETTES = load_vignettes()


def vignette_params(vignettes=VIGNETTES) -> list:
    """pytest params (name, path, doc), a known disagreement with the engine marked as a strict expected failure."""
    params = []
    for name, path, doc in vignettes:
        reason = doc["expected"].get("known_disagreement")
        marks = (
            [pytest.mark.xfail(reason=f"known disagreement with the engine: {reason}", strict=True)] if reason else []
        )
        params.append(pytest.param(name, path, doc, id=name, marks=marks))
    return params


@pytest.mark.parametrize("name, path, doc", VIGNETTES, ids=[v[0] for v in VIGNETTES])
def test_vignette_is_a_valid_diary_export(name, path, doc):
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in _schema("diary-export.schema.json").iter_errors(doc)]
    assert not errors, errors
    days = [date.fromisoformat(d["date"]) for d in doc["days"]]
    assert len(days) == len(set(days)), "one day log per date"
    assert all(date(2026, 8, 1) <= d <= date(2026, 11, 20) for d in days)
    assert all(e["started_at"][:10] <= "2026-11-20" for e in doc["episodes"])
    expected = doc["expected"]
    assert expected["summary"] and "red_flags" in expected
    assert (
        not (set(expected.get("ranking", [])) | set(expected.get("likelihood", {})) | set(expected.get("absent", [])))
        - CAUSE_CODES
    )
    assert not set(expected.get("ranking", [])) & set(expected.get("absent", []))
    assert not set(expected["red_flags"]) - FLAG_CODES
    assert set(expected.get("last_seen", {})) <= set(expected["red_flags"])


@pytest.mark.parametrize("name, path, doc", vignette_params())
def test_vignette_assessment(name, path, doc):
    result = assess_file(path)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in _schema("assessment.schema.json").iter_errors(result)]
    assert not errors, errors
    assert result["assessed_at"] == ASSESSED_AT
    check_expectations(result, doc["expected"])


def test_vignettes_cover_every_cause_and_red_flag():
    assert len(VIGNETTES) >= 20
    causes, flags, urgencies, flag_rules = set(), set(), set(), set()
    for _name, _path, doc in VIGNETTES:
        expected = doc["expected"]
        causes |= set(expected.get("ranking", [])) | set(expected.get("likelihood", {}))
        flags |= set(expected["red_flags"])
        urgencies |= set(expected["red_flags"].items())
        for code, rules in expected.get("rules", {}).items():
            if code in FLAG_CODES:
                flag_rules |= set(rules)
    assert causes == CAUSE_CODES, f"causes never expected: {sorted(CAUSE_CODES - causes)}"
    assert flags == FLAG_CODES, f"red flags never expected: {sorted(FLAG_CODES - flags)}"
    assert {("possible_dvt", "urgent"), ("possible_dvt", "emergency"), ("possible_dvt", "soon")} <= urgencies
    assert {
        "flag-most-nights",
        "flag-more-often",
        "flag-pregnancy-swelling",
        "flag-pregnancy-frequent",
        "flag-dvt-soreness-lasting",
        "flag-dark-urine",
        "flag-statin-weakness",
    } <= flag_rules
    assert any(doc["expected"].get("no_potassium") for _n, _p, doc in VIGNETTES), "a person at risk of high potassium"
    assert any(not doc["expected"]["sufficient_data"] for _n, _p, doc in VIGNETTES), "a short diary"
    unremarkable = [
        n
        for n, _p, doc in VIGNETTES
        if doc["expected"].get("max_likelihood") == "low" and not doc["expected"]["red_flags"]
    ]
    assert len(unremarkable) >= 2, unremarkable


def _run_assess(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    return subprocess.run(
        [sys.executable, "manage.py", "assess", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


@pytest.mark.heavy
def test_assess_command_as_a_real_process(tmp_path):
    path = VIGNETTE_DIR / "marathon-training.json"
    done = _run_assess(str(path), "--assessed-at", ASSESSED_AT, "--compact")
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.strip().splitlines()) == 1  # --compact: one line
    result = json.loads(done.stdout)
    assert not list(_schema("assessment.schema.json").iter_errors(result))
    check_expectations(result, json.loads(path.read_text(encoding="utf-8"))["expected"])

    broken = json.loads(path.read_text(encoding="utf-8"))
    del broken["format"]
    broken["episodes"][0]["leg"] = "middle"
    broken["days"][1]["stress"] = 12
    bad = tmp_path / "broken.json"
    bad.write_text(json.dumps(broken), encoding="utf-8")
    done = _run_assess(str(bad), "--assessed-at", ASSESSED_AT)
    assert done.returncode == 2
    assert done.stdout == ""
    assert "format" in done.stderr and "episodes[0].leg" in done.stderr and "days[1].stress" in done.stderr
    assert "3 problems" in done.stderr


# ---------------------------------------------------------------- the same expectations through the page


def result_from_page(html: str) -> dict:
    """Read the assessment back from the page's data attributes, in page order."""
    from html.parser import HTMLParser

    result: dict = {"causes": [], "red_flags": [], "sufficient_data": 'data-sufficient="false"' not in html}

    class Reader(HTMLParser):
        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if "data-cause" in a:
                cause = {"code": a["data-cause"], "likelihood": a["data-likelihood"], "rules": a["data-rules"].split()}
                if a.get("data-nutrients"):
                    cause["nutrients"] = a["data-nutrients"].split()
                result["causes"].append(cause)
            if "data-red-flag" in a:
                result["red_flags"].append(
                    {"code": a["data-red-flag"], "urgency": a["data-urgency"], "rules": a["data-rules"].split()}
                )

    Reader().feed(html)
    return result


@pytest.mark.django_db
@pytest.mark.parametrize("name, path, doc", vignette_params())
def test_vignette_through_the_page(name, path, doc, client, make_user):
    from diary.exchange import import_document

    user = make_user(email=f"{name}@example.com")
    imported = import_document(user, path.read_bytes())
    assert imported.ok, imported.problems
    client.force_login(user)
    html = client.get("/causes/").content.decode()
    assert "This is not a diagnosis." in html
    check_expectations(result_from_page(html), {k: v for k, v in doc["expected"].items() if k not in NOT_ON_THE_PAGE})
