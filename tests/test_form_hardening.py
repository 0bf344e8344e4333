"""Form inputs that used to answer 500 (issue 11, items 8 and 9), through the real views.

The test client re-raises a view's exception, so each of these failed before the fix. They run
on SQLite and in CI's PostgreSQL pass, which refuses offsets of 16:00 and more.
"""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from diary.forms import DayLogForm
from diary.models import DayLog, Episode

CRAMP = {"leg": "right", "muscle": "calf", "intensity": "6"}


def cramp_errors(client, started_at: str) -> list[str]:
    response = client.post(reverse("diary:episode_new"), {**CRAMP, "started_at": started_at})
    assert response.status_code == 200
    assert not Episode.objects.exists()
    return response.context["form"].errors["started_at"]


class TestCrampTimes:
    def test_the_first_minute_of_year_one_east_of_utc(self, person_client):
        # Kyiv is UTC+2: 0001-01-01T00:00 there is before year 1 in UTC.
        assert cramp_errors(person_client, "0001-01-01T00:00") == ["Check the year."]

    def test_the_last_minute_of_9999_west_of_utc(self, client, other):
        client.force_login(other)  # New York, UTC-5: after 9999 in UTC
        assert cramp_errors(client, "9999-12-31T23:59") == ["Check the year."]

    @pytest.mark.parametrize("offset", ["+16:00", "-16:00", "+23:59", "+14:30"])
    def test_an_offset_no_zone_has(self, person_client, offset):
        assert cramp_errors(person_client, f"2026-10-01T01:00{offset}") == [
            "That UTC offset does not exist anywhere; offsets go from −12:00 to +14:00."
        ]

    def test_an_explicit_real_offset_is_stored_as_that_instant(self, person_client, person):
        response = person_client.post(reverse("diary:episode_new"), {**CRAMP, "started_at": "2026-10-01T01:00+14:00"})
        assert response.status_code == 302
        saved = Episode.objects.get(user=person)
        assert saved.started_at == datetime(2026, 9, 30, 11, 0, tzinfo=UTC)

    def test_explicit_year_one_with_an_offset(self, person_client):
        assert cramp_errors(person_client, "0001-01-01T00:00+05:00") == ["Check the year."]


class TestTwoDayLogsAtOnce:
    """Two submissions for the same new date: both pass the form's check, the database refuses one."""

    @pytest.fixture
    def racing(self, monkeypatch, person):
        """The other submission is saved right after this one's form was checked."""
        day = timezone.now().date() - timedelta(days=1)
        checked = DayLogForm.is_valid

        def is_valid_then_lose_the_race(form):
            valid = checked(form)
            DayLog.objects.create(user=person, date=day, notes="the other tab")
            return valid

        monkeypatch.setattr(DayLogForm, "is_valid", is_valid_then_lose_the_race)
        return day

    def test_the_second_gets_the_duplicate_message(self, person_client, person, racing):
        response = person_client.post(reverse("diary:day_log_new"), {"date": racing.isoformat(), "stress": "3"})
        assert response.status_code == 200
        assert response.context["form"].errors["date"] == [
            "You already have a day log for this date. Open it from the diary to change it."
        ]
        # The request's transaction is still usable after the refusal, and the first log is intact.
        assert list(DayLog.objects.filter(user=person).values_list("date", "notes")) == [(racing, "the other tab")]

    def test_an_edit_moved_onto_a_date_taken_meanwhile(self, person_client, person, racing):
        DayLog.objects.create(user=person, date=date(2026, 1, 1))
        url = reverse("diary:day_log_edit", args=[date(2026, 1, 1)])
        response = person_client.post(url, {"date": racing.isoformat()})
        assert response.status_code == 200
        assert "already have a day log" in response.content.decode()
        assert DayLog.objects.filter(user=person).count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_real_requests_for_the_same_new_date_at_once(make_user, monkeypatch):
    """Two threads, each with its own database connection, both pass the form's check before either saves."""
    import threading

    from django.db import connection
    from django.test import Client

    person = make_user()
    day = timezone.now().date() - timedelta(days=1)
    both_checked = threading.Barrier(2, timeout=10)
    checked = DayLogForm.is_valid

    def is_valid_then_wait(form):
        valid = checked(form)
        both_checked.wait()  # neither has saved yet
        return valid

    monkeypatch.setattr(DayLogForm, "is_valid", is_valid_then_wait)
    answers = []

    def submit(stress):
        client = Client()
        client.force_login(person)
        try:
            answers.append(client.post(reverse("diary:day_log_new"), {"date": day.isoformat(), "stress": stress}))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(str(n),)) for n in (3, 4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(r.status_code for r in answers) == [200, 302]
    refused = next(r for r in answers if r.status_code == 200)
    assert "You already have a day log for this date." in refused.content.decode()
    assert DayLog.objects.filter(user=person, date=day).count() == 1
