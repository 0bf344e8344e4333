"""The session store (cramps.sessions): Django's database sessions, read with one fixed statement.

What the read must keep from Django's own store: an expired or unknown session is no session
(and its key is never taken up again), the data read is the data written, the read is one query
counted like any other. On SQLite and on PostgreSQL alike (the suite runs on both).
"""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cramps.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_it_is_the_engine_and_reads_what_django_wrote():
    assert settings.SESSION_ENGINE == "cramps.sessions"
    written = DjangoStore()
    written["note"] = "Привіт, 3 a.m. cramp"
    written["nested"] = {"a": [1, 2.5, None]}
    written.save()
    read = SessionStore(written.session_key)
    with CaptureQueriesContext(connection) as captured:
        assert read["note"] == "Привіт, 3 a.m. cramp" and read["nested"] == {"a": [1, 2.5, None]}
    assert len(captured.captured_queries) == 1
    assert captured.captured_queries[0]["sql"].startswith("SELECT")
    assert read.session_key == written.session_key


def test_an_expired_session_is_none_and_its_key_is_not_taken_up_again():
    old = SessionStore()
    old["_auth_user_id"] = "1"
    old.save()
    Session.objects.filter(session_key=old.session_key).update(expire_date=timezone.now() - timedelta(seconds=1))
    read = SessionStore(old.session_key)
    assert read.get("_auth_user_id") is None
    assert read.session_key is None  # as Django's store: forgotten, a new key on save
    read["x"] = 1
    read.save()
    assert read.session_key != old.session_key


def test_an_unknown_key_or_one_with_quotes_is_no_session():
    for key in ("nosuchsessionkey0123456789abcdef", "x' OR '1'='1' --  padding", '"; DROP TABLE x; --'):
        store = SessionStore(key)
        assert store.load() == {}
    assert Session.objects.count() == 0


def test_a_signed_in_page_reads_its_session_once(client, person):
    client.force_login(person)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("diary:timeline")).status_code == 200
    reads = [q["sql"] for q in captured.captured_queries if "django_session" in q["sql"]]
    assert len(reads) == 1, reads


def test_signing_out_ends_the_session_for_good(person):
    """Through the page's own sign-out form, CSRF checked (the form's words are kept per language,
    its token is each request's own)."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(person)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    page = client.get(reverse("diary:timeline")).content.decode()
    form = page[page.index(f'action="{reverse("account_logout")}"') :]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)[1]
    assert client.post(reverse("account_logout"), {"csrfmiddlewaretoken": token}).status_code == 302
    assert not Session.objects.filter(session_key=key).exists()
    client.cookies[settings.SESSION_COOKIE_NAME] = key  # the old cookie, replayed
    response = client.get(reverse("diary:timeline"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
