"""Reminders in one process, with a pinned clock: due times, claiming, sending once, the e-mail's links."""

import threading
from datetime import UTC, date, datetime, time, timedelta
from functools import partial
from smtplib import SMTPResponseException, SMTPServerDisconnected
from zoneinfo import ZoneInfo

import pytest
from django.core import mail, signing
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from diary.models import DayLog, Profile
from prevention import tasks
from prevention.models import NextReminder, Reminder, Schedule
from prevention.plan.due import refresh_next_send
from prevention.reminders import delivery, dispatch, links
from prevention.reminders.delivery import deliver
from prevention.reminders.dispatch import claim_due, stuck
from prevention.reminders.links import done_token, unsubscribe_token
from tests.factories import day_log
from tests.reminder_fixtures import next_of, two_dispatchers

UTC = UTC
KYIV = ZoneInfo("Europe/Kyiv")
# Monday 2 November 2026, 19:00 UTC = 21:00 in Kyiv (winter time, UTC+2).
MONDAY_EVENING = datetime(2026, 11, 2, 19, 0, tzinfo=UTC)


@pytest.fixture
def sleeper(make_user):
    """A person in Kyiv with bedtime 22:30 and a reminder 30 minutes before: 20:00 UTC."""
    user = make_user(email="sleeper@example.com", timezone="Europe/Kyiv", bedtime=time(22, 30))
    refresh_next_send(user.pk, now=MONDAY_EVENING)
    user.routine_schedule.refresh_from_db()
    return user


@pytest.mark.django_db
def test_every_account_gets_a_schedule_and_the_next_reminder_in_its_zone(sleeper):
    schedule = sleeper.routine_schedule
    assert next_of(schedule).evening == date(2026, 11, 2)
    assert next_of(schedule).send_at == datetime(2026, 11, 2, 20, 0, tzinfo=UTC)  # 22:00 in Kyiv


@pytest.mark.django_db
def test_a_new_zone_or_bedtime_moves_the_next_reminder(sleeper):
    sleeper.profile.timezone = "America/New_York"
    sleeper.profile.save()  # the signal uses the real clock: recompute with the pinned one
    refresh_next_send(sleeper.pk, now=MONDAY_EVENING)
    schedule = Schedule.objects.get(user=sleeper)
    assert next_of(schedule).send_at == datetime(2026, 11, 3, 3, 0, tzinfo=UTC)  # 22:00 in New York (UTC-5)
    assert next_of(schedule).evening == date(2026, 11, 2)


@pytest.mark.django_db
def test_the_next_reminder_keeps_a_true_copy_of_what_it_is_computed_from(sleeper):
    """The claim reads the next reminder's own copy of the schedule and profile (one row, no joins):
    every save of either, from any page or the admin, writes it again; saving the items switched
    off does not move the next reminder."""
    schedule = Schedule.objects.get(user=sleeper)
    schedule.at, schedule.weekdays, schedule.lead_minutes = time(21, 15), [5, 6], 45
    schedule.save()  # as the admin saves it: no page calls refresh_next_send
    copy = next_of(sleeper)
    assert (copy.at, copy.weekdays, copy.lead_minutes, copy.reminders_on) == (time(21, 15), [5, 6], 45, True)
    assert copy.evening.weekday() in (5, 6) and copy.send_at > datetime.now(UTC)
    local = copy.send_at.astimezone(KYIV)
    assert (local.hour, local.minute) == (20, 30)  # 45 minutes before 21:15 in Kyiv

    sleeper.profile.timezone, sleeper.profile.bedtime = "America/New_York", time(23, 0)
    sleeper.profile.save()
    copy = next_of(sleeper)
    assert (copy.zone, copy.bedtime) == ("America/New_York", time(23, 0))
    assert (copy.send_at.astimezone(ZoneInfo("America/New_York")).hour, copy.at) == (20, time(21, 15))

    NextReminder.objects.filter(user=sleeper).update(send_at=MONDAY_EVENING)  # a sentinel
    schedule.refresh_from_db()
    schedule.hidden_items = ["massage"]
    schedule.save(update_fields=["hidden_items", "updated_at"])
    assert next_of(sleeper).send_at == MONDAY_EVENING

    delivery.unsubscribe(sleeper.pk)
    copy = next_of(sleeper)
    assert (copy.send_at, copy.evening, copy.reminders_on) == (None, None, False)


