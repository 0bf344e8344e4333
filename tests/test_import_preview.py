"""Import in two steps (issue 14, item 5): upload, see what would be added and changed, then confirm.

Nothing is written before Import is pressed on the preview; the profile's changes are shown old →
new; a refused file lists every problem at once (hostile values, schema, meaning and clashes with
the diary already kept).
"""

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from diary import exchange
from diary.models import DayLog, Episode, PendingImport
from tests.factories import day_log

EXAMPLE = Path(__file__).resolve().parent / "data" / "runner-three-weeks.json"


@pytest.fixture
def document() -> dict:
    doc = json.loads(EXAMPLE.read_text())
    doc["profile"].update({"timezone": "Asia/Tokyo", "sex": "female", "birth_year": 1971})
    return doc


def upload(client, document: dict | bytes):
    raw = document if isinstance(document, bytes) else json.dumps(document).encode()
    return client.post(reverse("diary:import"), {"file": SimpleUploadedFile("d.json", raw, "application/json")})


def confirm(client, token):
    return client.post(reverse("diary:import_confirm"), {"token": str(token)}, follow=True)


def state(person) -> tuple:
    person.profile.refresh_from_db()
    p = person.profile
    return Episode.objects.count(), DayLog.objects.count(), p.timezone, p.sex, p.birth_year


def test_upload_shows_what_would_change_and_writes_nothing(person_client, person, document):
    before = state(person)
    response = upload(person_client, document)
    assert response.status_code == 302 and response["Location"] == reverse("diary:import_preview")
    assert state(person) == before

    page = person_client.get(reverse("diary:import_preview"))
    html = page.content.decode()
    result = page.context["result"]
    assert (result.episodes_added, result.days_added) == (len(document["episodes"]), len(document["days"]))
    changes = {c.label: (c.old, c.new) for c in result.profile_changes}
    assert changes["Time zone"] == ("Europe/Kyiv", "Asia/Tokyo")
    assert changes["Sex"] == ("not set", "Female")
    assert changes["Birth year"] == ("not set", "1971")
    assert changes["Usual bedtime"] == ("not set", "22:30")
    assert "Flat feet" not in changes  # "unknown" in the file and in the profile: no change shown
    assert f"{len(document['episodes'])} new cramps" in html and "Asia/Tokyo" in html
    assert state(person) == before  # the preview is a read


def test_confirm_imports_once_and_a_second_press_adds_nothing(person_client, person, document):
    upload(person_client, document)
    token = PendingImport.objects.get(user=person).token
    response = confirm(person_client, token)
    assert f"Imported {len(document['episodes'])} cramps and {len(document['days'])} day logs" in (
        response.content.decode()
    )
    assert state(person) == (len(document["episodes"]), len(document["days"]), "Asia/Tokyo", "female", 1971)
    assert not PendingImport.objects.exists()

    again = confirm(person_client, token)
    assert "already done or cancelled" in again.content.decode()
    assert Episode.objects.count() == len(document["episodes"])


def test_a_second_upload_of_the_same_file_previews_everything_as_already_there(person_client, person, document):
    upload(person_client, document)
    confirm(person_client, PendingImport.objects.get().token)
    upload(person_client, document)
    result = person_client.get(reverse("diary:import_preview")).context["result"]
    assert (result.episodes_added, result.days_added) == (0, 0)
    assert (result.episodes_skipped, result.days_skipped) == (len(document["episodes"]), len(document["days"]))
    assert result.profile_changes == []


def test_cancel_forgets_the_file(person_client, person, document):
    before = state(person)
    upload(person_client, document)
    token = PendingImport.objects.get().token
    response = person_client.post(reverse("diary:import_cancel"), follow=True)
    assert "Import cancelled" in response.content.decode()
    assert not PendingImport.objects.exists()
    confirm(person_client, token)
    assert state(person) == before


def test_another_person_cannot_confirm_my_upload(client, person, other, document):
    client.force_login(person)
    upload(client, document)
    token = PendingImport.objects.get().token
    client.force_login(other)
    response = confirm(client, token)
    assert "already done or cancelled" in response.content.decode()
    assert Episode.objects.count() == 0 and DayLog.objects.count() == 0
    assert other.profile.timezone == "America/New_York"
    assert PendingImport.objects.filter(user=person, token=token).exists()  # still mine to confirm
    # Nor see its preview: theirs is empty.
    assert client.get(reverse("diary:import_preview"))["Location"] == reverse("diary:export")


