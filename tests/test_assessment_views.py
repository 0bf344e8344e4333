"""The assessment pages: what the person sees, snapshots, downloads, and who may see them."""

import json
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import translation
from jsonschema import Draft202012Validator, FormatChecker

from diary.exchange import import_document
from prevention.assessment.rules import ALL_RULES, RULES_VERSION
from prevention.assessment.services import ensure_document, record_snapshot
from prevention.models import Snapshot
from tests.factories import day_log, episode

KYIV = ZoneInfo("Europe/Kyiv")
RUNNER = Path(__file__).parent / "data" / "runner-three-weeks.json"
SCHEMA = json.loads((Path(__file__).parent.parent / "diary" / "spec" / "assessment.schema.json").read_text())
DISCLAIMER = b"This is not a diagnosis."


def valid(doc: dict) -> bool:
    Draft202012Validator(SCHEMA, format_checker=FormatChecker()).validate(doc)
    return True


def runner(user):
    result = import_document(user, RUNNER.read_bytes())
    assert result.ok, result.problems


def html_order(content: bytes, *markers: str) -> list[int]:
    return [content.index(marker.encode()) for marker in markers]


@pytest.mark.django_db
def test_the_page_ranks_causes_with_evidence_and_says_it_is_no_diagnosis(person_client, person):
    runner(person)
    response = person_client.get(reverse("prevention:assessment"))
    assert response.status_code == 200
    content = response.content
    assert DISCLAIMER in content
    assert b'data-cause="overexertion" data-likelihood="high"' in content
    assert b"7 of your 7 cramp nights came after a day of hard training; 0 of 14 other nights did." in content
    assert b"Supported by clinical guidance" in content
    assert b"What to do next" in content
    assert b'data-sufficient="false"' not in content
    overexertion, footwear = html_order(content, 'data-cause="overexertion"', 'data-cause="flat_feet_footwear"')
    assert overexertion < footwear


@pytest.mark.django_db
def test_red_flags_stand_above_the_causes_with_their_urgency(person_client, person):
    runner(person)
    DayLogModel = day_log(person, date(2026, 10, 22), symptoms=["calf_swelling_one_side"]).__class__
    assert DayLogModel.objects.filter(user=person).count() == 22
    content = person_client.get(reverse("prevention:assessment")).content
    assert b'data-red-flag="possible_dvt" data-urgency="urgent"' in content
    assert b"Seek medical care today" in content
    flag, cause = html_order(content, 'data-red-flag="possible_dvt"', 'data-cause="overexertion"')
    assert flag < cause


@pytest.mark.django_db
def test_a_short_diary_shows_how_many_days_are_missing_and_profile_causes_at_once(person_client, person):
    person.profile.medications = ["statin"]
    person.profile.save()
    start = date(2026, 11, 1)
    for i in range(5):
        day_log(person, start + timedelta(days=i), exertion="hard")
        episode(person, datetime(2026, 11, 2 + i, 3, 0, tzinfo=KYIV))
    content = person_client.get(reverse("prevention:assessment")).content.decode()
    assert 'data-sufficient="false"' in content
    assert "Log 9 more days to see them." in content
    assert 'data-cause="medication"' in content
    assert 'data-cause="overexertion"' not in content  # a pattern: not judged yet
    assert "This is not a diagnosis." in content


@pytest.mark.django_db
def test_an_empty_diary_gets_a_calm_page(person_client):
    content = person_client.get(reverse("prevention:assessment")).content.decode()
    assert "Your diary is empty so far." in content
    assert "Log 14 more days to see them." in content
    assert "data-cause=" not in content and "data-red-flag=" not in content


@pytest.mark.django_db
def test_the_json_download_is_the_spec_document(person_client, person):
    runner(person)
    response = person_client.get(reverse("prevention:assessment_json"))
    assert response["Content-Disposition"].startswith('attachment; filename="cramps-assessment-')
    doc = json.loads(response.content)
    assert valid(doc)
    assert doc["rules_version"] == RULES_VERSION
    assert doc["causes"][0]["code"] == "overexertion"
    assert doc["assessed_at"].endswith("+02:00") or doc["assessed_at"].endswith("+03:00")  # the person's zone


