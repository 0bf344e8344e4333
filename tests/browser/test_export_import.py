import json
from datetime import datetime, time, timedelta

import pytest
from playwright.sync_api import Page, expect

from diary.models import DayLog, Episode, PendingImport

from .conftest import ZONE, choose_language, create_account, local_now, log_in, main_menu, shoot

pytestmark = pytest.mark.browser


def fill_diary(user) -> None:
    profile = user.profile
    profile.bedtime = time(22, 30)
    profile.sex = "female"
    profile.birth_year = 1968
    profile.conditions = ["varicose_veins"]
    profile.save()
    today = local_now().date()
    for days_ago, hour, intensity, extra in [
        (6, 2, 6, {"context": "sleep", "relieved_by": ["stretching", "massage"], "duration_seconds": 75}),
        (6, 4, 9, {"context": "sleep", "notes": "Woke me up — «ouch»"}),
        (3, 17, 3, {"context": "walking", "leg": "left", "muscle": "foot"}),
    ]:
        episode = Episode(
            user=user,
            started_at=datetime.combine(today - timedelta(days=days_ago), time(hour, 5), ZONE),
            leg=extra.pop("leg", "right"),
            muscle=extra.pop("muscle", "calf"),
            intensity=intensity,
            **extra,
        )
        episode.attribute(ZONE)
        episode.save()
    DayLog.objects.create(
        user=user,
        date=today - timedelta(days=7),
        exertion="hard",
        footwear="high_heels",
        foods=["banana", "dill"],
        stress=7,
        sleep_hours=5.5,
        exercises_done=True,
    )


def diary_as_seen(page: Page, url) -> list[str]:
    page.goto(url("/diary/"))
    expect(page.get_by_role("heading", name="Your diary")).to_be_visible()
    cards = page.locator("article.day-card")
    return [" ".join(text.split()) for text in cards.all_inner_texts()]


def download_export(page: Page, url, tmp_path, name: str) -> dict:
    page.goto(url("/account/"))
    page.get_by_role("link", name="Export or import your diary").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Export and import")
    with page.expect_download() as info:
        page.get_by_role("link", name="Whole diary (JSON)").click()
    download = info.value
    assert download.suggested_filename == f"cramps-diary-{local_now():%Y-%m-%d}.json"
    path = tmp_path / name
    download.save_as(path)
    return json.loads(path.read_text(encoding="utf-8"))


def test_export_then_import_into_another_account(logged_in: Page, url, account, tmp_path):
    page = logged_in
    fill_diary(account)
    seen_by_first = diary_as_seen(page, url)
    # The two night cramps belong to the evening of the day log (docs/attribution.md).
    assert len(seen_by_first) == 2
    assert "2 cramps · worst 9/10" in seen_by_first[1] and "Footwear High heels" in seen_by_first[1]
    first = download_export(page, url, tmp_path, "first.json")
    assert len(first["episodes"]) == 3 and len(first["days"]) == 1
    shoot(page, "export")

    main_menu(page).get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()

    # A second person, in another zone until the import brings the file's profile.
    second = create_account("second@example.com", timezone="America/New_York")
    log_in(page, url, second.email, shot="login")
    expect(page.get_by_text("Your diary is empty.")).to_be_visible()
    page.goto(url("/diary/export/"))
    page.get_by_label("Diary file (JSON)").set_input_files(tmp_path / "first.json")
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the import")
    page.get_by_role("button", name="Import", exact=True).click()

    expect(page.get_by_role("status")).to_contain_text(
        "Imported 3 cramps and 1 day logs (0 cramps and 0 day logs were already in your diary)."
    )
    assert diary_as_seen(page, url) == seen_by_first

    again = download_export(page, url, tmp_path, "second.json")
    assert first.pop("exported_at") and again.pop("exported_at")
    assert again == first


