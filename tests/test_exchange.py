import copy
import csv
import io
import json
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from jsonschema import Draft202012Validator, FormatChecker

from diary import exchange
from diary.models import DayLog, Episode
from tests.factories import day_log, episode

ROOT = Path(__file__).resolve().parent.parent
SHARED_SPEC = ROOT.parent / "shared" / "spec"
EXAMPLE = ROOT / "tests" / "data" / "runner-three-weeks.json"
KYIV = ZoneInfo("Europe/Kyiv")


def without_stamp(document: dict) -> dict:
    return {k: v for k, v in document.items() if k != "exported_at"}


def valid(document: dict) -> bool:
    return not list(Draft202012Validator(exchange.schema(), format_checker=FormatChecker()).iter_errors(document))


@pytest.fixture
def full_diary(person):
    profile = person.profile
    profile.bedtime = datetime(2026, 1, 1, 22, 30).time()
    profile.sex = "female"
    profile.birth_year = 1970
    profile.flat_feet = "yes"
    profile.conditions = ["varicose_veins"]
    profile.medications = ["statin"]
    profile.save()
    episode(
        person,
        datetime(2026, 10, 3, 2, 40, tzinfo=KYIV),
        intensity=7,
        duration_seconds=95,
        relieved_by=["stretching", "massage"],
        notes="=SUM(A1) woke me",
    )
    episode(person, datetime(2026, 10, 3, 4, 5, tzinfo=KYIV), leg="left", muscle="foot", context="")
    episode(person, datetime(2026, 10, 25, 3, 30, fold=1, tzinfo=KYIV), intensity=3)  # the repeated DST hour
    day_log(
        person,
        date(2026, 10, 2),
        exertion="hard",
        training_minutes=60,
        standing_hours=8.5,
        footwear="sports",
        cold_exposure=True,
        heavy_sweating=True,
        fluid_litres=1.2,
        stress=6,
        sleep_hours=6.5,
        foods=["dairy", "banana"],
        exercises_done=True,
        massage_done=False,
        symptoms=["leg_swelling"],
        notes="long run",
    )
    day_log(person, date(2026, 10, 3))
    return person


def test_schema_copy_matches_the_shared_spec():
    if not SHARED_SPEC.exists():
        pytest.skip("../shared/spec is not beside this checkout")
    for name in ("diary-export.schema.json", "assessment.schema.json"):
        assert json.loads((SHARED_SPEC / name).read_text()) == json.loads((ROOT / "diary" / "spec" / name).read_text())


def test_export_conforms_to_the_schema(full_diary):
    document = exchange.export_document(full_diary)
    assert valid(document)
    assert document["episodes"][0]["started_at"] == "2026-10-03T02:40:00+03:00"
    assert document["episodes"][2]["started_at"] == "2026-10-25T03:30:00+02:00"
    assert "context" not in document["episodes"][1]
    assert document["days"][0]["standing_hours"] == 8.5
    assert document["profile"] == {
        "timezone": "Europe/Kyiv",
        "bedtime": "22:30",
        "sex": "female",
        "birth_year": 1970,
        "pregnant": False,
        "pregnancy_week": None,
        "flat_feet": "yes",
        "conditions": ["varicose_veins"],
        "medications": ["statin"],
    }


def test_export_import_export_gives_the_same_document(full_diary, make_user):
    first = exchange.export_document(full_diary)
    newcomer = make_user(email="new@example.com", timezone="UTC")
    result = exchange.import_document(newcomer, json.dumps(first).encode())
    assert result.ok, result.problems
    assert (result.episodes_added, result.days_added) == (3, 2)
    assert without_stamp(exchange.export_document(newcomer)) == without_stamp(first)
    mine = Episode.objects.filter(user=newcomer).order_by("started_at")
    assert [e.day for e in mine] == [date(2026, 10, 2), date(2026, 10, 3), date(2026, 10, 24)]


def test_importing_the_same_file_twice_adds_nothing_twice(person):
    raw = EXAMPLE.read_bytes()
    first = exchange.import_document(person, raw)
    assert first.ok and first.episodes_added > 0 and first.days_added > 0
    counts = (Episode.objects.count(), DayLog.objects.count())
    second = exchange.import_document(person, raw)
    assert second.ok
    assert (second.episodes_added, second.days_added) == (0, 0)
    assert (second.episodes_skipped, second.days_skipped) == (first.episodes_added, first.days_added)
    assert (Episode.objects.count(), DayLog.objects.count()) == counts


