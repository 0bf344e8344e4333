"""The admin signs in through allauth (throttled) and needs two-factor sign-in for staff."""

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from .conftest import PASSWORD, add_totp, code_of_secret, sign_in, totp_code

EPISODES = "/admin/diary/episode/"


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_the_admin_login_path_takes_no_password(client, staff, rate_limits):
    """60 wrong passwords then the right one at /admin/login/: none is ever checked, each is
    sent to allauth's sign-in (whose limits apply)."""
    for attempt in range(60):
        response = client.post("/admin/login/", {"username": staff.email, "password": f"wrong-{attempt}"})
        assert response.status_code == 302
        assert response.headers["Location"].startswith(reverse("account_login"))
    response = client.post("/admin/login/?next=/admin/", {"username": staff.email, "password": PASSWORD})
    assert response.headers["Location"].startswith(reverse("account_login"))
    assert not signed_in(client)
    assert client.get(EPISODES).status_code == 302


def test_guessing_at_the_sign_in_behind_the_admin_is_throttled(client, staff, rate_limits):
    statuses = [sign_in(client, staff.email, f"wrong-{attempt}").status_code for attempt in range(60)]
    assert statuses[:5] == [200] * 5 and 429 in statuses  # form errors, then allauth's 429
    response = sign_in(client, staff.email)  # the right one, from the same address, too late
    assert response.status_code in (200, 429)
    assert not signed_in(client)
    assert "Too many failed sign-in attempts" in response.content.decode() or response.status_code == 429


def test_staff_without_an_authenticator_are_sent_to_set_one_up(client, staff):
    assert sign_in(client, staff.email).status_code == 302
    assert signed_in(client)
    response = client.get(EPISODES, follow=True)
    # To the authenticator's set-up (which first asks for the password again, as allauth does).
    assert reverse("mfa_activate_totp") in [url for url, _status in response.redirect_chain]
    assert response.status_code == 200
    assert client.get(EPISODES).status_code == 302


def test_staff_with_an_authenticator_enter_after_its_code(mfa_admin_client):
    assert mfa_admin_client.get(EPISODES).status_code == 200
    assert mfa_admin_client.get("/admin/diary/daylog/").status_code == 200
    assert mfa_admin_client.get("/admin/").status_code == 200


def test_a_password_alone_does_not_open_the_admin_of_staff_with_an_authenticator(client, staff):
    add_totp(staff)
    response = sign_in(client, staff.email)
    assert response.headers["Location"] == reverse("mfa_authenticate")
    assert not signed_in(client)
    assert client.get(EPISODES).status_code == 302
    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert not signed_in(client)


def test_a_session_without_the_second_factor_must_confirm_it(client, staff):
    add_totp(staff)
    client.force_login(staff)  # e.g. a session from before two-factor sign-in was required
    response = client.get(EPISODES, follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("mfa_reauthenticate"))
    response = client.post(response.redirect_chain[-1][0], {"code": totp_code(staff)})
    assert response.status_code == 302
    assert client.get(EPISODES).status_code == 200


def test_people_who_are_not_staff_never_enter(client, person):
    add_totp(person)
    sign_in(client, person.email)
    client.post(reverse("mfa_authenticate"), {"code": totp_code(person)})
    assert signed_in(client)
    assert client.get(EPISODES).status_code == 302
    assert client.get("/admin/login/").status_code == 403


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/"])
def test_the_admin_login_never_sends_people_to_another_site(mfa_admin_client, target):
    response = mfa_admin_client.get("/admin/login/", {"next": target})
    assert response.headers["Location"] == reverse("admin:index")


def test_everyone_can_turn_on_two_factor_sign_in(client, person):
    sign_in(client, person.email)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    form = page.context["form"]
    response = client.post(reverse("mfa_activate_totp"), {"code": code_of_secret(form.secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=person, type=Authenticator.Type.TOTP).exists()
    assert Authenticator.objects.filter(user=person, type=Authenticator.Type.RECOVERY_CODES).exists()
    assert client.get(reverse("mfa_view_recovery_codes")).status_code == 200


def test_the_account_page_offers_two_factor_sign_in(person_client):
    page = person_client.get(reverse("diary:account")).content.decode()
    assert reverse("mfa_index") in page
    assert person_client.get(reverse("mfa_index")).status_code == 200


def test_the_sign_in_page_offers_a_code_by_e_mail(client, db):
    assert reverse("account_request_login_code") in client.get(reverse("account_login")).content.decode()


def test_a_recovery_code_opens_the_admin_when_the_phone_is_lost(client, staff):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    add_totp(staff)
    codes = RecoveryCodes.activate(staff).get_unused_codes()
    sign_in(client, staff.email)
    assert client.post(reverse("mfa_authenticate"), {"code": codes[0]}).status_code == 302
    assert client.get(EPISODES).status_code == 200
    client.logout()
    sign_in(client, staff.email)
    client.post(reverse("mfa_authenticate"), {"code": codes[0]})  # used once: not again
    assert not signed_in(client)


def test_second_factor_secrets_are_stored_encrypted_and_not_shown_in_the_admin(mfa_admin_client, staff, person):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from cramps.tokens import decrypt_secret

    secret = generate_totp_secret()
    TOTP.activate(person, secret)
    RecoveryCodes.activate(person)
    totp = Authenticator.objects.get(user=person, type=Authenticator.Type.TOTP)
    stored = totp.data["secret"]
    assert secret not in stored and stored.startswith("fernet:") and decrypt_secret(stored) == secret
    seed = Authenticator.objects.get(user=person, type=Authenticator.Type.RECOVERY_CODES).data["seed"]
    assert seed.startswith("fernet:")
    page = mfa_admin_client.get(f"/admin/mfa/authenticator/{totp.pk}/change/").content.decode()
    assert secret not in page and stored not in page and 'name="data"' not in page


def test_secrets_stored_before_encryption_are_encrypted_by_the_migration(person):
    import importlib

    from django.apps import apps

    from cramps.tokens import decrypt_secret

    legacy = Authenticator.objects.create(
        user=person, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )
    assert decrypt_secret(legacy.data["secret"]) == "JBSWY3DPEHPK3PXP"  # still read as it was
    importlib.import_module("diary.migrations.0005_encrypt_mfa_secrets").encrypt_stored(apps, None)
    legacy.refresh_from_db()
    assert legacy.data["secret"].startswith("fernet:") and decrypt_secret(legacy.data["secret"]) == "JBSWY3DPEHPK3PXP"