@pytest.mark.django_db
def test_the_copy_is_made_from_the_rows_as_saved_not_as_a_caller_read_them(sleeper):
    """A page that read the account (and profile) before another saved a new zone, then saves the
    schedule: the copy takes the new zone. An unsubscribe between a read and a refresh stays."""
    from diary.backends import PersonBackend

    reader = PersonBackend().get_user(sleeper.pk)  # a request begins: the profile read with the account
    profile = Profile.objects.get(user=sleeper)
    profile.timezone = "America/New_York"
    profile.save()  # another request saves a new zone meanwhile
    schedule = reader.routine_schedule
    schedule.lead_minutes = 15
    schedule.save()  # the first request saves the schedule, its profile read before the change
    assert (next_of(sleeper).zone, next_of(sleeper).lead_minutes) == ("America/New_York", 15)
    local = next_of(sleeper).send_at.astimezone(ZoneInfo("America/New_York"))
    assert (local.hour, local.minute) == (22, 15)  # 15 minutes before 22:30 in New York

    stale = Schedule.objects.get(user=sleeper)
    delivery.unsubscribe(sleeper.pk)
    stale.save()  # a save from a page read before the unsubscribe: the refresh reads the schedule now
    assert Schedule.objects.get(user=sleeper).reminders_on is True  # the stale save wrote it back...
    assert next_of(sleeper).reminders_on is True  # ...and the copy follows what is stored, not a mix
    delivery.unsubscribe(sleeper.pk)
    refresh_next_send(sleeper.pk, now=MONDAY_EVENING)
    assert (next_of(sleeper).reminders_on, next_of(sleeper).send_at) == (False, None)


@pytest.mark.django_db
def test_a_schedule_deleted_by_staff_takes_the_person_out_of_the_queue_and_spoils_no_batch(sleeper, make_user):
    other = make_user(email="other-sleeper@example.com", timezone="Europe/Kyiv", bedtime=time(22, 30))
    refresh_next_send(other.pk, now=MONDAY_EVENING)
    from allauth.account.models import EmailAddress

    for person in (sleeper, other):
        EmailAddress.objects.update_or_create(
            user=person, email=person.email, defaults={"verified": True, "primary": True}
        )
    due = datetime(2026, 11, 2, 20, 0, 30, tzinfo=UTC)
    ids = claim_due(now=due)
    assert len(ids) == 2
    Schedule.objects.filter(user=sleeper).delete()  # after the claim, before the send
    assert not NextReminder.objects.filter(user=sleeper).exists()
    outcome = delivery.deliver_batch(ids, now=due + timedelta(seconds=30))
    statuses = dict(Reminder.objects.filter(pk__in=ids).values_list("user_id", "status"))
    assert statuses == {sleeper.pk: Reminder.Status.OFF, other.pk: Reminder.Status.SENT}, outcome
    assert [m.to for m in mail.outbox] == [[other.email]]
    assert claim_due(now=due + timedelta(days=1)) == [Reminder.objects.get(user=other, evening=date(2026, 11, 3)).pk]


@pytest.mark.django_db
def test_reminders_keep_the_local_time_across_the_clock_change(make_user):
    user = make_user(email="autumn@example.com", timezone="Europe/Kyiv", bedtime=time(22, 30))
    schedule = user.routine_schedule
    saturday = datetime(2026, 10, 24, 12, 0, tzinfo=UTC)  # clocks go back in the night to Sunday 25 Oct
    refresh_next_send(schedule.user_id, now=saturday)
    schedule.refresh_from_db()
    assert next_of(schedule).send_at == datetime(2026, 10, 24, 19, 0, tzinfo=UTC)  # 22:00 EEST (UTC+3)
    claim_due(now=next_of(schedule).send_at)
    schedule.refresh_from_db()
    assert next_of(schedule).send_at == datetime(2026, 10, 25, 20, 0, tzinfo=UTC)  # 22:00 EET (UTC+2)


@pytest.mark.django_db
def test_claiming_is_once_per_evening_however_often_the_dispatcher_runs(sleeper):
    due = datetime(2026, 11, 2, 20, 0, 30, tzinfo=UTC)
    first = claim_due(now=due)
    assert len(first) == 1
    assert claim_due(now=due) == [] and claim_due(now=due + timedelta(seconds=50)) == []
    schedule = Schedule.objects.get(user=sleeper)
    assert next_of(schedule).evening == date(2026, 11, 3)
    assert Reminder.objects.get(pk=first[0]).status == Reminder.Status.CLAIMED


@pytest.mark.django_db
def test_the_dispatcher_claims_and_queues_a_batch_at_a_time(make_user, monkeypatch):
    people = []
    for i in range(5):
        user = make_user(email=f"crowd{i}@example.com", timezone="Europe/Kyiv", bedtime=time(22, 30))
        refresh_next_send(user.pk, now=MONDAY_EVENING)
        people.append(user)
    due = datetime(2026, 11, 2, 20, 0, 30, tzinfo=UTC)
    batches = dispatch.claim_batches(now=due, batch=2)
    first = next(batches)
    # The first batch is committed and can be sent before the rest are claimed.
    assert len(first) == 2 and Reminder.objects.count() == 2
    assert [len(first)] + [len(batch) for batch in batches] == [2, 2, 1]
    claimed = Reminder.objects.filter(status=Reminder.Status.CLAIMED)
    assert sorted(claimed.values_list("user_id", flat=True)) == sorted(p.pk for p in people)

    # dispatch_reminders hands each batch to the broker as it comes, then the sweeper's.
    Reminder.objects.all().delete()
    NextReminder.objects.update(send_at=datetime(2026, 11, 2, 20, 0, tzinfo=UTC), evening=date(2026, 11, 2))
    published = []
    # The clock pinned for the dispatcher and its sweeper; batches of two.
    monkeypatch.setattr(dispatch, "claim_batches", partial(dispatch.claim_batches, due, 2))
    monkeypatch.setattr(dispatch, "stuck", partial(dispatch.stuck, due))
    monkeypatch.setattr(tasks, "queue", lambda ids: published.append(list(ids)))
    assert tasks.dispatch_reminders() == 5
    assert [len(ids) for ids in published] == [2, 2, 1, 0]
    assert sorted(i for ids in published for i in ids) == sorted(claimed.values_list("pk", flat=True))


