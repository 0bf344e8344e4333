"""The assessment in a real browser: from a short diary to a ranked picture with a red flag."""

from datetime import datetime, time, timedelta

import pytest
from playwright.sync_api import Page, expect

from diary.models import DayLog, Episode

from .conftest import ZONE, local_now, main_menu, shoot

pytestmark = pytest.mark.browser


def log_days(user, first_days_ago: int, last_days_ago: int, cramp_every: int = 3) -> None:
    """Days of standing at work; cramps in the night after every `cramp_every`-th day, a long shift."""
    today = local_now().date()
    for days_ago in range(first_days_ago, last_days_ago - 1, -1):
        day = today - timedelta(days=days_ago)
        cramp_night = days_ago % cramp_every == 0
        DayLog.objects.update_or_create(
            user=user,
            date=day,
            defaults={
                "standing_hours": 9 if cramp_night else 3,
                "exertion": "moderate",
                "footwear": "comfortable",
                "foods": ["dairy", "banana", "fish"],
                "stress": 3,
            },
        )
        if cramp_night:
            episode = Episode(
                user=user,
                started_at=datetime.combine(day + timedelta(days=1), time(3, 10), ZONE),
                leg="left",
                muscle="calf",
                intensity=7,
                duration_seconds=90,
                context="sleep",
            )
            episode.attribute(ZONE)
            episode.save()


def test_the_picture_grows_with_the_diary_and_red_flags_come_first(logged_in: Page, url, account):
    page = logged_in
    account.profile.medications = ["statin"]
    account.profile.save()
    log_days(account, 9, 1)

    main_menu(page).get_by_role("link", name="Causes", exact=True).click()
    expect(page.get_by_role("heading", name="What may be causing my cramps")).to_be_visible()
    expect(page.get_by_text("This is not a diagnosis.")).to_be_visible()
    expect(page.get_by_text("Log 5 more days to see them.")).to_be_visible()
    # The profile speaks at once; the diary's patterns wait for two weeks.
    causes = page.locator("[data-cause]")
    expect(causes).to_have_count(1)
    expect(causes.first).to_have_attribute("data-cause", "medication")
    shoot(page, "assessment-short")

    log_days(account, 30, 10)
    page.reload()
    expect(page.locator('[data-sufficient="false"]')).to_have_count(0)
    first = page.locator("[data-cause]").first
    expect(first).to_have_attribute("data-cause", "overexertion")
    expect(first).to_contain_text("cramp nights came after a day of standing 6 hours or more")
    expect(first).to_contain_text("Supported by clinical guidance")

    # A swollen calf after a cramp: the warning stands above every cause.
    DayLog.objects.filter(user=account, date=local_now().date() - timedelta(days=1)).update(
        symptoms=["calf_swelling_one_side"]
    )
    page.reload()
    flag = page.locator('[data-red-flag="possible_dvt"]')
    expect(flag).to_be_visible()
    expect(flag).to_contain_text("Seek medical care today")
    assert flag.bounding_box()["y"] < page.locator("[data-cause]").first.bounding_box()["y"]
    page.get_by_text("Patterns checked in your diary").click()
    expect(page.locator('[data-pattern="long_standing"][data-verdict="more"]')).to_be_visible()
    shoot(page, "assessment-full")

    page.get_by_role("link", name="How the assessment works").click()
    expect(page.get_by_role("heading", name="How the assessment works")).to_be_visible()
    expect(page.locator('[data-rule="load-standing"]')).to_contain_text("standing 6 hours or more")
    shoot(page, "assessment-how")

    page.go_back()
    page.get_by_role("link", name="Earlier assessments").click()
    expect(page.locator("[data-snapshot]")).to_have_count(1)  # all today: one snapshot, kept up to date
    with page.expect_download() as download:
        page.goto(url("/causes/"))
        page.get_by_role("link", name="Download as JSON").click()
    assert download.value.suggested_filename.startswith("cramps-assessment-")
