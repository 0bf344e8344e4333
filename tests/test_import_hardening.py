"""Hostile and oversized imports through the import page (issue 11, items 2 and 3).

Every case goes through the Django test client to the real view and database; the test client
re-raises any exception, so a case that used to answer 500 fails here. Each refusal must name
the place in the file and leave the diary and the profile as they were. These tests also run
in CI's PostgreSQL pass, which refuses what SQLite lets through (NUL, offsets of 16:00 and more).
"""

import json
from datetime import UTC
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from diary.models import DayLog, Episode, PendingImport

EXAMPLE = Path(__file__).resolve().parent / "data" / "runner-three-weeks.json"
LIMIT = 5 * 1024 * 1024


def post_file(client, raw: bytes):
    upload = SimpleUploadedFile("diary.json", raw, content_type="application/json")
    return client.post(reverse("diary:import"), {"file": upload})


def confirm(client):
    """Press Import on the preview of the file uploaded last."""
    token = PendingImport.objects.get().token
    return client.post(reverse("diary:import_confirm"), {"token": str(token)})


def counts() -> tuple[int, int]:
    return Episode.objects.count(), DayLog.objects.count()


def small_document(**episode) -> dict:
    return {
        "format": "cramps-diary",
        "version": 1,
        "profile": {"timezone": "Asia/Tokyo"},
        "episodes": [
            {
                "started_at": "2026-10-01T01:00:00+03:00",
                "leg": "left",
                "muscle": "calf",
                "intensity": 4,
                "notes": "woke me",
                **episode,
            }
        ],
        "days": [{"date": "2026-10-01", "sleep_hours": 7.5, "notes": "long day"}],
    }


def refused(client, person, raw: bytes) -> list[str]:
    """Post raw; assert it was refused with nothing written; return the problems as text."""
    assert len(raw) <= LIMIT
    before = counts()
    response = post_file(client, raw)
    assert response.status_code == 400
    assert counts() == before
    person.profile.refresh_from_db()
    assert person.profile.timezone == "Europe/Kyiv"  # the file's profile was not applied either
    return [str(p) for p in response.context["result"].problems]


def with_token(token: str, place: str = "notes") -> bytes:
    """The small document with one episode field's value replaced by raw JSON text."""
    doc = small_document(**{place: "PLACEHOLDER"})
    return json.dumps(doc).replace('"PLACEHOLDER"', token).encode()