@pytest.mark.django_db
def test_one_snapshot_a_day_and_a_new_one_only_when_the_picture_changes(person):
    runner(person)
    first = ensure_document(person, date(2026, 10, 22))
    ensure_document(person, date(2026, 10, 22))
    assert Snapshot.objects.filter(user=person).count() == 1
    ensure_document(person, date(2026, 10, 23))  # same picture on a later day: nothing new
    assert Snapshot.objects.filter(user=person).count() == 1
    day_log(person, date(2026, 10, 22), symptoms=["numbness_tingling"])
    ensure_document(person, date(2026, 10, 24))
    snapshots = list(Snapshot.objects.filter(user=person).order_by("date"))
    assert [s.date for s in snapshots] == [date(2026, 10, 22), date(2026, 10, 24)]
    assert snapshots[0].document["red_flags"] == first["red_flags"] == []
    assert [f["code"] for f in snapshots[1].document["red_flags"]] == ["neurological"]
    assert all(valid(s.document) for s in snapshots)


@pytest.mark.django_db
def test_todays_snapshot_is_brought_up_to_date(person):
    runner(person)
    ensure_document(person, date(2026, 10, 22))
    person.profile.medications = ["beta_agonist"]
    person.profile.save()
    ensure_document(person, date(2026, 10, 22))
    (snapshot,) = Snapshot.objects.filter(user=person)
    assert "medication" in [c["code"] for c in snapshot.document["causes"]]


@pytest.mark.django_db
def test_history_shows_how_the_picture_changed(person_client, person):
    runner(person)
    ensure_document(person, date(2026, 10, 20))
    day_log(person, date(2026, 10, 22), symptoms=["urge_to_move_legs"])
    person_client.get(reverse("prevention:assessment"))
    content = person_client.get(reverse("prevention:history")).content.decode()
    assert content.count("data-snapshot=") == 2
    assert "Maybe not a cramp" in content
    assert DISCLAIMER.decode() in content
    snapshot = Snapshot.objects.filter(user=person).order_by("date").first()
    page = person_client.get(reverse("prevention:snapshot", args=[snapshot.pk])).content.decode()
    assert "20 October 2026" in page and DISCLAIMER.decode() in page
    assert 'data-red-flag="not_typical_cramp"' not in page
    download = person_client.get(reverse("prevention:snapshot_json", args=[snapshot.pk]))
    assert json.loads(download.content) == snapshot.document


@pytest.mark.django_db
def test_a_stored_snapshot_is_shown_in_the_readers_language(person_client, person):
    runner(person)
    with translation.override("en"):
        ensure_document(person, date(2026, 10, 22))
    snapshot = Snapshot.objects.get(user=person)
    english = snapshot.document["causes"][0]["evidence"][0]
    # The sentence is rebuilt from the stored rule id and numbers, not copied from the stored text.
    snapshot.document["causes"][0]["evidence"][0] = "stale text"
    snapshot.save()
    page = person_client.get(reverse("prevention:snapshot", args=[snapshot.pk])).content.decode()
    assert english in page and "stale text" not in page


@pytest.mark.django_db
def test_a_snapshot_from_unknown_rules_keeps_its_stored_sentences(person_client, person):
    runner(person)
    doc = ensure_document(person, date(2026, 10, 22))
    doc["causes"][0]["findings"][0]["rule"] = "a-rule-that-no-longer-exists"
    doc["causes"][0]["evidence"][0] = "what the old rules said"
    snapshot = record_snapshot(person, doc, date(2026, 10, 22))
    page = person_client.get(reverse("prevention:snapshot", args=[snapshot.pk])).content.decode()
    assert "what the old rules said" in page


def test_how_it_works_is_made_from_the_rule_table(client):
    content = client.get(reverse("prevention:how_it_works")).content.decode()
    assert DISCLAIMER.decode() in content
    assert RULES_VERSION in content
    for rule in ALL_RULES:
        assert f'data-rule="{rule.id}"' in content
        assert str(rule.when).replace("'", "&#x27;").replace('"', "&quot;") in content