def test_two_cramps_logged_in_the_same_minute_both_survive_a_move(person, make_user):
    # "Another one? Log it the same way": the same start, leg and muscle twice is two cramps.
    started = datetime(2026, 10, 3, 2, 40, tzinfo=UTC)
    for intensity in (6, 8):
        episode(person, started, leg="left", muscle="calf", intensity=intensity)
    document = exchange.export_document(person)
    newcomer = make_user(email="moved@example.com", timezone="UTC")
    result = exchange.import_document(newcomer, json.dumps(document).encode())
    assert result.ok and (result.episodes_added, result.episodes_skipped) == (2, 0)
    assert sorted(Episode.objects.filter(user=newcomer).values_list("intensity", flat=True)) == [6, 8]
    again = exchange.import_document(newcomer, json.dumps(document).encode())
    assert (again.episodes_added, again.episodes_skipped) == (0, 2)
    assert Episode.objects.filter(user=newcomer).count() == 2


def test_the_shared_example_imports_with_night_attribution(person):
    result = exchange.import_document(person, EXAMPLE.read_bytes())
    assert result.ok
    document = json.loads(EXAMPLE.read_text())
    assert Episode.objects.filter(user=person).count() == len(document["episodes"])
    first = Episode.objects.filter(user=person).order_by("started_at").first()
    assert first.day == date(2026, 10, 1)  # 02:40 during sleep on 2 Oct belongs to the evening of 1 Oct


def problems_for(person, document) -> list[str]:
    raw = document if isinstance(document, bytes) else json.dumps(document).encode()
    result = exchange.import_document(person, raw)
    assert not result.ok
    return [str(p) for p in result.problems]


@pytest.fixture
def document():
    return json.loads(EXAMPLE.read_text())


class TestImportProblems:
    def test_broken_json_says_where(self, person):
        (problem,) = problems_for(person, b'{"format": "cramps-diary",\n "version": 1,,}')
        assert problem.startswith("line 2, column") and "not valid JSON" in problem

    def test_not_text(self, person):
        assert "not UTF-8" in problems_for(person, b"\xff\xfe\x00garbage")[0]

    def test_every_problem_has_its_place(self, person, document):
        document["episodes"][0]["intensity"] = 11
        document["episodes"][1]["muscle"] = "elbow"
        del document["episodes"][2]["leg"]
        document["days"][3]["foods"] = ["pizza"]
        document["days"][4]["stress"] = -1
        problems = problems_for(person, document)
        assert "episodes[0].intensity: 11 is too large; the most allowed is 10." in problems
        assert any(p.startswith("episodes[1].muscle: “elbow” is not a known code") for p in problems)
        assert "episodes[2]: “leg” is missing." in problems
        assert any(p.startswith("days[3].foods[0]: “pizza”") for p in problems)
        assert any(p.startswith("days[4].stress: -1 is too small") for p in problems)
        assert len(problems) == 5
        assert not Episode.objects.exists() and not DayLog.objects.exists()

    def test_wrong_format_and_version(self, person, document):
        document["format"] = "something-else"
        document["version"] = 2
        problems = problems_for(person, document)
        assert any(p.startswith("format: must be") for p in problems)
        assert any(p.startswith("version: must be 2") is False and p.startswith("version") for p in problems)

    def test_times_without_offset_and_bad_dates(self, person, document):
        document["episodes"][0]["started_at"] = "2026-10-02T02:40:00"
        document["days"][0]["date"] = "2026-02-31"
        problems = problems_for(person, document)
        assert any(p.startswith("episodes[0].started_at:") and "UTC offset" in p for p in problems)
        assert any(p.startswith("days[0].date:") for p in problems)

    def test_future_and_duplicate_dates(self, person, document):
        document["episodes"][0]["started_at"] = "2099-10-02T02:40:00+03:00"
        document["days"][1]["date"] = document["days"][0]["date"]
        document["days"][2]["date"] = "2099-01-01"
        problems = problems_for(person, document)
        assert "episodes[0].started_at: This cramp starts in the future." in problems
        assert any(p.startswith("days[1].date: A second day log for") for p in problems)
        assert "days[2].date: This day log is for a future date." in problems

    def test_unknown_time_zone(self, person, document):
        document["profile"]["timezone"] = "Europe/Atlantis"
        assert problems_for(person, document) == ["profile.timezone: “Europe/Atlantis” is not a known time zone."]

    @pytest.mark.parametrize("name", ["localtime", "Factory"])
    def test_a_tz_database_name_that_is_no_place_is_refused(self, person, document, name):
        # "localtime" would be whatever zone the server is in
        document["profile"]["timezone"] = name
        assert problems_for(person, document) == [f"profile.timezone: “{name}” is not a known time zone."]

    def test_a_different_day_log_for_an_existing_date_changes_nothing(self, person, document):
        day_log(person, date.fromisoformat(document["days"][5]["date"]), notes="mine")
        person.profile.timezone = "Asia/Tokyo"
        person.profile.save()
        problems = problems_for(person, document)
        assert problems == [
            f"days[5]: You already keep a different day log for {document['days'][5]['date']}. "
            "Change or delete it first."
        ]
        assert DayLog.objects.get(user=person).notes == "mine"
        assert not Episode.objects.exists()
        person.profile.refresh_from_db()
        assert person.profile.timezone == "Asia/Tokyo"  # the profile was not replaced either


