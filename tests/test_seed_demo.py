"""manage.py seed_demo: the demo account and its four weeks of diary."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from diary.demo import demo_diary
from diary.models import DayLog, Episode, local_today
from prevention.assessment.services import current_assessment, open_alarms

EMAIL = "demo@example.com"
PASSWORD = "cramps-demo-2026"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def development(settings):
    settings.DEBUG = True  # the command refuses in production unless forced (tested below)


def seed(*args) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def counts(user) -> tuple[int, int]:
    return Episode.objects.filter(user=user).count(), DayLog.objects.filter(user=user).count()


def test_creates_the_demo_account_with_four_weeks_of_diary():
    output = seed()
    user = get_user_model().objects.get(email=EMAIL)
    profile = user.profile
    assert profile.timezone == "Europe/Kyiv"
    assert profile.bedtime.strftime("%H:%M") == "22:30"
    assert 1965 <= profile.birth_year <= 1971
    assert profile.flat_feet == "unknown"

    today = local_today(profile.zone)
    first = today - timedelta(days=28)
    logs = DayLog.objects.filter(user=user)
    assert 24 <= logs.count() <= 28
    assert all(first <= log.date < today for log in logs)

    episodes = list(Episode.objects.filter(user=user))
    assert len(episodes) >= 8
    now = timezone.now()
    for episode in episodes:
        assert first <= episode.day < today, episode
        assert episode.started_at <= now, episode
        assert 1 <= episode.intensity <= 10
    night = [e for e in episodes if e.context == "sleep"]
    assert len(night) >= len(episodes) * 0.7, "cramps come mostly at night"
    for episode in night:
        local = episode.started_at.astimezone(profile.zone)
        assert 1 <= local.hour < 5, local
        assert episode.day == local.date() - timedelta(days=1)  # attributed to the evening before
        assert 30 <= episode.duration_seconds <= 240
        assert episode.muscle in {"calf", "foot", "toes"}

    assert EMAIL in output and PASSWORD in output and "/accounts/login/" in output


def test_running_twice_leaves_one_account_with_the_same_data():
    seed()
    user = get_user_model().objects.get(email=EMAIL)
    first = counts(user)
    first_days = sorted(DayLog.objects.filter(user=user).values_list("date", flat=True))
    seed()
    assert get_user_model().objects.filter(email__iexact=EMAIL).count() == 1
    assert counts(user) == first
    assert sorted(DayLog.objects.filter(user=user).values_list("date", flat=True)) == first_days


def test_reset_removes_what_the_demo_person_added():
    seed()
    user = get_user_model().objects.get(email=EMAIL)
    before = counts(user)
    Episode.objects.filter(user=user).delete()
    user.set_password("changed-by-a-visitor-123")
    user.save()
    seed()
    assert counts(user) == before
    assert user.__class__.objects.get(pk=user.pk).check_password(PASSWORD)


def test_the_password_logs_in(client):
    seed()
    response = client.post(reverse("account_login"), {"login": EMAIL, "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    assert client.get(reverse("diary:timeline")).status_code == 200


def test_email_and_password_options(client):
    seed("--email", "Trial@Example.com", "--password", "another-demo-pass-77")
    assert client.login(username="trial@example.com", password="another-demo-pass-77")
    assert not get_user_model().objects.filter(email=EMAIL).exists()


def test_the_generator_is_deterministic_for_a_date():
    day = timezone.now().date()
    assert demo_diary(day) == demo_diary(day)
    episodes, day_logs = demo_diary(day)
    assert {log["date"] for log in day_logs} <= {day - timedelta(days=n) for n in range(1, 29)}
    # A habit taken up in the last week: the bedtime exercises.
    last_week = [log for log in day_logs if (day - log["date"]).days <= 7]
    earlier = [log for log in day_logs if (day - log["date"]).days > 7]
    share = lambda logs: sum(log["exercises_done"] for log in logs) / len(logs)  # noqa: E731
    assert share(last_week) > share(earlier)


def test_the_demo_notes_normal_soreness_after_hard_cramps_and_raises_no_warning():
    seed()
    demo = get_user_model().objects.get(email=EMAIL)
    sore = [log for log in DayLog.objects.filter(user=demo) if "pain_after_cramp" in log.symptoms]
    assert sore, "the demo shows soreness the day after a hard cramp"
    assert open_alarms(demo) == []
    assert "possible_dvt" not in [f.code for f in current_assessment(demo).red_flags]


def test_refuses_with_debug_off_unless_forced(settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        seed()
    assert not get_user_model().objects.filter(email=EMAIL).exists()
    seed("--force")
    assert get_user_model().objects.filter(email=EMAIL).exists()
