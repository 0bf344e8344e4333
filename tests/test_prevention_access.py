"""Every assessment and plan URL, walked as another person and as an anonymous visitor."""

from datetime import date

import pytest
from django.urls import URLPattern, reverse

from diary.models import DayLog
from prevention import urls as prevention_urls
from prevention.doctor.links import create_link
from prevention.models import DoctorLink, Plan, Schedule, Snapshot
from prevention.plan.services import ensure_plan, ensure_schedule
from tests.factories import day_log

OWNER_DATE = "2 October 2026"  # appears in the owner's red-flag evidence only
PUBLIC = {"how_it_works", "feed"}  # the feed's secret address is its key
ONLY_POST = {"plan_item", "report_share", "report_revoke"}
SIGNED = {"done_link", "unsubscribe"}  # a signed link in the e-mail is the key (tests/test_reminders.py)
# A doctor's link: its secret is the key (tests/test_doctor_report.py opens a real one); a made-up one opens nothing.
SHARED = {"shared_report", "shared_report_pdf"}


@pytest.fixture
def owned(person):
    day_log(person, date(2026, 10, 2), symptoms=["pain_after_cramp"], notes="owner")
    plan = ensure_plan(person, date(2026, 10, 3))
    schedule = ensure_schedule(person)
    schedule.hidden_items = ["foot_massage"]
    schedule.save()
    link, _token = create_link(person)
    return {"snapshot": Snapshot.objects.get(user=person), "plan": plan, "schedule": schedule, "link": link}


def every_url(owned) -> list[tuple[str, str]]:
    values = {
        "pk": owned["snapshot"].pk,
        "number": owned["plan"].number,
        "code": "foot_massage",
        "token": owned["schedule"].feed_token,
        "link": owned["link"].pk,
    }
    urls = []
    for pattern in prevention_urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        kwargs = {name: values[name] for name in pattern.pattern.converters}
        if pattern.name in SIGNED | SHARED:
            kwargs["token"] = "not-a-signed-link"  # the e-mail's links are keys: without one, nothing
        urls.append((pattern.name, reverse(f"prevention:{pattern.name}", kwargs=kwargs)))
    return urls


def test_the_walk_covers_every_url(owned):
    assert {
        "snapshot",
        "plan_version",
        "plan_item",
        "tonight",
        "schedule",
        "calendar",
        "feed",
        "print",
        "insights",
        "report",
        "report_pdf",
        "report_share",
        "report_revoke",
        "shared_report",
        "shared_report_pdf",
    } <= {name for name, _url in every_url(owned)}


def unchanged(owned) -> None:
    person = owned["snapshot"].user
    schedule = Schedule.objects.get(user=person)
    assert schedule.feed_token == owned["schedule"].feed_token
    assert schedule.hidden_items == ["foot_massage"]
    assert list(DayLog.objects.filter(user=person).values_list("date", "exercises_done")) == [
        (date(2026, 10, 2), False)
    ]
    assert Plan.objects.filter(user=person).count() == 1
    assert list(DoctorLink.objects.filter(user=person).values_list("pk", "revoked_at")) == [(owned["link"].pk, None)]


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_visitors_are_sent_to_log_in(client, owned, method):
    for name, url in every_url(owned):
        response = getattr(client, method)(url)
        if name in SHARED:  # a made-up secret opens nothing; a POST is not taken at all
            assert response.status_code == (404 if method == "get" else 405), name
        elif name in SIGNED:
            assert response.status_code == 404, name
        elif name in PUBLIC:
            assert response.status_code == (200 if method == "get" else 405), name
        elif response.status_code == 405:  # a method the view does not take: nothing ran
            assert (method == "get") == (name in ONLY_POST) or method == "post", name
        else:
            assert response.status_code == 302, name
            assert response.headers["Location"].startswith(reverse("account_login")), name
    unchanged(owned)


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_person_sees_and_changes_nothing_of_mine(client, owned, other, method):
    client.force_login(other)
    for name, url in every_url(owned):
        response = getattr(client, method)(url)
        if name in SHARED:  # a made-up secret opens nothing; a POST is not taken at all
            assert response.status_code == (404 if method == "get" else 405), name
        elif name in SIGNED:
            assert response.status_code == 404, name
        elif name == "report_revoke":
            assert response.status_code == (405 if method == "get" else 404), name
        elif name in {"snapshot", "snapshot_json"}:
            assert response.status_code == (404 if method == "get" else 405), name
        elif name == "plan_version" and method == "get":
            # Only their own plan of that number, if they have one.
            assert response.status_code in (200, 404), name
        else:
            assert response.status_code in (200, 302, 405), name
        assert OWNER_DATE.encode() not in response.content, name
        assert owned["schedule"].feed_token.encode() not in response.content or name == "feed", name
    unchanged(owned)


def test_a_revoked_or_made_up_feed_address_is_not_found(client, owned):
    url = reverse("prevention:feed", args=[owned["schedule"].feed_token])
    assert client.get(url).status_code == 200
    client.force_login(owned["snapshot"].user)
    client.post(reverse("prevention:calendar"))
    assert client.get(url).status_code == 404
    assert client.get(reverse("prevention:feed", args=["made-up"])).status_code == 404
