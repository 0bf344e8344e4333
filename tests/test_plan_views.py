"""The prevention plan pages: versions, switching items off, the schedule, tonight's routine, the feed."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from icalendar import Calendar

from diary.models import DayLog
from prevention.models import Plan, Schedule
from prevention.plan.services import ensure_plan, routine_adherence
from tests import factories
from tests.factories import day_log

KYIV = ZoneInfo("Europe/Kyiv")


def items_of(plan: Plan) -> list[str]:
    return [item["code"] for item in plan.items]


@pytest.mark.django_db
def test_the_plan_answers_the_assessment_and_a_new_one_makes_a_new_version(person_client, person):
    first = ensure_plan(person, date(2026, 11, 1))
    assert first.number == 1
    assert "bedtime_exercises" in items_of(first) and "doctor_medication_review" not in items_of(first)
    assert ensure_plan(person, date(2026, 11, 2)).pk == first.pk  # nothing changed: same version

    person.profile.medications = ["diuretic"]
    person.profile.save()
    # no cramp yet: no cause; a diuretic of unknown kind only makes the food item potassium-safe
    middle = ensure_plan(person, date(2026, 11, 3))
    assert "doctor_medication_review" not in items_of(middle) and "foods_potassium_caution" in items_of(middle)
    factories.episode(person, datetime(2026, 11, 2, 23, 0, tzinfo=UTC))
    second = ensure_plan(person, date(2026, 11, 3))
    assert second.number == middle.number + 1
    review = next(item for item in second.items if item["code"] == "doctor_medication_review")
    assert review["answers"] == ["medication"]
    content = person_client.get(reverse("prevention:plan")).content.decode()
    assert 'data-item="doctor_medication_review"' in content
    assert "medication review" in content.lower()
    history = person_client.get(reverse("prevention:plan_history")).content.decode()
    assert 'data-plan="1"' in history and 'data-plan="2"' in history
    old = person_client.get(reverse("prevention:plan_version", args=[1])).content.decode()
    assert 'data-item="doctor_medication_review"' not in old


@pytest.mark.django_db
def test_every_item_says_what_it_answers(person_client, person):
    person.profile.flat_feet = "yes"
    person.profile.save()
    content = person_client.get(reverse("prevention:plan")).content.decode()
    assert 'data-item="orthopaedic_check"' in content
    assert content.count("Answers:") == content.count('class="card mb-2 plan-item')
    assert "Flat feet or unsuitable shoes" in content


@pytest.mark.django_db
def test_an_item_can_be_switched_off_and_on(person_client, person):
    person_client.get(reverse("prevention:plan"))
    response = person_client.post(reverse("prevention:plan_item", args=["foot_massage"]), {"shown": "0"})
    assert response.status_code == 302
    assert Schedule.objects.get(user=person).hidden_items == ["foot_massage"]
    content = person_client.get(reverse("prevention:plan")).content.decode()
    assert 'data-item="foot_massage" data-off' in content
    assert 'data-item="foot_massage"' not in person_client.get(reverse("prevention:print")).content.decode()
    person_client.post(reverse("prevention:plan_item", args=["foot_massage"]), {"shown": "1"})
    assert Schedule.objects.get(user=person).hidden_items == []
    assert person_client.post(reverse("prevention:plan_item", args=["no_such_item"]), {"shown": "0"}).status_code == 404


@pytest.mark.django_db
def test_the_schedule_defaults_to_bedtime_and_can_be_changed(person_client, person):
    person.profile.bedtime = time(22, 45)
    person.profile.save()
    content = person_client.get(reverse("prevention:plan")).content.decode()
    assert "Every evening at 22:45" in content
    response = person_client.post(
        reverse("prevention:schedule"), {"weekdays": ["0", "2", "4"], "at": "21:30", "lead_minutes": "15"}
    )
    assert response.status_code == 302
    schedule = Schedule.objects.get(user=person)
    assert (schedule.weekdays, schedule.at, schedule.lead_minutes) == ([0, 2, 4], time(21, 30), 15)
    assert "Mon, Wed, Fri at 21:30" in person_client.get(reverse("prevention:plan")).content.decode()


@pytest.mark.django_db
def test_bad_schedule_input_gets_a_clear_message_and_changes_nothing(person_client, person):
    before = Schedule.objects.get_or_create(user=person)[0]
    response = person_client.post(
        reverse("prevention:schedule"), {"weekdays": ["9"], "at": "25:99", "lead_minutes": "7"}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Select a valid choice" in content and "Enter a valid time" in content
    after = Schedule.objects.get(user=person)
    assert (after.weekdays, after.at, after.lead_minutes) == (before.weekdays, before.at, before.lead_minutes)


@pytest.mark.django_db
def test_done_writes_the_evenings_day_log_like_the_diary_form(person_client, person, monkeypatch):
    # 00:40 on 5 Nov in Kyiv: still the evening of 4 Nov.
    late = datetime(2026, 11, 5, 0, 40, tzinfo=KYIV)
    monkeypatch.setattr("prevention.plan.views.local_now_for", lambda user: late)
    day_log(person, date(2026, 11, 4), exertion="hard", notes="kept")
    page = person_client.get(reverse("prevention:tonight")).content.decode()
    assert "Toe pulls" in page and 'data-exercise="prone_toe_hold"' in page
    assert person_client.post(reverse("prevention:tonight"), {"done": "1"}).status_code == 302
    log = DayLog.objects.get(user=person, date=date(2026, 11, 4))
    assert log.exercises_done and log.exertion == "hard" and log.notes == "kept"
    assert "data-done" in person_client.get(reverse("prevention:tonight")).content.decode()
    person_client.post(reverse("prevention:tonight"), {"done": "0"})
    assert not DayLog.objects.get(user=person, date=date(2026, 11, 4)).exercises_done


@pytest.mark.django_db
def test_done_on_an_evening_without_a_day_log_creates_one(person_client, person, monkeypatch):
    monkeypatch.setattr("prevention.plan.views.local_now_for", lambda user: datetime(2026, 11, 6, 22, 10, tzinfo=KYIV))
    person_client.post(reverse("prevention:tonight"), {"done": "1"})
    assert DayLog.objects.filter(user=person, date=date(2026, 11, 6), exercises_done=True).count() == 1


@pytest.mark.django_db
def test_a_tick_taken_back_leaves_no_empty_day_log(person_client, person, monkeypatch):
    monkeypatch.setattr("prevention.plan.views.local_now_for", lambda user: datetime(2026, 11, 6, 22, 10, tzinfo=KYIV))
    person_client.post(reverse("prevention:tonight"), {"done": "1"})
    person_client.post(reverse("prevention:tonight"), {"done": "0"})
    assert not DayLog.objects.filter(user=person).exists(), "an empty log would count as a night logged"
    # a log the person saved (even with nothing in it: a quiet night) stays, only unticked
    day_log(person, date(2026, 11, 6))
    DayLog.objects.filter(user=person).update(created_at=datetime(2026, 11, 6, 9, 0, tzinfo=KYIV))
    person_client.post(reverse("prevention:tonight"), {"done": "1"})
    person_client.post(reverse("prevention:tonight"), {"done": "0"})
    assert DayLog.objects.filter(user=person, date=date(2026, 11, 6), exercises_done=False).count() == 1


@pytest.mark.django_db
def test_a_zero_recorded_with_the_tick_is_an_answer_and_the_log_stays(person_client, person, monkeypatch):
    monkeypatch.setattr("prevention.plan.views.local_now_for", lambda user: datetime(2026, 11, 6, 22, 10, tzinfo=KYIV))
    person_client.post(reverse("prevention:tonight"), {"done": "1"})
    DayLog.objects.filter(user=person).update(stress=0, training_minutes=0)  # "no stress, no training"
    person_client.post(reverse("prevention:tonight"), {"done": "0"})
    kept = DayLog.objects.get(user=person, date=date(2026, 11, 6))
    assert (kept.stress, kept.training_minutes, kept.exercises_done) == (0, 0, False)


@pytest.mark.django_db
def test_adherence_on_the_dashboard(person_client, person):
    today = datetime.now(KYIV).date()
    for days_ago in (1, 2, 3, 5):
        day_log(person, today - timedelta(days=days_ago), exercises_done=True)
    adherence = routine_adherence(person, today)
    assert (adherence.streak, adherence.done_last_28) == (3, 4)
    content = person_client.get(reverse("diary:timeline")).content.decode()
    assert "Streak: 3 evenings in a row." in content
    assert "Last 4 weeks: done on 4 of 27 evenings." in content


@pytest.mark.django_db
def test_the_calendar_feed_is_the_routine_in_the_persons_zone(client, person):
    person.profile.bedtime = time(22, 30)
    person.profile.save()
    schedule = Schedule.objects.get_or_create(user=person)[0]
    schedule.weekdays, schedule.lead_minutes = [0, 1, 2, 3, 4], 20
    schedule.save()
    response = client.get(reverse("prevention:feed", args=[schedule.feed_token]))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    (event,) = calendar.walk("VEVENT")
    start = event.decoded("DTSTART")
    assert (start.hour, start.minute, str(start.tzinfo)) == (22, 30, "Europe/Kyiv")
    assert event["RRULE"]["BYDAY"] == ["MO", "TU", "WE", "TH", "FR"]
    (alarm,) = event.walk("VALARM")
    assert alarm.decoded("TRIGGER") == -timedelta(minutes=20)
    assert calendar.walk("VTIMEZONE")


@pytest.mark.django_db
def test_the_print_page_has_no_navigation_and_a_four_week_grid(person_client):
    content = person_client.get(reverse("prevention:print")).content.decode()
    assert "<nav" not in content
    assert content.count('<span class="box">') == 28
    assert "Toe pulls" in content


@pytest.mark.django_db
def test_deleting_the_account_removes_assessments_plans_schedule_and_reminders(person):
    from diary.services import delete_account
    from prevention.models import Reminder, Snapshot

    ensure_plan(person, date(2026, 11, 1))
    Reminder.objects.create(
        user=person,
        evening=date(2026, 11, 1),
        due_at=datetime(2026, 11, 1, 20, tzinfo=KYIV),
        deadline=datetime(2026, 11, 1, 23, tzinfo=KYIV),
    )
    assert Snapshot.objects.filter(user=person).exists() and Schedule.objects.filter(user=person).exists()
    delete_account(person)
    for model in (Snapshot, Plan, Schedule, Reminder):
        assert not model.objects.exists(), model


@pytest.mark.django_db
def test_everything_else_exports_as_json_for_its_owner_only(client, make_user):
    import json
    from datetime import UTC

    from prevention.models import Reminder
    from prevention.plan.services import ensure_schedule

    owner = make_user(email="owner@example.com", bedtime=time(23, 0))
    other = make_user(email="someone@example.com")
    ensure_plan(owner, date(2026, 10, 3))
    ensure_plan(other, date(2026, 10, 3))
    Reminder.objects.create(
        user=owner,
        evening=date(2026, 10, 2),
        status=Reminder.Status.SENT,
        due_at=datetime(2026, 10, 2, 19, 30, tzinfo=UTC),
        deadline=datetime(2026, 10, 2, 22, tzinfo=UTC),
        sent_at=datetime(2026, 10, 2, 19, 30, 5, tzinfo=UTC),
        attempts=1,
    )
    schedule = ensure_schedule(owner)
    schedule.hidden_items = ["foot_massage"]
    schedule.save()

    client.force_login(owner)
    response = client.get(reverse("prevention:export_json"))
    assert response["Content-Disposition"].startswith('attachment; filename="cramps-plans-and-reminders-')
    assert response["Cache-Control"] == "no-store"
    document = json.loads(response.content)
    assert (document["format"], document["version"]) == ("cramps-prevention-export", 1)
    assert document["account"]["email"] == "owner@example.com"
    assert document["routine_schedule"]["plan_items_switched_off"] == ["foot_massage"]
    assert document["routine_schedule"]["evenings"] == [0, 1, 2, 3, 4, 5, 6]
    assert "feed_token" not in json.dumps(document) and schedule.feed_token not in response.content.decode()
    assert document["reminders"] == [
        {
            "evening": "2026-10-02",
            "status": "sent",
            "due_at": "2026-10-02T19:30:00+00:00",
            "sent_at": "2026-10-02T19:30:05+00:00",
            "attempts": 1,
            "error": "",
        }
    ]
    assert len(document["assessments"]) == 1 and document["assessments"][0]["assessment"]["rules_version"]
    assert [p["version"] for p in document["plans"]] == [1]
    assert "someone@example.com" not in response.content.decode()

    client.logout()
    assert client.get(reverse("prevention:export_json")).status_code == 302  # to sign in
