from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from diary.models import Episode

from .conftest import local_now, main_menu, shoot

pytestmark = pytest.mark.browser


def chip(page: Page, group: str, label: str):
    """The tappable label of a chip (the radio/checkbox itself is hidden by .btn-check)."""
    return page.get_by_role("group", name=group).locator("label.chip", has_text=label)


def chip_input(page: Page, group: str, label: str):
    return page.get_by_role("group", name=group).get_by_label(label, exact=True)


def test_one_tap_then_a_detailed_cramp(logged_in: Page, url, account):
    page = logged_in
    page.get_by_role("link", name="Log a cramp").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log a cramp")
    # Every field has a default: now, right calf, intensity 5.
    expect(chip_input(page, "Leg", "Right")).to_be_checked()
    expect(chip_input(page, "Muscle", "Calf")).to_be_checked()
    expect(chip_input(page, "How bad (1 mild – 10 worst)?", "5")).to_be_checked()
    shoot(page, "log-a-cramp")

    # One tap on the big button at the top saves it.
    page.get_by_role("button", name="Save cramp").first.click()
    expect(page.get_by_role("heading", name="Your diary")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Cramp saved.")
    cramps = page.locator(".cramp-list li")
    expect(cramps).to_have_count(1)
    expect(cramps.first).to_contain_text("5/10")
    expect(cramps.first).to_contain_text("Right · Calf")

    # A second one, told in detail.
    page.get_by_role("link", name="Log a cramp").first.click()
    chip(page, "Leg", "Left").click()
    chip(page, "Muscle", "Foot").click()
    chip(page, "How bad (1 mild – 10 worst)?", "8").click()
    page.get_by_label("How long (minutes)?").fill("1.5")
    expect(chip_input(page, "How bad (1 mild – 10 worst)?", "8")).to_be_checked()
    page.get_by_role("button", name="Save cramp").last.click()

    expect(page.get_by_role("heading", name="Your diary")).to_be_visible()
    card = page.locator("article.day-card").first
    expect(card.locator(".card-header")).to_contain_text("2 cramps · worst 8/10")
    expect(page.locator(".cramp-list li")).to_have_count(2)
    detailed = page.locator(".cramp-list li", has_text="8/10")
    expect(detailed).to_contain_text("Left · Foot")
    expect(detailed).to_contain_text("1 min 30 s")
    shoot(page, "diary")

    # The next new-cramp form starts from the last cramp's leg, muscle and intensity.
    page.get_by_role("link", name="Log a cramp").first.click()
    expect(chip_input(page, "Leg", "Left")).to_be_checked()
    expect(chip_input(page, "Muscle", "Foot")).to_be_checked()
    expect(chip_input(page, "How bad (1 mild – 10 worst)?", "8")).to_be_checked()

    saved = Episode.objects.filter(user=account).order_by("created_at")
    assert [(e.leg, e.muscle, e.intensity, e.duration_seconds) for e in saved] == [
        ("right", "calf", 5, None),
        ("left", "foot", 8, 90),
    ]


def test_a_cramp_in_the_future_is_refused(logged_in: Page, url, account):
    page = logged_in
    page.goto(url("/diary/cramp/new/"))
    tomorrow = (local_now() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    page.get_by_label("When did it start?").fill(tomorrow)
    page.get_by_role("button", name="Save cramp").first.click()

    expect(page.get_by_role("alert")).to_contain_text("Nothing was saved.")
    field = page.locator(".field-started_at")
    expect(field.locator(".invalid-feedback")).to_have_text(
        "A cramp cannot start in the future. Check the date and time."
    )
    # What the person chose is still there to correct.
    expect(page.get_by_label("When did it start?")).to_have_value(tomorrow)
    expect(page.get_by_label("When did it start?")).to_have_attribute("aria-invalid", "true")
    shoot(page, "log-a-cramp-error")
    assert not Episode.objects.filter(user=account).exists()

    main_menu(page).get_by_role("link", name="Diary", exact=True).click()
    expect(page.get_by_text("Your diary is empty.")).to_be_visible()
