"""Issue 14's first nights, where the browser matters: printing and clicking."""

from datetime import timedelta

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from .conftest import local_now
from .test_assessment import log_days

pytestmark = pytest.mark.browser


def test_collapsed_patterns_are_left_out_of_the_print_and_opened_ones_print_whole(logged_in: Page, url, account):
    page = logged_in
    log_days(account, 20, 1)
    page.goto(url(reverse("prevention:assessment")))
    summary = page.get_by_text("Patterns checked in your diary")
    expect(summary).to_be_visible()
    page.emulate_media(media="print")
    expect(summary).to_be_hidden()  # not a bare heading on paper
    page.emulate_media(media="screen")
    summary.click()
    page.emulate_media(media="print")
    expect(summary).to_be_visible()
    expect(page.locator("details.patterns table")).to_be_visible()


def test_a_future_calendar_day_cannot_be_clicked_into(logged_in: Page, url):
    page = logged_in
    tomorrow = local_now().date() + timedelta(days=1)
    page.goto(url(f"/diary/calendar/?month={tomorrow:%Y-%m}"))
    future = page.locator("td .cal-future", has_text=str(tomorrow.day)).first
    expect(future).to_be_visible()
    expect(page.locator(f'a[href="/diary/{tomorrow:%Y-%m-%d}/"]')).to_have_count(0)
    before = page.url
    future.click()
    expect(page).to_have_url(before)  # nothing to open yet
