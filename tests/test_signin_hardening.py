"""Sign-in, sign-up and address hardening: limits per account and address, login by code,
no account enumeration, Redis down, and no unverified primary address."""

import logging
import re
import socket

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from cramps.cache import DegradingRedisCache
from cramps.settings import redis_cache

from .conftest import PASSWORD, sign_in

ATTACKER = {"REMOTE_ADDR": "203.0.113.66"}
OWNER = {"REMOTE_ADDR": "198.51.100.7"}


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def login_code(mail) -> str:
    return re.search(r"^\s*([A-Z0-9-]{6,12})\s*$", mail.body, re.MULTILINE).group(1)


# ---------------------------------------------------------------- 7: guessing does not lock the owner out


def test_five_wrong_guesses_from_one_address_do_not_lock_the_owner_out(person, rate_limits):
    attacker, owner = Client(), Client()
    for attempt in range(6):
        sign_in(attacker, person.email, f"wrong-{attempt}", **ATTACKER)
    refused = sign_in(attacker, person.email, **ATTACKER)  # the attacker is throttled...
    assert not signed_in(attacker) and "Too many failed sign-in attempts" in refused.content.decode()
    response = sign_in(owner, person.email, **OWNER)  # ...the owner, elsewhere, is not
    assert response.status_code == 302 and signed_in(owner)


def test_guessing_from_many_addresses_is_bounded_and_the_owner_gets_in_by_code(
    person, rate_limits, settings, mailoutbox
):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed_account": "20/h/key"}
    for attempt in range(25):
        sign_in(Client(), person.email, f"wrong-{attempt}", REMOTE_ADDR=f"203.0.113.{attempt + 1}")
    owner = Client()
    refused = sign_in(owner, person.email, **OWNER)
    assert not signed_in(owner) and "Too many failed sign-in attempts" in refused.content.decode()

    response = owner.post(reverse("account_request_login_code"), {"email": person.email}, **OWNER)
    assert response.status_code == 302
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [person.email]
    response = owner.post(reverse("account_confirm_login_code"), {"code": login_code(mailoutbox[0])}, **OWNER)
    assert response.status_code == 302 and signed_in(owner)


