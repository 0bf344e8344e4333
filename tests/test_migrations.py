"""Migrations that move data keep it: forwards and back again."""

from datetime import UTC, date, datetime, time

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("prevention", "0007_reminder_user_no_separate_index"), ("diary", "0005_encrypt_mfa_secrets")]
AFTER = [("prevention", "0008_next_reminder_apart")]
DUE = datetime(2026, 11, 2, 19, 30, tzinfo=UTC)


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_next_reminder_moves_to_its_own_row_and_back_with_what_it_is_computed_from():
    try:
        apps = _migrate(BEFORE)
        User, Profile = apps.get_model("auth", "User"), apps.get_model("diary", "Profile")
        Schedule = apps.get_model("prevention", "Schedule")
        kyiv = User.objects.create(username="kyiv@example.com", email="kyiv@example.com")
        Profile.objects.create(user=kyiv, timezone="Europe/Kyiv", bedtime=time(22, 30))
        Schedule.objects.create(
            user=kyiv,
            feed_token="a",
            weekdays=[0, 2],
            at=time(22, 0),
            lead_minutes=30,
            reminders_on=True,
            next_send_at=DUE,
            next_evening=date(2026, 11, 2),
        )
        off = User.objects.create(username="off@example.com", email="off@example.com")  # no profile
        Schedule.objects.create(user=off, feed_token="b", reminders_on=False, next_send_at=None, next_evening=None)

        apps = _migrate(AFTER)
        NextReminder = apps.get_model("prevention", "NextReminder")
        copied = NextReminder.objects.get(user_id=kyiv.pk)
        assert (copied.send_at, copied.evening) == (DUE, date(2026, 11, 2))
        assert (copied.weekdays, copied.at, copied.lead_minutes, copied.reminders_on) == ([0, 2], time(22, 0), 30, True)
        assert (copied.zone, copied.bedtime) == ("Europe/Kyiv", time(22, 30))
        gone = NextReminder.objects.get(user_id=off.pk)
        assert (gone.send_at, gone.evening, gone.reminders_on, gone.zone) == (None, None, False, "UTC")

        apps = _migrate(BEFORE)
        Schedule = apps.get_model("prevention", "Schedule")
        back = Schedule.objects.get(user_id=kyiv.pk)
        assert (back.next_send_at, back.next_evening) == (DUE, date(2026, 11, 2))
        assert Schedule.objects.get(user_id=off.pk).next_send_at is None
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
