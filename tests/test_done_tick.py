"""Issue 14, item 3: "Done" pressed at 05:58 ticked an evening that had not happened.

The night rule for a tick (diary.attribution.routine_evening_of): until noon, "Done" is the night
just passed; the tonight page and the e-mail's Done link both follow it and say which evening.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from diary.attribution import NIGHT_ENDS, routine_evening_of
from diary.models import DayLog
from prevention.reminders.links import done_token

KYIV = ZoneInfo("Europe/Kyiv")
MONDAY, TUESDAY = date(2026, 11, 9), date(2026, 11, 10)


def at(clock: str) -> datetime:
    hour, minute = map(int, clock.split(":"))
    return datetime(2026, 11, 10, hour, minute, tzinfo=KYIV)  # a Tuesday


@pytest.mark.parametrize(
    "clock, evening",
    [
        ("00:40", MONDAY),
        ("04:59", MONDAY),
        ("05:58", MONDAY),
        ("11:59", MONDAY),
        ("12:00", TUESDAY),
        ("22:10", TUESDAY),
    ],
)
def test_a_tick_before_noon_is_the_night_just_passed(clock, evening):
    assert NIGHT_ENDS.hour == 12
    assert routine_evening_of(at(clock)) == evening


@pytest.fixture
def at_0558(monkeypatch):
    now = at("05:58")
    monkeypatch.setattr("prevention.plan.views.local_now_for", lambda user: now)
    monkeypatch.setattr("prevention.reminders.views.local_now_for", lambda user: now)
    return now


@pytest.mark.django_db
def test_done_at_0558_ticks_the_evening_before_and_the_page_says_so(person_client, person, at_0558):
    page = person_client.get(reverse("prevention:tonight")).content.decode()
    assert "the night just passed: the evening of Monday, 9 November" in page
    assert 'name="evening" value="2026-11-09"' in page
    response = person_client.post(reverse("prevention:tonight"), {"done": "1", "evening": "2026-11-09"})
    assert response.status_code == 302
    assert DayLog.objects.get(user=person, date=MONDAY).exercises_done
    assert not DayLog.objects.filter(user=person, date=TUESDAY).exists()
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert texts == ["Well done: the routine of Monday, 9 November is in your diary."]
    assert (
        "Done for the evening of Monday, 9 November."
        in person_client.get(reverse("prevention:tonight")).content.decode()
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "clock, said",
    [
        ("00:40", "“Done” ticks the evening of Monday, 9 November."),  # still that night
        ("05:58", "the night just passed: the evening of Monday, 9 November."),
        ("11:59", "the night just passed: the evening of Monday, 9 November."),
        ("12:00", "“Done” ticks the evening of Tuesday, 10 November."),
    ],
)
def test_the_page_says_which_evening_done_ticks(person_client, monkeypatch, clock, said):
    monkeypatch.setattr("prevention.plan.views.local_now_for", lambda user: at(clock))
    page = person_client.get(reverse("prevention:tonight")).content.decode()
    assert said in page
    assert ("night just passed" in page) == (said.startswith("the night"))


@pytest.mark.django_db
@pytest.mark.parametrize("posted", ["2026-11-10", "2026-11-20", "2026-11-07", "yesterday", "2026-02-30"])
def test_done_for_an_evening_to_come_or_not_shown_is_refused_with_a_message(person_client, person, at_0558, posted):
    response = person_client.post(reverse("prevention:tonight"), {"done": "1", "evening": posted})
    assert response.status_code == 302
    assert not DayLog.objects.filter(user=person).exists()
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert texts == ["That evening cannot be ticked here. Tick it in its day log instead."]


@pytest.mark.django_db
def test_a_page_left_open_across_noon_ticks_the_evening_it_showed(person_client, person, monkeypatch):
    monkeypatch.setattr("prevention.plan.views.local_now_for", lambda user: at("12:01"))
    person_client.post(reverse("prevention:tonight"), {"done": "1", "evening": "2026-11-09"})
    assert DayLog.objects.get(user=person, date=MONDAY).exercises_done
    assert not DayLog.objects.filter(user=person, date=TUESDAY).exists()


@pytest.mark.django_db
def test_the_e_mails_done_link_at_0558_records_the_night_just_passed(client, person, at_0558):
    url = reverse("prevention:done_link", args=[done_token(person.pk, MONDAY)])
    assert "Yes, record it for Monday, 9 November" in client.get(url).content.decode()
    assert "data-recorded" in client.post(url).content.decode()
    assert DayLog.objects.get(user=person, date=MONDAY).exercises_done


@pytest.mark.django_db
def test_the_e_mails_done_link_for_an_evening_to_come_records_nothing(client, person, at_0558):
    url = reverse("prevention:done_link", args=[done_token(person.pk, TUESDAY)])
    page = client.get(url).content.decode()
    assert "The evening of Tuesday, 10 November has not come yet." in page and "Yes, record it" not in page
    assert "data-ahead" in client.post(url).content.decode()
    assert not DayLog.objects.filter(user=person).exists()
