"""Tonight's routine on a phone, in English and in Ukrainian (issue 14, items 3 and 4).

Item 3: "Done" pressed at 05:58 ticks the night just passed, and the page says which evening.
Item 4: the guided timer (static/js/routine.js): cues for each hold, rest and switch of legs,
Pause/Resume and Stop, one timer at a time, a live region that speaks only at the changes.
Time in the browser runs on Playwright's clock (page.clock), never on a test-only speed-up.
"""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.dateformat import format as date_format
from playwright.sync_api import Page, expect

from diary.models import DayLog
from prevention.plan.routine import ROUTINE, cue, done_cue, guide
from prevention.reminders.links import done_token

from .conftest import open_in_language, shoot

pytestmark = pytest.mark.browser

KYIV = ZoneInfo("Europe/Kyiv")
LANGUAGES = ["en", "uk"]


def use_language(page: Page, url, lang: str) -> None:
    open_in_language(page, url, lang, "/plan/tonight/")


def words(lang: str, text: str, **values) -> str:
    with translation.override(lang):
        return translation.gettext(text) % values if values else translation.gettext(text)


def day_in(lang: str, day: date) -> str:
    with translation.override(lang):
        return date_format(day, "l, j E")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_done_at_0558_ticks_the_night_just_passed(logged_in: Page, url, account, monkeypatch, lang):
    page = logged_in
    tuesday_0558 = datetime(2026, 11, 10, 5, 58, tzinfo=KYIV)
    monkeypatch.setattr("prevention.plan.views.local_now_for", lambda user: tuesday_0558)
    use_language(page, url, lang)
    page.goto(url("/plan/tonight/"))
    monday = day_in(lang, date(2026, 11, 9))
    expect(page.locator("[data-ticks]")).to_contain_text(monday)
    with translation.override(lang):
        expected = translation.gettext("Until noon, “Done” ticks the night just passed: the evening of %(day)s.")
    expect(page.locator("[data-ticks]")).to_have_text(expected % {"day": monday})

    page.get_by_role("button", name=words(lang, "Done"), exact=True).click()
    expect(page.locator(".messages")).to_contain_text(
        words(lang, "Well done: the routine of %(day)s is in your diary.", day=monday)
    )
    expect(page.locator("[data-done]")).to_contain_text(monday)
    assert DayLog.objects.get(user=account, date=date(2026, 11, 9)).exercises_done
    assert not DayLog.objects.filter(user=account, date=date(2026, 11, 10)).exists()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_e_mails_done_link_at_0558_records_the_night_just_passed_and_not_the_evening_to_come(
    logged_in: Page, url, account, monkeypatch, lang
):
    page = logged_in
    tuesday_0558 = datetime(2026, 11, 10, 5, 58, tzinfo=KYIV)
    monkeypatch.setattr("prevention.reminders.views.local_now_for", lambda user: tuesday_0558)
    use_language(page, url, lang)
    monday, tuesday = date(2026, 11, 9), date(2026, 11, 10)

    page.goto(url(reverse("prevention:done_link", args=[done_token(account.pk, tuesday)])))
    expect(page.locator("[data-ahead]")).to_contain_text(day_in(lang, tuesday))
    expect(page.get_by_role("button", name=re.compile(re.escape(day_in(lang, tuesday))))).to_have_count(0)

    page.goto(url(reverse("prevention:done_link", args=[done_token(account.pk, monday)])))
    with translation.override(lang):
        button = translation.gettext("Yes, record it for %(day)s") % {"day": day_in(lang, monday)}
    page.get_by_role("button", name=button).click()
    expect(page.locator("[data-recorded]")).to_contain_text(day_in(lang, monday))
    assert DayLog.objects.get(user=account, date=monday).exercises_done
    assert not DayLog.objects.filter(user=account, date=tuesday).exists()


# ---------------------------------------------------------------- item 4: the guided timer

SPIES = """
window.__live = [];
window.__beeps = 0;
window.__buzz = [];
document.addEventListener("DOMContentLoaded", () => {
  const live = document.querySelector("[data-routine-live]");
  if (live) new MutationObserver(() => window.__live.push(live.textContent))
    .observe(live, { childList: true, characterData: true, subtree: true });
});
if (window.AudioContext) {
  const make = AudioContext.prototype.createOscillator;
  AudioContext.prototype.createOscillator = function () { window.__beeps += 1; return make.call(this); };
}
Object.defineProperty(navigator, "vibrate", { value: (pattern) => { window.__buzz.push(pattern); return true; } });
"""