class TestImportPage:
    def test_upload_imports_and_reports(self, person_client, person):
        upload = SimpleUploadedFile("diary.json", EXAMPLE.read_bytes(), content_type="application/json")
        response = person_client.post(reverse("diary:import"), {"file": upload}, follow=True)
        assert "Check the import" in response.content.decode()
        assert not Episode.objects.filter(user=person).exists()
        token = response.context["token"]
        response = person_client.post(reverse("diary:import_confirm"), {"token": str(token)}, follow=True)
        assert "Imported" in response.content.decode()
        assert Episode.objects.filter(user=person).exists()

    def test_problems_are_listed_on_the_page(self, person_client, document):
        document["episodes"][0]["intensity"] = 11
        upload = SimpleUploadedFile("diary.json", json.dumps(document).encode(), content_type="application/json")
        response = person_client.post(reverse("diary:import"), {"file": upload})
        assert response.status_code == 400
        html = response.content.decode()
        assert "Nothing was imported" in html and "episodes[0].intensity" in html

    def test_a_huge_upload_is_refused_with_a_clear_message(self, person_client, settings):
        big = SimpleUploadedFile("big.json", b" " * (50 * 1024 * 1024), content_type="application/json")
        response = person_client.post(reverse("diary:import"), {"file": big})
        assert response.status_code == 400
        assert "the limit is 5.0 MB" in response.content.decode()
        assert not Episode.objects.exists()

    def test_no_file(self, person_client):
        response = person_client.post(reverse("diary:import"), {})
        assert "This field is required" in response.content.decode()


class TestDownloads:
    def testjson_download(self, person_client, full_diary):
        response = person_client.get(reverse("diary:export_json"))
        assert response["Content-Disposition"].startswith('attachment; filename="cramps-diary-')
        assert without_stamp(json.loads(response.content)) == without_stamp(exchange.export_document(full_diary))

    def test_episode_csv(self, person_client, full_diary):
        response = person_client.get(reverse("diary:export_episodes_csv"))
        rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert len(rows) == 3
        assert rows[0]["started_at"] == "2026-10-03T02:40:00+03:00" and rows[0]["diary_day"] == "2026-10-02"
        assert rows[0]["relieved_by"] == "stretching;massage"
        assert rows[0]["notes"] == "'=SUM(A1) woke me"  # no formula injection

    def test_day_csv(self, person_client, full_diary):
        response = person_client.get(reverse("diary:export_days_csv"))
        rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert [r["date"] for r in rows] == ["2026-10-02", "2026-10-03"]
        assert rows[0]["foods"] == "dairy;banana" and rows[0]["standing_hours"] == "8.5"


def test_import_of_an_app_export_keeps_other_people_apart(full_diary, other):
    exchange.import_document(other, json.dumps(exchange.export_document(full_diary)).encode())
    assert Episode.objects.filter(user=full_diary).count() == Episode.objects.filter(user=other).count() == 3


@pytest.mark.parametrize(
    "zone, local",
    [
        ("Europe/Kyiv", datetime(1910, 5, 1, 3, 0)),  # +02:02:04, Kyiv's local mean time until 1924
        ("Africa/Monrovia", datetime(1971, 6, 1, 9, 15)),  # -00:44:30 until 1972
        ("Europe/Kyiv", datetime(2026, 10, 3, 2, 40)),  # a whole-minute offset stays local
    ],
)
def test_an_old_cramp_exports_as_rfc_3339_and_imports_again(person, other, zone, local):
    person.profile.timezone = zone
    person.profile.save()
    cramp = episode(person, local.replace(tzinfo=ZoneInfo(zone)), notes="old")
    document = exchange.export_document(person)
    assert valid(document), document["episodes"]
    text = document["episodes"][0]["started_at"]
    assert datetime.fromisoformat(text) == cramp.started_at
    assert text.endswith("+00:00") == (local.year < 2000)
    result = exchange.import_document(other, json.dumps(document).encode())
    assert result.ok, result.problems
    assert Episode.objects.get(user=other).started_at == cramp.started_at


