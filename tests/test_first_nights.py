"""Issue 14, "What a new user met": the rough edges of the first nights, one test each."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from prevention.assessment.document import sentence
from prevention.assessment.facts import Finding
from tests.conftest import PASSWORD, sign_in
from tests.factories import day_log, episode

KYIV = ZoneInfo("Europe/Kyiv")


@pytest.mark.django_db
def test_a_new_account_is_not_told_done_on_0_of_27_evenings(person_client):
    content = person_client.get(reverse("diary:timeline")).content.decode()
    assert "done on 0 of" not in content
    assert "Streak: 0" not in content
    assert "No evening ticked yet" in content


@pytest.mark.django_db
def test_the_sign_in_message_names_the_address_and_no_welcome_back(client, person):
    response = sign_in(client, person.email, PASSWORD)
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert not any("Successfully signed in" in t for t in texts)
    assert f"You are signed in as {person.email}." in texts and "Welcome back" not in " ".join(texts)


@pytest.mark.django_db
def test_one_logged_day_is_singular(person_client, person):
    today = datetime.now(KYIV).date()
    day_log(person, today - timedelta(days=1))
    episode(person, datetime.now(KYIV) - timedelta(days=1, hours=-1))
    content = person_client.get(reverse("prevention:assessment")).content.decode()
    assert "1 logged day," in content and "1 cramp." in content
    assert "1 logged days" not in content and "1 cramps" not in content
    history = person_client.get(reverse("prevention:history")).content.decode()
    assert "1 logged day" in history and "1 logged days" not in history


def test_a_prolonged_cramp_of_whole_minutes_drops_zero_seconds():
    params = {"count": 1, "dates": ["2026-10-02"], "minutes": 15, "seconds": 0}
    text = sentence(Finding("flag-prolonged", params))
    assert text.endswith("lasted 15 min.") and "0 s" not in text


@pytest.mark.django_db
def test_a_negative_duration_gets_a_clear_message_not_a_bare_limit(person_client):
    from tests.test_diary_views import post_data_from

    form = person_client.get(reverse("diary:episode_new")).context["form"]
    data = {**post_data_from(form), "duration_minutes": "-5"}
    response = person_client.post(reverse("diary:episode_new"), data)
    assert response.status_code == 200
    (error,) = response.context["form"].errors["duration_minutes"]
    assert "0.02" not in error and "more than 0" in error


@pytest.mark.django_db
def test_the_notes_limit_is_said_before_and_after(person_client):
    from tests.test_diary_views import post_data_from

    page = person_client.get(reverse("diary:episode_new"))
    content = page.content.decode()
    assert 'maxlength="2000"' in content and "Up to 2000 characters." in content
    data = {**post_data_from(page.context["form"]), "notes": "x" * 30000}
    response = person_client.post(reverse("diary:episode_new"), data)
    (error,) = response.context["form"].errors["notes"]
    assert "at most 2000 characters" in error
    today = datetime.now(KYIV).date().isoformat()
    day_page = person_client.get(reverse("diary:day_log_new") + "?date=" + today).content.decode()
    assert "Up to 2000 characters." in day_page


@pytest.mark.django_db
def test_the_profile_needs_only_the_time_zone(person_client, person):
    content = person_client.get(reverse("diary:profile")).content.decode()
    assert "Only the time zone is needed." in content
    response = person_client.post(reverse("diary:profile"), {"timezone": "Europe/Kyiv"})
    assert response.status_code == 302, response.context["form"].errors
    person.profile.refresh_from_db()
    assert person.profile.flat_feet == "unknown"


@pytest.mark.django_db
def test_future_calendar_days_are_not_links(person_client):
    today = datetime.now(KYIV).date()
    tomorrow = today + timedelta(days=1)
    month = f"?month={tomorrow:%Y-%m}"
    content = person_client.get(reverse("diary:calendar") + month).content.decode()
    assert reverse("diary:day", args=[tomorrow]) not in content
    assert "cal-future" in content
    this_month = person_client.get(reverse("diary:calendar")).content.decode()
    assert reverse("diary:day", args=[today]) in this_month


@pytest.mark.django_db
def test_csv_exports_start_with_a_bom_and_write_booleans_as_yes_no(person_client, person):
    import csv
    import io

    today = datetime.now(KYIV).date()
    day_log(person, today, exercises_done=True, massage_done=False)
    episode(person, datetime.now(KYIV) - timedelta(hours=1))
    for name in ("diary:export_days_csv", "diary:export_episodes_csv"):
        body = person_client.get(reverse(name)).content
        assert body.startswith("\ufeff".encode()), name
    body = person_client.get(reverse("diary:export_days_csv")).content.decode("utf-8-sig")
    (row,) = csv.DictReader(io.StringIO(body))
    assert (row["exercises_done"], row["massage_done"]) == ("yes", "no")
    assert "True" not in body and "False" not in body


def test_the_worker_logs_printed_reminder_e_mails_at_info_not_warning():
    from cramps.celery import app

    assert app.conf.worker_redirect_stdouts_level == "INFO"


@pytest.mark.django_db
def test_changing_a_day_logs_date_is_explained_before_and_after(person_client, person):
    from diary.models import DayLog
    from tests.test_diary_views import post_data_from

    today = datetime.now(KYIV).date()
    was, now = today - timedelta(days=3), today - timedelta(days=2)
    day_log(person, was, exercises_done=True)
    page = person_client.get(reverse("diary:day_log_edit", args=[was]))
    assert "Changing the date moves this whole day log" in page.content.decode()
    data = {**post_data_from(page.context["form"]), "date": now.isoformat()}
    response = person_client.post(reverse("diary:day_log_edit", args=[was]), data, follow=True)
    texts = [str(m) for m in response.context["messages"]]
    assert any(t.startswith("Day log moved from ") and f"{now.day} " in t for t in texts), texts
    assert DayLog.objects.get(user=person).date == now
    new_page = person_client.get(reverse("diary:day_log_new") + f"?date={today.isoformat()}").content.decode()
    assert "Changing the date moves" not in new_page


@pytest.mark.django_db
@pytest.mark.parametrize("clock, evening_back", [("02:30", 1), ("04:59", 1), ("05:00", 0), ("23:10", 0)])
def test_todays_day_log_at_night_is_the_evening_before(person_client, monkeypatch, clock, evening_back):
    hour, minute = map(int, clock.split(":"))
    now = datetime(2026, 11, 10, hour, minute, tzinfo=KYIV)
    monkeypatch.setattr("diary.services.local_now_for", lambda user: now)
    form = person_client.get(reverse("diary:day_log_new")).context["form"]
    assert form.initial["date"] == now.date() - timedelta(days=evening_back)


def test_the_diary_and_the_plan_share_one_night_boundary():
    from diary import attribution
    from prevention.plan import schedule

    assert schedule.EVENING_ENDS == attribution.EVENING_ENDS
    moment = datetime(2026, 11, 10, 3, 0)
    assert schedule.evening_of(moment) == attribution.evening_of(moment)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "at, ok",
    [
        ("05:00", False),
        ("06:00", False),
        ("11:59", False),
        ("12:00", True),
        ("21:30", True),
        ("00:30", True),
        ("04:59", True),
    ],
)
def test_morning_routine_times_are_refused_with_a_clear_message(person_client, at, ok):
    from prevention.models import Schedule

    response = person_client.post(reverse("prevention:schedule"), {"weekdays": ["0"], "at": at, "lead_minutes": "0"})
    if ok:
        assert response.status_code == 302
        assert Schedule.objects.get().at.strftime("%H:%M") == at
    else:
        assert response.status_code == 200
        (error,) = response.context["form"].errors["at"]
        assert "evening or at night" in error and "12:00" in error


@pytest.mark.django_db
def test_account_e_mails_greet_from_cramps_not_from_the_host_and_port(client, person):
    from django.core import mail

    client.post(reverse("account_reset_password"), {"email": person.email}, HTTP_HOST="127.0.0.1:8101")
    (message,) = mail.outbox
    assert "Hello from cramps, your leg-cramp diary." in message.body
    assert "Hello from 127.0.0.1" not in message.body


@pytest.mark.django_db
def test_a_tick_on_an_unscheduled_evening_still_starts_the_record(person_client, person):
    from prevention.models import Schedule

    today = datetime.now(KYIV).date()
    Schedule.objects.update_or_create(user=person, defaults={"weekdays": [(today.weekday() + 1) % 7]})
    day_log(person, today, exercises_done=True)
    content = person_client.get(reverse("diary:timeline")).content.decode()
    assert "No evening ticked yet" not in content and "Streak: 0 evenings in a row." in content


@pytest.mark.django_db
def test_a_paused_routine_is_not_done_on_0_of_0_evenings(person_client, person):
    from prevention.models import Schedule

    today = datetime.now(KYIV).date()
    Schedule.objects.update_or_create(user=person, defaults={"weekdays": []})
    day_log(person, today - timedelta(days=2), exercises_done=True)
    content = person_client.get(reverse("diary:timeline")).content.decode()
    assert "of 0 evenings" not in content
    assert "No evening was scheduled for the routine in the last 4 weeks." in content
