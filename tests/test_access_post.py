"""The URL walk with real form bodies: POSTs that would change the owner's records, sent as an
anonymous visitor and as another person, change nothing of the owner's; the admin and the
two-factor pages, walked the same way, give nothing away."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from diary.models import DayLog, Episode, Profile
from prevention.models import Schedule
from tests.factories import day_log, episode

from . import test_access, test_prevention_access
from .conftest import PASSWORD

SECRET = test_access.SECRET
DAY = test_access.DAY

BODIES = {
    "episode_new": {
        "started_at": "2026-10-03T02:40",
        "muscle": "calf",
        "side": "left",
        "intensity": "9",
        "duration_minutes": "3",
        "context": "sleep",
        "notes": "forged",
    },
    "episode_edit": {
        "started_at": "2026-10-03T02:40",
        "muscle": "foot",
        "side": "right",
        "intensity": "1",
        "duration_minutes": "1",
        "context": "sleep",
        "notes": "forged",
    },
    "day_log_new": {"date": DAY.isoformat(), "exertion": "hard", "notes": "forged"},
    "day_log_edit": {"date": DAY.isoformat(), "exertion": "hard", "notes": "forged"},
    "profile": {"timezone": "UTC", "bedtime": "20:00", "sex": "male", "birth_year": "1990"},
    "account_delete": {"password": PASSWORD},
    "schedule": {"weekdays": ["0"], "at": "03:00", "lead_minutes": "0", "reminders_on": "on"},
    "plan_item": {"shown": "1"},
    "tonight": {"done": "1"},
}


@pytest.fixture
def owned(person):
    item = episode(person, datetime(2026, 10, 3, 2, 40, tzinfo=ZoneInfo("Europe/Kyiv")), notes=SECRET)
    day_log(person, DAY, notes=SECRET)
    schedule = Schedule.objects.get(user=person)
    schedule.hidden_items = ["foot_massage"]
    schedule.save()
    return item


def state(person) -> tuple:
    schedule = Schedule.objects.get(user=person)
    profile = Profile.objects.get(user=person)
    return (
        list(Episode.objects.filter(user=person).values_list("pk", "muscle", "intensity", "notes")),
        list(DayLog.objects.filter(user=person).values_list("date", "exertion", "notes", "exercises_done")),
        (profile.timezone, profile.bedtime, profile.sex, profile.birth_year),
        (schedule.weekdays, schedule.at, schedule.reminders_on, schedule.hidden_items, schedule.feed_token),
        get_user_model().objects.filter(pk=person.pk).exists(),
    )


def urls(owned):
    walk = [(name, url) for name, url in test_access.every_url(owned)]
    values = {
        "pk": 0,
        "number": 1,
        "link": 0,
        "code": "foot_massage",
        "token": Schedule.objects.get(user=owned.user).feed_token,
    }
    from django.urls import URLPattern

    from prevention import urls as prevention_urls

    for pattern in prevention_urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        kwargs = {name: values[name] for name in pattern.pattern.converters}
        if pattern.name in test_prevention_access.SIGNED:
            kwargs["token"] = "not-a-signed-link"
        walk.append((pattern.name, reverse(f"prevention:{pattern.name}", kwargs=kwargs)))
    return walk


def post(client, name, url):
    body = dict(BODIES.get(name, {}))
    if name == "import":
        body["file"] = SimpleUploadedFile("diary.json", b'{"format": "cramps-diary", "version": 1}')
    return client.post(url, body)


def test_anonymous_posts_with_real_bodies_change_nothing(client, owned):
    before = state(owned.user)
    for name, url in urls(owned):
        response = post(client, name, url)
        assert response.status_code in (302, 404, 405), name
        if response.status_code == 302:
            assert response.headers["Location"].startswith(reverse("account_login")), name
    assert state(owned.user) == before


def test_another_persons_posts_with_real_bodies_change_nothing_of_mine(owned, other):
    before = state(owned.user)
    client = Client()
    client.force_login(other)
    for name, url in urls(owned):
        if name == "account_delete":
            continue  # with their own password it deletes *their* account: walked last
        response = post(client, name, url)
        assert response.status_code < 500, name
        assert SECRET.encode() not in response.content, name
    response = post(client, "account_delete", reverse("diary:account_delete"))
    assert response.status_code == 302
    assert not get_user_model().objects.filter(pk=other.pk).exists()
    assert state(owned.user) == before


ADMIN_AND_MFA = [
    "/admin/",
    "/admin/diary/episode/",
    "/admin/diary/episode/1/change/",
    "/admin/auth/user/",
    "/admin/logout/",
    "/accounts/2fa/",
    "/accounts/2fa/totp/activate/",
    "/accounts/2fa/recovery-codes/",
    "/accounts/email/",
    "/readyz",
]


@pytest.mark.parametrize("method", ["get", "post"])
def test_admin_and_two_factor_pages_as_anonymous_and_as_another_person(owned, other, method):
    anonymous, stranger = Client(), Client()
    stranger.force_login(other)
    for path in ADMIN_AND_MFA:
        for client in (anonymous, stranger):
            response = getattr(client, method)(path)
            assert response.status_code < 500 or (path == "/readyz" and response.status_code == 503), path
            assert SECRET.encode() not in response.content, path
            if path.startswith("/admin/") and path != "/admin/logout/":
                assert response.status_code in (302, 403, 405), (path, response.status_code)
                if response.status_code == 302:
                    assert response.headers["Location"].startswith(("/admin/login/", reverse("account_login"))), path
