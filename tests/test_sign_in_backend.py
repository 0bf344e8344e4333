"""The sign-in backend (diary.backends.PersonBackend): allauth's, reading the account and the profile in
one query on every request, with what that must not change."""

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from diary.models import Profile

from .conftest import sign_in

pytestmark = pytest.mark.django_db


def test_signing_in_through_the_form_uses_it_and_a_page_reads_the_profile_with_the_account(client, person):
    response = sign_in(client, person.email)
    assert response.status_code == 302, response
    assert client.session[BACKEND_SESSION_KEY] == "diary.backends.PersonBackend"
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("account_email")).status_code == 200
    reads = [q["sql"] for q in captured.captured_queries if 'FROM "auth_user"' in q["sql"]]
    assert reads and "diary_profile" in reads[0], reads
    assert not any(
        q["sql"].startswith("SELECT") and 'FROM "diary_profile"' in q["sql"] for q in captured.captured_queries
    )


def test_a_deactivated_account_is_signed_out_on_its_next_request(client, person):
    sign_in(client, person.email)
    assert client.get(reverse("diary:timeline")).status_code == 200
    type(person).objects.filter(pk=person.pk).update(is_active=False)
    response = client.get(reverse("diary:timeline"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_an_account_without_a_profile_gets_one_on_its_first_page(client, person):
    sign_in(client, person.email)
    Profile.objects.filter(user=person).delete()
    assert client.get(reverse("diary:timeline")).status_code == 200
    assert Profile.objects.filter(user=person).count() == 1
