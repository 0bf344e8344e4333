"""The diary page's cache (diary/cards.py) never shows an old page or card, nor another person's.

Each test renders the diary, changes something the way a person (or the admin, or an import)
would, renders again and looks for the new content. Run on SQLite with the process's memory
as the cache, and on PostgreSQL with Redis (DATABASE_URL, REDIS_URL): the cache then outlives
the test database, which is why entries carry the account's creation time.
"""

import re
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from diary import cards, services
from diary.models import DayLog, Episode, PendingImport, Profile
from prevention.models import Schedule
from prevention.plan.services import record_routine_done
from prevention.templatetags.prevention_tags import alarms_key, done_key
from tests.conftest import PASSWORD
from tests.factories import day_log, episode

KYIV = ZoneInfo("Europe/Kyiv")
DAY = date(2026, 10, 2)  # a Friday; its night's cramp at 02:40 on the 3rd
EXAMPLE = Path(__file__).resolve().parent / "data" / "runner-three-weeks.json"
pytestmark = pytest.mark.django_db


def diary(client, page: str = "") -> str:
    response = client.get(reverse("diary:timeline") + page)
    assert response.status_code == 200
    return response.content.decode()


def card(html: str, day: date) -> str:
    """The HTML of one day's card on the page ('' when the day is not shown)."""
    found = re.search(rf'<article[^>]*id="day-{day.isoformat()}".*?</article>', html, re.S)
    return found.group(0) if found else ""


@pytest.fixture
def kept(person, person_client):
    """A person with a day log and a night's cramp, whose diary page is in the cache."""
    day_log(person, DAY, notes="long walk", stress=3)
    cramp = episode(person, datetime(2026, 10, 3, 2, 40, tzinfo=KYIV), intensity=7, notes="woke me up")
    html = diary(person_client)
    assert "long walk" in card(html, DAY) and "woke me up" in card(html, DAY)
    assert cache.get(cards.page_key(person.pk, 1)) is not None, "the page was kept"
    assert cache.get(cards.card_key(person.pk, DAY)) is not None, "the card was kept"
    return cramp


def test_a_second_visit_is_answered_from_the_cache(person_client, kept, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):  # session, user, the profile with the routine's schedule
        html = diary(person_client)
    assert "long walk" in card(html, DAY) and "woke me up" in card(html, DAY)


def test_the_routine_card_follows_its_schedule_from_one_visit_to_the_next(person, person_client, kept):
    """The weekdays come with the profile on each request, never from the kept page."""
    record_routine_done(person, services.local_today_for(person) - timedelta(days=2))
    assert "No evening was scheduled for the routine" not in diary(person_client)
    Schedule.objects.filter(user=person).update(weekdays=[])
    assert "No evening was scheduled for the routine in the last 4 weeks." in diary(person_client)


def test_an_account_without_a_schedule_gets_one_on_the_diary_page(person, person_client, kept):
    Schedule.objects.filter(user=person).delete()
    html = diary(person_client)
    assert "long walk" in card(html, DAY)
    assert Schedule.objects.filter(user=person).count() == 1


def test_editing_a_cramp_shows_the_edit(person_client, kept):
    form = {
        "started_at": "2026-10-03T02:40",
        "leg": "left",
        "muscle": "calf",
        "intensity": "9",
        "context": "sleep",
        "notes": "worse than ever",
    }
    assert person_client.post(reverse("diary:episode_edit", args=[kept.pk]), form).status_code == 302
    shown = card(diary(person_client), DAY)
    assert "worse than ever" in shown and "9/10" in shown and "woke me up" not in shown


def test_editing_a_day_log_shows_the_edit(person_client, kept):
    form = {"date": DAY.isoformat(), "notes": "rest day", "stress": "8"}
    assert person_client.post(reverse("diary:day_log_edit", args=[DAY]), form).status_code == 302
    shown = card(diary(person_client), DAY)
    assert "rest day" in shown and "8/10" in shown and "long walk" not in shown


def test_a_new_cramp_appears(person_client, kept):
    form = {"started_at": "2026-10-03T04:10", "leg": "right", "muscle": "foot", "intensity": "4", "context": "sleep"}
    assert person_client.post(reverse("diary:episode_new"), form).status_code == 302
    assert "2 cramps" in card(diary(person_client), DAY)


def test_a_change_made_without_the_forms_shows_too(person_client, person, kept):
    """QuerySet.update sends no signal and leaves updated_at alone: the database's trigger still counts it."""
    Episode.objects.filter(pk=kept.pk).update(notes="changed by the admin")
    DayLog.objects.filter(user=person, date=DAY).update(notes="bulk fix")
    shown = card(diary(person_client), DAY)
    assert "changed by the admin" in shown and "bulk fix" in shown


