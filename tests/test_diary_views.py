import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from diary.models import DayLog, Episode, Profile
from tests.factories import day_log, episode

KYIV = ZoneInfo("Europe/Kyiv")


def post_data_from(form) -> dict:
    """What the browser would send if the person only pressed Save: the form's own defaults."""
    data = {}
    for bound in form:
        value = bound.value()
        if value is None:
            continue
        if isinstance(value, datetime):
            value = value.astimezone(KYIV).strftime("%Y-%m-%dT%H:%M")
        elif isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, bool):
            if not value:
                continue
            value = "on"
        data[bound.html_name] = value
    return data


def local_now():
    return timezone.now().astimezone(KYIV)


class TestLogACramp:
    def test_saving_the_defaults_takes_one_tap(self, person_client, person):
        form = person_client.get(reverse("diary:episode_new")).context["form"]
        response = person_client.post(reverse("diary:episode_new"), post_data_from(form))
        assert response.status_code == 302
        saved = Episode.objects.get(user=person)
        assert (saved.leg, saved.muscle, saved.intensity) == ("right", "calf", 5)
        assert abs(saved.started_at - timezone.now()) < timedelta(minutes=2)

    def test_defaults_follow_the_last_cramp(self, person_client, person):
        episode(person, timezone.now() - timedelta(hours=3), leg="left", muscle="foot", intensity=8)
        form = person_client.get(reverse("diary:episode_new")).context["form"]
        assert (form.initial["leg"], form.initial["muscle"], form.initial["intensity"]) == ("left", "foot", 8)

    def test_time_defaults_to_now_in_the_persons_zone(self, person_client):
        form = person_client.get(reverse("diary:episode_new")).context["form"]
        shown = form.initial["started_at"]
        assert shown.utcoffset() == local_now().utcoffset()
        assert abs(shown - timezone.now()) < timedelta(minutes=2)

    def test_the_form_says_which_zones_clock_the_time_is_in(self, person_client, person):
        person.profile.timezone = "America/New_York"
        person.profile.save()
        page = person_client.get(reverse("diary:episode_new")).content.decode()
        assert "Times are in your profile&#x27;s time zone: America/New_York." in page

    def test_several_cramps_in_one_night_are_separate_entries(self, person_client, person):
        base = local_now().replace(second=0, microsecond=0) - timedelta(hours=1)
        for minutes in (0, 20):
            data = {
                "started_at": (base + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M"),
                "leg": "right",
                "muscle": "calf",
                "intensity": "6",
                "context": "sleep",
                "another": "1",
            }
            response = person_client.post(reverse("diary:episode_new"), data)
            assert response.headers["Location"] == reverse("diary:episode_new")
        assert Episode.objects.filter(user=person).count() == 2

    def test_full_entry_is_stored_in_utc_with_its_diary_day(self, person_client, person):
        data = {
            "started_at": "2026-10-03T02:40",
            "leg": "both",
            "muscle": "thigh",
            "intensity": "9",
            "duration_minutes": "1.5",
            "context": "sleep",
            "relieved_by": ["stretching", "heat"],
            "notes": "woke me up",
        }
        assert person_client.post(reverse("diary:episode_new"), data).status_code == 302
        saved = Episode.objects.get(user=person)
        assert saved.started_at == datetime(2026, 10, 2, 23, 40, tzinfo=UTC)
        assert saved.day == date(2026, 10, 2)
        assert saved.duration_seconds == 90
        assert saved.relieved_by == ["stretching", "heat"]

    @pytest.mark.parametrize(
        "change, field, message",
        [
            ({"intensity": "11"}, "intensity", "Choose an intensity from 1 to 10."),
            ({"intensity": ""}, "intensity", "This field is required."),
            ({"leg": "middle"}, "leg", "Select a valid choice"),
            ({"started_at": "2099-01-01T03:00"}, "started_at", "A cramp cannot start in the future"),
            ({"started_at": "yesterday"}, "started_at", "Enter a valid date/time."),
            ({"duration_minutes": "-3"}, "duration_minutes", "more than 0"),
            ({"duration_minutes": "9999"}, "duration_minutes", "at most 1440 minutes"),
            ({"relieved_by": ["prayer"]}, "relieved_by", "Select a valid choice"),
            ({"notes": "x" * 2001}, "notes", "at most 2000 characters"),
        ],
    )
    def test_bad_input_is_explained_next_to_the_field_and_saves_nothing(
        self, person_client, person, change, field, message
    ):
        data = {"started_at": "2026-10-03T02:40", "leg": "right", "muscle": "calf", "intensity": "6", **change}
        response = person_client.post(reverse("diary:episode_new"), data)
        assert response.status_code == 200
        errors = " ".join(response.context["form"].errors[field])
        assert message in errors
        assert message.split("“")[0][:20] in response.content.decode()
        assert not Episode.objects.filter(user=person).exists()

    def test_edit_recomputes_the_diary_day(self, person_client, person):
        item = episode(person, datetime(2026, 10, 3, 2, 40, tzinfo=KYIV), notes="first")
        assert item.day == date(2026, 10, 2)
        data = {
            "started_at": "2026-10-03T14:00",
            "leg": "left",
            "muscle": "calf",
            "intensity": "3",
            "context": "exercise",
            "notes": "changed",
        }
        assert person_client.post(reverse("diary:episode_edit", args=[item.pk]), data).status_code == 302
        item.refresh_from_db()
        assert (item.day, item.notes, item.intensity) == (date(2026, 10, 3), "changed", 3)

    def test_edit_form_shows_duration_in_minutes_and_keeps_seconds(self, person_client, person):
        item = episode(person, datetime(2026, 10, 3, 2, 40, tzinfo=KYIV), duration_seconds=95)
        form = person_client.get(reverse("diary:episode_edit", args=[item.pk])).context["form"]
        person_client.post(reverse("diary:episode_edit", args=[item.pk]), post_data_from(form))
        item.refresh_from_db()
        assert item.duration_seconds == 95

    def test_delete_asks_then_deletes(self, person_client, person):
        item = episode(person, datetime(2026, 10, 3, 2, 40, tzinfo=KYIV))
        assert person_client.get(reverse("diary:episode_delete", args=[item.pk])).status_code == 200
        assert Episode.objects.filter(pk=item.pk).exists()
        person_client.post(reverse("diary:episode_delete", args=[item.pk]))
        assert not Episode.objects.filter(pk=item.pk).exists()


class TestDayLog:
    def day_data(self, day, **fields):
        return {
            "date": day.isoformat(),
            "exertion": "hard",
            "footwear": "sports",
            "foods": ["dairy", "fish"],
            "stress": "4",
            "sleep_hours": "7.5",
            **fields,
        }

    def test_create_and_show_in_the_diary(self, person_client, person):
        day = local_now().date() - timedelta(days=1)
        data = self.day_data(day, symptoms=["leg_swelling"], exercises_done="on", notes="long shift")
        assert person_client.post(reverse("diary:day_log_new"), data).status_code == 302
        log = DayLog.objects.get(user=person)
        assert (log.date, log.exertion, log.foods, log.exercises_done, log.sleep_hours) == (
            day,
            "hard",
            ["dairy", "fish"],
            True,
            7.5,
        )
        page = person_client.get(reverse("diary:timeline")).content.decode()
        assert "long shift" in page and "Both legs or ankles swollen" in page

    def test_same_date_updates_never_duplicates(self, person_client, person):
        day = local_now().date() - timedelta(days=2)
        person_client.post(reverse("diary:day_log_new"), self.day_data(day))
        # Opening "new day log" for a date that has one leads to editing it.
        response = person_client.get(reverse("diary:day_log_new") + f"?date={day.isoformat()}")
        assert response.headers["Location"] == reverse("diary:day_log_edit", args=[day])
        person_client.post(reverse("diary:day_log_edit", args=[day]), self.day_data(day, stress="9"))
        assert DayLog.objects.filter(user=person).count() == 1
        assert DayLog.objects.get(user=person).stress == 9

    def test_a_second_day_log_for_a_date_is_refused(self, person_client, person):
        day = local_now().date() - timedelta(days=2)
        day_log(person, day, stress=2)
        response = person_client.post(reverse("diary:day_log_new"), self.day_data(day, stress="8"))
        assert response.status_code == 200
        assert "already have a day log for this date" in response.content.decode()
        assert DayLog.objects.get(user=person).stress == 2

    def test_moving_a_log_onto_another_logged_date_is_refused(self, person_client, person):
        day = local_now().date() - timedelta(days=3)
        day_log(person, day)
        day_log(person, day + timedelta(days=1), notes="keep me")
        response = person_client.post(reverse("diary:day_log_edit", args=[day]), self.day_data(day + timedelta(days=1)))
        assert "already have a day log" in response.content.decode()
        assert DayLog.objects.get(user=person, date=day + timedelta(days=1)).notes == "keep me"

    @pytest.mark.parametrize(
        "change, field, message",
        [
            ({"stress": "11"}, "stress", "less than or equal to 10"),
            ({"sleep_hours": "25"}, "sleep_hours", "less than or equal to 24"),
            ({"fluid_litres": "-1"}, "fluid_litres", "greater than or equal to 0"),
            ({"foods": ["pizza"]}, "foods", "Select a valid choice"),
            ({"date": "2999-01-01"}, "date", "future date"),
            ({"date": "31.02.2026"}, "date", "Enter a valid date."),
            ({"training_minutes": "2000"}, "training_minutes", "less than or equal to 1440"),
        ],
    )
    def test_bad_input(self, person_client, person, change, field, message):
        day = local_now().date() - timedelta(days=1)
        response = person_client.post(reverse("diary:day_log_new"), self.day_data(day, **change))
        assert response.status_code == 200
        assert message in " ".join(response.context["form"].errors[field])
        assert not DayLog.objects.filter(user=person).exists()

    def test_new_day_starts_from_previous_habits_but_not_symptoms(self, person_client, person):
        today = local_now().date()
        day_log(
            person,
            today - timedelta(days=3),
            footwear="high_heels",
            foods=["prunes", "dairy"],
            symptoms=["numbness_tingling"],
            stress=9,
            exertion="hard",
        )
        form = person_client.get(reverse("diary:day_log_new") + f"?date={today - timedelta(days=1)}").context["form"]
        assert form.initial["footwear"] == "high_heels"
        assert form.initial["foods"] == ["prunes", "dairy"]
        assert not form.initial["symptoms"] and form.initial["stress"] is None and not form.initial["exertion"]

    def test_delete(self, person_client, person):
        day = local_now().date() - timedelta(days=1)
        day_log(person, day)
        person_client.post(reverse("diary:day_log_delete", args=[day]))
        assert not DayLog.objects.filter(user=person).exists()


def days_shown(response) -> list[date]:
    return [date.fromisoformat(d) for d in re.findall(r'id="day-([0-9-]+)"', response.content.decode())]


class TestTimelineAndCalendar:
    def test_timeline_groups_cramps_with_their_night(self, person_client, person):
        day_log(person, date(2026, 10, 2), notes="hard run")
        episode(person, datetime(2026, 10, 3, 2, 40, tzinfo=KYIV), intensity=7)
        episode(person, datetime(2026, 10, 3, 4, 10, tzinfo=KYIV), intensity=4)
        page = person_client.get(reverse("diary:timeline"))
        html = page.content.decode()
        assert re.findall(r'id="day-([0-9-]+)"', html) == ["2026-10-02"]
        assert "hard run" in html and "2 cramps" in html and "worst 7/10" in html
        assert html.index("02:40") < html.index("04:10")

    def test_timeline_is_newest_first_and_paginated(self, person_client, person):
        first = date(2026, 1, 1)
        for offset in range(20):
            day_log(person, first + timedelta(days=offset))
        page1 = days_shown(person_client.get(reverse("diary:timeline")))
        page2 = days_shown(person_client.get(reverse("diary:timeline") + "?page=2"))
        assert page1[0] == first + timedelta(days=19)
        assert len(page1) == 14 and len(page2) == 6 and page2[-1] == first

    def test_calendar_marks_cramp_nights_with_their_worst_intensity(self, person_client, person):
        episode(person, datetime(2026, 10, 3, 2, 40, tzinfo=KYIV), intensity=7)
        episode(person, datetime(2026, 10, 3, 4, 10, tzinfo=KYIV), intensity=9)
        day_log(person, date(2026, 10, 5))
        response = person_client.get(reverse("diary:calendar") + "?month=2026-10")
        cells = {c["date"]: c for week in response.context["weeks"] for c in week}
        assert cells[date(2026, 10, 2)]["worst"] == 9 and cells[date(2026, 10, 2)]["count"] == 2
        assert cells[date(2026, 10, 3)]["worst"] is None
        assert cells[date(2026, 10, 5)]["logged"]
        assert "October 2026" in response.content.decode()

    @pytest.mark.parametrize("month", ["2026-13", "garbage", "0-0", ""])
    def test_calendar_with_a_bad_month_shows_this_month(self, person_client, month):
        response = person_client.get(reverse("diary:calendar") + f"?month={month}")
        assert response.status_code == 200
        assert response.context["month_start"].month == local_now().month

    def test_changing_the_zone_does_not_move_past_entries(self, person_client, person):
        item = episode(person, datetime(2026, 10, 3, 2, 40, tzinfo=KYIV))
        data = {"timezone": "America/New_York", "flat_feet": "unknown"}
        assert person_client.post(reverse("diary:profile"), data).status_code == 302
        item.refresh_from_db()
        assert item.started_at == datetime(2026, 10, 2, 23, 40, tzinfo=UTC)
        assert item.day == date(2026, 10, 2)
        html = person_client.get(reverse("diary:timeline")).content.decode()
        assert "19:40" in html  # now shown in New York time


class TestProfileAndAccount:
    def test_profile_saves_health_fields(self, person_client, person):
        data = {
            "timezone": "Europe/Kyiv",
            "bedtime": "22:30",
            "sex": "female",
            "birth_year": "1985",
            "pregnant": "on",
            "pregnancy_week": "24",
            "flat_feet": "yes",
            "conditions": ["varicose_veins"],
            "medications": ["diuretic", "statin"],
        }
        assert person_client.post(reverse("diary:profile"), data).status_code == 302
        profile = Profile.objects.get(user=person)
        assert profile.bedtime.strftime("%H:%M") == "22:30" and profile.pregnancy_week == 24
        assert profile.medications == ["diuretic", "statin"]

    @pytest.mark.parametrize(
        "change, field",
        [
            ({"timezone": "Mars/Olympus"}, "timezone"),
            ({"birth_year": "1800"}, "birth_year"),
            ({"pregnancy_week": "50", "pregnant": "on"}, "pregnancy_week"),
            ({"pregnancy_week": "12"}, "pregnancy_week"),
            ({"medications": ["aspirin"]}, "medications"),
            ({"bedtime": "25:00"}, "bedtime"),
        ],
    )
    def test_profile_bad_input(self, person_client, person, change, field):
        data = {"timezone": "Europe/Kyiv", "flat_feet": "unknown", **change}
        response = person_client.post(reverse("diary:profile"), data)
        assert response.status_code == 200 and field in response.context["form"].errors
        assert Profile.objects.get(user=person).timezone == "Europe/Kyiv"

    def test_delete_account_needs_the_password_then_removes_everything(self, person_client, person, other):
        episode(person, timezone.now() - timedelta(hours=1))
        day_log(person, local_now().date())
        episode(other, timezone.now() - timedelta(hours=1))
        response = person_client.post(reverse("diary:account_delete"), {"password": "wrong"})
        assert "not your password" in response.content.decode()
        assert get_user_model().objects.filter(pk=person.pk).exists()
        from tests.conftest import PASSWORD

        response = person_client.post(reverse("diary:account_delete"), {"password": PASSWORD})
        assert response.status_code == 302
        assert not get_user_model().objects.filter(pk=person.pk).exists()
        assert not Episode.objects.filter(user_id=person.pk).exists()
        assert not DayLog.objects.filter(user_id=person.pk).exists()
        assert not Profile.objects.filter(user_id=person.pk).exists()
        assert Episode.objects.filter(user=other).count() == 1
        assert person_client.get(reverse("diary:timeline")).status_code == 302  # logged out


class TestSignup:
    def test_signup_by_email_keeps_the_browser_time_zone(self, client, db):
        response = client.post(
            reverse("account_signup"),
            {
                "email": "new@example.com",
                "password1": "a-good-pass-9876",
                "password2": "a-good-pass-9876",
                "timezone": "Asia/Tokyo",
            },
        )
        assert response.status_code == 302
        user = get_user_model().objects.get(email="new@example.com")
        assert user.profile.timezone == "Asia/Tokyo"

    def test_signup_with_an_unknown_zone_falls_back_to_utc(self, client, db):
        client.post(
            reverse("account_signup"),
            {
                "email": "z@example.com",
                "password1": "a-good-pass-9876",
                "password2": "a-good-pass-9876",
                "timezone": "Nowhere/Land",
            },
        )
        assert get_user_model().objects.get(email="z@example.com").profile.timezone == "UTC"

    def test_password_reset_sends_an_email(self, client, person, mailoutbox):
        client.post(reverse("account_reset_password"), {"email": person.email})
        assert len(mailoutbox) == 1 and "/accounts/password/reset/key/" in mailoutbox[0].body


class TestAccountChanges:
    def test_change_password(self, person_client, person, mailoutbox):
        from tests.conftest import PASSWORD

        response = person_client.post(
            reverse("account_change_password"),
            {"oldpassword": PASSWORD, "password1": "another-long-pass-77", "password2": "another-long-pass-77"},
        )
        assert response.status_code == 302
        person.refresh_from_db()
        assert person.check_password("another-long-pass-77")
        assert any(person.email in m.to and "password" in m.subject.lower() for m in mailoutbox)  # told

    def test_add_and_make_primary_a_new_email(self, client, person, mailoutbox):
        from allauth.account.models import EmailAddress

        from tests.conftest import PASSWORD, sign_in

        sign_in(client, person.email, PASSWORD)
        asked = client.post(reverse("account_email"), {"action_add": "", "email": "renamed@example.com"})
        assert "reauthenticate" in asked["Location"]  # the password again, before any address changes
        assert client.post(reverse("account_reauthenticate"), {"password": PASSWORD}).status_code == 302
        client.post(reverse("account_email"), {"action_add": "", "email": "renamed@example.com"})
        assert EmailAddress.objects.filter(user=person, email="renamed@example.com").exists()
        assert any("renamed@example.com" in m.to for m in mailoutbox)  # a confirmation is sent

    def test_a_session_alone_cannot_move_the_account_to_another_address(self, person_client, person, mailoutbox):
        """A stolen session (no sign-in seen in it) is asked for the password before any address changes."""
        from allauth.account.models import EmailAddress

        response = person_client.post(reverse("account_email"), {"action_add": "", "email": "thief@evil.test"})
        assert response.status_code == 302 and "reauthenticate" in response["Location"]
        assert not EmailAddress.objects.filter(email="thief@evil.test").exists()
        assert not any("thief@evil.test" in m.to for m in mailoutbox)


def test_editing_notes_after_a_zone_change_keeps_the_day(person_client, person):
    # A nap at 13:00 in Kyiv belongs to 3 Oct; in Los Angeles the same instant is 03:00 during sleep,
    # which would file it under 2 Oct if an edit re-attributed it.
    item = episode(person, datetime(2026, 10, 3, 13, 0, tzinfo=KYIV), context="sleep")
    assert item.day == date(2026, 10, 3)
    person.profile.timezone = "America/Los_Angeles"
    person.profile.save()
    shown = item.started_at.astimezone(ZoneInfo("America/Los_Angeles")).strftime("%Y-%m-%dT%H:%M")
    assert shown in person_client.get(reverse("diary:episode_edit", args=[item.pk])).content.decode()
    data = {
        "started_at": shown,
        "leg": item.leg,
        "muscle": item.muscle,
        "intensity": item.intensity,
        "context": "sleep",
        "notes": "added later",
    }
    person_client.post(reverse("diary:episode_edit", args=[item.pk]), data)
    item.refresh_from_db()
    assert (item.notes, item.day) == ("added later", date(2026, 10, 3))
    data["started_at"] = "2026-10-03T03:30"  # moving the time does re-attribute, in the new zone
    person_client.post(reverse("diary:episode_edit", args=[item.pk]), data)
    item.refresh_from_db()
    assert item.day == date(2026, 10, 2)


class TestSafetyAndClocks:
    def test_repeated_hour_when_the_clocks_go_back_is_accepted(self, person_client, person):
        data = {
            "started_at": "2026-10-25T03:30",
            "leg": "right",
            "muscle": "calf",
            "intensity": "6",
            "context": "sleep",
        }
        assert person_client.post(reverse("diary:episode_new"), data).status_code == 302
        saved = Episode.objects.get(user=person)
        assert saved.started_at == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # the first 03:30
        assert saved.day == date(2026, 10, 24)

    def test_skipped_hour_when_the_clocks_go_forward_is_explained(self, person_client, person):
        data = {"started_at": "2026-03-29T03:30", "leg": "right", "muscle": "calf", "intensity": "6"}
        response = person_client.post(reverse("diary:episode_new"), data)
        assert "the clocks went forward that night" in response.content.decode()
        assert not Episode.objects.exists()

    def test_a_prolonged_cramp_warns_at_once(self, person_client):
        data = {
            "started_at": "2026-10-03T02:40",
            "leg": "right",
            "muscle": "calf",
            "intensity": "9",
            "duration_minutes": "45",
        }
        response = person_client.post(reverse("diary:episode_new"), data, follow=True)
        assert "does not ease within 10 minutes needs a doctor" in response.content.decode()

    @pytest.mark.parametrize(
        "symptoms, text",
        [
            (["chest_pain_or_breathless", "calf_swelling_one_side"], "Call emergency services now"),
            (["calf_red_or_warm"], "Seek medical care today"),
            (["calf_pain_lasting"], "Seek medical care today"),
        ],
    )
    def test_red_flag_symptoms_warn_at_once(self, person_client, symptoms, text):
        day = (local_now() - timedelta(days=1)).date()
        response = person_client.post(
            reverse("diary:day_log_new"), {"date": day.isoformat(), "symptoms": symptoms}, follow=True
        )
        assert text in response.content.decode()

    def test_signup_without_a_zone_asks_to_choose_one(self, client, db):
        response = client.post(
            reverse("account_signup"),
            {"email": "nojs@example.com", "password1": "a-good-pass-9876", "password2": "a-good-pass-9876"},
            follow=True,
        )
        assert "did not tell us your time zone" in response.content.decode()
