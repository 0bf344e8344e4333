from datetime import datetime, time, timedelta

import pytest
from playwright.sync_api import Page, expect

from diary.models import Episode

from .conftest import ZONE, local_now, shoot

pytestmark = pytest.mark.browser


def cramp(user, when: datetime, intensity: int, context: str = "sleep") -> Episode:
    episode = Episode(user=user, started_at=when, leg="right", muscle="calf", intensity=intensity, context=context)
    episode.attribute(ZONE)
    episode.save()
    return episode


def test_a_cramp_night_shows_its_worst_intensity(logged_in: Page, url, account):
    page = logged_in
    night = local_now().date() - timedelta(days=3)
    # Two cramps in one night, before and after midnight: both belong to the evening of `night`.
    cramp(account, datetime.combine(night, time(23, 40), ZONE), 4)
    cramp(account, datetime.combine(night + timedelta(days=1), time(3, 15), ZONE), 7)
    # A mild cramp on another day.
    quiet = night - timedelta(days=2)
    cramp(account, datetime.combine(quiet, time(18, 0), ZONE), 2, context="rest")

    page.goto(url(f"/diary/calendar/?month={night:%Y-%m}"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{night:%B %Y}")

    def cell(day):
        return page.locator("td", has=page.locator(f'a[href="/diary/{day:%Y-%m-%d}/"]'))

    expect(cell(night)).to_contain_class("cramp-night intensity-7")
    expect(cell(night).locator(".cal-worst")).to_have_text("worst 7/10 — 2 cramps")
    expect(cell(night).locator(".cal-worst")).to_be_visible()
    expect(cell(night + timedelta(days=1)).locator(".cal-worst")).to_have_count(0)
    if quiet.month == night.month:
        expect(cell(quiet).locator(".cal-worst")).to_have_text("worst 2/10 — 1 cramp")
    shoot(page, "calendar")

    # A tap on the night opens that day with both cramps.
    cell(night).get_by_role("link").click()
    expect(page.locator(".cramp-list li")).to_have_count(2)
    expect(page.get_by_text("2 cramps · worst 7/10")).to_be_visible()
