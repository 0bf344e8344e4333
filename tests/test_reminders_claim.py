"""Claiming due evenings by set (PostgreSQL) and by compare-and-set (SQLite): the guarantees of
docs/reminders.md, with the batch path checked against the per-person pure function."""

import itertools
import threading
from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from diary.models import Profile
from prevention.models import NextReminder, Reminder, Schedule
from prevention.plan.due import _when
from prevention.plan.schedule import local_occurrence, routine_time
from prevention.reminders import dispatch
from prevention.reminders.dispatch import LATE_AFTER, claim_batches, claim_due
from tests.reminder_fixtures import next_of, two_dispatchers

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="FOR UPDATE SKIP LOCKED and the one-statement claim are PostgreSQL's; SQLite has one writer at a time",
)

ZONES = [
    "Europe/Kyiv",
    "Europe/London",
    "America/New_York",
    "America/Santiago",
    "Australia/Sydney",
    "Asia/Kolkata",
    "Pacific/Chatham",  # UTC+12:45 / +13:45
    "Asia/Tokyo",
    "UTC",
]
# None: the profile's bedtime. 01:30 and 03:30 fall in London's and Kyiv's spring-forward gaps.
TIMES = [None, time(21, 0), time(1, 30), time(3, 30)]
BEDTIMES = [time(22, 30), None]  # None: no bedtime either, so 22:00
LEADS = [0, 45]
WEEKDAYS = [list(range(7)), [5, 6]]
TONIGHT = date(2026, 11, 2)  # a Monday
TONIGHT_AT = datetime(2026, 11, 2, 20, 0, tzinfo=UTC)  # 22:00 in Kyiv


def _people(
    count: int,
    kinds: list[tuple[dict, dict]] | None = None,
    send_at: datetime = TONIGHT_AT,
    evening: date = TONIGHT,
    **schedule,
) -> list[int]:
    """`count` accounts with profile, schedule and next reminder (due at `send_at` for `evening`),
    written in bulk (no signals); their ids. `kinds`: each person's own (profile, schedule) fields,
    one pair a person."""
    User = get_user_model()
    kinds = kinds or [({}, {})] * count
    start = (User.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    ids = list(range(start, start + len(kinds)))
    User.objects.bulk_create([User(id=i, username=f"claim{i}@example.com", email=f"claim{i}@example.com") for i in ids])
    profile = {"timezone": "Europe/Kyiv", "bedtime": time(22, 30)}
    Profile.objects.bulk_create([Profile(user_id=i, **{**profile, **kind[0]}) for i, kind in zip(ids, kinds)])
    schedules = Schedule.objects.bulk_create(
        [Schedule(user_id=i, feed_token=f"claim-feed-{i}", **{**schedule, **kind[1]}) for i, kind in zip(ids, kinds)]
    )
    profiles = {p.user_id: p for p in Profile.objects.filter(user_id__in=ids)}
    # As refresh_next_send writes it: the time and evening, with the fields they are computed from.
    NextReminder.objects.bulk_create(
        [
            NextReminder(
                user_id=s.user_id,
                send_at=send_at,
                evening=evening,
                weekdays=s.weekdays,
                at=s.at,
                lead_minutes=s.lead_minutes,
                reminders_on=s.reminders_on,
                zone=profiles[s.user_id].timezone,
                bedtime=profiles[s.user_id].bedtime,
            )
            for s in schedules
        ]
    )
    return ids


def _spread(evening: date, due_at: datetime) -> list[int]:
    """One person for every zone, routine time, bedtime, lead and set of evenings, all due at `due_at`
    for `evening`."""
    kinds = [
        ({"timezone": zone, "bedtime": bedtime}, {"at": at, "lead_minutes": lead, "weekdays": weekdays})
        for zone, at, bedtime, lead, weekdays in itertools.product(ZONES, TIMES, BEDTIMES, LEADS, WEEKDAYS)
        if at is None or bedtime is not None  # the bedtime is not read when a time is chosen
    ]
    return _people(len(kinds), kinds, send_at=due_at, evening=evening)


# ------------------------------------------------------------------ the next times, both backends


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("evening", "now"),
    [
        # Europe springs forward in the night to Sunday 29 March 2026 (London 01:00 → 02:00, Kyiv 03:00 → 04:00).
        (date(2026, 3, 27), datetime(2026, 3, 28, 12, 0, tzinfo=UTC)),
        # New York falls back in the night to Sunday 1 November 2026; Europe a week before.
        (date(2026, 10, 30), datetime(2026, 10, 31, 12, 0, tzinfo=UTC)),
        # Sydney falls back, Santiago too, in the night to Sunday 5 April 2026; Chatham with them.
        (date(2026, 4, 3), datetime(2026, 4, 4, 6, 0, tzinfo=UTC)),
    ],
)
def test_the_batch_claim_moves_everyone_on_as_the_per_person_function_does_across_a_clock_change(evening, now):
    people = _spread(evening, now - timedelta(minutes=1))
    rows = Schedule.objects.select_related("user__profile").filter(user_id__in=people)
    expected = {}
    for schedule in rows:  # the per-person pure function, before anything moved
        following = _when(schedule, schedule.user.profile, now, next_of(schedule).evening)
        expected[schedule.user_id] = following if following else (None, None)
        at = routine_time(schedule.user.profile.bedtime, schedule.at)
        deadline = local_occurrence(evening, at, schedule.user.profile.zone)
        expected[schedule.user_id] += (deadline + LATE_AFTER,)
    dispatch._next.cache_clear()

    claim_due(now=now, batch=25)  # several batches: the kinds cached across them

    moved = {s.user_id: (next_of(s).evening, next_of(s).send_at) for s in Schedule.objects.filter(user_id__in=people)}
    assert moved == {user_id: want[:2] for user_id, want in expected.items()}
    assert len({want[:2] for want in expected.values()}) > len(ZONES)  # a spread, not one answer for all
    deadlines = dict(Reminder.objects.filter(user_id__in=people, evening=evening).values_list("user_id", "deadline"))
    assert deadlines == {user_id: want[2] for user_id, want in expected.items()}