def cues(lang: str, code: str) -> list[str]:
    """What the timer must say for an exercise, in order: each step's cue, then "Done"."""
    exercise = next(e for e in ROUTINE if e.code == code)
    with translation.override(lang):
        return [cue(exercise, step) for step in guide(exercise)] + [done_cue()]


def open_routine(page: Page, url, lang: str) -> Page:
    use_language(page, url, lang)
    page.clock.install(time=datetime(2026, 11, 10, 22, 0, tzinfo=KYIV))
    page.add_init_script(SPIES)
    page.goto(url("/plan/tonight/"))
    expect(page.locator("[data-timer]").first).to_be_visible()
    return page


def left(exercise) -> str:
    return exercise.locator(".timer-left").inner_text().split()[0]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_timer_guides_each_hold_rest_and_switch_and_speaks_only_at_the_changes(logged_in, url, lang):
    page = open_routine(logged_in, url, lang)
    toe_pulls = page.locator('[data-exercise="toe_pulls"]')
    expected = cues(lang, "toe_pulls")
    steps = guide(ROUTINE[0])
    assert [step.kind for step in steps] == [
        "hold",
        "rest",
        "hold",
        "rest",
        "hold",
        "switch",
        "hold",
        "rest",
        "hold",
        "rest",
        "hold",
    ]
    expect(toe_pulls.locator(".timer-left")).to_have_attribute("aria-hidden", "true")
    expect(page.locator("[data-routine-live]")).to_have_attribute("aria-live", "polite")

    toe_pulls.get_by_role("button", name=words(lang, "Start timer")).click()
    for number, step in enumerate(steps):
        expect(toe_pulls.locator(".timer-cue")).to_have_text(expected[number])
        expect(toe_pulls.locator(".timer-left")).to_contain_text(f"{step.seconds} ")
        page.clock.run_for(1000)
        expect(toe_pulls.locator(".timer-left")).to_contain_text(f"{step.seconds - 1} ")
        page.clock.run_for(step.seconds * 1000 - 1000)
    expect(toe_pulls.locator(".timer-cue")).to_have_text(expected[-1])
    expect(toe_pulls).to_have_class(re.compile("exercise-finished"))
    page.clock.run_for(10_000)

    # The live region changed once per step (145 s of countdown, 12 announcements), in order.
    assert page.evaluate("window.__live") == expected
    assert expected[0].startswith(words(lang, "Left leg"))
    assert words(lang, "Switch to the right leg") in expected
    assert page.evaluate("window.__beeps") == len(expected)  # a beep at each change
    assert len(page.evaluate("window.__buzz")) == len(expected)  # and a buzz where the phone can


