"""Insights and the doctor's report in a real browser: the range filter, the report on paper
(at most two A4 or Letter pages, printed by Chromium and made by the server), and the doctor's link."""

import io
import re
from datetime import UTC, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from diary.demo import demo_diary, save_diary, volume_diary
from prevention.models import DoctorLink
from prevention.plan.services import ensure_plan
from tests import factories

from .conftest import keep_pdf, local_now, main_menu, shoot
from .test_safety import PAPERS, fullest_diary, pdf_of, pdf_text

pytestmark = pytest.mark.browser

REPORT_TEXTS = (
    "Leg-cramp report",
    "How often",
    "Typical cramp",
    "Warning signs",
    "Possible causes",
    "Prevention plan",
    "Most severe cramps",
    "Not a diagnosis",
)


def demo(user) -> None:
    save_diary(user, *demo_diary(local_now().date()))
    ensure_plan(user, local_now().date())


def three_years_with_every_warning(user) -> None:
    """Three years of diary, then the fullest four weeks the rules know: every warning sign, every plan item."""
    today = local_now().date()
    save_diary(user, *volume_diary(today - timedelta(days=30), days=1100, cramps=1500))
    fullest_diary(user)
    ensure_plan(user, today)


def test_open_insights_and_change_the_range(logged_in: Page, url, account):
    page = logged_in
    demo(account)
    # One cramp two months before the demo's four weeks: "a year" reaches it, "4 weeks" does not.
    factories.episode(account, (local_now() - timedelta(days=60)).replace(hour=3).astimezone(UTC), intensity=9)
    main_menu(page).get_by_role("link", name="Insights", exact=True).click()
    expect(page.get_by_role("heading", name="Insights: is it working?")).to_be_visible()
    expect(page.locator("[data-period]")).to_contain_text("cramp nights")
    expect(page.locator('[data-chart="chart-weeks"] svg')).to_be_visible()
    expect(page.locator('[data-comparison="hard_training"]')).to_contain_text("nights")
    shoot(page, "insights")

    page.get_by_label("Period", exact=True).select_option("4w")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"range=4w"))
    expect(page.get_by_label("Period", exact=True)).to_have_value("4w")
    weeks_4 = page.locator("#chart-weeks tbody tr").count()
    page.get_by_label("Period", exact=True).select_option("custom")
    page.get_by_label("From (for dates you choose)").fill("2026-02-30")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("alert")).to_contain_text("Showing the last 3 months instead.")
    page.get_by_label("Period", exact=True).select_option("1y")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_label("Period", exact=True)).to_have_value("1y")
    assert page.locator("#chart-weeks tbody tr").count() > weeks_4 + 3
    expect(page.locator("[data-period]")).to_contain_text("cramps in all")

    # The table behind the chart, for a screen reader or anyone who prefers numbers.
    page.locator("#chart-weeks summary").click()
    expect(page.locator("#chart-weeks table")).to_be_visible()


def check_paper(page: Page, name: str) -> None:
    for paper in PAPERS:
        pdf = pdf_of(page, paper, keep=name)
        assert len(pdf.pages) <= 2, f"{name} {paper}: {len(pdf.pages)} pages"
        text = pdf_text(pdf)
        for words in REPORT_TEXTS:
            assert words in text, f"{name} {paper}: {words!r} missing"
        assert "Sign out" not in text and "Make a new link" not in text and "A link to the report of" not in text


def check_download(page: Page, name: str) -> str:
    """Both server-made PDFs, A4 and Letter: at most two pages each, with the key texts; the A4 text back."""
    texts = []
    for paper, link in (("A4", "[data-pdf]"), ("Letter", "[data-pdf-letter]")):
        # WeasyPrint's first PDF in a process loads its fonts: seconds, not the page's milliseconds.
        with page.expect_download(timeout=60_000) as info:
            page.locator(link).click(no_wait_after=True)
        data = open(info.value.path(), "rb").read()
        keep_pdf(f"{name}-download-{paper}.pdf", data)
        reader = PdfReader(io.BytesIO(data))
        assert len(reader.pages) <= 2, f"{name} download {paper}: {len(reader.pages)} pages"
        assert round(float(reader.pages[0].mediabox.width)) == {"A4": 595, "Letter": 612}[paper]
        text = pdf_text(reader)
        for words in REPORT_TEXTS:
            assert words in text, f"{name} download {paper}: {words!r} missing"
        texts.append(text)
    return texts[0]