class TestHostileJson:
    def test_the_clean_document_is_accepted(self, person_client, person):
        response = post_file(person_client, json.dumps(small_document()).encode())
        assert response.status_code == 302
        assert counts() == (0, 0)  # previewed, not yet imported
        assert confirm(person_client).status_code == 302
        assert counts() == (1, 1)

    def test_nesting_a_thousand_deep_is_placed_by_line_and_column(self, person_client, person):
        (problem,) = refused(person_client, person, with_token("[" * 1000 + "]" * 1000))
        assert problem.startswith("line 1, column ") and "nested more than 16 deep" in problem

    def test_nesting_that_json_reads_is_placed_too(self, person_client, person):
        raw = with_token("[" * 200 + "]" * 200)
        (problem,) = refused(person_client, person, raw)
        # Level 17: the document, the episode list and the episode, then the 14th bracket in notes.
        column = raw.decode().index("[" * 200) + 14
        assert problem == (
            f"line 1, column {column}: Lists or objects are nested more than 16 deep here; "
            "a diary is never nested that deep."
        )

    def test_an_integer_over_4300_digits(self, person_client, person):
        (problem,) = refused(person_client, person, with_token("9" * 5000, "intensity"))
        assert problem == "episodes[0].intensity: A number with 5000 digits; no value in a diary is that long."

    @pytest.mark.parametrize("token", ["NaN", "Infinity", "-Infinity"])
    def test_not_a_number(self, person_client, person, token):
        raw = json.dumps(small_document()).replace("7.5", token).encode()
        (problem,) = refused(person_client, person, raw)
        assert problem == (
            f"days[0].sleep_hours: “{token}” is not a number a diary can hold (JSON has no NaN or Infinity)."
        )

    def test_a_number_beyond_floats(self, person_client, person):
        raw = json.dumps(small_document()).replace("7.5", "-1e400").encode()
        assert refused(person_client, person, raw) == [
            "days[0].sleep_hours: “-1e400” is too large for any number in a diary."
        ]

    def test_a_nul_in_notes(self, person_client, person):
        (problem,) = refused(person_client, person, with_token('"before\\u0000after"'))
        assert problem == "episodes[0].notes: Contains a NUL character (\\u0000), which a diary cannot store."

    def test_a_lone_surrogate_in_notes(self, person_client, person):
        (problem,) = refused(person_client, person, with_token('"x\\ud800y"'))
        assert problem.startswith("episodes[0].notes: Contains a lone surrogate")

    def test_a_lone_surrogate_in_a_key_is_not_echoed(self, person_client, person):
        raw = json.dumps(small_document()).replace('"leg"', '"\\udfff": 1, "leg"', 1).encode()
        response_problems = refused(person_client, person, raw)
        assert response_problems == [
            "episodes[0]: A name in this object: Contains a lone surrogate (such as \\ud800), which is not a character."
        ]

    @pytest.mark.parametrize("offset", ["+16:00", "-16:00", "+23:59", "-23:59", "+14:01"])
    def test_offsets_no_zone_has(self, person_client, person, offset):
        raw = json.dumps(small_document(started_at=f"2026-10-01T01:00:00{offset}")).encode()
        (problem,) = refused(person_client, person, raw)
        assert problem == (
            f"episodes[0].started_at: The UTC offset {offset} does not exist anywhere; "
            "offsets go from −12:00 to +14:00."
        )

    @pytest.mark.parametrize("started_at", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00"])
    def test_instants_at_the_ends_of_the_calendar(self, person_client, person, started_at):
        (problem,) = refused(person_client, person, json.dumps(small_document(started_at=started_at)).encode())
        assert problem.startswith("episodes[0].started_at: ")

    def test_the_furthest_real_offsets_are_accepted(self, person_client, person):
        doc = small_document(started_at="2026-10-01T01:00:00+14:00")
        doc["episodes"].append({**doc["episodes"][0], "started_at": "2026-10-01T01:00:00-12:00"})
        assert post_file(person_client, json.dumps(doc).encode()).status_code == 302
        assert confirm(person_client).status_code == 302
        assert counts() == (2, 1)

    def test_a_document_that_is_only_a_refused_number(self, person_client, person):
        assert refused(person_client, person, b"NaN") == [
            "the file: “NaN” is not a number a diary can hold (JSON has no NaN or Infinity)."
        ]

    def test_a_huge_value_is_not_echoed_whole(self, person_client, person):
        raw = json.dumps(small_document(leg="L" * 1_000_000)).encode()
        (problem,) = refused(person_client, person, raw)
        assert problem.startswith("episodes[0].leg: “" + "L" * 40 + "…” is not a known code")


class TestOversizedImports:
    def test_a_million_unknown_food_codes_are_one_problem(self, person_client, person):
        doc = small_document()
        doc["days"][0]["foods"] = [f"{i:x}" for i in range(600_000)]
        raw = json.dumps(doc, separators=(",", ":")).encode()
        assert len(raw) > 4_000_000
        assert refused(person_client, person, raw) == [
            "days[0].foods: lists 600000 codes; there are only 18 different ones, and each may appear once."
        ]

    def test_a_list_of_mixed_values_is_not_sorted(self, person_client, person):
        # jsonschema's uniqueItems compares such a list pairwise: quadratic in its length.
        doc = small_document()
        doc["episodes"][0]["relieved_by"] = [{}, 1] * 100_000
        (problem,) = refused(person_client, person, json.dumps(doc).encode())
        assert problem.startswith("episodes[0].relieved_by: lists 200000 codes")

    def test_44768_invalid_episodes_list_100_and_count_the_rest(self, person_client, person):
        doc = small_document(leg="up")
        doc["episodes"] = doc["episodes"] * 44_768
        response = post_file(person_client, json.dumps(doc).encode())
        assert response.status_code == 400 and counts() == (0, 0)
        problems = response.context["result"].problems
        assert len(problems) == 100 and problems.more == 44_668
        assert problems[99].where == "episodes[99].leg"
        html = response.content.decode()
        assert html.count("<li><code>") == 100
        assert "the file has 44768 problems" in html and "… and 44668 more problems, not listed." in html

    def test_problems_past_the_first_hundred_are_counted_once_per_field(self, person_client, person):
        doc = small_document()
        doc["days"] = [{"date": "2026-10-01", "stress": 11, "foods": ["pizza", "chips"]}] * 60
        response = post_file(person_client, json.dumps(doc).encode())
        problems = response.context["result"].problems
        # In the file's order: days 0-32 list three problems each (stress, two codes), day 33 its stress: 100.
        assert [str(p) for p in problems[:2]] == [
            "days[0].stress: 11 is too large; the most allowed is 10.",
            "days[0].foods[0]: “pizza” is not a known code; allowed: dill, parsley, seaweed, green_onions, bran, "
            "dates, dried_apricots, prunes, dairy, fish, banana, nuts, leafy_greens, potatoes, legumes, "
            "whole_grains, eggs, meat.",
        ]
        assert len(problems) == 100 and str(problems[99]).startswith("days[33].stress")
        # Then day 33's foods and, for days 34-59, stress and foods: one each.
        # And the 59 days that repeat the first one's date, in the same answer.
        assert problems.more == 1 + 26 * 2 + 59
        assert counts() == (0, 0)

    def test_refused_numbers_past_the_first_hundred_are_counted(self, person_client, person):
        doc = small_document()
        doc["days"] = [{"date": "2026-10-01", "sleep_hours": "NAN", "stress": "NAN"}] * 80
        raw = json.dumps(doc).replace('"NAN"', "NaN").encode()
        response = post_file(person_client, raw)
        problems = response.context["result"].problems
        # 160 refused numbers, and the 79 days that repeat the first one's date: all in one answer.
        assert (len(problems), problems.more) == (100, 60 + 79)
        assert str(problems[0]).startswith("days[0].sleep_hours: “NaN” is not a number")


def test_a_day_log_saved_meanwhile_refuses_the_import_whole(person_client, person, monkeypatch):
    """Another tab saves a day log for a date in the file after the import looked, before it wrote."""
    from diary import exchange

    looked = exchange._days_to_add

    def look_then_lose_the_race(user, items, result):
        new_days = looked(user, items, result)
        DayLog.objects.create(user=person, date=new_days[0].date, notes="the other tab")
        return new_days

    assert post_file(person_client, json.dumps(small_document()).encode()).status_code == 302
    monkeypatch.setattr(exchange, "_days_to_add", look_then_lose_the_race)
    response = confirm(person_client)
    assert response.status_code == 400
    assert "The diary changed while importing" in response.content.decode()
    # Here the other tab's log shares the import's transaction, so it is rolled back with it.
    assert counts() == (0, 0)
    person.profile.refresh_from_db()
    assert person.profile.timezone == "Europe/Kyiv"


def test_no_value_of_a_checked_file_stays_in_memory():
    """The check remembers verdicts per value (notes included) for one document only."""
    from diary import schema_check

    problems = schema_check.ProblemList()
    schema_check.check_document(small_document(notes="a private note about my legs"), problems)
    assert not problems
    shape, fields = schema_check._shape(), []
    stack = [shape]
    while stack:
        node = stack.pop()
        if node[0] == "field":
            fields.append(node[1])
        elif node[0] == "object":
            stack.extend(node[2].values())
        else:
            stack.append(node[1])
    assert fields and not any("private note" in repr(vars(field)) for field in fields)


def test_on_postgresql_these_values_would_have_failed_in_the_database(person):
    """Why the refusals above matter in CI's PostgreSQL run: the database itself refuses them."""
    from datetime import datetime, timedelta, timezone

    from django.db import DataError, connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("SQLite stores these; PostgreSQL refuses them")
    far = datetime(2026, 10, 1, 1, 0, tzinfo=timezone(timedelta(hours=16)))
    for fields in ({"notes": "a\x00b"}, {"started_at": far}):
        values = {
            "user": person,
            "started_at": datetime(2026, 9, 30, tzinfo=UTC),
            "day": far.date(),
            "leg": "left",
            "muscle": "calf",
            "intensity": 3,
            **fields,
        }
        with pytest.raises((DataError, ValueError)), transaction.atomic():
            Episode.objects.create(**values)
    assert not Episode.objects.exists()
