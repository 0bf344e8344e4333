"""Account deletion leaves no sessions, admin-log texts or sendable reminders; e-mail links are
opaque and expire."""

import base64
import json
from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core import mail, signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from diary.models import Episode
from prevention.models import Reminder, Schedule
from prevention.plan.due import refresh_next_send
from prevention.reminders import links as reminders
from prevention.reminders.delivery import deliver
from prevention.reminders.dispatch import claim_due
from prevention.reminders.links import done_token, unsubscribe_token
from tests.reminder_fixtures import next_of

from .conftest import PASSWORD, sign_in
from .factories import episode

MONDAY_EVENING = datetime(2026, 11, 2, 19, 0, tzinfo=UTC)


def sessions_mentioning(text: str) -> list[Session]:
    return [s for s in Session.objects.all() if text in json.dumps(s.get_decoded(), default=str)]


def delete_account(client):
    response = client.post(reverse("diary:account_delete"), {"password": PASSWORD})
    assert response.status_code == 302


def test_deleting_the_account_ends_its_sessions_everywhere(person):
    laptop, phone, half_way = Client(), Client(), Client()
    sign_in(laptop, person.email)
    sign_in(phone, person.email)
    # A sign-in by code started and left: that session holds the address in plain text.
    half_way.post(reverse("account_request_login_code"), {"email": person.email})
    assert sessions_mentioning(person.email)
    delete_account(laptop)
    assert phone.get(reverse("diary:timeline")).status_code == 302  # signed out there too
    assert not sessions_mentioning(person.email)
    assert not [s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(person.pk)]


def test_deleting_an_account_leaves_a_similar_address_signed_in(make_user):
    alice = make_user(email="alice@example.com")
    malice = make_user(email="malice@example.com")
    alices, malices, half_way = Client(), Client(), Client()
    sign_in(alices, alice.email)
    sign_in(malices, malice.email)
    half_way.post(reverse("account_request_login_code"), {"email": malice.email})
    delete_account(alices)
    assert malices.get(reverse("diary:timeline")).status_code == 200  # still signed in
    assert sessions_mentioning(malice.email)  # the half-way sign-in too


def test_deleting_the_account_removes_the_admin_log_about_it(person, other, staff):
    mine = episode(person, timezone.now() - timedelta(hours=2), notes="cramp after three coffees")
    theirs = episode(other, timezone.now() - timedelta(hours=2))
    kind = ContentType.objects.get_for_model(Episode)
    for item, text in ((mine, "Cramp: calf, after three coffees"), (theirs, "Cramp: foot")):
        LogEntry.objects.create(
            user=staff,
            content_type=kind,
            object_id=str(item.pk),
            object_repr=text,
            action_flag=CHANGE,
            change_message="[]",
        )
    LogEntry.objects.create(
        user=staff,
        content_type=ContentType.objects.get_for_model(person),
        object_id=str(person.pk),
        object_repr=person.email,
        action_flag=CHANGE,
        change_message="[]",
    )
    client = Client()
    client.force_login(person)
    delete_account(client)
    assert not LogEntry.objects.filter(object_repr__contains="coffees").exists()
    assert not LogEntry.objects.filter(object_repr=person.email).exists()
    assert LogEntry.objects.filter(object_id=str(theirs.pk), content_type=kind).exists()  # others' stay


@pytest.fixture
def sleeper(make_user):
    user = make_user(email="sleeper@example.com", timezone="Europe/Kyiv", bedtime=time(22, 30))
    refresh_next_send(user.pk, now=MONDAY_EVENING)
    return user


def test_a_reminder_queued_before_the_account_was_deleted_finds_nothing_to_send(sleeper, mailoutbox):
    due = next_of(sleeper).send_at
    (reminder_id,) = claim_due(now=due)  # claimed: its message is in the broker
    client = Client()
    client.force_login(sleeper)
    delete_account(client)
    assert not Reminder.objects.filter(pk=reminder_id).exists()
    assert deliver(reminder_id, now=due + timedelta(minutes=1)) == "missing"
    assert mailoutbox == []


# ---------------------------------------------------------------- links


def test_the_done_link_does_not_show_the_user_id(sleeper):
    token = done_token(sleeper.pk, date(2026, 11, 2))
    padded = token + "=" * (-len(token) % 4)
    assert b'"u"' not in base64.urlsafe_b64decode(padded)  # not readable base64 JSON any more
    with pytest.raises(signing.BadSignature):
        signing.loads(token, salt=reminders.DONE_SALT)
    assert reminders.read_done_token(token) == (sleeper.pk, date(2026, 11, 2))


def test_done_and_unsubscribe_links_sent_before_still_work(client, sleeper):
    old_done = signing.dumps({"u": sleeper.pk, "e": "2026-11-02"}, salt=reminders.DONE_SALT, compress=True)
    assert reminders.read_done_token(old_done) == (sleeper.pk, date(2026, 11, 2))
    old_unsubscribe = signing.dumps({"u": sleeper.pk}, salt=reminders.UNSUBSCRIBE_SALT, compress=True)
    assert client.post(reverse("prevention:unsubscribe", args=[old_unsubscribe])).status_code == 200
    assert not Schedule.objects.get(user=sleeper).reminders_on


def test_unsubscribe_links_expire_with_a_clear_page(client, sleeper, monkeypatch):
    url = reverse("prevention:unsubscribe", args=[unsubscribe_token(sleeper.pk)])
    monkeypatch.setattr(reminders, "UNSUBSCRIBE_LINK_MAX_AGE", -1)
    response = client.post(url)
    assert response.status_code == 410
    assert "unsubscribe link has expired" in response.content.decode()
    assert Schedule.objects.get(user=sleeper).reminders_on


@pytest.mark.parametrize("token", ["x", "gAAAAA", "a" * 300, "eyJ1IjoxfQ:1:2", "%00"])
def test_mangled_links_are_404_not_500(client, token):
    assert client.post(reverse("prevention:unsubscribe", args=[token])).status_code == 404
    assert client.get(reverse("prevention:done_link", args=[token])).status_code == 404


def test_unsubscribe_links_in_mail_are_sealed(sleeper, settings):
    headers = reminders.unsubscribe_headers(sleeper)
    token = headers["List-Unsubscribe"].rstrip("/>").rsplit("/", 1)[1]
    assert reminders.read_unsubscribe_token(token) == sleeper.pk
    assert b'"u"' not in base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    assert not mail.outbox