@pytest.mark.django_db
def test_late_evenings_are_dropped_and_moved_on_and_the_others_claimed():
    on_time = _people(3)
    late = _people(2)
    kyiv_routine = datetime(2026, 11, 2, 20, 30, tzinfo=UTC)  # 22:30 in Kyiv, tonight's routine
    now = kyiv_routine + LATE_AFTER  # the last moment still in time
    NextReminder.objects.filter(user_id__in=late).update(evening=date(2026, 11, 1))  # last night's, still due

    ids = claim_due(now=now)

    reminders = Reminder.objects.filter(user_id__in=on_time + late)
    assert sorted(ids) == sorted(reminders.filter(status=Reminder.Status.CLAIMED).values_list("pk", flat=True))
    assert sorted(reminders.filter(status=Reminder.Status.CLAIMED).values_list("user_id", flat=True)) == on_time
    assert sorted(reminders.filter(status=Reminder.Status.DROPPED).values_list("user_id", flat=True)) == late
    assert not NextReminder.objects.filter(user_id__in=on_time + late, send_at__lte=now).exists()  # all moved on


@pytest.mark.django_db
def test_an_evening_that_already_has_its_reminder_gets_no_second_one():
    claimed_before, fresh = _people(1), _people(2)
    (sent,) = claimed_before
    earlier = Reminder.objects.create(
        user_id=sent, evening=TONIGHT, due_at=TONIGHT_AT, deadline=TONIGHT_AT + LATE_AFTER, status=Reminder.Status.SENT
    )

    ids = claim_due(now=TONIGHT_AT + timedelta(seconds=30))

    assert Reminder.objects.filter(user_id=sent).get() == earlier
    assert Reminder.objects.get(pk=earlier.pk).status == Reminder.Status.SENT
    assert sorted(Reminder.objects.filter(pk__in=ids).values_list("user_id", flat=True)) == fresh
    assert next_of(sent).evening == date(2026, 11, 3)  # moved on all the same


@pytest.mark.django_db
def test_switched_off_reminders_stop_after_the_evening_already_due():
    (user_id,) = _people(1, reminders_on=False)
    (reminder_id,) = claim_due(now=TONIGHT_AT)  # the send task says "off" (tests/test_reminders.py)
    assert Reminder.objects.get(pk=reminder_id).user_id == user_id
    assert NextReminder.objects.filter(user_id=user_id, send_at=None, evening=None).exists()


# ------------------------------------------------------------------ PostgreSQL: the set-based claim


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_dispatchers_on_two_connections_claim_disjoint_sets_and_everything_once(monkeypatch):
    people = _people(60)
    now = TONIGHT_AT + timedelta(seconds=30)
    original = dispatch._locked
    first_holds, second_holds = threading.Event(), threading.Event()
    held: dict[str, int] = {}

    def locked(now, batch):
        # The first dispatcher keeps its first batch locked, uncommitted, until the second has
        # locked one of its own: the second must skip those rows, neither wait for them nor take them.
        name = threading.current_thread().name
        if name == "second" and name not in held:
            assert first_holds.wait(timeout=15)
        rows = original(now, batch)
        if name not in held:
            held[name] = len(rows)
            (first_holds if name == "first" else second_holds).set()
            if name == "first":
                assert second_holds.wait(timeout=15)
        return rows

    monkeypatch.setattr(dispatch, "_locked", locked)
    first, second = two_dispatchers(lambda: claim_due(now=now, batch=9))
    assert held == {"first": 9, "second": 9}  # both held a full batch at the same time
    assert not set(first) & set(second)
    assert sorted(first + second) == sorted(Reminder.objects.values_list("pk", flat=True))
    assert sorted(Reminder.objects.filter(evening=TONIGHT).values_list("user_id", flat=True)) == people
    assert Reminder.objects.count() == len(people)
    assert set(NextReminder.objects.filter(user_id__in=people).values_list("evening", flat=True)) == {date(2026, 11, 3)}
    assert claim_due(now=now) == []