@pytest.mark.django_db(transaction=True)
def test_more_dispatchers_queue_claim_tasks_that_share_the_due_rows(make_user, monkeypatch, settings):
    """REMINDER_DISPATCHERS=3: beat's dispatcher queues two claim tasks (PostgreSQL) and claims too;
    run at the same time, on connections of their own, they claim everyone once between them."""
    people = []
    for i in range(7):
        user = make_user(email=f"share{i}@example.com", timezone="Europe/Kyiv", bedtime=time(22, 30))
        refresh_next_send(user.pk, now=MONDAY_EVENING)
        people.append(user.pk)
    due = datetime(2026, 11, 2, 20, 0, 30, tzinfo=UTC)
    settings.REMINDER_DISPATCHERS, settings.REMINDER_CLAIM_BATCH = 3, 2
    queued, published = [], []
    monkeypatch.setattr(dispatch, "claim_batches", partial(dispatch.claim_batches, due))
    monkeypatch.setattr(dispatch, "stuck", partial(dispatch.stuck, due))
    monkeypatch.setattr(tasks, "queue", lambda ids: published.append(list(ids)))
    monkeypatch.setattr(tasks.claim_reminders, "apply_async", lambda **options: queued.append(options))
    claimed_here = tasks.dispatch_reminders()
    expiring = {"expires": settings.REMINDER_DISPATCH_EVERY}  # never piled up behind busy workers
    assert queued == ([expiring, expiring] if connection.vendor == "postgresql" else [])
    assert claimed_here == 7  # alone, it claims everyone
    if connection.vendor == "postgresql":  # the queued ones, run at once, share the rows
        Reminder.objects.all().delete()
        NextReminder.objects.filter(user_id__in=people).update(send_at=MONDAY_EVENING, evening=date(2026, 11, 2))
        counts = two_dispatchers(tasks.claim_reminders)
        assert sum(counts) == 7, counts
    claimed = Reminder.objects.filter(evening=date(2026, 11, 2), status=Reminder.Status.CLAIMED)
    assert sorted(claimed.values_list("user_id", flat=True)) == sorted(people)  # one each


def read_as_the_dispatcher(user, now: datetime) -> list:
    """The person's due row as this database's dispatcher reads it (plain values on PostgreSQL)."""
    read = dispatch._locked if connection.vendor == "postgresql" else dispatch._due
    return [row for row in read(now, 100) if row.user_id == user.pk]


@pytest.mark.django_db
def test_two_dispatchers_with_the_same_row_claim_it_once(sleeper):
    due = datetime(2026, 11, 2, 20, 1, tzinfo=UTC)
    stale_a = read_as_the_dispatcher(sleeper, due)
    stale_b = read_as_the_dispatcher(sleeper, due)
    assert len(stale_a) == len(stale_b) == 1
    assert len(dispatch._claim(stale_a, due)) == 1
    assert dispatch._claim(stale_b, due) == []
    assert Reminder.objects.filter(user=sleeper).count() == 1


@pytest.mark.django_db
def test_one_email_with_both_parts_the_steps_and_the_links(sleeper):
    (reminder_id,) = claim_due(now=datetime(2026, 11, 2, 20, 0, 30, tzinfo=UTC))
    assert deliver(reminder_id, now=datetime(2026, 11, 2, 20, 0, 40, tzinfo=UTC)) == "sent"
    assert deliver(reminder_id, now=datetime(2026, 11, 2, 20, 1, tzinfo=UTC)) == "sent"  # a retried task
    (message,) = mail.outbox
    assert message.to == ["sleeper@example.com"]
    assert message.subject == "Tonight's leg routine at 22:30"
    html, mime = message.alternatives[0]
    assert mime == "text/html"
    for part in (message.body, html):
        assert "Toe pulls with the leg raised" in part
        assert "/plan/done/" in part and "/reminders/unsubscribe/" in part
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["List-Unsubscribe"].startswith("<http")
    reminder = Reminder.objects.get(pk=reminder_id)
    assert (reminder.status, reminder.attempts) == (Reminder.Status.SENT, 1)


