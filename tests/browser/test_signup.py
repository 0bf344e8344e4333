import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from playwright.sync_api import Page, expect

from .conftest import ZONE_NAME, exactly, main_menu, shoot

pytestmark = pytest.mark.browser

PASSWORD = "kramp-night-2026-lemon"


def test_sign_up_takes_the_browser_time_zone(page: Page, url, transactional_db):
    page.goto(url("/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Find out what sets off your leg cramps")
    shoot(page, "home")

    page.get_by_role("link", name="Start your diary").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    # static/js/app.js has put the device's zone into the hidden field.
    expect(page.locator("input[name=timezone]")).to_have_value(ZONE_NAME)
    shoot(page, "signup")

    page.get_by_label("Email").fill("new.person@example.com")
    page.get_by_label(exactly("Password")).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.locator("form.auth-form").get_by_role("button", name="Sign Up").click()

    # The address is confirmed first (the same page whether or not it had an account).
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Verify", re.I))
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", mail.outbox[-1].body).group(0)
    page.goto(url(urlsplit(link).path))
    page.get_by_role("button", name=re.compile("confirm", re.I)).click()

    expect(page.get_by_role("heading", name="Your diary")).to_be_visible()
    expect(page.get_by_text("Your diary is empty.")).to_be_visible()

    main_menu(page).get_by_role("link", name="Profile").click()
    expect(page.get_by_label("Time zone")).to_have_value(ZONE_NAME)
    # The device's zone is the saved one: nothing to offer.
    expect(page.locator(".browser-timezone-hint")).to_be_hidden()
    shoot(page, "profile")

    user = get_user_model().objects.get(email="new.person@example.com")
    assert user.profile.timezone == ZONE_NAME
