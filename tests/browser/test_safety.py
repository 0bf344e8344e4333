"""Clinical safety in a real browser (issue 10).

1. An open blood-clot warning: a person logs a cramp and a day log noting one calf swollen; the
   warning stays on the diary home, leads tonight's routine and the printout, and the doctor item
   cannot be switched off; a diary entry more than two weeks after the sign closes it.
2. The worst-case printout: the fullest plan the rules can make (every item, six open warnings at
   once) still prints on one A4 and one Letter page, in English and in Ukrainian, from the
   printable plan and from the plan page itself (Ctrl+P), without the screen's buttons.
"""

import io
import unicodedata
from datetime import datetime, time, timedelta

import pytest
from django.utils import translation
from django.utils.dateformat import format as date_format
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from diary.models import DayLog, Episode
from prevention.assessment.flag_rules import FLAGS
from prevention.assessment.services import open_alarms
from prevention.plan.content import ITEM_SECTIONS, ITEM_TEXTS
from prevention.plan.routine import ROUTINE
from prevention.plan.services import ensure_schedule

from .conftest import ZONE, exactly, keep_pdf, local_now, main_menu, shoot

pytestmark = pytest.mark.browser

DO_NOT_STRETCH = "Do not stretch or massage a swollen, red or warm calf"
PAPERS = ("A4", "Letter")
# What the screen shows around the plan and paper never does (buttons, links, the navigation).
SCREEN_ONLY = (
    "Sign out",
    "Log a cramp",
    "Switch off",
    "See the assessment",
    "Tonight's routine",
    "Back to the plan",
    "Add the routine to your phone's calendar",
    "Earlier versions",
)


def pdf_of(page: Page, paper: str, keep: str = "") -> PdfReader:
    """The page printed to PDF; `keep` names a copy in CRAMPS_SHOTS (when set) for a person to look at."""
    page.emulate_media(media="print")
    data = page.pdf(format=paper, print_background=True)
    if keep:
        keep_pdf(f"{keep}-{paper}.pdf", data)
    return PdfReader(io.BytesIO(data))