# What a person reads at each step of the import, in each language.
IMPORT_WORDS = {
    "en": {
        "check": "Check the file",
        "preview": "Check the import",
        "import": "Import",
        "cancel": "Cancel",
        "zone": "Time zone",
        "sex": "Sex",
        "female": "Female",
        "imported": "Imported 3 cramps and 1 day logs",
        "cancelled": "Import cancelled. Nothing was changed.",
        "refused": "Nothing was imported: the file has 3 problems.",
    },
    "uk": {
        "check": "Перевірити файл",
        "preview": "Перевірте імпорт",
        "import": "Імпортувати",
        "cancel": "Скасувати",
        "zone": "Часовий пояс",
        "sex": "Стать",
        "female": "Жіноча",
        "imported": "Імпортовано судом: 3, записів дня: 1",
        "cancelled": "Імпорт скасовано. Нічого не змінено.",
        "refused": "Нічого не імпортовано",
    },
}


@pytest.mark.parametrize("language", ["en", "uk"])
def test_import_shows_what_changes_and_asks_first(page: Page, url, live_server, tmp_path, language):
    """Issue 14, item 5, on a phone: the preview lists the profile's changes; Cancel and Import do what they say."""
    words = IMPORT_WORDS[language]
    owner = create_account("owner@example.com")
    fill_diary(owner)
    from diary import exchange

    path = tmp_path / "diary.json"
    path.write_text(json.dumps(exchange.export_document(owner)), encoding="utf-8")

    newcomer = create_account("newcomer@example.com", timezone="America/New_York")
    log_in(page, url, newcomer.email)
    choose_language(page, language)

    def upload_and_preview() -> None:
        page.goto(url("/diary/export/"))
        page.locator("input[type=file]").set_input_files(path)
        page.get_by_role("button", name=words["check"]).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(words["preview"])

    upload_and_preview()
    zone = page.locator(".profile-change[data-field=timezone]")
    expect(zone.locator("dt")).to_have_text(words["zone"])
    expect(zone.locator("dd")).to_contain_text("America/New_York")
    expect(zone.locator("dd strong")).to_have_text("Europe/Kyiv")
    sex = page.locator(".profile-change[data-field=sex]")
    expect(sex.locator("dt")).to_have_text(words["sex"])
    expect(sex.locator("dd strong")).to_have_text(words["female"])
    expect(page.locator(".import-counts")).to_contain_text("3")
    shoot(page, f"import-preview-{language}")
    newcomer.profile.refresh_from_db()
    assert newcomer.profile.timezone == "America/New_York" and not Episode.objects.filter(user=newcomer).exists()

    page.get_by_role("button", name=words["cancel"]).click()
    expect(page.get_by_role("status")).to_contain_text(words["cancelled"])
    assert not PendingImport.objects.exists() and not Episode.objects.filter(user=newcomer).exists()

    upload_and_preview()
    page.get_by_role("button", name=words["import"], exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(words["imported"])
    newcomer.profile.refresh_from_db()
    assert (newcomer.profile.timezone, newcomer.profile.sex) == ("Europe/Kyiv", "female")
    assert Episode.objects.filter(user=newcomer).count() == 3

    # Back in the browser, the confirmed preview is gone: pressing Import again adds nothing.
    page.go_back()
    page.go_back()
    page.goto(url("/diary/import/preview/"))
    expect(page).to_have_url(url("/diary/export/"))
    assert Episode.objects.filter(user=newcomer).count() == 3

    # A refused file lists all its problems at once: schema, meaning and a clash with the diary.
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["episodes"][0]["intensity"] = 12
    doc["days"][0]["notes"] = "not the log I keep"
    doc["episodes"][1]["started_at"] = "2099-01-01T02:00:00+02:00"
    path.write_text(json.dumps(doc), encoding="utf-8")
    page.goto(url("/diary/export/"))
    page.locator("input[type=file]").set_input_files(path)
    page.get_by_role("button", name=words["check"]).click()
    problems = page.locator(".import-problems")
    expect(problems).to_contain_text(words["refused"])
    expect(problems.locator("li")).to_have_count(3)
    for place in ("episodes[0].intensity", "episodes[1].started_at", "days[0]"):
        expect(problems).to_contain_text(place)
    shoot(page, f"import-refused-{language}")