def test_an_import_shows_what_it_brought(person_client, person):
    day_log(person, date(2026, 9, 1), notes="before the import")
    assert "before the import" in diary(person_client)
    upload = SimpleUploadedFile("diary.json", EXAMPLE.read_bytes(), content_type="application/json")
    assert person_client.post(reverse("diary:import"), {"file": upload}).status_code == 302
    assert "before the import" in diary(person_client), "the preview writes nothing"
    token = PendingImport.objects.get(user=person).token
    assert person_client.post(reverse("diary:import_confirm"), {"token": str(token)}).status_code == 302
    newest = Episode.objects.filter(user=person).order_by("-started_at").first()
    html = diary(person_client)
    assert reverse("diary:episode_edit", args=[newest.pk]) in card(html, newest.day)
    assert "before the import" not in html, "page 1 now holds the imported weeks"


def test_deleting_a_cramp_removes_it_and_its_kept_card(person_client, person, kept):
    assert person_client.post(reverse("diary:episode_delete", args=[kept.pk])).status_code == 302
    assert cache.get(cards.card_key(person.pk, DAY)) is None, "the deleted cramp is not left in the cache"
    shown = card(diary(person_client), DAY)
    assert "long walk" in shown and "woke me up" not in shown and "no cramps" in shown


def test_a_deleted_cramps_words_leave_every_kept_page(person_client, person):
    """Not only its card: the pages that held the card's words (here page 2 of two) go too."""
    first = date(2026, 9, 1)
    for n in range(20):
        day_log(person, first + timedelta(days=n), notes=f"day-{n}")
    secret = episode(person, datetime(2026, 9, 1, 15, 0, tzinfo=KYIV), notes="secret-words-here", context="exercise")
    for number in (1, 2):
        assert person_client.get(reverse("diary:timeline") + f"?page={number}").status_code == 200
        assert cache.get(cards.page_key(person.pk, number)) is not None, number
    assert "secret-words-here" in str(cache.get(cards.page_key(person.pk, 2)))
    assert person_client.post(reverse("diary:episode_delete", args=[secret.pk])).status_code == 302
    for number in (1, 2):
        assert "secret-words-here" not in str(cache.get(cards.page_key(person.pk, number)))
    assert "secret-words-here" not in str(cache.get(cards.card_key(person.pk, first)))


def test_deleting_a_day_log_removes_it(person_client, person, kept):
    assert person_client.post(reverse("diary:day_log_delete", args=[DAY])).status_code == 302
    shown = card(diary(person_client), DAY)
    assert "woke me up" in shown and "long walk" not in shown


def test_deleting_the_only_entry_of_a_day_removes_the_day(person_client, person):
    cramp = episode(person, datetime(2026, 10, 3, 2, 40, tzinfo=KYIV), notes="alone")
    assert "alone" in diary(person_client)
    person_client.post(reverse("diary:episode_delete", args=[cramp.pk]))
    html = diary(person_client)
    assert "alone" not in html and "Your diary is empty." in html


def test_erasing_the_account_drops_everything_kept_about_it(client, person_client, person, kept):
    for day in range(20):  # a second page, also kept
        day_log(person, DAY - timedelta(days=30 + day), notes=f"older {day}")
    diary(person_client, "?page=2")
    user_id = person.pk
    keys = [
        cards.page_key(user_id, 1),
        cards.page_key(user_id, 2),
        cards.card_key(user_id, DAY),
        alarms_key(user_id),
        done_key(user_id),
    ]
    assert all(cache.get(key) is not None for key in keys[:4])
    response = person_client.post(reverse("diary:account_delete"), {"password": "a-long-test-password-42"})
    assert response.status_code == 302
    assert not Profile.objects.filter(user_id=user_id).exists()
    assert [key for key in keys if cache.get(key) is not None] == []


def test_a_new_language_shows_the_page_in_it(person_client, kept):
    assert "Friday, 2 October 2026" in card(diary(person_client), DAY)
    person_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "uk"
    shown = card(diary(person_client), DAY)
    assert "п’ятниця, 2 жовтня 2026" in shown and "Friday" not in shown


def test_a_new_time_zone_shows_the_cramp_at_its_new_clock_time(person_client, person, kept):
    assert "02:40" in card(diary(person_client), DAY)
    services.set_timezone(person, "Europe/London")  # as the profile form does
    shown = card(diary(person_client), DAY)
    assert "00:40" in shown and "02:40" not in shown


def test_a_cramp_moved_to_another_night_leaves_the_old_day(person_client, person, kept):
    """The night rule: 02:40 belongs to the evening before; moved to 21:00 on the 4th it belongs to the 4th."""
    day_log(person, DAY + timedelta(days=2), notes="the 4th")
    assert "woke me up" in card(diary(person_client), DAY)
    form = {"started_at": "2026-10-04T21:00", "leg": "right", "muscle": "calf", "intensity": "7", "notes": "woke me up"}
    assert person_client.post(reverse("diary:episode_edit", args=[kept.pk]), form).status_code == 302
    assert Episode.objects.get(pk=kept.pk).day == DAY + timedelta(days=2)
    html = diary(person_client)
    assert "woke me up" not in card(html, DAY) and "no cramps" in card(html, DAY)
    assert "woke me up" in card(html, DAY + timedelta(days=2))


