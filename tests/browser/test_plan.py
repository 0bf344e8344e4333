"""The prevention plan in a real browser: view it, follow tonight's routine, print it on one page."""

import io
import re
from datetime import UTC

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from diary.attribution import routine_evening_of
from diary.models import DayLog
from tests import factories

from .conftest import local_now, main_menu, shoot

pytestmark = pytest.mark.browser


def pdf_of(page: Page, paper: str) -> PdfReader:
    page.emulate_media(media="print")
    return PdfReader(io.BytesIO(page.pdf(format=paper, print_background=True)))


def test_view_follow_and_print_the_plan(logged_in: Page, url, account):
    page = logged_in
    account.profile.flat_feet = "yes"
    account.profile.medications = ["statin"]
    account.profile.save()
    # a cramp last night: no cause is listed before the diary has one
    factories.episode(account, local_now().replace(hour=2, minute=0, second=0, microsecond=0).astimezone(UTC))

    main_menu(page).get_by_role("link", name="Plan", exact=True).click()
    expect(page.get_by_role("heading", name="Your prevention plan")).to_be_visible()
    expect(page.locator('[data-item="doctor_medication_review"]')).to_contain_text("medication review")
    expect(page.locator('[data-item="orthopaedic_check"]')).to_be_visible()
    expect(page.locator('[data-section="exercises"]')).to_contain_text("Toe pulls")
    shoot(page, "plan")

    # Switch the foot massage off: it stays listed, marked, and leaves the printout.
    page.locator('[data-item="foot_massage"]').get_by_role("button", name="Switch off").click()
    expect(page.locator('[data-item="foot_massage"]')).to_contain_text("switched off")

    # The schedule: three evenings at 21:30.
    page.get_by_role("link", name="Change").click()
    for day in ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"):
        box = page.get_by_label(day, exact=True)
        if day in ("Mon", "Wed", "Fri"):
            box.check()
        else:
            box.uncheck()
    page.get_by_label("Time of the routine").fill("21:30")
    page.get_by_role("button", name="Save schedule").click()
    expect(page.locator(".routine-card").get_by_text("Mon, Wed, Fri at 21:30")).to_be_visible()

    # Tonight's routine, with the timer, then Done.
    page.get_by_role("link", name="Tonight's routine").first.click()
    first = page.locator('[data-exercise="toe_pulls"]')
    first.get_by_role("button", name="Start timer").click()
    expect(first.locator(".timer-cue")).to_have_text("Left leg, hold 20 seconds (1 of 3)")
    expect(first.locator(".timer-left")).to_contain_text("seconds left")
    shoot(page, "tonight")
    page.get_by_role("button", name="Done", exact=True).click()
    expect(page.locator("[data-done]")).to_be_visible()
    # The app's night rule: until noon, "Done" is the night just passed's (it read 05:00 here before,
    # and failed between 05:00 and noon).
    assert DayLog.objects.get(user=account, date=routine_evening_of(local_now())).exercises_done
    expect(page.get_by_text(re.compile(r"Streak: 1 evening in a row|Streak: 0 evenings"))).to_be_visible()

    # One page, on A4 and on Letter, with the key texts and without the navigation.
    page.goto(url("/plan/print/"))
    shoot(page, "plan-print")
    for paper in ("A4", "Letter"):
        pdf = pdf_of(page, paper)
        assert len(pdf.pages) == 1, f"{paper}: {len(pdf.pages)} pages"
        text = " ".join(pdf.pages[0].extract_text().split())
        for words in (
            "My leg-cramp prevention plan",
            "Toe pulls",
            "Foot circles",
            "Tick each evening",
            "medication review",
            "Dried apricots",
            "Bedtime routine: Mon, Wed, Fri at 21:30",
        ):
            assert words.lower() in text.lower(), f"{paper}: {words!r} missing"
        assert "Sign out" not in text and "Foot massage after a hard day" not in text
