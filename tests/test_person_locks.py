"""Lock order: every writer of several of a person's rows takes the account's row first
(diary.locking.lock_person), so two of them at once wait for each other instead of deadlocking.
Each test widens the window with a pause where one writer holds its first lock (found by an
outside review; each failed with "deadlock detected", or left a next reminder behind, before)."""

import json
import threading
import time as clock
from datetime import time

import pytest
from django.db import connection, connections, transaction

from diary import exchange
from diary.services import delete_account
from prevention.models import Schedule
from prevention.plan.due import refresh_next_send
from prevention.reminders import delivery

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks")


def pause_first(monkeypatch, owner, name: str, seconds: float = 1.0) -> None:
    """`owner.name` made to wait `seconds` before it runs: the window in which one writer holds its
    first lock is widened until the other has started."""
    real = getattr(owner, name)

    def paused(*args, **kwargs):
        clock.sleep(seconds)
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, paused)


def run_both(first, second, gap=0.5):
    """first() in a thread; after `gap` s, second() in another; the errors each raised."""
    errors = {}

    def wrap(name, work):
        try:
            work()
        except BaseException as error:  # noqa: BLE001
            errors[name] = repr(error)[:200]
        finally:
            connections.close_all()

    a = threading.Thread(target=wrap, args=("first", first))
    b = threading.Thread(target=wrap, args=("second", second))
    a.start()
    clock.sleep(gap)
    b.start()
    a.join(30)
    b.join(30)
    return errors


@pytest.mark.django_db(transaction=True)
def test_admin_like_schedule_save_vs_unsubscribe(make_user, monkeypatch):
    """What the admin's change view does (atomic: UPDATE schedule, then post_save's refresh) while
    the person presses unsubscribe (lock account, then UPDATE schedule)."""
    user = make_user(email="a@example.com", bedtime=time(22, 30))
    uid = user.pk

    import prevention.signals as signals

    pause_first(monkeypatch, signals, "refresh_next_send")

    def admin_save():
        with transaction.atomic():  # ModelAdmin.changeform_view
            schedule = Schedule.objects.get(user_id=uid)
            schedule.lead_minutes = 15
            schedule.save()  # UPDATE, then post_save: follow_the_schedule -> refresh_next_send

    errors = run_both(admin_save, lambda: delivery.unsubscribe(uid), gap=0.3)
    monkeypatch.undo()
    assert not errors, errors


@pytest.mark.django_db(transaction=True)
def test_import_vs_account_deletion(make_user, monkeypatch):
    """import_document holds the profile's row while it checks the file, then saves the profile
    (post_save: refresh_next_send locks the account); delete_account locks the account first
    (pre_delete) and then deletes the profile."""
    user = make_user(email="b@example.com", bedtime=time(22, 30))
    raw = json.dumps(exchange.export_document(user), default=str).encode()
    pause_first(monkeypatch, exchange, "_plan", 1.5)  # a large file being checked
    from django.contrib.auth import get_user_model

    def importing():
        exchange.import_document(get_user_model().objects.get(pk=user.pk), raw)

    def deleting():
        delete_account(get_user_model().objects.get(pk=user.pk))

    errors = run_both(importing, deleting, gap=0.3)
    assert not errors, errors


@pytest.mark.django_db(transaction=True)
def test_admin_like_profile_save_vs_account_deletion(make_user, monkeypatch):
    user = make_user(email="c@example.com", bedtime=time(22, 30))
    uid = user.pk
    from django.contrib.auth import get_user_model

    import prevention.signals as signals
    from diary.models import Profile

    pause_first(monkeypatch, signals, "refresh_next_send")

    def admin_save():
        with transaction.atomic():  # ModelAdmin.changeform_view (ProfileAdmin)
            profile = Profile.objects.get(user_id=uid)
            profile.timezone = "America/New_York"
            profile.save()

    errors = run_both(admin_save, lambda: delete_account(get_user_model().objects.get(pk=uid)), gap=0.3)
    monkeypatch.undo()
    assert not errors, errors


@pytest.mark.django_db(transaction=True)
def test_schedule_deleted_during_a_refresh_leaves_a_next_reminder(make_user, monkeypatch):
    user = make_user(email="d@example.com", bedtime=time(22, 30))
    uid = user.pk
    from prevention.models import NextReminder
    from prevention.plan import due

    pause_first(monkeypatch, due, "_write_next")  # between the read and the upsert

    def staff_delete():
        with transaction.atomic():  # ModelAdmin.delete_view
            Schedule.objects.get(user_id=uid).delete()

    errors = run_both(lambda: refresh_next_send(uid), staff_delete, gap=0.3)
    monkeypatch.undo()
    assert not errors, errors
    assert not Schedule.objects.filter(user_id=uid).exists()
    assert not NextReminder.objects.filter(user_id=uid).exists(), NextReminder.objects.filter(user_id=uid).values()