def flat(text: str) -> str:
    """PDF text with ligatures undone ("ﬁ" → "fi") and line breaks and runs of spaces made single spaces."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def pdf_text(pdf: PdfReader) -> str:
    return flat(" ".join(p.extract_text() for p in pdf.pages))


# ---------------------------------------------------------------- 1. an open blood-clot warning


def test_an_open_blood_clot_warning_stays_until_the_diary_moves_on(logged_in: Page, url, account):
    page = logged_in
    today = local_now().date()
    sign_day = today - timedelta(days=16)
    later = sign_day + timedelta(days=15)  # more than RECENT_SIGN_DAYS after the sign

    # A cramp in the evening of the sign's day, through the real form.
    page.get_by_role("link", name="Log a cramp").first.click()
    page.get_by_label("When did it start?").fill(f"{sign_day:%Y-%m-%d}T21:40")
    page.get_by_role("button", name="Save cramp").first.click()
    expect(page.get_by_role("status")).to_contain_text("Cramp saved.")

    # The next morning's day log notes one calf swollen.
    page.goto(url(f"/diary/day/?date={sign_day:%Y-%m-%d}"))
    page.get_by_role("group", name="Anything else you noticed").get_by_label("One calf swollen").check()
    page.get_by_role("button", name="Save day log").click()
    expect(page.get_by_role("status")).to_contain_text("Day log saved.")
    assert DayLog.objects.get(user=account, date=sign_day).symptoms == ["calf_swelling_one_side"]

    # The diary home warns, and keeps warning after the person goes elsewhere and comes back.
    alarm = page.locator("[data-alarm]")
    expect(alarm).to_be_visible()
    expect(alarm).to_contain_text(DO_NOT_STRETCH)
    expect(alarm.locator('[data-alarm-flag="possible_dvt"]')).to_be_visible()
    shoot(page, "safety-diary-home")
    main_menu(page).get_by_role("link", name="Plan", exact=True).click()
    expect(page.get_by_role("heading", name="Your prevention plan")).to_be_visible()
    main_menu(page).get_by_role("link", name="Diary", exact=True).click()
    expect(page.get_by_role("heading", name="Your diary")).to_be_visible()
    expect(page.locator("[data-alarm]")).to_contain_text(DO_NOT_STRETCH)
    page.reload()
    expect(page.locator("[data-alarm]")).to_contain_text(DO_NOT_STRETCH)

    # Tonight's routine leads with the warning, above the exercises.
    page.goto(url("/plan/tonight/"))
    alarm = page.locator("[data-alarm]")
    expect(alarm).to_contain_text(DO_NOT_STRETCH)
    first_exercise = page.locator("[data-exercise]").first
    expect(first_exercise).to_be_visible()
    assert alarm.bounding_box()["y"] + alarm.bounding_box()["height"] <= first_exercise.bounding_box()["y"]
    shoot(page, "safety-tonight")

    # The plan: the doctor item is locked, with no switch-off button; other items keep theirs.
    page.goto(url("/plan/"))
    expect(page.locator("[data-alarm]")).to_contain_text(DO_NOT_STRETCH)
    doctor = page.locator('[data-item="doctor_red_flags"]')
    expect(doctor.locator("[data-locked]")).to_be_visible()
    expect(doctor.get_by_role("button", name="Switch off")).to_have_count(0)
    expect(page.locator('[data-item="foot_massage"]').get_by_role("button", name="Switch off")).to_be_visible()
    shoot(page, "safety-plan")

    # A forged switch-off is refused with a message, and the item stays.
    token = page.locator('input[name="csrfmiddlewaretoken"]').first.get_attribute("value")
    response = page.request.post(
        url("/plan/items/doctor_red_flags/"),
        form={"csrfmiddlewaretoken": token, "shown": "0"},
        headers={"Referer": url("/plan/")},
    )
    assert response.ok  # followed the redirect to the plan, which shows the message once
    assert "This item stays in your plan while your diary shows a warning sign." in response.text()
    page.goto(url("/plan/"))
    doctor = page.locator('[data-item="doctor_red_flags"]')
    expect(doctor).not_to_have_attribute("data-off", "")
    expect(doctor.locator(".badge")).to_have_count(0)
    expect(doctor.locator("[data-locked]")).to_be_visible()
    assert "doctor_red_flags" not in ensure_schedule(account).hidden_items

    # The printout leads with it, on one page.
    page.goto(url("/plan/print/"))
    expect(page.locator("[data-alarm]")).to_contain_text(DO_NOT_STRETCH)
    for paper in PAPERS:
        pdf = pdf_of(page, paper)
        assert len(pdf.pages) == 1, f"{paper}: {len(pdf.pages)} pages"
        text = pdf_text(pdf)
        assert DO_NOT_STRETCH in text, f"{paper}: the warning is missing"
        assert "Have the warning signs checked" in text, f"{paper}: the doctor item is missing"
    page.emulate_media(media="screen")

    # A day log 15 days after the sign, with no sign: the newest diary no longer supports it.
    page.goto(url(f"/diary/day/?date={later:%Y-%m-%d}"))
    expect(page.get_by_label(exactly("Date"))).to_have_value(f"{later:%Y-%m-%d}")
    page.get_by_role("button", name="Save day log").click()
    expect(page.get_by_role("status")).to_contain_text("Day log saved.")
    expect(page.get_by_role("heading", name="Your diary")).to_be_visible()
    expect(page.locator("[data-alarm]")).to_have_count(0)
    assert open_alarms(account) == []
    page.goto(url("/plan/tonight/"))
    expect(page.locator("[data-exercise]").first).to_be_visible()
    expect(page.locator("[data-alarm]")).to_have_count(0)


# ---------------------------------------------------------------- 2. the fullest plan on one page

EVERY_SIGN = [
    "chest_pain_or_breathless",  # possible_dvt, emergency
    "calf_swelling_one_side",
    "calf_red_or_warm",
    "calf_pain_lasting",
    "muscle_weakness",  # with a statin: muscle_breakdown
    "dark_urine",  # on a cramp night: muscle_breakdown
    "pain_at_rest_or_pale_cold_foot",  # limb_ischaemia
    "tingling_around_mouth",  # with cramps elsewhere: low_calcium_signs
    "cramps_elsewhere",
    "headache_or_vision_change",  # pregnant, week 30, with swelling: pre_eclampsia
    "leg_swelling",
    "pain_walking_eases_rest",
    "numbness_tingling",
    "muscle_wasting_or_twitching",
    "urge_to_move_legs",
]
OPEN_ALARMS = {
    "possible_dvt",
    "prolonged_cramp",
    "muscle_breakdown",
    "pre_eclampsia",
    "low_calcium_signs",
    "limb_ischaemia",
}


def fullest_diary(user, potassium_caution: bool = False) -> None:
    """A profile and four weeks of diary that make every plan item the rules know appear at once.

    Pregnant (week 30) with flat feet; vascular, metabolic and nerve conditions and cramp-linked
    medicines (none that calls for potassium caution, so the food item lists all ten foods; with
    `potassium_caution`, kidney disease brings the other food item, with its longer words, instead);
    cramp nights after cold, stressful, hard, sweaty, dry days in high heels with no exercises,
    eating none of the article's foods; and yesterday every warning sign at once, with a 15-minute cramp.
    """
    profile = user.profile
    profile.sex = "female"
    profile.birth_year = 1990
    profile.pregnant = True
    profile.pregnancy_week = 30
    profile.flat_feet = "yes"
    profile.conditions = [
        "varicose_veins",
        "atherosclerosis",
        "diabetes",
        "thyroid_disease",
        "liver_disease",
        "neuropathy",
        "anaemia",
        "hypoparathyroidism",
        *(["kidney_disease"] if potassium_caution else []),
    ]
    profile.medications = ["statin", "beta_agonist", "diuretic_thiazide", "calcium_channel_blocker", "naproxen"]
    profile.save()

    today = local_now().date()
    for days_ago in range(29, 0, -1):
        day = today - timedelta(days=days_ago)
        cramp_night = days_ago % 3 != 0 or days_ago == 1  # most nights, with enough quiet ones to compare
        DayLog.objects.create(
            user=user,
            date=day,
            exertion="hard" if cramp_night else "light",
            training_minutes=100 if cramp_night else None,
            standing_hours=8 if cramp_night else 2,
            footwear="high_heels" if cramp_night else "comfortable",
            cold_exposure=cramp_night,
            heavy_sweating=cramp_night,
            fluid_litres=0.6 if cramp_night else 2.0,
            stress=9 if cramp_night else 2,
            sleep_hours=6,
            foods=["eggs"],
            exercises_done=not cramp_night,
            symptoms=EVERY_SIGN if days_ago == 1 else [],
        )
        if cramp_night:
            episode = Episode(
                user=user,
                started_at=datetime.combine(day, time(23, 30), ZONE),
                leg="both",
                muscle="calf",
                intensity=8,
                duration_seconds=15 * 60 if days_ago == 1 else 120,
                context="sleep",
            )
            episode.attribute(ZONE)
            episode.save()


def expected_texts(grid_start, lang: str, items: set[str]) -> list[str]:
    """What the printout must say, in the language it is printed in (English while a text is untranslated)."""
    with translation.override(lang):
        titles = [
            str(ITEM_TEXTS[code].title) for code in ITEM_SECTIONS if code in items and code != "bedtime_exercises"
        ]
        flags = [str(FLAGS[code].label) for code in sorted(OPEN_ALARMS)]
        exercises = [str(exercise.title) for exercise in ROUTINE]
        return [
            translation.gettext(DO_NOT_STRETCH + "."),
            translation.gettext("Seek medical care first"),
            translation.gettext("My leg-cramp prevention plan"),
            translation.gettext("Bedtime leg exercises"),
            translation.gettext("Tick each evening you did the routine"),
            date_format(grid_start, "D j M"),
            date_format(grid_start + timedelta(days=27), "D j M"),
            *titles,
            *flags,
            *exercises,
        ]


def check_printout(page: Page, lang: str, items: set[str], shot: str) -> dict[str, int]:
    page.emulate_media(media="screen")
    shoot(page, shot)
    counts = {}
    for paper in PAPERS:
        pdf = pdf_of(page, paper, keep=shot)
        counts[paper] = len(pdf.pages)
        text = pdf_text(pdf)
        missing = [words for words in expected_texts(local_now().date(), lang, items) if flat(words) not in text]
        assert not missing, f"{lang} {paper}: missing {missing}"
        with translation.override(lang):
            buttons = [flat(translation.gettext(words)) for words in SCREEN_ONLY]
        assert not [words for words in buttons if words in text], f"{lang} {paper}: the screen's buttons printed"
    assert counts == {"A4": 1, "Letter": 1}, f"{lang}: pages {counts}"
    page.emulate_media(media="screen")
    return counts


@pytest.mark.parametrize("potassium_caution", [False, True], ids=["all-foods", "potassium-caution"])
def test_the_fullest_plan_prints_on_one_page(logged_in: Page, url, account, potassium_caution):
    page = logged_in
    fullest_diary(account, potassium_caution)
    assert {flag["code"] for flag in open_alarms(account)} == OPEN_ALARMS

    # Every item there is (the two food items exclude each other).
    other_food = "foods_for_nutrients" if potassium_caution else "foods_potassium_caution"
    items = set(ITEM_SECTIONS) - {other_food}
    page.goto(url("/plan/"))
    shown = set(page.locator("[data-item]").evaluate_all("els => els.map(el => el.dataset.item)"))
    assert shown == items, f"not the fullest plan: {items ^ shown}"
    expect(page.locator("[data-alarm] [data-alarm-flag]")).to_have_count(len(OPEN_ALARMS))

    page.goto(url("/plan/print/"))
    expect(page.locator("[data-alarm] [data-alarm-flag]")).to_have_count(len(OPEN_ALARMS))
    expect(page.locator(".plan-print [data-item]")).to_have_count(
        len(ITEM_SECTIONS) - 2
    )  # not the routine's, one food item
    expect(page.locator(".grid td")).to_have_count(28)
    name = "plan-print-fullest" + ("-potassium-caution" if potassium_caution else "")
    check_printout(page, "en", items, name)
    # The plan page itself, printed with Ctrl+P: the same one page, without the screen's buttons.
    page.goto(url("/plan/"))
    check_printout(page, "en", items, name + "-page")

    # The same page read in Ukrainian, chosen with the site's own language switcher.
    page.goto(url("/plan/"))
    page.locator("footer select[name=language]").select_option("uk")
    page.locator("footer form").get_by_role("button").click()
    expect(page.locator("html")).to_have_attribute("lang", "uk")
    page.goto(url("/plan/print/"))
    expect(page.locator("html")).to_have_attribute("lang", "uk")
    check_printout(page, "uk", items, name + "-uk")
    page.goto(url("/plan/"))
    check_printout(page, "uk", items, name + "-page-uk")
