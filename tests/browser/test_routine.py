"""Tonight's routine on a phone, in English and in Ukrainian (issue 14, items 3 and 4).

Item 3: "Done" pressed at 05:58 ticks the night just passed, and the page says which evening.
Item 4: the guided timer (static/js/routine.js): cues for each hold, rest and switch of legs,
Pause/Resume and Stop, one timer at a time, a live region that speaks only at the changes.
Time in the browser runs on Playwright's clock (page.clock), never on a test-only speed-up.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation
from django.utils.dateformat import format as date_format
from playwright.sync_api import Page, expect

from diary.models import DayLog

pytestmark = pytest.mark.browser

KYIV = ZoneInfo("Europe/Kyiv")
LANGUAGES = ["en", "uk"]


def use_language(page: Page, url, lang: str) -> None:
    """Choose the language with the site's own menu, as a person would."""
    if lang == "en":
        return
    page.goto(url("/plan/tonight/"))
    page.locator("footer select[name=language]").select_option(lang)
    page.locator("footer form").get_by_role("button").click()
    expect(page.locator("html")).to_have_attribute("lang", lang)


def words(lang: str, text: str, **values) -> str:
    with translation.override(lang):
        return translation.gettext(text) % values if values else translation.gettext(text)


def day_in(lang: str, day: date) -> str:
    with translation.override(lang):
        return date_format(day, "l, j E")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_done_at_0558_ticks_the_night_just_passed(logged_in: Page, url, account, monkeypatch, lang):
    page = logged_in
    tuesday_0558 = datetime(2026, 11, 10, 5, 58, tzinfo=KYIV)
    monkeypatch.setattr("prevention.plan.views.local_now_for", lambda user: tuesday_0558)
    use_language(page, url, lang)
    page.goto(url("/plan/tonight/"))
    monday = day_in(lang, date(2026, 11, 9))
    expect(page.locator("[data-ticks]")).to_contain_text(monday)
    with translation.override(lang):
        expected = translation.gettext("Until noon, “Done” ticks the night just passed: the evening of %(day)s.")
    expect(page.locator("[data-ticks]")).to_have_text(expected % {"day": monday})

    page.get_by_role("button", name=words(lang, "Done"), exact=True).click()
    expect(page.locator(".messages")).to_contain_text(
        words(lang, "Well done: the routine of %(day)s is in your diary.", day=monday)
    )
    expect(page.locator("[data-done]")).to_contain_text(monday)
    assert DayLog.objects.get(user=account, date=date(2026, 11, 9)).exercises_done
    assert not DayLog.objects.filter(user=account, date=date(2026, 11, 10)).exists()
