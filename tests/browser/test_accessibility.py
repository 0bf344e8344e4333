"""axe-core on every page (issue 14, item 8): 0 critical and 0 serious violations, and no landmark
problem, in English and Ukrainian, on a phone and on a desktop screen (docs/accessibility.md)."""

import hashlib
import json
from pathlib import Path

import pytest
from playwright.sync_api import Page

from diary import exchange

from .conftest import PHONE, choose_language, log_in
from .site_pages import PUBLIC, SIGNED_IN, a_day_with_entries, seeded_account

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent.parent / "vendor" / "axe-core" / "axe.min.js"
AXE_SHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"
DESKTOP = {"width": 1280, "height": 800}
# Besides every critical and serious violation: the moderate ones about landmarks (one main,
# all content in landmarks, unique and top-level landmarks).
LANDMARK_RULES = {"region", "bypass"}

RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " — " + (n.failureSummary || "").split("\\n").slice(1, 2).join("")),
  }));
}"""


def test_the_vendored_axe_is_the_one_recorded():
    assert hashlib.sha256(AXE.read_bytes()).hexdigest() == AXE_SHA256


def violations(page: Page) -> list[dict]:
    """The page's violations that must be none: critical, serious, and landmark ones."""
    page.wait_for_load_state("load")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Through the debugging protocol, so the site's Content-Security-Policy stays as it is.
        page.evaluate(AXE.read_text(encoding="utf-8"))
    found = page.evaluate(RUN_AXE)
    return [
        v
        for v in found
        if v["impact"] in ("critical", "serious") or v["id"].startswith("landmark-") or v["id"] in LANDMARK_RULES
    ]


def check_pages(page: Page, url, paths: list[str]) -> dict[str, list]:
    problems = {}
    for path in paths:
        page.goto(url(path))
        found = violations(page)
        if found:
            problems[path] = found
    return problems


def report(problems: dict) -> str:
    lines = []
    for path, found in problems.items():
        for v in found:
            lines.append(f"{path}: [{v['impact']}] {v['id']}: {v['help']}")
            lines.extend(f"      {target}" for target in v["targets"])
    return "\n".join(lines)


SCREENS = {"phone": PHONE, "desktop": DESKTOP}


@pytest.mark.parametrize("screen", ["phone", "desktop"])
@pytest.mark.parametrize("language", ["en", "uk"])
def test_public_pages(page: Page, url, transactional_db, language, screen):
    page.set_viewport_size(SCREENS[screen])
    page.goto(url("/"))
    choose_language(page, language)
    problems = check_pages(page, url, PUBLIC)
    # The sign-in form sent with a wrong password: its error message and marked fields.
    page.goto(url("/accounts/login/"))
    page.locator("form.auth-form input[type=email]").fill("nobody@example.com")
    page.locator("form.auth-form input[type=password]").fill("not the password")
    page.locator("form.auth-form [type=submit]").click()
    page.wait_for_load_state("load")
    found = violations(page)
    if found:
        problems["/accounts/login/ (refused)"] = found
    assert not problems, "\n" + report(problems)


@pytest.mark.parametrize("screen", ["phone", "desktop"])
@pytest.mark.parametrize("language", ["en", "uk"])
def test_signed_in_pages(page: Page, url, transactional_db, tmp_path, language, screen):
    page.set_viewport_size(SCREENS[screen])
    user = seeded_account()
    log_in(page, url, user.email)
    choose_language(page, language)
    day = a_day_with_entries(user)
    paths = [path.format(day=day) for path in SIGNED_IN]
    problems = check_pages(page, url, paths)

    def check(name: str) -> None:
        found = violations(page)
        if found:
            problems[name] = found

    # The phone's menu, opened.
    if screen == "phone":
        page.goto(url("/diary/"))
        page.locator(".site-menu > summary").click()
        check("/diary/ (menu open)")
    # A form sent with mistakes: the messages and the marked fields.
    page.goto(url("/diary/cramp/new/"))
    page.locator("form.episode-form [name=started_at]").fill("")
    page.locator("form.episode-form [type=submit]").last.click()
    page.wait_for_load_state("load")
    assert page.locator(".invalid-feedback, .alert-danger, [aria-invalid=true]").count() > 0
    check("/diary/cramp/new/ (sent empty)")
    # The import's preview, and a refused file's list of problems.
    document = exchange.export_document(user)
    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    document["profile"]["timezone"] = "Asia/Tokyo"
    good.write_text(json.dumps(document), encoding="utf-8")
    document["episodes"][0]["intensity"] = 11
    bad.write_text(json.dumps(document), encoding="utf-8")
    for path, name in ((good, "/diary/import/preview/"), (bad, "/diary/import/ (refused)")):
        page.goto(url("/diary/export/"))
        page.locator("input[type=file]").set_input_files(path)
        page.locator("form[action$='/diary/import/'] [type=submit]").click()
        page.wait_for_load_state("load")
        check(name)
    assert page.locator(".import-problems").is_visible()
    assert not problems, "\n" + report(problems)
