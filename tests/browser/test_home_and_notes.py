"""Issue 14 on a phone, in English and Ukrainian: the home page says what the app does (item 9),
and the notes boxes count their characters as one types (item 9, "a 30,000-character note")."""

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, expect

from diary.forms import NOTES_MAX

from .conftest import open_in_language

pytestmark = pytest.mark.browser

LANGUAGES = ["en", "uk"]
FEATURES = {
    "diary": "A diary.",
    "causes": "Possible causes.",
    "plan": "A prevention plan.",
    "reminders": "Evening reminders.",
    "insights": "Insights.",
    "doctor": "A report for your doctor.",
}


def words(lang: str, text: str) -> str:
    with translation.override(lang):
        return translation.gettext(text)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_home_page_says_what_the_app_does(page: Page, url, lang, transactional_db):
    open_in_language(page, url, lang)
    page.goto(url("/"))
    features = page.locator("[data-feature]")
    expect(features).to_have_count(len(FEATURES))
    for code, title in FEATURES.items():
        expect(page.locator(f'[data-feature="{code}"]')).to_be_visible()
        expect(page.locator(f'[data-feature="{code}"] strong')).to_have_text(words(lang, title))
    expect(page.locator('[data-feature="causes"]')).to_contain_text(words(lang, "Possible causes."))
    if lang == "uk":
        text = page.locator("main").inner_text()
        for english in ("prevention plan", "reminders", "Insights", "doctor"):
            assert english not in text


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("form", ["diary:day_log_new", "diary:episode_new"])
def test_notes_count_their_characters_and_speak_only_near_the_limit(logged_in: Page, url, lang, form):
    page = logged_in
    open_in_language(page, url, lang, reverse(form))
    page.goto(url(reverse(form)))
    notes = page.locator("textarea[name=notes]")
    counter = page.locator("[data-notes-counter]")
    spoken = page.locator("[data-notes-left]")
    with translation.override(lang):
        shown = translation.gettext("{count} of {limit} characters")
        left = translation.gettext("Characters left: {left}")
    expect(counter).to_have_text(shown.format(count=0, limit=NOTES_MAX))
    expect(spoken).to_have_attribute("aria-live", "polite")
    assert counter.get_attribute("aria-live") is None  # the count itself is not read out while typing

    notes.fill("Woke at 3")
    expect(counter).to_have_text(shown.format(count=9, limit=NOTES_MAX))
    expect(spoken).to_have_text("")  # far from the limit: nothing said

    notes.fill("x" * (NOTES_MAX - 150))
    expect(counter).to_have_text(shown.format(count=NOTES_MAX - 150, limit=NOTES_MAX))
    expect(spoken).to_have_text(left.format(left=150))  # the last tenth: said, politely

    notes.fill("y" * 30_000)  # a long paste stops at the limit, and the counter says so
    assert len(notes.input_value()) == NOTES_MAX
    expect(counter).to_have_text(shown.format(count=NOTES_MAX, limit=NOTES_MAX))
    expect(spoken).to_have_text(left.format(left=0))