@pytest.mark.django_db
def test_no_reminder_when_tonights_routine_is_done(sleeper):
    day_log(sleeper, date(2026, 11, 2), exercises_done=True)
    (reminder_id,) = claim_due(now=datetime(2026, 11, 2, 20, 0, 30, tzinfo=UTC))
    assert deliver(reminder_id, now=datetime(2026, 11, 2, 20, 0, 40, tzinfo=UTC)) == Reminder.Status.SKIPPED
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_reminder_too_late_for_its_evening_is_dropped_not_sent_next_morning(sleeper):
    # The dispatcher was down all evening: at 01:00 Kyiv the 22:30 routine is over.
    late = datetime(2026, 11, 2, 23, 0, tzinfo=UTC)
    assert claim_due(now=late) == []
    dropped = Reminder.objects.get(user=sleeper, evening=date(2026, 11, 2))
    assert dropped.status == Reminder.Status.DROPPED
    assert mail.outbox == []
    assert next_of(sleeper).evening == date(2026, 11, 3)


@pytest.mark.django_db
def test_an_smtp_outage_is_retried_and_sends_once(sleeper, monkeypatch):
    (reminder_id,) = claim_due(now=datetime(2026, 11, 2, 20, 0, 30, tzinfo=UTC))

    def outage(*args, **kwargs):
        raise SMTPResponseException(451, "try again later: connection refused upstream")

    monkeypatch.setattr(delivery, "transmit", outage)
    with pytest.raises(delivery.Retry):
        deliver(reminder_id, now=datetime(2026, 11, 2, 20, 0, 40, tzinfo=UTC))
    failed = Reminder.objects.get(pk=reminder_id)
    assert (failed.status, failed.error) == (Reminder.Status.FAILED, "SMTPResponseException 451")
    monkeypatch.undo()
    assert deliver(reminder_id, now=datetime(2026, 11, 2, 20, 5, tzinfo=UTC)) == Reminder.Status.SENT
    assert len(mail.outbox) == 1
    assert Reminder.objects.get(pk=reminder_id).attempts == 2


@pytest.mark.django_db
def test_a_connection_lost_mid_send_is_never_sent_twice(sleeper, monkeypatch):
    (reminder_id,) = claim_due(now=datetime(2026, 11, 2, 20, 0, 30, tzinfo=UTC))

    def lost(*args, **kwargs):
        raise SMTPServerDisconnected("connection closed after DATA")

    monkeypatch.setattr(delivery, "transmit", lost)
    assert deliver(reminder_id, now=datetime(2026, 11, 2, 20, 0, 40, tzinfo=UTC)) == Reminder.Status.UNKNOWN
    monkeypatch.undo()
    assert deliver(reminder_id, now=datetime(2026, 11, 2, 20, 5, tzinfo=UTC)) == Reminder.Status.UNKNOWN
    assert mail.outbox == []


def _aged(pk: int, seconds: float, now: datetime) -> None:
    Reminder.objects.filter(pk=pk).update(updated_at=now - timedelta(seconds=seconds))


@pytest.mark.django_db
def test_the_sweeper_requeues_lost_sends_and_never_resends_an_interrupted_one(sleeper, other, settings):
    """Without a look into the broker (the file-system broker), time alone decides."""
    now = datetime(2026, 11, 2, 20, 0, 30, tzinfo=UTC)
    (lost,) = claim_due(now=now)
    blind = settings.REMINDER_STUCK_BLIND_AFTER
    _aged(lost, blind - 1, now)
    assert stuck(now=now) == []  # still within the blind window: probably waiting in a busy queue
    _aged(lost, blind + 1, now)
    interrupted = Reminder.objects.create(
        user=other,
        evening=date(2026, 11, 2),
        due_at=now,
        deadline=now + timedelta(hours=3),
        status=Reminder.Status.SENDING,
    )
    Reminder.objects.filter(pk=interrupted.pk).update(updated_at=now - timedelta(minutes=30))
    assert stuck(now=now, held=lambda *_: None) == [lost]  # a broker that cannot tell: the same rule
    assert Reminder.objects.get(pk=interrupted.pk).status == Reminder.Status.UNKNOWN
    assert stuck(now=now + timedelta(seconds=60)) == []  # queued once, not again every minute
    # A failed one whose delayed retry went down with a worker comes back after the longest back-off.
    Reminder.objects.filter(pk=lost).update(status=Reminder.Status.FAILED, updated_at=now - timedelta(minutes=16))
    assert stuck(now=now) == []
    Reminder.objects.filter(pk=lost).update(updated_at=now - timedelta(minutes=18))
    assert stuck(now=now) == [lost]