def test_a_file_left_too_long_is_not_imported(person_client, person, document, settings):
    upload(person_client, document)
    pending = PendingImport.objects.get()
    pending.uploaded_at = timezone.now() - timedelta(seconds=settings.DIARY_IMPORT_PENDING_SECONDS + 1)
    pending.save()
    assert person_client.get(reverse("diary:import_preview")).status_code == 302
    confirm(person_client, pending.token)
    assert Episode.objects.count() == 0


def test_beat_forgets_files_nobody_confirmed_on_a_quiet_site(person_client, person, other, document, settings):
    from django.conf import settings as live
    from django.utils.module_loading import import_string

    upload(person_client, document)
    PendingImport.objects.filter(user=person).update(
        uploaded_at=timezone.now() - timedelta(seconds=settings.DIARY_IMPORT_PENDING_SECONDS + 1)
    )
    PendingImport.objects.create(user=other, raw=b"{}", summary={})  # just uploaded: kept
    entry = live.CELERY_BEAT_SCHEDULE["forget-unconfirmed-imports"]
    task = import_string(entry["task"])
    assert entry["schedule"] <= settings.DIARY_IMPORT_PENDING_SECONDS
    assert task() == 1  # what the worker runs (a real worker runs beat's tasks: tests/test_celery_worker.py)
    assert list(PendingImport.objects.values_list("user", flat=True)) == [other.pk]


def test_a_bad_token_is_refused_without_an_error(person_client, person, document):
    upload(person_client, document)
    response = person_client.post(reverse("diary:import_confirm"), {"token": "not-a-uuid"}, follow=True)
    assert response.status_code == 200 and "already done or cancelled" in response.content.decode()
    assert Episode.objects.count() == 0


def test_the_diary_changed_after_the_preview_refuses_at_confirm(person_client, person, document):
    upload(person_client, document)
    token = PendingImport.objects.get().token
    day = document["days"][2]["date"]
    day_log(person, date.fromisoformat(day), notes="saved in another tab")
    response = person_client.post(reverse("diary:import_confirm"), {"token": str(token)})
    assert response.status_code == 400
    assert f"You already keep a different day log for {day}" in response.content.decode()
    assert Episode.objects.count() == 0 and DayLog.objects.count() == 1
    person.profile.refresh_from_db()
    assert person.profile.timezone == "Europe/Kyiv"


def test_a_refused_file_lists_every_problem_at_once(person_client, person, document):
    """Schema problems, meaning problems and a clash with the diary, in one answer."""
    day_log(person, date.fromisoformat(document["days"][0]["date"]), notes="mine")
    document["episodes"][0]["intensity"] = 11  # schema
    document["episodes"][1]["started_at"] = "2099-10-02T02:40:00+03:00"  # meaning: future
    document["episodes"][2]["started_at"] = "2026-10-02T02:40:00"  # schema (format); once only
    document["days"][1]["stress"] = -1  # schema
    document["days"][2]["date"] = document["days"][3]["date"]  # meaning: twice the same date
    document["days"][4]["date"] = "2099-01-01"  # meaning: future
    raw = json.dumps(document).replace('"sleep_hours": 7.5', '"sleep_hours": NaN', 1).encode()  # days[0]
    before = state(person)
    response = upload(person_client, raw)
    assert response.status_code == 400
    problems = [str(p) for p in response.context["result"].problems]
    places = [p.split(":")[0] for p in problems]
    expected = {
        "episodes[0].intensity",
        "episodes[1].started_at",
        "episodes[2].started_at",
        "days[1].stress",
        "days[3].date",
        "days[4].date",
        "days[0]",
        "days[0].sleep_hours",
    }
    assert expected <= set(places), problems
    assert places.count("episodes[2].started_at") == 1
    assert state(person) == before and not PendingImport.objects.exists()


def test_a_hostile_value_does_not_hide_the_other_problems(person_client, person):
    doc = json.loads(EXAMPLE.read_text())
    doc["episodes"][0]["notes"] = "PLACEHOLDER"
    doc["episodes"][1]["muscle"] = "elbow"
    doc["profile"]["timezone"] = "Europe/Atlantis"
    raw = json.dumps(doc).replace('"PLACEHOLDER"', '"a\\u0000b"').encode()
    response = upload(person_client, raw)
    assert response.status_code == 400
    problems = [str(p) for p in response.context["result"].problems]
    assert problems[0].startswith("episodes[0].notes: Contains a NUL character")
    assert any(p.startswith("episodes[1].muscle: “elbow” is not a known code") for p in problems)
    assert "profile.timezone: “Europe/Atlantis” is not a known time zone." in problems


def test_preview_import_is_a_read(person, document):
    before = state(person)
    result = exchange.preview_import(person, json.dumps(document).encode())
    assert result.ok and result.episodes_added == len(document["episodes"])
    assert state(person) == before
