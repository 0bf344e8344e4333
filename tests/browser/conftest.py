"""Real-browser tests: Playwright drives Debian's Chromium (its headless shell) against pytest-django's live server.

Every test runs in a fresh, phone-sized browser context (a 390×844 touch screen in Kyiv).
With CRAMPS_SHOTS=<folder> (e.g. `make test-services PYTEST_ARGS=... CRAMPS_SHOTS=/tmp/shots`),
full-page screenshots of the main pages and copies of the printed PDFs go there for a person to
look at; without it the same checks run and nothing is drawn that no one looks at.
"""

import os
import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD

ZONE_NAME = "Europe/Kyiv"
ZONE = ZoneInfo(ZONE_NAME)
SHOTS = Path(os.environ["CRAMPS_SHOTS"]) if os.environ.get("CRAMPS_SHOTS") else None
PHONE = {"width": 390, "height": 844}

# The live server answers in milliseconds: fail well before Playwright's 30 s for what will not come,
# yet leave room for a full-page screenshot or a print on a loaded 2-core machine.
TIMEOUT_MS = 15_000


# Debian's build of Chromium's headless shell (package chromium-headless-shell, from the same source
# as its chromium: the same Blink and V8), which is what Playwright itself runs headless: the whole
# browser's headless mode drew the same pages with half as much CPU again (the browser tests: 3:04
# on two cores with chromium, 2:00 with the shell). The full browser where the shell is missing;
# CRAMPS_CHROMIUM names another.
CHROMIUM = os.environ.get("CRAMPS_CHROMIUM") or next(
    (path for path in ("/usr/bin/chromium-headless-shell", "/usr/bin/chromium") if os.path.exists(path)),
    "/usr/bin/chromium",
)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-quic",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "viewport": PHONE,
        # One device pixel per CSS pixel: the layout (what the tests check) is the same as on a
        # 2× phone screen, for a quarter of the pixels to paint.
        "device_scale_factor": 1,
        "is_mobile": True,
        "has_touch": True,
        "locale": "en-GB",
        "timezone_id": ZONE_NAME,
        "accept_downloads": True,
    }


@pytest.fixture
def page(page: Page) -> Page:
    page.set_default_timeout(TIMEOUT_MS)
    expect.set_options(timeout=TIMEOUT_MS)
    return page


@pytest.fixture
def url(live_server):
    """url("/diary/") → the live server's absolute address."""

    def make(path: str) -> str:
        return live_server.url + path

    return make


def exactly(text: str) -> re.Pattern:
    """A label's text, give or take crispy's "*" for required fields and the whitespace around it."""
    return re.compile(rf"^\s*{re.escape(text)}\W*$")


def local_now() -> datetime:
    return datetime.now(ZONE)


def create_account(email: str, timezone: str = ZONE_NAME):
    """An account made with the ORM (the sign-up form has its own test)."""
    from allauth.account.models import EmailAddress

    user = get_user_model().objects.create_user(username=email, email=email, password=PASSWORD)
    # Confirmed, as after following the sign-up e-mail's link (sign-in needs it).
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    user.profile.timezone = timezone
    user.profile.save()
    return user


def log_in(page: Page, url, email: str, password: str = PASSWORD, shot: str = "") -> None:
    """Log in through the real login form, as a person would."""
    page.goto(url("/accounts/login/"))
    page.get_by_label("Email").fill(email)
    page.get_by_label(exactly("Password")).fill(password)
    if shot:
        shoot(page, shot)
    page.locator("form.auth-form").get_by_role("button", name=re.compile("sign in", re.I)).click()
    expect(page.get_by_role("heading", name="Your diary")).to_be_visible()


@pytest.fixture
def account(transactional_db):
    return create_account("person@example.com")


@pytest.fixture
def logged_in(page: Page, url, account) -> Page:
    log_in(page, url, account.email)
    return page


def main_menu(page: Page):
    """The main navigation as a person reaches it: on a phone, the collapsed menu opened first."""
    summary = page.locator(".site-menu > summary")
    if summary.is_visible() and page.locator(".site-menu[open]").count() == 0:
        summary.click()
    return page.get_by_role("navigation", name=re.compile("^(Main|Головне меню)$"))


def choose_language(page: Page, code: str) -> None:
    """Switch the site's language with its own switcher in the footer, as a person would."""
    page.locator("footer select[name=language]").select_option(code)
    page.locator("footer form").get_by_role("button").click()
    expect(page.locator("html")).to_have_attribute("lang", code)


def keep_pdf(name: str, data: bytes) -> None:
    """A copy of a printed PDF in CRAMPS_SHOTS, when it is set, for a person to look at."""
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        (SHOTS / name).write_bytes(data)


def shoot(page: Page, name: str) -> None:
    """Check the page fits the phone's width; with CRAMPS_SHOTS set, save a full-page screenshot there too."""
    page.wait_for_load_state("load")
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    overflow = page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth;
            return Array.from(document.querySelectorAll("body *"))
                .filter(el => el.getBoundingClientRect().right > width + 1 && el.offsetParent !== null)
                .slice(0, 5)
                .map(el => el.tagName.toLowerCase() + (el.className ? "." + String(el.className).split(" ").join(".") : ""));
        }"""
    )
    assert overflow == [], f"{name}: wider than the phone's screen: {overflow}"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], f"{name}: scrolls sideways"


def pytest_configure(config):
    # pytest-playwright's own base_url fixture trips a pytest deprecation warning; not ours to fix.
    config.addinivalue_line(
        "filterwarnings", "ignore:Session-scoped fixtures defined as instance methods:pytest.PytestRemovedIn10Warning"
    )


def open_in_language(page: Page, url, lang: str, path: str = "/") -> None:
    """Open `path` and choose the language with the site's own menu (footer), as a person would; English is the default."""
    if lang == "en":
        return
    page.goto(url(path))
    choose_language(page, lang)