def test_null_numbers_round_trip(person):
    doc = {
        "format": "cramps-diary",
        "version": 1,
        "profile": {"timezone": "UTC"},
        "episodes": [
            {
                "started_at": "2026-10-01T01:00:00Z",
                "leg": "left",
                "muscle": "calf",
                "intensity": 2,
                "duration_seconds": None,
            }
        ],
        "days": [{"date": "2026-10-01", "stress": None, "fluid_litres": None}],
    }
    result = exchange.import_document(person, json.dumps(doc).encode())
    assert result.ok, result.problems
    exported = exchange.export_document(person)
    assert valid(exported)
    assert exported["episodes"][0]["duration_seconds"] is None and exported["days"][0]["stress"] is None
    assert copy.deepcopy(exported["episodes"][0]["started_at"]) == "2026-10-01T01:00:00+00:00"


def test_lower_case_rfc3339_and_odd_dates(person, document):
    document["episodes"][0]["started_at"] = "2026-10-02t02:40:00z"
    document["days"][0]["date"] = "0001-01-01"
    problems = problems_for(person, document)
    assert problems == ["days[0].date: Check the year."]
    document["days"][0]["date"] = "2026-09-01"
    assert exchange.import_document(person, json.dumps(document).encode()).ok
    assert Episode.objects.filter(user=person, started_at=datetime(2026, 10, 2, 2, 40, tzinfo=ZoneInfo("UTC"))).exists()


def test_pregnancy_week_without_pregnancy_is_dropped(person, document):
    document["profile"].update({"pregnant": False, "pregnancy_week": 30})
    assert exchange.import_document(person, json.dumps(document).encode()).ok
    person.profile.refresh_from_db()
    assert person.profile.pregnancy_week is None


def test_a_second_export_shows_the_profile_as_it_is_now(full_diary):
    """The profile's part was once memoized per profile (a stray @cache): a changed profile exported as before."""
    assert exchange.export_document(full_diary)["profile"]["sex"] == "female"
    full_diary.profile.sex = "male"
    full_diary.profile.save()
    assert exchange.export_document(full_diary)["profile"]["sex"] == "male"


def test_a_box_sent_twice_is_kept_once_so_the_export_still_imports(person, person_client, other):
    profile = {"timezone": "Europe/Kyiv", "conditions": ["diabetes", "diabetes"], "language": "en"}
    assert person_client.post(reverse("diary:profile"), profile).status_code == 302
    day = {"date": "2026-10-01", "foods": ["dill", "dill"], "symptoms": ["dark_urine", "dark_urine"]}
    assert person_client.post(reverse("diary:day_log_new"), day).status_code == 302
    cramp = {"started_at": "2026-10-02T02:40", "leg": "left", "muscle": "calf", "intensity": "5"}
    assert (
        person_client.post(reverse("diary:episode_new"), {**cramp, "relieved_by": ["heat", "heat"]}).status_code == 302
    )
    person.refresh_from_db()
    assert person.profile.conditions == ["diabetes"]
    assert DayLog.objects.get(user=person).foods == ["dill"]
    assert Episode.objects.get(user=person).relieved_by == ["heat"]
    document = exchange.export_document(person)
    assert valid(document)
    assert exchange.import_document(other, json.dumps(document).encode()).ok


def test_the_first_hour_of_1900_in_kyiv_exports_and_imports_again(person, other):
    person.profile.timezone = "Europe/Kyiv"
    person.profile.save()
    episode(person, datetime(1900, 1, 1, 1, 0, tzinfo=KYIV))  # 1899-12-31 22:57:56 UTC: Kyiv was +02:02:04
    document = exchange.export_document(person)
    assert document["episodes"][0]["started_at"].startswith("1899-12-31T22:57:56")
    result = exchange.import_document(other, json.dumps(document).encode())
    assert result.ok, result.problems


def test_a_day_logged_before_a_move_west_is_no_future_day_in_the_file(person, other):
    """Logged today in Kiritimati (UTC+14), then the zone moved to Pago Pago (UTC-11): that date
    is still tomorrow there; the file cannot say where it was logged, so the import takes it."""
    kiritimati_today = datetime.now(ZoneInfo("Pacific/Kiritimati")).date()
    person.profile.timezone = "Pacific/Pago_Pago"
    person.profile.save()
    day_log(person, kiritimati_today, notes="logged in Kiritimati")
    result = exchange.import_document(other, json.dumps(exchange.export_document(person)).encode())
    assert result.ok, result.problems
    assert DayLog.objects.get(user=other).date == kiritimati_today
