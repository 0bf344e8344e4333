"""Every diary and profile URL, walked as another person and as an anonymous visitor."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import URLPattern, reverse

from diary import urls as diary_urls
from diary.models import DayLog, Episode
from tests.factories import day_log, episode

SECRET = "private-note-only-the-owner-may-see"
DAY = date(2026, 10, 2)


@pytest.fixture
def owned(person):
    item = episode(person, datetime(2026, 10, 3, 2, 40, tzinfo=ZoneInfo("Europe/Kyiv")), notes=SECRET)
    day_log(person, DAY, notes=SECRET)
    return item


def every_url(item) -> list[tuple[str, str]]:
    urls = []
    for pattern in diary_urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        kwargs = {}
        if "pk" in pattern.pattern.converters:
            kwargs["pk"] = item.pk
        if "day" in pattern.pattern.converters:
            kwargs["day"] = DAY
        urls.append((pattern.name, reverse(f"diary:{pattern.name}", kwargs=kwargs)))
    return urls


def test_the_walk_covers_every_diary_url(owned):
    names = {name for name, _ in every_url(owned)}
    assert {
        "episode_edit",
        "episode_delete",
        "day_log_edit",
        "day_log_delete",
        "export_json",
        "profile",
        "account_delete",
        "import",
    } <= names


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_visitors_are_sent_to_log_in(client, owned, method):
    for name, url in every_url(owned):
        response = getattr(client, method)(url)
        assert response.status_code == 302, name
        assert response.headers["Location"].startswith(reverse("account_login")), name
    assert Episode.objects.filter(pk=owned.pk, notes=SECRET).exists()
    assert DayLog.objects.filter(notes=SECRET).count() == 1


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_person_sees_and_changes_nothing_of_mine(client, owned, other, method):
    client.force_login(other)
    for name, url in every_url(owned):
        response = getattr(client, method)(url)
        if name in {"episode_edit", "episode_delete", "day_log_edit", "day_log_delete"}:
            assert response.status_code == 404, name
        else:
            assert response.status_code in (200, 302, 400), name
            assert SECRET.encode() not in response.content, name
    assert Episode.objects.filter(pk=owned.pk, notes=SECRET, user=owned.user).exists()
    assert DayLog.objects.filter(notes=SECRET, user=owned.user).count() == 1
    assert not Episode.objects.filter(user=other).exists()


def test_the_owner_does_see_it(person_client, owned):
    assert SECRET.encode() in person_client.get(reverse("diary:timeline")).content
    assert SECRET.encode() in person_client.get(reverse("diary:export_json")).content
    assert SECRET.encode() in person_client.get(reverse("diary:day", args=[DAY])).content


def test_an_impossible_date_is_not_found(person_client):
    assert person_client.get("/diary/2026-02-31/").status_code == 404


def test_admin_is_for_staff_only(person, mfa_admin_client):
    from django.test import Client

    client = Client()
    client.force_login(person)
    assert client.get("/admin/diary/episode/").status_code == 302
    assert mfa_admin_client.get("/admin/diary/episode/").status_code == 200
    assert mfa_admin_client.get("/admin/diary/daylog/").status_code == 200
    assert mfa_admin_client.get("/admin/diary/profile/").status_code == 200