@pytest.mark.parametrize("lang", LANGUAGES)
def test_pause_holds_the_countdown_and_stop_starts_again_from_the_top(logged_in, url, lang):
    page = open_routine(logged_in, url, lang)
    prone = page.locator('[data-exercise="prone_toe_hold"]')
    first = cues(lang, "prone_toe_hold")[0]
    prone.get_by_role("button", name=words(lang, "Start timer")).click()
    page.clock.run_for(4000)
    assert left(prone) == "6"

    prone.get_by_role("button", name=words(lang, "Pause")).click()
    expect(prone.get_by_role("button", name=words(lang, "Resume"))).to_be_visible()
    prone.scroll_into_view_if_needed()
    shoot(page, f"tonight-timer-paused-{lang}")  # fits the phone, long Ukrainian cue and all
    page.clock.run_for(30_000)
    assert left(prone) == "6"  # paused: not a second went
    expect(prone.locator(".timer-cue")).to_have_text(first)
    prone.get_by_role("button", name=words(lang, "Resume")).click()
    page.clock.run_for(3000)
    assert left(prone) == "3"

    prone.get_by_role("button", name=words(lang, "Stop")).click()
    expect(prone.get_by_role("button", name=words(lang, "Start timer"))).to_be_visible()
    expect(prone.get_by_role("button", name=words(lang, "Pause"))).to_be_hidden()
    expect(prone.locator(".timer-now")).to_be_hidden()
    page.clock.run_for(30_000)
    assert page.evaluate("window.__live") == [first, words(lang, "Paused"), first, words(lang, "Stopped")]

    prone.get_by_role("button", name=words(lang, "Start timer")).click()  # from the top again
    expect(prone.locator(".timer-cue")).to_have_text(first)
    assert left(prone) == "10"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_starting_a_second_timer_stops_the_first(logged_in, url, lang):
    page = open_routine(logged_in, url, lang)
    toe_pulls = page.locator('[data-exercise="toe_pulls"]')
    circles = page.locator('[data-exercise="foot_circles"]')
    toe_pulls.get_by_role("button", name=words(lang, "Start timer")).click()
    page.clock.run_for(3000)
    circles.get_by_role("button", name=words(lang, "Start timer")).click()

    expect(page.locator(".exercise-active")).to_have_count(1)
    expect(circles).to_have_class(re.compile("exercise-active"))
    expect(toe_pulls.get_by_role("button", name=words(lang, "Start timer"))).to_be_visible()
    expect(toe_pulls.locator(".timer-now")).to_be_hidden()
    page.clock.run_for(25_000)  # 20 s of circles one way, then the other way
    expected = cues(lang, "foot_circles")
    expect(circles.locator(".timer-cue")).to_have_text(expected[1])
    assert toe_pulls.locator(".timer-cue").inner_text() == ""
    assert page.evaluate("window.__live") == [cues(lang, "toe_pulls")[0], expected[0], expected[1]]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_without_javascript_the_steps_and_pictures_stay_readable(logged_in, url, lang, browser_context_args):
    use_language(logged_in, url, lang)
    context = logged_in.context.browser.new_context(
        **browser_context_args, java_script_enabled=False, storage_state=logged_in.context.storage_state()
    )
    page = context.new_page()
    page.goto(url("/plan/tonight/"))
    for exercise in ROUTINE:
        item = page.locator(f'[data-exercise="{exercise.code}"]')
        with translation.override(lang):
            expect(item.get_by_role("img", name=str(exercise.picture))).to_be_visible()
            expect(item.get_by_text(str(exercise.steps[0]))).to_be_visible()
        expect(item.locator("[data-timer]")).to_be_hidden()  # no dead buttons
    context.close()


def test_starting_the_timer_brings_its_countdown_and_buttons_on_screen(logged_in, url):
    page = open_routine(logged_in, url, "en")
    toe_pulls = page.locator('[data-exercise="toe_pulls"]')
    start = toe_pulls.get_by_role("button", name=words("en", "Start timer"))
    # the Start button just inside the bottom of the screen: the cue and countdown would be below it
    box = start.bounding_box()
    viewport = page.viewport_size
    page.evaluate(f"window.scrollBy(0, {box['y'] + box['height'] - viewport['height'] + 4})")
    start.click()
    page.clock.run_for(1000)
    page.wait_for_timeout(600)  # the smooth scroll
    for part in (".timer-now", ".timer-pause", ".timer-stop"):
        shown = toe_pulls.locator(part).bounding_box()
        assert shown["y"] >= 0 and shown["y"] + shown["height"] <= viewport["height"], part


def test_the_keyboard_keeps_its_place_through_start_stop_and_the_end(logged_in, url):
    page = open_routine(logged_in, url, "en")
    prone = page.locator('[data-exercise="prone_toe_hold"]')
    prone.get_by_role("button", name=words("en", "Start timer")).focus()
    page.keyboard.press("Enter")
    expect(prone.get_by_role("button", name=words("en", "Pause"))).to_be_focused()
    prone.get_by_role("button", name=words("en", "Stop")).focus()
    page.keyboard.press("Enter")
    expect(prone.get_by_role("button", name=words("en", "Start timer"))).to_be_focused()
    page.keyboard.press("Enter")
    page.clock.run_for(5 * 60_000)  # to the end of the exercise
    expect(prone.get_by_role("button", name=words("en", "Start timer"))).to_be_focused()


def test_less_motion_asked_means_no_smooth_scrolling(browser, browser_context_args, url, account):
    context = browser.new_context(**browser_context_args, reduced_motion="reduce")
    page = context.new_page()
    from .conftest import log_in

    log_in(page, url, account.email)
    page.goto(url("/plan/tonight/"))
    behaviour = page.evaluate("window.matchMedia('(prefers-reduced-motion: reduce)').matches")
    assert behaviour is True
    page.evaluate(
        "window.__scrolls = []; Element.prototype.scrollIntoView = function (o) { window.__scrolls.push(o && o.behavior); };"
    )
    page.locator('[data-exercise="toe_pulls"]').get_by_role("button", name=words("en", "Start timer")).click()
    scrolls = page.evaluate("window.__scrolls")
    assert "auto" in scrolls and "smooth" not in scrolls, scrolls
    context.close()