@pytest.mark.django_db
def test_the_sweeper_requeues_what_the_broker_lost_within_the_window_and_never_a_waiting_one(sleeper, settings):
    now = datetime(2026, 11, 2, 20, 0, 30, tzinfo=UTC)
    (reminder_id,) = claim_due(now=now)
    window = settings.REMINDER_STUCK_AFTER
    assert window + settings.REMINDER_DISPATCH_EVERY < 120, "lost messages go out again within two minutes"
    looks = []

    def broker(*held_sets):
        """A broker holding these reminders at each look (the last one from then on)."""

        def held(at, stale_after):
            looks.append((at, stale_after))
            return held_sets[min(len(looks) - 1, len(held_sets) - 1)]

        looks.clear()
        return held

    _aged(reminder_id, window - 1, now)
    assert stuck(now=now, held=broker(set())) == [] and looks == []  # not a candidate yet: the broker is not asked
    # Waiting in a healthy queue however long (a backlog): never queued a second time.
    _aged(reminder_id, 3 * 3600, now)
    assert stuck(now=now, held=broker({reminder_id})) == []
    assert looks == [(now, timedelta(seconds=window))]
    # Taken by a worker at the instant of the first look (in neither place): the second look finds it.
    assert stuck(now=now, held=broker(set(), {reminder_id})) == [] and len(looks) == 2
    # The broker lost it (restarted without its data): queued again at the first sweep past the window.
    _aged(reminder_id, window + 1, now)
    assert stuck(now=now, held=broker(set())) == [reminder_id]
    assert stuck(now=now + timedelta(seconds=window - 1), held=broker(set())) == []  # touched: not a candidate
    # The next sweeps find the message queued again in the broker: it is not queued a third time.
    assert stuck(now=now + timedelta(seconds=settings.REMINDER_DISPATCH_EVERY), held=broker({reminder_id})) == []
    # A failed one whose retry the broker no longer holds: the same window, not the longest back-off.
    Reminder.objects.filter(pk=reminder_id).update(status=Reminder.Status.FAILED)
    _aged(reminder_id, window + 1, now)
    assert stuck(now=now, held=broker({reminder_id})) == []  # its retry is waiting for its countdown
    assert stuck(now=now, held=broker(set())) == [reminder_id]
    # Sent meanwhile (its message finished between the look and the query): not queued again.
    Reminder.objects.filter(pk=reminder_id).update(status=Reminder.Status.SENT)
    _aged(reminder_id, window + 1, now)
    assert stuck(now=now, held=broker(set())) == []


def test_the_retry_countdown_doubles_up_to_its_settings(settings):
    settings.REMINDER_RETRY_BASE_SECONDS, settings.REMINDER_RETRY_MAX_SECONDS = 30, 900
    assert [tasks.retry_countdown(n) for n in range(7)] == [30, 60, 120, 240, 480, 900, 900]
    settings.REMINDER_RETRY_BASE_SECONDS, settings.REMINDER_RETRY_MAX_SECONDS = 1, 2
    assert [tasks.retry_countdown(n) for n in range(3)] == [1, 2, 2]


@pytest.mark.django_db
def test_changing_the_time_after_tonights_reminder_brings_no_second_one(sleeper):
    claim_due(now=datetime(2026, 11, 2, 20, 0, 30, tzinfo=UTC))
    schedule = Schedule.objects.get(user=sleeper)
    schedule.at = time(23, 45)
    schedule.save()
    refresh_next_send(schedule.user_id, now=datetime(2026, 11, 2, 20, 10, tzinfo=UTC))
    schedule.refresh_from_db()
    assert next_of(schedule).evening == date(2026, 11, 3)


# The sleeper's reminder is due at 20:00 UTC (22:00 in Kyiv, routine 22:30); the evening is over at 22:30 UTC.


def evenings(reminder_ids: list[int]) -> list[date]:
    return list(Reminder.objects.filter(pk__in=reminder_ids).values_list("evening", flat=True))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change, at",
    [
        # earlier, at 21:40: its reminder (21:30) has passed, the routine (22:00) is still ahead
        ({"at": time(22, 0)}, datetime(2026, 11, 2, 19, 40, tzinfo=UTC)),
        # switched on again at 22:10: the reminder (22:00) has passed, the routine (22:30) is ahead
        ({}, datetime(2026, 11, 2, 20, 10, tzinfo=UTC)),
    ],
)
def test_a_change_after_tonights_reminder_time_still_brings_it_while_the_evening_lasts(sleeper, change, at):
    schedule = Schedule.objects.get(user=sleeper)
    Schedule.objects.filter(pk=schedule.pk).update(reminders_on=False)
    NextReminder.objects.filter(user=sleeper).update(send_at=None, evening=None)
    schedule.refresh_from_db()
    schedule.reminders_on = True
    for name, value in change.items():
        setattr(schedule, name, value)
    schedule.save()  # the refresh reads the schedule as saved
    refresh_next_send(schedule.user_id, now=at)
    schedule.refresh_from_db()
    assert (next_of(schedule).evening, next_of(schedule).send_at) == (date(2026, 11, 2), at), "due at once"
    assert evenings(claim_due(now=at + timedelta(seconds=30))) == [date(2026, 11, 2)]


