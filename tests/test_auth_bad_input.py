"""Hostile input at the sign-in pages: a clear answer, never a 500."""

import pytest
from django.test import Client
from django.urls import reverse

from .conftest import sign_in

NASTY = ["\x00", "a" * 5000, "%ED%A0%80", "<script>alert(1)</script>", "é" * 300 + "@example.com", " ", "@", "a@b"]
FORMS = {
    "account_login": ("login", "password"),
    "account_signup": ("email", "password1", "password2"),
    "account_reset_password": ("email",),
    "account_request_login_code": ("email",),
}


@pytest.mark.parametrize("value", NASTY)
@pytest.mark.parametrize("name", list(FORMS))
def test_public_auth_forms_never_500(db, name, value):
    body = "&".join(f"{field}={value}" for field in FORMS[name])
    response = Client().post(reverse(name), body, content_type="application/x-www-form-urlencoded")
    assert response.status_code in (200, 302, 400, 429), response.status_code


@pytest.mark.parametrize("value", NASTY)
def test_code_and_second_factor_pages_never_500(person, value):
    client = Client()
    client.post(reverse("account_request_login_code"), {"email": person.email})
    response = client.post(
        reverse("account_confirm_login_code"), f"code={value}", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code in (200, 302, 400)
    from .conftest import add_totp

    add_totp(person)
    other = Client()
    sign_in(other, person.email)
    response = other.post(
        reverse("mfa_authenticate"), f"code={value}", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code in (200, 302, 400)


@pytest.mark.parametrize("target", ["\x00", "javascript:alert(1)", "/%0d%0aSet-Cookie:x=1", "a" * 5000, "///evil"])
def test_admin_login_next_never_500(client, db, target):
    response = client.get("/admin/login/", {"next": target})
    assert response.status_code == 302
    assert "evil" not in response.headers["Location"].split("?")[0]
