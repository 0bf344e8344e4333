"""The shared vocabulary everywhere a person or a file meets it: forms, export and import, labels, the admin."""

from __future__ import annotations

import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from diary import exchange
from diary import vocabulary as v
from diary.forms import DayLogForm
from tests.factories import day_log, episode

KYIV = ZoneInfo("Europe/Kyiv")


def _enum(schema: dict, *path: str) -> list[str]:
    node = schema
    for key in path:
        node = node[key]
    return node["enum"]


def test_the_vocabulary_is_exactly_the_contracts():
    schema = exchange.schema()
    text = json.dumps(schema)
    for choices in (v.SYMPTOMS, v.CONDITIONS, v.MEDICATIONS):
        for code in v.codes(choices):
            assert f'"{code}"' in text, code

    # and nothing in the contract's lists is missing from ours
    def lists(node):
        if isinstance(node, dict):
            if node.get("type") == "array" and isinstance(node.get("items"), dict) and "enum" in node["items"]:
                yield node["items"]["enum"]
            for value in node.values():
                yield from lists(value)
        elif isinstance(node, list):
            for value in node:
                yield from lists(value)

    ours = [v.codes(c) for c in (v.SYMPTOMS, v.CONDITIONS, v.MEDICATIONS, v.FOODS, v.RELIEVED_BY)]
    for enum in lists(schema):
        assert any(set(enum) == mine for mine in ours), enum


@pytest.mark.django_db
def test_every_new_code_survives_export_and_import(person, make_user):
    profile = person.profile
    profile.conditions = [c for c, _l in v.CONDITIONS]
    profile.medications = [m for m, _l in v.MEDICATIONS]
    profile.save()
    episode(person, datetime(2026, 10, 3, 2, 40, tzinfo=KYIV))
    day_log(person, date(2026, 10, 2), symptoms=[s for s, _l in v.SYMPTOMS])
    first = exchange.export_document(person)
    newcomer = make_user(email="new@example.com", timezone="UTC")
    result = exchange.import_document(newcomer, json.dumps(first).encode())
    assert result.ok, result.problems
    again = exchange.export_document(newcomer)
    assert again["profile"]["medications"] == first["profile"]["medications"]
    assert again["profile"]["conditions"] == first["profile"]["conditions"]
    assert again["days"] == first["days"]
    assert set(again["days"][0]["symptoms"]) == v.codes(v.SYMPTOMS)


@pytest.mark.django_db
def test_the_day_log_form_accepts_every_symptom(person):
    form = DayLogForm({"date": "2026-10-02", "symptoms": [s for s, _l in v.SYMPTOMS]}, user=person)
    assert form.is_valid(), form.errors


@pytest.mark.django_db
def test_the_admin_shows_symptoms_and_medicines_in_words(mfa_admin_client, person):
    person.profile.medications = ["diuretic_potassium_sparing"]
    person.profile.save()
    day_log(person, date(2026, 10, 2), symptoms=["calf_pain_lasting", "dark_urine"])
    days = mfa_admin_client.get(reverse("admin:diary_daylog_changelist")).content.decode()
    assert "Calf pain lasting more than a day" in days and "Dark, cola-coloured urine" in days
    profiles = mfa_admin_client.get(reverse("admin:diary_profile_changelist")).content.decode()
    assert "Potassium-sparing diuretic" in profiles