@pytest.mark.django_db
def test_saving_the_profile_between_the_reminders_time_and_its_claim_keeps_tonights(sleeper):
    sleeper.profile.medications = ["statin"]
    sleeper.profile.save()
    late = datetime(2026, 11, 2, 20, 0, 20, tzinfo=UTC)  # 20 s after it fell due; the dispatcher has not run
    refresh_next_send(sleeper.pk, now=late)
    assert evenings(claim_due(now=late + timedelta(seconds=30))) == [date(2026, 11, 2)]
    # and once tonight is claimed, a save brings the next evening's, never a second one
    refresh_next_send(sleeper.pk, now=late + timedelta(minutes=1))
    assert next_of(sleeper).evening == date(2026, 11, 3)


@pytest.mark.django_db
def test_an_evening_already_over_is_not_brought_back_by_a_change(sleeper):
    over = datetime(2026, 11, 2, 20, 31, tzinfo=UTC)  # 22:31 in Kyiv: the 22:30 routine's evening is over at 00:30
    refresh_next_send(sleeper.pk, now=datetime(2026, 11, 2, 22, 31, tzinfo=UTC))
    schedule = Schedule.objects.get(user=sleeper)
    assert (next_of(schedule).evening, next_of(schedule).send_at) == (
        date(2026, 11, 3),
        datetime(2026, 11, 3, 20, 0, tzinfo=UTC),
    )
    refresh_next_send(schedule.user_id, now=over)  # 2 h 1 min before the evening is over: still tonight
    assert next_of(sleeper).send_at == over


@pytest.mark.django_db
def test_a_morning_bedtime_is_no_evening_routine_time(make_user):
    """After a night shift, bedtime 07:00: the routine is at the default 22:00, never a 'tonight' e-mail at 06:30."""
    user = make_user(email="nightshift@example.com", timezone="Europe/Kyiv", bedtime=time(7, 0))
    refresh_next_send(user.pk, now=MONDAY_EVENING)
    schedule = Schedule.objects.get(user=user)
    due_at = next_of(schedule).send_at
    assert due_at == datetime(2026, 11, 2, 19, 30, tzinfo=UTC)  # 21:30 in Kyiv, for 22:00
    reminder_id = claim_due(now=due_at)[0]
    assert deliver(reminder_id, now=due_at) == "sent"
    assert "22:00" in mail.outbox[-1].subject and "07:00" not in mail.outbox[-1].body


@pytest.mark.django_db
def test_the_done_link_changes_nothing_on_a_visit_and_records_on_the_button(client, sleeper):
    url = reverse("prevention:done_link", args=[done_token(sleeper.pk, date(2026, 11, 2))])
    page = client.get(url)  # what a mail scanner does
    assert page.status_code == 200 and b"Yes, record it" in page.content
    assert not DayLog.objects.filter(user=sleeper).exists()
    assert b"data-recorded" in client.post(url).content
    assert DayLog.objects.get(user=sleeper, date=date(2026, 11, 2)).exercises_done


@pytest.mark.django_db
def test_done_links_expire_and_cannot_be_forged(client, sleeper, monkeypatch):
    token = done_token(sleeper.pk, date(2026, 11, 2))
    assert client.post(reverse("prevention:done_link", args=[token + "x"])).status_code == 404
    monkeypatch.setattr(links, "DONE_LINK_MAX_AGE", -1)
    assert client.post(reverse("prevention:done_link", args=[token])).status_code == 410
    assert not DayLog.objects.filter(user=sleeper).exists()
    forged = signing.dumps({"u": sleeper.pk, "e": "2026-11-02"}, salt="another-salt")
    assert client.get(reverse("prevention:done_link", args=[forged])).status_code == 404


