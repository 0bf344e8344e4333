from datetime import timedelta

import pytest
from playwright.sync_api import Locator, Page, expect

from diary.models import DayLog

from .conftest import exactly, local_now, shoot

pytestmark = pytest.mark.browser


def fact(card: Locator, name: str) -> Locator:
    """The value of one fact ("Load", "Footwear", ...) in a diary day card."""
    return card.locator(".day-facts > div").filter(has=card.page.locator("dt", has_text=exactly(name))).locator("dd")


def test_day_log_and_what_carries_over_to_the_next_day(logged_in: Page, url, account):
    page = logged_in
    # Future dates are refused, so the "first" day is the day before yesterday.
    today = local_now().date()
    first, second = today - timedelta(days=2), today - timedelta(days=1)

    page.goto(url(f"/diary/day/?date={first:%Y-%m-%d}"))
    expect(page.get_by_role("heading", level=1)).to_have_text("New day log")
    expect(page.get_by_label(exactly("Date"))).to_have_value(f"{first:%Y-%m-%d}")
    page.get_by_role("group", name="Physical load today").get_by_label("Hard").check()
    page.get_by_label("Footwear").select_option(label="Sports shoes")
    foods = page.get_by_role("group", name="Foods eaten")
    foods.get_by_label("Banana").check()
    foods.get_by_label("Nuts").check()
    page.get_by_label("Stress (0–10)").fill("6")
    page.get_by_label("Hours of sleep").fill("6.5")
    page.get_by_role("group", name="Anything else you noticed").get_by_label("Muscle weakness").check()
    shoot(page, "day-log")
    page.get_by_role("button", name="Save day log").click()

    expect(page.get_by_role("status")).to_contain_text("Day log saved.")
    card = page.locator(f"#day-{first:%Y-%m-%d}")
    expect(card).to_contain_text(f"{first:%A}, {first.day} {first:%B %Y}")
    expect(card).to_contain_text("no cramps")
    expect(fact(card, "Load")).to_have_text("Hard")
    expect(fact(card, "Footwear")).to_have_text("Sports shoes")
    expect(fact(card, "Food")).to_have_text("Banana, Nuts")
    expect(fact(card, "Stress")).to_have_text("6/10")
    expect(fact(card, "Sleep")).to_have_text("6.5 h")
    expect(card).to_contain_text("Symptoms: Muscle weakness")
    shoot(page, "diary-day-log")

    # The next day's new log starts from the habits; the symptoms and the rest start empty.
    page.goto(url(f"/diary/day/?date={second:%Y-%m-%d}"))
    expect(page.get_by_role("heading", level=1)).to_have_text("New day log")
    expect(page.get_by_label(exactly("Date"))).to_have_value(f"{second:%Y-%m-%d}")
    expect(page.get_by_label("Footwear")).to_have_value("sports")
    foods = page.get_by_role("group", name="Foods eaten")
    expect(foods.get_by_label("Banana")).to_be_checked()
    expect(foods.get_by_label("Nuts")).to_be_checked()
    expect(foods.locator("input:checked")).to_have_count(2)
    expect(page.get_by_role("group", name="Anything else you noticed").locator("input:checked")).to_have_count(0)
    expect(page.get_by_role("group", name="Physical load today").locator("input:checked")).to_have_count(0)
    expect(page.get_by_label("Stress (0–10)")).to_have_value("")
    expect(page.get_by_label("Hours of sleep")).to_have_value("")
    page.get_by_role("button", name="Save day log").click()

    expect(page.get_by_role("status")).to_contain_text("Day log saved.")
    expect(page.locator("article.day-card")).to_have_count(2)
    expect(fact(page.locator(f"#day-{second:%Y-%m-%d}"), "Food")).to_have_text("Banana, Nuts")
    expect(page.locator(f"#day-{second:%Y-%m-%d}")).not_to_contain_text("Symptoms")

    logs = {log.date: log for log in DayLog.objects.filter(user=account)}
    assert logs[first].exertion == "hard" and logs[first].symptoms == ["muscle_weakness"]
    assert logs[second].footwear == "sports" and logs[second].foods == ["banana", "nuts"]
    assert logs[second].symptoms == [] and logs[second].exertion == ""
