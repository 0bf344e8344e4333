import json
from datetime import datetime, time, timedelta

import pytest
from playwright.sync_api import Page, expect

from diary.models import DayLog, Episode

from .conftest import ZONE, create_account, local_now, log_in, shoot

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

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()

    # A second person, in another zone until the import brings the file's profile.
    second = create_account("second@example.com", timezone="America/New_York")
    log_in(page, url, second.email, shot="login")
    expect(page.get_by_text("Your diary is empty.")).to_be_visible()
    page.goto(url("/diary/export/"))
    page.get_by_label("Diary file (JSON)").set_input_files(tmp_path / "first.json")
    page.get_by_role("button", name="Import").click()

    expect(page.get_by_role("status")).to_contain_text(
        "Imported 3 cramps and 1 day logs (0 cramps and 0 day logs were already in your diary)."
    )
    assert diary_as_seen(page, url) == seen_by_first

    again = download_export(page, url, tmp_path, "second.json")
    assert first.pop("exported_at") and again.pop("exported_at")
    assert again == first