def test_the_demo_report_prints_on_at_most_two_pages(logged_in: Page, url, account):
    page = logged_in
    demo(account)
    page.goto(url("/insights/"))
    page.get_by_role("link", name="Report for my doctor").click()
    expect(page.get_by_role("heading", name="Leg-cramp report")).to_be_visible()
    shoot(page, "report")
    check_download(page, "report-demo")
    check_paper(page, "report-demo")


def test_three_years_with_every_warning_print_on_at_most_two_pages(logged_in: Page, url, account):
    page = logged_in
    three_years_with_every_warning(account)
    page.goto(url("/report/"))
    expect(page.locator("[data-red-flags] .flag").first).to_be_visible()
    assert page.locator("[data-red-flags] .flag").count() >= 6  # every open warning, and the later-checks too
    text = check_download(page, "report-three-years")
    assert "Blood clot" in text or "clot" in text.lower()
    check_paper(page, "report-three-years")


def make_link(page: Page, url, period: str = "") -> str:
    page.goto(url("/report/"))
    if period:
        page.get_by_label("A link to the report of").select_option(label=period)
    page.get_by_role("button", name=re.compile("Make a new link")).click()
    address = page.locator("[data-share-link] input").input_value()  # the box with its Copy button
    assert re.fullmatch(r"https?://\S+/shared/[\w-]+/", address), address
    return address


def test_the_doctors_link_signed_out_expired_and_revoked(logged_in: Page, url, account, browser):
    page = logged_in
    demo(account)
    address = make_link(page, url, period="the last 4 weeks")
    expect(page.locator("#doctor-links")).to_contain_text("Never opened.")
    expect(page.locator("#doctor-links")).to_contain_text("the report of the last 4 weeks")

    doctor = browser.new_context(locale="en-GB").new_page()  # signed out, another browser
    doctor.goto(address)
    expect(doctor.get_by_role("heading", name="Leg-cramp report")).to_be_visible()
    expect(doctor.locator("[data-link-period]")).to_have_text("shared: the report of the last 4 weeks")
    expect(doctor.locator("section.frequency")).to_contain_text("Days in the period: 28;")
    expect(doctor.get_by_role("link", name="Sign out")).to_have_count(0)
    expect(doctor.get_by_role("button", name=re.compile("Make a new link"))).to_have_count(0)
    page.reload()
    expect(page.locator("#doctor-links")).to_contain_text("Last opened")

    # Expired: the same address opens nothing.
    DoctorLink.objects.filter(user=account).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert doctor.goto(address).status == 404
    expect(doctor.get_by_role("heading", name="This link does not work")).to_be_visible()

    # A new link, revoked from the account page.
    second = make_link(page, url)
    assert doctor.goto(second).status == 200
    shoot(page, "account-doctor-links")
    page.locator("#doctor-links li").first.get_by_role("button", name="Revoke").click()
    expect(page.locator("#doctor-links li").first).to_contain_text("Revoked.")
    assert doctor.goto(second).status == 404
    doctor.context.close()


def test_the_new_doctors_link_is_copied_with_one_tap(logged_in: Page, url, account):
    logged_in.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=url("/").rstrip("/"))
    address = make_link(logged_in, url)
    message = logged_in.locator("[data-share-link]")
    assert address not in message.inner_text()  # in its box, not as text to select by hand
    message.get_by_role("button", name="Copy the link").click()
    expect(message).to_contain_text("Copied: paste it into a message to your doctor.")
    assert logged_in.evaluate("navigator.clipboard.readText()") == address


def test_the_reports_controls_are_thumb_sized_on_a_phone(logged_in: Page, url, account):
    logged_in.goto(url("/report/"))
    controls = logged_in.locator(
        ".screen-only a:visible, .screen-only button:visible, .screen-only select:visible, "
        ".period-form select:visible, .period-form input:visible, .period-form button:visible"
    )
    assert controls.count() >= 8
    small = [
        (controls.nth(i).inner_text() or controls.nth(i).get_attribute("name"), box["height"])
        for i in range(controls.count())
        if (box := controls.nth(i).bounding_box())["height"] < 44
    ]
    assert small == []
    assert logged_in.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # no sideways scroll