@pytest.mark.django_db
def test_one_click_unsubscribe_and_the_form(client, sleeper):
    url = reverse("prevention:unsubscribe", args=[unsubscribe_token(sleeper.pk)])
    assert b"Yes, stop the e-mails" in client.get(url).content
    assert Schedule.objects.get(user=sleeper).reminders_on
    # RFC 8058: the mail client POSTs this body, without a cookie or CSRF token.
    csrf_client = client.__class__(enforce_csrf_checks=True)
    response = csrf_client.post(url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    schedule = Schedule.objects.get(user=sleeper)
    assert not schedule.reminders_on and next_of(schedule).send_at is None
    assert claim_due(now=datetime(2026, 11, 2, 20, 0, 30, tzinfo=UTC)) == []


@pytest.mark.django_db
def test_the_person_sees_the_last_reminder(client, sleeper):
    (reminder_id,) = claim_due(now=datetime(2026, 11, 2, 20, 0, 30, tzinfo=UTC))
    deliver(reminder_id, now=datetime(2026, 11, 2, 20, 0, 40, tzinfo=UTC))
    client.force_login(sleeper)
    content = client.get(reverse("prevention:plan")).content.decode()
    assert "Last reminder sent at" in content


@pytest.mark.django_db
def test_the_schedule_form_switches_reminders_off_and_on(client, sleeper):
    client.force_login(sleeper)
    client.post(reverse("prevention:schedule"), {"weekdays": ["0", "1"], "at": "", "lead_minutes": "30"})
    schedule = Schedule.objects.get(user=sleeper)
    assert not schedule.reminders_on and next_of(schedule).send_at is None
    client.post(
        reverse("prevention:schedule"), {"weekdays": ["0", "1"], "at": "", "lead_minutes": "30", "reminders_on": "on"}
    )
    schedule = Schedule.objects.get(user=sleeper)
    assert schedule.reminders_on and next_of(schedule).evening.weekday() in (0, 1)


@pytest.mark.django_db
def test_no_reminder_to_an_unconfirmed_address_and_the_person_is_told(client, make_user):
    # A mistyped address must not get someone's nightly health e-mail.
    newcomer = make_user(email="newcomer@example.com", confirmed=False, bedtime=time(22, 30))
    refresh_next_send(newcomer.pk, now=MONDAY_EVENING)
    (reminder_id,) = claim_due(now=datetime(2026, 11, 2, 20, 0, 30, tzinfo=UTC))
    assert deliver(reminder_id, now=datetime(2026, 11, 2, 20, 0, 40, tzinfo=UTC)) == Reminder.Status.UNCONFIRMED
    assert mail.outbox == []
    client.force_login(newcomer)
    for page in ("prevention:plan", "prevention:schedule"):
        content = client.get(reverse(page)).content.decode()
        assert "E-mail reminders go only to a confirmed address" in content, page
        assert reverse("account_email") in content
    assert "Reminder of 2 November: not sent: your e-mail address is not confirmed yet." in " ".join(
        client.get(reverse("prevention:plan")).content.decode().split()
    )

    # Confirmed: the next evening's reminder goes out and the notice is gone.
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=newcomer, email=newcomer.email, primary=True, verified=True)
    (tuesday,) = claim_due(now=datetime(2026, 11, 3, 20, 0, 30, tzinfo=UTC))
    assert deliver(tuesday, now=datetime(2026, 11, 3, 20, 0, 40, tzinfo=UTC)) == Reminder.Status.SENT
    assert [m.to for m in mail.outbox] == [["newcomer@example.com"]]
    assert (
        "E-mail reminders go only to a confirmed address" not in client.get(reverse("prevention:plan")).content.decode()
    )


@pytest.mark.django_db
def test_a_site_that_does_not_confirm_addresses_still_sends(settings, make_user):
    settings.ACCOUNT_EMAIL_VERIFICATION = "none"
    person = make_user(email="plain@example.com", confirmed=False, bedtime=time(22, 30))
    refresh_next_send(person.pk, now=MONDAY_EVENING)
    (reminder_id,) = claim_due(now=datetime(2026, 11, 2, 20, 0, 30, tzinfo=UTC))
    assert deliver(reminder_id, now=datetime(2026, 11, 2, 20, 0, 40, tzinfo=UTC)) == Reminder.Status.SENT


@pytest.mark.django_db
def test_switched_off_after_the_claim_is_not_sent_and_says_so(client, sleeper):
    (reminder_id,) = claim_due(now=datetime(2026, 11, 2, 20, 0, 30, tzinfo=UTC))
    Schedule.objects.filter(user=sleeper).update(reminders_on=False)
    assert deliver(reminder_id, now=datetime(2026, 11, 2, 20, 0, 40, tzinfo=UTC)) == Reminder.Status.OFF
    assert mail.outbox == []
    client.force_login(sleeper)
    content = " ".join(client.get(reverse("prevention:plan")).content.decode().split())
    assert "E-mail reminders are off." in content
    assert "Reminder of 2 November: not sent: reminders were switched off." in content


@pytest.mark.django_db
def test_the_reminder_is_written_in_the_language_the_person_reads_the_site_in(client, sleeper):
    client.force_login(sleeper)
    client.cookies["django_language"] = "uk"  # as after choosing Українська in the footer
    client.get(reverse("prevention:plan"))
    sleeper.profile.refresh_from_db()
    assert sleeper.profile.language == "uk"

    (reminder_id,) = claim_due(now=datetime(2026, 11, 2, 20, 0, 30, tzinfo=UTC))
    assert deliver(reminder_id, now=datetime(2026, 11, 2, 20, 0, 40, tzinfo=UTC)) == Reminder.Status.SENT
    (message,) = mail.outbox
    assert message.extra_headers["Content-Language"] == "uk"
    assert '<html lang="uk">' in message.alternatives[0][0]

    client.cookies["django_language"] = "en"
    client.get(reverse("prevention:plan"))
    sleeper.profile.refresh_from_db()
    assert sleeper.profile.language == "en"


