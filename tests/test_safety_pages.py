"""Clinical safety where a person meets it: the diary home, tonight's routine, the plan, the
reminder e-mail and the message right after saving (issue 10; ../shared/spec safety rules).

Real views, real database; the clock is the diary's own dates.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse

from diary.models import DayLog
from prevention.assessment.services import alarms_in, current_assessment, open_alarms, recent_diaries
from prevention.models import Reminder
from prevention.plan.due import refresh_next_send
from prevention.reminders.delivery import deliver
from prevention.reminders.dispatch import claim_due
from tests import factories
from tests.conftest import PASSWORD  # noqa: F401  (make_user's password)

UTC = UTC
ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 20)
ALARM = "data-alarm"
NO_STRETCH = "Do not stretch or massage a swollen, red or warm calf."


def night_cramp(user, day: date, **fields):
    """A cramp at 02:00 (Kyiv) in the night after `day`: it belongs to that diary day."""
    return factories.episode(user, datetime.combine(day + timedelta(days=1), time(0, 0), tzinfo=UTC), **fields)


def post_day_log(client, day: date, symptoms: list[str]):
    return client.post(reverse("diary:day_log_new"), {"date": day.isoformat(), "symptoms": symptoms}, follow=True)


def text_of(response) -> str:
    return response.content.decode()


@pytest.mark.django_db
def test_soreness_the_morning_after_each_cramp_raises_no_warning(person_client, person):
    for i in range(10):
        night = TODAY - timedelta(days=10 - i)
        night_cramp(person, night)
        response = post_day_log(person_client, night + timedelta(days=1), ["pain_after_cramp"])
        assert "blood clot" not in text_of(response)
    assert open_alarms(person) == []
    home = text_of(person_client.get(reverse("diary:timeline")))
    assert ALARM not in home
    assessment = text_of(person_client.get(reverse("prevention:assessment")))
    assert "Possible blood clot" not in assessment


@pytest.mark.django_db
def test_in_pregnancy_the_midwife_item_with_no_quinine_cannot_be_switched_off(person_client, person):
    person.profile.pregnant, person.profile.pregnancy_week = True, 24
    person.profile.save()
    night_cramp(person, TODAY - timedelta(days=1))
    page = text_of(person_client.get(reverse("prevention:plan")))
    item = page[page.index('id="item-doctor_pregnancy"') :]
    item = item[: item.index("</article>")]
    assert "data-locked" in item and "quinine" in item
    response = person_client.post(
        reverse("prevention:plan_item", args=["doctor_pregnancy"]), {"shown": "0"}, follow=True
    )
    assert "stays in your plan" in text_of(response)
    assert "doctor_pregnancy" not in person.routine_schedule.__class__.objects.get(user=person).hidden_items
    # the assessment's pregnancy cause says it too
    assessment = text_of(person_client.get(reverse("prevention:assessment")))
    assert "quinine, also in tonic water, must not be used in pregnancy" in assessment


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("evidence", "sign", "code"),
    [
        # dark urine 13 days ago, with the cramp it goes with 3 days before it
        (lambda person: night_cramp(person, TODAY - timedelta(days=16)), ("dark_urine", 13), "muscle_breakdown"),
        # a red calf 16 days ago, chest pain 3 days ago: the clot warning is an emergency again
        (
            lambda person: factories.day_log(person, TODAY - timedelta(days=16), symptoms=["calf_red_or_warm"]),
            ("chest_pain_or_breathless", 3),
            "possible_dvt",
        ),
    ],
)
def test_the_open_warning_reads_as_far_back_as_the_rules_evidence(person, evidence, sign, code):
    # The pages' warning (open_alarms reads only the recent weeks) agrees with the full assessment.
    evidence(person)
    symptom, days_ago = sign
    factories.day_log(person, TODAY - timedelta(days=days_ago), symptoms=[symptom])
    factories.day_log(person, TODAY, symptoms=[])
    full = [f.code for f in current_assessment(person).red_flags if f.urgency in ("emergency", "urgent")]
    assert full == [code]
    assert [f["code"] for f in open_alarms(person)] == [code]
    # the reminder batch reads the same window (prevention.reminders.delivery)
    assert [f["code"] for f in alarms_in(recent_diaries([person])[person.pk])] == [code]


@pytest.mark.django_db
def test_soreness_two_days_in_a_row_without_a_cramp_between_warns_at_once(person_client, person):
    night_cramp(person, TODAY - timedelta(days=3))
    post_day_log(person_client, TODAY - timedelta(days=2), ["pain_after_cramp"])
    response = post_day_log(person_client, TODAY - timedelta(days=1), ["pain_after_cramp"])
    assert "Seek medical care today" in text_of(response)
    assert [f["code"] for f in open_alarms(person)] == ["possible_dvt"]


@pytest.mark.django_db
def test_an_open_warning_stays_on_the_diary_home_until_the_diary_moves_on(person_client, person):
    night_cramp(person, TODAY - timedelta(days=1))
    saved = post_day_log(person_client, TODAY, ["calf_swelling_one_side"])
    assert "Seek medical care today" in text_of(saved)
    for _visit in range(2):  # not a one-time message
        home = text_of(person_client.get(reverse("diary:timeline")))
        assert ALARM in home and NO_STRETCH in home and 'data-alarm-flag="possible_dvt"' in home
    for name in ("prevention:tonight", "prevention:plan", "prevention:print"):
        page = text_of(person_client.get(reverse(name)))
        assert ALARM in page and NO_STRETCH in page, name
        assert page.index(ALARM) < page.index("Toe pulls with the leg raised"), f"{name}: the warning comes first"

    # 14 days later the sign is still recent; 15 days later the diary no longer supports "today"
    factories.day_log(person, TODAY + timedelta(days=14))
    assert ALARM in text_of(person_client.get(reverse("diary:timeline")))
    factories.day_log(person, TODAY + timedelta(days=15))
    assert ALARM not in text_of(person_client.get(reverse("diary:timeline")))
    doc = person_client.get(reverse("prevention:assessment_json")).json()
    (flag,) = [f for f in doc["red_flags"] if f["code"] == "possible_dvt"]
    assert (flag["urgency"], flag["last_seen"]) == ("soon", TODAY.isoformat())
    assert "If a doctor has not checked them yet" in flag["message"]


@pytest.mark.django_db
def test_the_doctor_item_cannot_be_switched_off_while_a_warning_is_open(person_client, person):
    night_cramp(person, TODAY - timedelta(days=1))
    factories.day_log(person, TODAY, symptoms=["calf_red_or_warm"])
    page = text_of(person_client.get(reverse("prevention:plan")))
    item = page[page.index('id="item-doctor_red_flags"') :]
    item = item[: item.index("</article>")]
    assert "data-locked" in item and "Switch off" not in item
    response = person_client.post(
        reverse("prevention:plan_item", args=["doctor_red_flags"]), {"shown": "0"}, follow=True
    )
    assert "stays in your plan" in text_of(response)
    assert "doctor_red_flags" not in person.routine_schedule.__class__.objects.get(user=person).hidden_items
    # any other item still switches off
    person_client.post(reverse("prevention:plan_item", args=["foot_massage"]), {"shown": "0"})
    assert "foot_massage" in person.routine_schedule.__class__.objects.get(user=person).hidden_items


@pytest.mark.django_db
@pytest.mark.parametrize(
    "profile",
    [
        {"conditions": ["dialysis"]},
        {"conditions": ["kidney_disease"]},
        {"medications": ["diuretic_potassium_sparing"]},
        {"medications": ["ace_inhibitor_or_arb"]},
    ],
)
def test_no_potassium_advice_for_a_person_at_risk_of_high_potassium(client, make_user, profile):
    person = make_user(email="kidney@example.com", **profile)
    client.force_login(person)
    for i in range(16):  # a poor diet with cramps: the diet rules fire
        day = TODAY - timedelta(days=16 - i)
        factories.day_log(person, day, foods=["eggs"], stress=8)
        if i % 2:
            night_cramp(person, day)
    doc = client.get(reverse("prevention:assessment_json")).json()
    for cause in doc["causes"]:
        assert "potassium" not in cause.get("nutrients", [])
        assert not any("potassium" in sentence.lower() for sentence in cause["evidence"]), cause
    plan = text_of(client.get(reverse("prevention:plan")))
    assert 'data-item="foods_potassium_caution"' in plan and 'data-item="foods_for_nutrients"' not in plan
    visible = re.sub(r"<[^>]+>", " ", plan)
    mentions = [m.start() for m in re.finditer("potassium", visible, re.I)]
    # only the caution itself: "ask your doctor before changing potassium ... potassium-rich foods ... potassium can build up"
    assert mentions and all("doctor" in visible[max(0, m - 300) : m + 300] for m in mentions), [
        visible[max(0, m - 100) : m + 60] for m in mentions
    ]
    for food in ("Dried apricots", "Dates", "Prunes", "Banana"):
        assert f"<strong>{food}</strong>" not in plan


@pytest.mark.django_db
def test_a_thiazide_diuretic_names_potassium_and_magnesium(client, make_user):
    person = make_user(email="thiazide@example.com", medications=["diuretic_thiazide"])
    client.force_login(person)
    night_cramp(person, TODAY - timedelta(days=1))
    doc = client.get(reverse("prevention:assessment_json")).json()
    (deficiency,) = [c for c in doc["causes"] if c["code"] == "micronutrient_deficiency"]
    assert deficiency["nutrients"] == ["potassium", "magnesium"]


@pytest.fixture
def sleeper(make_user):
    user = make_user(email="sleeper@example.com", timezone="Europe/Kyiv", bedtime=time(22, 30))
    refresh_next_send(user.pk, now=datetime(2026, 11, 2, 19, 0, tzinfo=UTC))
    return user


def _send_tonight(user) -> mail.EmailMultiAlternatives:
    (reminder_id,) = claim_due(now=datetime(2026, 11, 2, 20, 0, 30, tzinfo=UTC))
    assert deliver(reminder_id, now=datetime(2026, 11, 2, 20, 0, 40, tzinfo=UTC)) == Reminder.Status.SENT
    (message,) = mail.outbox
    return message


@pytest.mark.django_db
def test_the_reminder_leads_with_seek_care_first_while_a_warning_is_open(sleeper):
    night_cramp(sleeper, date(2026, 11, 1))
    factories.day_log(sleeper, date(2026, 11, 2), symptoms=["calf_swelling_one_side"])
    message = _send_tonight(sleeper)
    html = message.alternatives[0][0]
    for part in (message.body, html):
        assert "Do not stretch or massage a swollen, red or warm calf." in part
        assert part.index("stretch or massage") < part.index("Toe pulls with the leg raised")
    assert message.body.startswith("SEEK MEDICAL CARE FIRST")


@pytest.mark.django_db
def test_the_reminder_has_no_warning_and_no_potassium_otherwise(make_user, sleeper):
    type(sleeper.profile).objects.filter(pk=sleeper.profile.pk).update(
        conditions=["dialysis"]
    )  # keeps tonight's schedule
    night_cramp(sleeper, date(2026, 11, 1))
    factories.day_log(sleeper, date(2026, 11, 2), symptoms=["pain_after_cramp"])
    message = _send_tonight(sleeper)
    for part in (message.body, message.alternatives[0][0]):
        assert "stretch or massage" not in part and "SEEK MEDICAL CARE" not in part.upper()
        assert "potassium" not in part.lower()


@pytest.mark.heavy
def test_assess_runs_with_no_secret_key_and_no_debug(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE", "DATABASE_URL"}
    }
    env["CRAMPS_VAR_DIR"] = str(tmp_path)
    example = ROOT / "tests" / "data" / "runner-three-weeks.json"
    done = subprocess.run(
        [sys.executable, "manage.py", "assess", str(example)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert '"rules_version"' in done.stdout
    # everything else still refuses to start without a key
    refused = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert refused.returncode != 0 and "SECRET_KEY is not set" in refused.stderr


@pytest.mark.django_db
def test_the_new_symptoms_are_offered_in_plain_words(person_client):
    form = text_of(person_client.get(reverse("diary:day_log_new")))
    for words in (
        "Sore for a while after a cramp (normal)",
        "Calf pain lasting more than a day",
        "Dark, cola-coloured urine",
        "Tingling around the mouth",
        "Severe headache or changes in vision",
        "a pale, cold foot",
    ):
        assert words in form
    profile = text_of(person_client.get(reverse("diary:profile")))
    for words in ("Potassium-sparing diuretic", "Thiazide diuretic", "Loop diuretic", "Heart failure", "Raloxifene"):
        assert words in profile
    assert DayLog.objects.count() == 0


@pytest.mark.django_db
def test_a_snapshot_from_the_older_rules_still_displays(person_client, person):
    from prevention.models import Snapshot

    old = {
        "format": "cramps-assessment",
        "version": 1,
        "rules_version": "2026.11-2",
        "period": {"from": "2026-10-01", "to": "2026-10-20"},
        "days_logged": 20,
        "episode_count": 3,
        "sufficient_data": True,
        "min_days": 14,
        "days_needed": 0,
        "causes": [],
        "red_flags": [
            {
                "code": "possible_dvt",
                "label": "Possible blood clot (deep-vein thrombosis)",
                "urgency": "urgent",
                "message": "A swollen, red or warm calf on one side, or pain that stays after the cramp, can be a blood clot.",
                "evidence": ["You noted pain that stays after the cramp on 2 October 2026."],
                "rules": ["flag-dvt-signs"],
                "findings": [
                    {
                        "rule": "flag-dvt-signs",
                        "params": {"symptoms": ["pain_after_cramp"], "dates": ["2026-10-02"], "count": 1},
                    }
                ],
            }
        ],
        "patterns": [],
    }
    snap = Snapshot.objects.create(user=person, date=date(2026, 10, 20), rules_version="2026.11-2", document=old)
    page = person_client.get(reverse("prevention:snapshot", args=[snap.pk]))
    assert page.status_code == 200
    assert "Possible blood clot" in text_of(page) and "2026.11-2" in text_of(page)


@pytest.mark.django_db
def test_a_saved_entry_is_not_an_error_page_when_the_warning_check_fails(person_client, person, monkeypatch):
    from django.db import OperationalError

    import prevention.signals

    def down(user):
        raise OperationalError("the database restarted")

    monkeypatch.setattr(prevention.signals, "open_alarms", down)
    response = post_day_log(person_client, TODAY, ["calf_swelling_one_side"])
    assert response.status_code == 200 and "Day log saved." in text_of(response)
    assert DayLog.objects.filter(user=person, date=TODAY).exists()