def test_a_forged_forwarded_for_is_ignored_without_a_proxy(person, rate_limits):
    client = Client()
    for attempt in range(6):
        sign_in(client, person.email, f"wrong-{attempt}", HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}")
    response = sign_in(client, person.email, "wrong-again", HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert "Too many failed sign-in attempts" in response.content.decode()


def test_too_few_forwarded_for_entries_is_no_500(person, rate_limits, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    response = sign_in(Client(), person.email, HTTP_X_FORWARDED_FOR="192.0.2.1")
    assert response.status_code == 302


# ---------------------------------------------------------------- 4: sign-up does not tell


def signup(client, email):
    return client.post(
        reverse("account_signup"),
        {"email": email, "password1": "a-good-pass-9876", "password2": "a-good-pass-9876", "timezone": "UTC"},
    )


def test_sign_up_answers_the_same_for_a_taken_address(person, mailoutbox):
    taken, fresh = signup(Client(), person.email), signup(Client(), "newcomer@example.com")
    assert taken.status_code == fresh.status_code == 302
    assert taken.headers["Location"] == fresh.headers["Location"] == reverse("account_email_verification_sent")
    page = Client().get(taken.headers["Location"]).content.decode()
    assert "already" not in page.lower()
    assert get_user_model().objects.filter(email__iexact=person.email).count() == 1
    to_owner = [mail for mail in mailoutbox if mail.to == [person.email]]
    assert len(to_owner) == 1 and "already" in (to_owner[0].subject + to_owner[0].body).lower()


def test_sign_up_never_shows_that_an_address_is_registered(person):
    response = Client().post(
        reverse("account_signup"),
        {"email": person.email, "password1": "a-good-pass-9876", "password2": "a-good-pass-9876", "timezone": "UTC"},
        follow=True,
    )
    assert "already registered" not in response.content.decode()


# ---------------------------------------------------------------- 5: Redis down


@pytest.fixture
def redis_down(settings):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.CACHES = {**settings.CACHES, "default": redis_cache(f"redis://127.0.0.1:{port}/0")}
    settings.ACCOUNT_RATE_LIMITS = {
        "login_failed": "10/m/ip,5/5m/key",
        "signup": "20/m/ip",
        "reset_password": "20/m/ip,5/m/key",
    }
    DegradingRedisCache._last_warning = DegradingRedisCache._down_until = 0.0  # warn again for this test
    yield
    DegradingRedisCache._down_until = 0.0  # the next test's Redis (if any) is up


def test_with_redis_down_sign_in_sign_up_and_reset_still_work(person, redis_down, mailoutbox, caplog):
    with caplog.at_level(logging.WARNING, logger="cramps.cache"):
        client = Client()
        assert sign_in(client, person.email).status_code == 302 and signed_in(client)
        assert signup(Client(), "during-outage@example.com").status_code == 302
        response = Client().post(reverse("account_reset_password"), {"email": person.email})
        assert response.status_code == 302
    assert get_user_model().objects.filter(email="during-outage@example.com").exists()
    assert any("cache unreachable" in record.getMessage() for record in caplog.records)


def test_with_redis_down_wrong_passwords_are_refused_not_500(person, redis_down):
    for attempt in range(3):
        response = sign_in(Client(), person.email, f"wrong-{attempt}")
        assert response.status_code == 200


# ---------------------------------------------------------------- 11: no unverified primary address


def test_an_unverified_account_cannot_make_another_persons_address_its_primary(make_user, settings, mailoutbox):
    settings.ACCOUNT_EMAIL_VERIFICATION = "optional"  # so that an unverified account can sign in at all
    victim = make_user(email="victim@example.com")
    intruder = make_user(email="intruder@example.com", confirmed=False)
    EmailAddress.objects.create(user=intruder, email=intruder.email, primary=True, verified=False)
    client = Client()
    assert sign_in(client, intruder.email).status_code == 302
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    client.post(reverse("account_email"), {"action_add": "", "email": victim.email})
    client.post(reverse("account_email"), {"action_primary": "", "email": victim.email})
    intruder.refresh_from_db()
    assert intruder.email == "intruder@example.com"
    assert not EmailAddress.objects.filter(user=intruder, email=victim.email, primary=True).exists()
    assert EmailAddress.objects.get(user=victim, email=victim.email).primary


def test_a_verified_second_address_can_become_primary(person):
    EmailAddress.objects.create(user=person, email="second@example.com", verified=True)
    client = Client()
    sign_in(client, person.email)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    client.post(reverse("account_email"), {"action_primary": "", "email": "second@example.com"})
    person.refresh_from_db()
    assert person.email == "second@example.com"


# ---------------------------------------------------------------- 6: forwarded headers only from the proxy


def test_forwarded_for_is_believed_only_from_the_proxys_address(person, rate_limits, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.TRUSTED_PROXY_ADDRESSES = ["10.0.0.5/32"]
    direct = Client()  # reaching gunicorn directly, forging a new address each time
    for attempt in range(6):
        sign_in(
            direct,
            person.email,
            f"wrong-{attempt}",
            REMOTE_ADDR="203.0.113.9",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}",
        )
    forged = sign_in(direct, person.email, "wrong", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="192.0.2.77")
    assert "Too many failed sign-in attempts" in forged.content.decode()
    # Through the proxy, the header tells people apart: another person is not throttled.
    proxied = sign_in(Client(), person.email, REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="198.51.100.20")
    assert proxied.status_code == 302


def test_forwarded_proto_from_elsewhere_is_dropped(settings, db):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.TRUSTED_PROXY_ADDRESSES = ["10.0.0.5"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    direct = Client().get("/accounts/login/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_PROTO="https")
    assert direct.status_code == 301 and direct.headers["Location"].startswith("https://")  # not believed
    proxied = Client().get("/accounts/login/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_PROTO="https")
    assert proxied.status_code == 200


# ---------------------------------------------------------------- 12: Argon2, and older hashes upgraded


def test_an_older_pbkdf2_password_signs_in_and_is_rehashed_with_argon2(person, settings):
    from django.contrib.auth.hashers import make_password

    from cramps import settings as production

    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS
    person.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    person.save()
    assert sign_in(Client(), person.email).status_code == 302
    person.refresh_from_db()
    assert person.password.startswith("argon2")


# ---------------------------------------------------------------- erasing the account asks a password that cannot be guessed at


def test_a_stolen_session_cannot_guess_its_way_to_erasing_the_account(person, person_client, rate_limits):
    url = reverse("diary:account_delete")
    for attempt in range(5):
        response = person_client.post(url, {"password": f"wrong-{attempt}"})
        assert response.status_code == 200 and "That is not your password." in response.content.decode()
    refused = person_client.post(url, {"password": PASSWORD})  # the right one, after five wrong guesses
    assert refused.status_code == 200 and "Too many wrong passwords" in refused.content.decode()
    assert get_user_model().objects.filter(pk=person.pk).exists()


def test_the_owner_erases_the_account_after_a_few_typos(person, person_client, rate_limits):
    url = reverse("diary:account_delete")
    for attempt in range(4):
        person_client.post(url, {"password": f"wrong-{attempt}"})
    response = person_client.post(url, {"password": PASSWORD})
    assert response.status_code == 302 and not get_user_model().objects.filter(pk=person.pk).exists()
