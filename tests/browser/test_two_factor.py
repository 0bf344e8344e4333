import re

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD, code_of_secret

from .conftest import exactly, log_in, shoot

pytestmark = pytest.mark.browser


def test_turn_on_two_factor_sign_in_then_sign_in_with_it(page: Page, url, account):
    log_in(page, url, account.email)
    page.goto(url("/account/"))
    page.get_by_role("link", name=re.compile("Two-factor sign-in")).click()
    page.get_by_role("link", name=re.compile("Activate", re.I)).first.click()
    # allauth asks for the password again before changing how one signs in.
    page.get_by_label(exactly("Password")).fill(PASSWORD)
    page.get_by_role("button", name=re.compile("confirm", re.I)).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Authenticator", re.I))
    expect(page.locator("form.auth-form img")).to_be_visible()  # the QR code
    shoot(page, "two-factor-activate")
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label(re.compile("Authenticator code")).fill(code_of_secret(secret))
    page.get_by_role("button", name=re.compile("Activate", re.I)).click()
    expect(page.get_by_text(re.compile("recovery codes", re.I)).first).to_be_visible()

    page.context.clear_cookies()
    page.goto(url("/accounts/login/"))
    page.get_by_label("Email").fill(account.email)
    page.get_by_label(exactly("Password")).fill(PASSWORD)
    page.locator("form.auth-form").get_by_role("button", name=re.compile("sign in", re.I)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Two-Factor", re.I))
    shoot(page, "two-factor-sign-in")
    page.locator("input[name=code]").fill(code_of_secret(secret))
    page.locator("form.auth-form").get_by_role("button").first.click()
    expect(page.get_by_role("heading", name="Your diary")).to_be_visible()