@on_postgresql
@pytest.mark.django_db
def test_the_queries_per_batch_are_the_same_whatever_the_batch_holds():
    people = _people(300)
    now = TONIGHT_AT + timedelta(seconds=30)

    def queries(due: int, batch: int) -> tuple[int, int]:
        Reminder.objects.all().delete()
        NextReminder.objects.filter(user_id__in=people).update(send_at=None, evening=None)
        NextReminder.objects.filter(user_id__in=people[:due]).update(send_at=TONIGHT_AT, evening=TONIGHT)
        with CaptureQueriesContext(connection) as captured:
            batches = [len(ids) for ids in claim_batches(now=now, batch=batch)]
        assert sum(batches) == due
        return len(batches), len(captured.captured_queries)

    _, nothing = queries(0, 500)  # the select that finds none due
    counts = {(due, batch): queries(due, batch) for due, batch in [(1, 500), (300, 500), (300, 100), (300, 30)]}
    per_batch = {key: (total - nothing) / batches for key, (batches, total) in counts.items()}
    assert [batches for batches, _ in counts.values()] == [1, 1, 3, 10]
    assert len(set(per_batch.values())) == 1, per_batch
    # SAVEPOINT (the test's transaction around the batch's), the claim's commit mode, the locked
    # select, the one statement, RELEASE.
    assert next(iter(per_batch.values())) <= 5


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_only_the_claims_own_commit_skips_waiting_for_the_disk():
    people = _people(3)
    NextReminder.objects.filter(user_id__in=people).update(send_at=TONIGHT_AT, evening=TONIGHT)
    with CaptureQueriesContext(connection) as captured:
        assert len(claim_due(now=TONIGHT_AT + timedelta(seconds=30))) == 3
    assert any("SET LOCAL synchronous_commit TO OFF" in q["sql"] for q in captured.captured_queries)
    with connection.cursor() as cursor:  # the same connection, after the claim: back to the default
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "on"


@on_postgresql
@pytest.mark.django_db
def test_a_row_read_stale_is_claimed_by_one_of_two_dispatchers_only():
    (user_id,) = _people(1)
    stale = dispatch._locked(TONIGHT_AT, 10)
    assert len(dispatch._claim(stale, TONIGHT_AT)) == 1
    assert dispatch._claim(stale, TONIGHT_AT) == []  # compare-and-set: send_at is no longer the one read
    assert Reminder.objects.filter(user_id=user_id).count() == 1


@pytest.mark.django_db
def test_a_reminder_row_writes_two_indexes_besides_its_key():
    """Each claimed evening inserts one reminder: its indexes are the one per person and evening
    (which also serves every lookup by person) and the sweeper's (status, updated_at), no third."""
    table = Reminder._meta.db_table
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    indexed = sorted(
        tuple(c["columns"]) for c in constraints.values() if (c["index"] or c["unique"]) and not c["primary_key"]
    )
    assert indexed == [("status", "updated_at"), ("user_id", "evening")], constraints
    # The cascade on deleting a person, and the lookups by person, still find their rows by index.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan TO off")
            cursor.execute(f'EXPLAIN SELECT id FROM "{table}" WHERE user_id = 1')
            plan = " ".join(row[0] for row in cursor.fetchall())
        assert "one_reminder_per_evening" in plan, plan


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_deleting_an_account_while_its_evening_is_claimed_waits_and_leaves_no_reminder_behind():
    """The reminder's link to the account has no foreign key in the database: the deletion must wait
    for the claim holding the person's next reminder, then delete the reminder it committed."""
    from django.db import connections, transaction

    (user_id,) = _people(1)
    (other,) = _people(1)
    holding, release, deleted = threading.Event(), threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def in_thread(work):
        def run():
            try:
                work()
            except BaseException as error:  # noqa: BLE001  (reported by the test's thread below)
                errors.append(error)
            finally:
                connections.close_all()

        thread = threading.Thread(target=run)
        thread.start()
        return thread

    def claim():
        with transaction.atomic():
            assert len(dispatch._claim(dispatch._locked(TONIGHT_AT, 10), TONIGHT_AT)) == 2  # inserted, not committed
            holding.set()
            release.wait(30)

    def delete_account():
        get_user_model().objects.get(pk=user_id).delete()
        deleted.set()

    claimer = in_thread(claim)
    assert holding.wait(30), errors
    deleter = in_thread(delete_account)
    assert not deleted.wait(1.0), "the deletion did not wait for the claim"
    release.set()
    for thread in (claimer, deleter):
        thread.join(timeout=30)
    assert not errors, errors
    assert deleted.is_set()
    assert not get_user_model().objects.filter(pk=user_id).exists()
    assert not Reminder.objects.filter(user_id=user_id).exists()  # no reminder left for an account gone
    assert not NextReminder.objects.filter(user_id=user_id).exists()
    assert Reminder.objects.filter(user_id=other).count() == 1  # the other person's claim stands
