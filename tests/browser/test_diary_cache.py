"""In a real browser: a diary page seen before (kept in the cache) shows an edit, a deletion and a new
language at once (diary/cards.py)."""

from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.factories import day_log, episode

from .conftest import local_now

pytestmark = pytest.mark.browser


def test_a_diary_seen_before_shows_an_edit_a_deletion_and_a_new_language(logged_in: Page, url, account):
    page = logged_in
    night = local_now().replace(hour=2, minute=40, second=0, microsecond=0) - timedelta(days=3)
    episode(account, night, intensity=4, notes="the first night")
    day_log(account, night.date() - timedelta(days=1), notes="a long walk")
    page.goto(url("/diary/"))
    cramp = page.locator(".cramp-list li", has_text="the first night")
    expect(cramp).to_contain_text("4/10")
    page.reload()  # now answered from the cache
    expect(cramp).to_contain_text("4/10")

    # An edit through the form: the page seen before shows it.
    cramp.get_by_role("link", name="Edit").click()
    page.get_by_role("group", name="How bad (1 mild – 10 worst)?").locator("label.chip", has_text="9").click()
    page.get_by_role("button", name="Save cramp").first.click()
    expect(page.get_by_role("heading", name="Your diary")).to_be_visible()
    expect(page.locator(".cramp-list li", has_text="the first night")).to_contain_text("9/10")
    expect(page.locator("article.day-card").first.locator(".card-header")).to_contain_text("worst 9/10")

    # Another language: the same cards in Ukrainian.
    page.locator("#language").select_option("uk")
    page.get_by_role("button", name="Change").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ваш щоденник")
    header = page.locator("article.day-card").first.locator(".card-header")
    expect(header).not_to_contain_text((night.date() - timedelta(days=1)).strftime("%A"))
    expect(header).to_contain_text("9/10")

    # Deleting the day log: its card says so at once.
    page.goto(url(f"/diary/day/{(night.date() - timedelta(days=1)).isoformat()}/delete/"))
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_text("a long walk")).to_have_count(0)
