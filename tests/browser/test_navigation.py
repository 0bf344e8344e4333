"""Phone navigation (issue 14, item 7): a menu that collapses and opens with or without JavaScript,
and a floating "Log a cramp" button that never hides the end of a page. English and Ukrainian."""

import pytest
from playwright.sync_api import Page, expect

from .conftest import PHONE, choose_language, create_account, log_in, shoot
from .site_pages import LONGEST, seeded_account

pytestmark = pytest.mark.browser

LINKS = {
    "en": ["Diary", "Calendar", "Day log", "Causes", "Plan", "Insights", "Profile", "Account"],
    "uk": ["Щоденник", "Календар", "Запис дня", "Причини", "План", "Аналітика", "Профіль", "Обліковий запис"],
}
MENU = {"en": "Menu", "uk": "Меню"}
SIGN_OUT = {"en": "Sign out", "uk": "Вийти"}


def menu_links(page: Page):
    return page.locator(".site-menu-links")


@pytest.mark.parametrize("language", ["en", "uk"])
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_the_phone_menu_is_collapsed_and_opens(
    browser, browser_context_args, url, transactional_db, language, javascript
):
    context = browser.new_context(**browser_context_args, java_script_enabled=javascript)
    page = context.new_page()
    page.set_default_timeout(5_000)
    user = create_account("menu@example.com")
    log_in(page, url, user.email)
    choose_language(page, language)
    page.goto(url("/diary/"))

    header = page.locator("header.site-header")
    # Collapsed: the brand and one Menu button, on one line; no link of the menu shows.
    assert header.bounding_box()["height"] < 70
    summary = page.locator(".site-menu > summary")
    expect(summary).to_be_visible()
    expect(summary).to_have_text(MENU[language])
    expect(page.locator(".site-nav")).to_be_hidden()  # the wide screen's line of links
    for name in LINKS[language]:
        expect(menu_links(page).get_by_role("link", name=name, exact=True)).to_be_hidden()

    summary.click()
    expect(page.locator(".site-menu")).to_have_attribute("open", "")
    for name in LINKS[language]:
        link = menu_links(page).get_by_role("link", name=name, exact=True)
        expect(link).to_be_visible()
        box = link.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], name
        assert box["height"] >= 44, f"{name}: a thumb-sized target"  # WCAG 2.5.5's 44 px
    expect(menu_links(page).get_by_role("button", name=SIGN_OUT[language])).to_be_visible()
    shoot(page, f"menu-open-{language}-{'js' if javascript else 'no-js'}")

    # Closing it again, then following a link from it.
    summary.click()
    expect(menu_links(page).get_by_role("link", name=LINKS[language][1], exact=True)).to_be_hidden()
    summary.click()
    menu_links(page).get_by_role("link", name=LINKS[language][1], exact=True).click()
    expect(page).to_have_url(url("/diary/calendar/"))
    expect(menu_links(page)).to_be_hidden()  # a new page starts with the menu closed
    context.close()


def test_a_wide_screen_shows_every_link_in_one_line(page: Page, url, transactional_db):
    user = create_account("wide@example.com")
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, url, user.email)
    expect(page.locator(".site-menu")).to_be_hidden()
    nav = page.locator(".site-nav")
    tops = {round(nav.get_by_role("link", name=name, exact=True).bounding_box()["y"]) for name in LINKS["en"]}
    assert len(tops) == 1


# Text nodes, form controls and pictures whose boxes meet the floating button's (the button itself aside).
COVERED = """() => {
  const button = document.querySelector(".quick-log");
  if (!button) { return ["(no floating button)"]; }
  const b = button.getBoundingClientRect();
  const meets = r => r.width > 1 && r.height > 1 && r.left < b.right && r.right > b.left && r.top < b.bottom && r.bottom > b.top;
  const hits = [];
  // Shown to the eye: not in a closed <details>, not invisible, not transparent.
  const seen = {contentVisibilityAuto: true, visibilityProperty: true, opacityProperty: true};
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.textContent.trim() || button.contains(node) || !node.parentElement.checkVisibility(seen)) { continue; }
    const range = document.createRange();
    range.selectNodeContents(node);
    if (Array.from(range.getClientRects()).some(meets)) {
      hits.push(node.parentElement.tagName.toLowerCase() + ": " + node.textContent.trim().slice(0, 50));
    }
  }
  document.querySelectorAll("input, select, textarea, button, img, svg, a").forEach(el => {
    const inPicture = el.tagName.toLowerCase() !== "svg" && el.closest("svg");
    if (!button.contains(el) && !inPicture && el.checkVisibility(seen) && meets(el.getBoundingClientRect())) {
      hits.push(el.tagName.toLowerCase() + (el.name ? "[" + el.name + "]" : ""));
    }
  });
  return hits;
}"""


@pytest.mark.parametrize("language", ["en", "uk"])
def test_the_floating_button_covers_nothing_at_the_end_of_the_longest_pages(
    page: Page, url, transactional_db, language
):
    user = seeded_account()
    log_in(page, url, user.email)
    choose_language(page, language)
    for path in LONGEST:
        page.goto(url(path))
        expect(page.locator(".quick-log")).to_be_visible()
        page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
        page.wait_for_function("window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 1")
        assert page.evaluate(COVERED) == [], path


def test_the_floating_button_steps_aside_while_scrolling_down_and_returns_on_the_way_up(
    page: Page, url, transactional_db
):
    user = seeded_account()
    log_in(page, url, user.email)
    page.goto(url("/diary/"))
    button = page.locator(".quick-log")
    height = page.viewport_size["height"]

    def on_screen() -> bool:
        page.wait_for_timeout(350)  # the transition
        return button.bounding_box()["y"] < height

    assert on_screen()
    page.mouse.wheel(0, 900)
    assert not on_screen(), "scrolled down mid-page, it must not sit on an Edit button"
    edit = page.locator(".edit-button").first
    assert edit.bounding_box()["height"] >= 44 and edit.bounding_box()["width"] >= 44  # a thumb's target
    page.mouse.wheel(0, -300)
    assert on_screen(), "back on the way up"
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    assert on_screen(), "and at the end, where the footer leaves it room"


@pytest.mark.parametrize("path", ["/diary/", "/plan/tonight/", "/profile/"])
def test_larger_text_on_a_phone_wraps_instead_of_scrolling_sideways(page: Page, url, transactional_db, path):
    """WCAG 1.4.4 and 1.4.10: text at 200% (a phone's largest-text setting), long Ukrainian words."""
    user = seeded_account()
    log_in(page, url, user.email)
    choose_language(page, "uk")
    page.goto(url(path))
    page.evaluate("document.documentElement.style.fontSize = '200%'")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
