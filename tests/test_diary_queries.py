"""The diary pages run the same few SQL queries for one month of diary and for three years."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from diary.demo import demo_diary, save_diary, volume_diary
from diary.models import DayLog, Episode, local_today

# +4 since the open-warning check (prevention.services.open_alarms): the last diary day (2) and the
# last two weeks of cramps and day logs (2); still the same for a month and for three years.
MAX_QUERIES = 16


@pytest.fixture
def month_person(make_user):
    user = make_user(email="month@example.com")
    save_diary(user, *demo_diary(local_today(user.profile.zone), days=31))
    return user


@pytest.fixture
def years_person(make_user):
    user = make_user(email="years@example.com")
    save_diary(user, *volume_diary(local_today(user.profile.zone), days=1100, cramps=1500))
    return user


def queries_for(client, user, url) -> list[str]:
    client.force_login(user)
    client.get(url)  # warm-up: anything done once per process is not counted
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    client.logout()
    return [query["sql"] for query in captured.captured_queries]


@pytest.mark.parametrize(
    "url",
    [
        reverse("diary:timeline"),
        reverse("diary:timeline") + "?page=2",
        reverse("diary:calendar"),
        reverse("diary:calendar") + "?month=2024-02",
    ],
)
@pytest.mark.parametrize("kept", [True, False], ids=["cache", "no-cache"])
def test_query_count_does_not_grow_with_the_diary(client, month_person, years_person, url, kept, settings):
    if not kept:  # every request builds the page afresh (diary/cards.py switched off)
        settings.DIARY_CARD_CACHE_SECONDS = 0
    assert DayLog.objects.filter(user=years_person).count() == 1100
    assert Episode.objects.filter(user=years_person).count() == 1500
    assert DayLog.objects.filter(user=month_person).count() >= 28

    small = queries_for(client, month_person, url)
    large = queries_for(client, years_person, url)
    assert len(small) == len(large), "\n".join(["one month:", *small, "", "three years:", *large])
    assert len(large) <= MAX_QUERIES, "\n".join(large)


def test_the_last_page_of_three_years(client, years_person):
    client.force_login(years_person)
    first = client.get(reverse("diary:timeline"))
    last_page = first.context["page"]["num_pages"]
    assert last_page >= 1100 // 14
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("diary:timeline") + f"?page={last_page}")
    assert response.status_code == 200
    assert len(captured.captured_queries) <= MAX_QUERIES


def test_a_kept_diary_page_runs_only_the_requests_own_queries(client, years_person):
    """The session, then the account with its profile and the routine's schedule in one query (the
    sign-in backend, diary.backends, as on every page): nothing of the diary."""
    queries = queries_for(client, years_person, reverse("diary:timeline"))
    assert len(queries) == 2, "\n".join(queries)
    assert "diary_profile" in queries[-1] and "prevention_schedule" in queries[-1], "read with the account"
    assert not any("diary_episode" in q or "diary_daylog" in q for q in queries), "\n".join(queries)