def test_a_new_day_brings_the_add_a_day_log_link(person_client, person, monkeypatch):
    """A card without a day log offers one only for a day already begun ("today" is in the digest)."""
    tomorrow = services.local_today_for(person) + timedelta(days=1)
    episode(person, datetime.combine(tomorrow, time(20, 0), tzinfo=KYIV), context="sitting")
    assert "Add a day log for this day" not in card(diary(person_client), tomorrow)
    monkeypatch.setattr(services, "local_today_for", lambda user: tomorrow)
    assert "Add a day log for this day" in card(diary(person_client), tomorrow)


def test_another_person_never_sees_the_persons_cached_card(client, person, other, kept):
    """The same date, the same kind of entry: each page shows its owner's own words and links."""
    day_log(other, DAY, notes="the other walk", stress=3)
    theirs = episode(other, datetime(2026, 10, 3, 2, 40, tzinfo=KYIV), intensity=7, notes="the other night")
    client.force_login(other)
    shown = card(diary(client), DAY)
    assert "the other walk" in shown and "the other night" in shown
    assert "long walk" not in shown and "woke me up" not in shown
    assert reverse("diary:episode_edit", args=[theirs.pk]) in shown
    assert reverse("diary:episode_edit", args=[kept.pk]) not in shown
    assert cards.card_key(other.pk, DAY) != cards.card_key(person.pk, DAY)


def test_an_account_with_a_used_again_id_is_another_account(person, kept):
    """A database restored from a backup may hand out an id again: the account's creation time tells them apart."""
    before = cards.version_digest(person, 1, DAY)
    person.date_joined += timedelta(microseconds=1)
    assert cards.version_digest(person, 1, DAY) != before


def test_the_warning_appears_on_a_kept_page(person_client, person):
    night = DAY
    episode(person, datetime.combine(night + timedelta(days=1), time(0, 0), tzinfo=UTC))
    assert "data-alarm" not in diary(person_client)
    DayLog.objects.create(user=person, date=night + timedelta(days=1), symptoms=["calf_swelling_one_side"])
    assert 'data-alarm-flag="possible_dvt"' in diary(person_client)


def test_the_routines_tick_shows_in_the_streak(person_client, person):
    today = services.local_today_for(person)
    day_log(person, today - timedelta(days=1), exercises_done=True)
    before = diary(person_client)
    record_routine_done(person, today)
    after = diary(person_client)
    assert re.search(r"Streak: 1 evening", before) and re.search(r"Streak: 2 evenings", after), after[:3000]


def test_saving_an_old_profile_does_not_put_back_an_older_diary_version(person):
    profile = Profile.objects.get(user=person)
    day_log(person, DAY)
    profile.bedtime = time(22, 0)
    profile.save()
    assert Profile.objects.get(user=person).diary_version == 1


def test_every_write_to_cramps_and_day_logs_counts(person):
    def version() -> int:
        return Profile.objects.get(user=person).diary_version

    steps = [
        lambda: day_log(person, DAY),
        lambda: DayLog.objects.filter(user=person).update(stress=4),
        lambda: episode(person, datetime(2026, 10, 3, 2, 40, tzinfo=KYIV)),
        lambda: Episode.objects.filter(user=person).update(intensity=3),
        lambda: Episode.objects.filter(user=person).delete(),
        lambda: DayLog.objects.filter(user=person).delete(),
    ]
    seen = [version()]
    for step in steps:
        step()
        seen.append(version())
    assert seen == sorted(set(seen)), f"each step raised the count: {seen}"


def test_switched_off_every_request_renders_afresh(person_client, person, kept, settings):
    settings.DIARY_CARD_CACHE_SECONDS = 0
    Episode.objects.filter(pk=kept.pk).update(notes="seen at once")
    assert "seen at once" in card(diary(person_client), DAY)


def test_a_card_kept_for_a_date_an_entry_moved_away_from_goes_with_the_account(person_client, person, kept):
    later = DAY + timedelta(days=5)
    Episode.objects.filter(pk=kept.pk).delete()
    DayLog.objects.filter(user=person).update(date=later)  # the day log moved; DAY now holds nothing
    assert "long walk" in card(diary(person_client), later)
    assert cache.get(cards.card_key(person.pk, DAY)) is not None  # the old card, still kept
    response = person_client.post(reverse("diary:account_delete"), {"password": PASSWORD})
    assert response.status_code == 302
    assert cache.get(cards.card_key(person.pk, DAY)) is None
    assert cache.get(cards.card_key(person.pk, later)) is None


def test_a_user_deleted_by_the_admin_leaves_nothing_kept_either(person_client, person, kept):
    user_id = person.pk
    keys = [cards.page_key(user_id, 1), cards.card_key(user_id, DAY), alarms_key(user_id), done_key(user_id)]
    assert all(cache.get(key) is not None for key in keys)
    person.delete()  # the admin's "delete", or a shell: not the account page's erasure
    assert [key for key in keys if cache.get(key) is not None] == []