@pytest.mark.django_db
def test_an_account_older_than_schedules_gets_its_reminders_once_it_opens_the_plan(client, sleeper):
    Schedule.objects.filter(user=sleeper).delete()  # as for accounts made before routine schedules existed
    client.force_login(sleeper)
    before = datetime.now(UTC)
    content = " ".join(client.get(reverse("prevention:plan")).content.decode().split())
    schedule = Schedule.objects.get(user=sleeper)
    assert schedule.reminders_on and next_of(schedule).send_at is not None
    assert next_of(schedule).send_at >= before  # late in the evening, "at once"
    assert "Next e-mail reminder:" in content


# ---------------------------------------------------------------- the set-based claim on PostgreSQL

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="FOR UPDATE SKIP LOCKED: the set-based claim is PostgreSQL's"
)
TONIGHT_AT = datetime(2026, 11, 2, 20, 0, tzinfo=UTC)  # 22:00 in Kyiv: the reminder before a 22:30 bedtime


def _due_tonight(make_user, count: int, prefix: str) -> list[int]:
    """`count` people in Kyiv with tonight's reminder due at TONIGHT_AT; their ids."""
    ids = [
        make_user(email=f"{prefix}{i}@example.com", timezone="Europe/Kyiv", bedtime=time(22, 30)).pk
        for i in range(count)
    ]
    NextReminder.objects.filter(user_id__in=ids).update(send_at=TONIGHT_AT, evening=date(2026, 11, 2))
    return ids


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_dispatchers_claiming_at_once_on_postgresql_take_disjoint_evenings(make_user, monkeypatch):
    people = _due_tonight(make_user, 40, "racer")
    due = TONIGHT_AT + timedelta(seconds=30)
    original = dispatch._claim
    first_locked, second_claimed = threading.Event(), threading.Event()
    waited: dict[str, bool] = {}

    def claim(rows, now):
        ids = original(rows, now)
        # Each dispatcher's first batch stays locked and uncommitted until the other has claimed
        # one too: the other must skip the locked rows rather than wait for them (or take them).
        name = threading.current_thread().name
        if name == "first" and name not in waited:
            first_locked.set()
            waited[name] = second_claimed.wait(timeout=15)
        elif name == "second" and name not in waited:
            waited[name] = first_locked.wait(timeout=15)
            second_claimed.set()
        return ids

    monkeypatch.setattr(dispatch, "_claim", claim)
    start = threading.Barrier(2)

    def claim_together():
        start.wait(timeout=15)
        return claim_due(now=due, batch=7)

    first, second = two_dispatchers(claim_together)
    assert waited == {"first": True, "second": True}  # both held a batch at the same time
    assert first and second and not set(first) & set(second)
    assert sorted(first + second) == sorted(Reminder.objects.values_list("pk", flat=True))
    reminders = Reminder.objects.filter(evening=date(2026, 11, 2), status=Reminder.Status.CLAIMED)
    assert sorted(reminders.values_list("user_id", flat=True)) == sorted(people)  # one per person
    moved = NextReminder.objects.filter(user_id__in=people)
    assert set(moved.values_list("evening", "send_at")) == {
        (date(2026, 11, 3), datetime(2026, 11, 3, 20, 0, tzinfo=UTC))
    }
    assert claim_due(now=due) == []


@on_postgresql
@pytest.mark.django_db
def test_the_set_based_claim_takes_the_same_queries_for_10_or_200_due(make_user):
    people = _due_tonight(make_user, 200, "many")
    due = TONIGHT_AT + timedelta(seconds=30)
    counts = {}
    for count in (10, 200):
        Reminder.objects.all().delete()
        NextReminder.objects.filter(user_id__in=people).update(send_at=None, evening=None)
        NextReminder.objects.filter(user_id__in=people[:count]).update(send_at=TONIGHT_AT, evening=date(2026, 11, 2))
        with CaptureQueriesContext(connection) as captured:
            assert len(claim_due(now=due)) == count  # one batch (of up to 500)
        counts[count] = len(captured.captured_queries)
    assert counts[10] == counts[200] <= 10, counts
    assert Reminder.objects.filter(user_id__in=people, evening=date(2026, 11, 2)).count() == 200


@on_postgresql
@pytest.mark.django_db
def test_the_set_based_claim_drops_a_late_evening_and_keeps_the_time_across_the_clock_change(make_user):
    late = _due_tonight(make_user, 1, "late")[0]
    autumn = make_user(email="autumn-pg@example.com", timezone="Europe/Kyiv", bedtime=time(22, 30))
    refresh_next_send(autumn.pk, now=datetime(2026, 10, 24, 12, 0, tzinfo=UTC))
    assert claim_due(now=datetime(2026, 10, 24, 19, 0, tzinfo=UTC))  # 22:00 EEST (UTC+3)
    assert next_of(autumn).send_at == datetime(2026, 10, 25, 20, 0, tzinfo=UTC)  # EET
    assert claim_due(now=TONIGHT_AT + timedelta(hours=3)) == []  # past 00:30 in Kyiv: the evening is over
    assert Reminder.objects.get(user_id=late).status == Reminder.Status.DROPPED
