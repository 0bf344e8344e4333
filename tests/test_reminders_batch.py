"""Reminders sent a batch at a time (prevention.reminders.delivery.deliver_batch, tasks.send_reminder_batch):
one SMTP connection and a fixed number of reads per batch, what the e-mails share rendered once, and
exactly once still held when the server refuses one, drops the connection mid-batch, a duplicate
task runs, or the worker is killed mid-batch."""

import base64
import json
import re
import smtplib
from collections import Counter
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from prevention import tasks
from prevention.models import Reminder
from prevention.reminders import broker, delivery, dispatch, links
from prevention.reminders.delivery import IN_BATCH, deliver_batch
from tests.reminder_fixtures import ZONES, check_message, person_due, smtp_sink  # noqa: F401 - fixture by name

pytestmark = pytest.mark.django_db


def claim(now) -> list[int]:
    return [reminder_id for ids in dispatch.claim_batches(now) for reminder_id in ids]


def crowd(make_user, count: int, now, prefix: str, **profile) -> dict:
    people = {}
    for i in range(count):
        user, schedule = person_due(make_user, f"{prefix}{i:02d}@example.com", ZONES[i % len(ZONES)], now)
        if profile:  # without save(): its signal would move the reminder on
            type(user.profile).objects.filter(pk=user.profile.pk).update(**profile)
        people[user.email] = (user, schedule)
    return people


@pytest.fixture
def smtp(settings, smtp_sink):  # noqa: F811 - the fixture imported above
    """Django's SMTP backend to the local sink; counts the SMTP connections opened."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = smtp_sink.host, smtp_sink.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    smtp_sink.connections = 0
    connect = smtplib.SMTP.connect

    def counting(self, *args, **kwargs):
        smtp_sink.connections += 1
        return connect(self, *args, **kwargs)

    smtplib.SMTP.connect = counting
    try:
        yield smtp_sink
    finally:
        smtplib.SMTP.connect = connect


TOKEN = re.compile(r"/(plan/done|reminders/unsubscribe)/([^/]+)/")


def sealed(text: str) -> str:
    return TOKEN.sub(r"/\1/TOKEN/", text)


def links_of(text: str) -> list:
    read = {"plan/done": links.read_done_token, "reminders/unsubscribe": links.read_unsubscribe_token}
    return [(kind, read[kind](token)) for kind, token in TOKEN.findall(text)]


def status_of(ids) -> dict[int, str]:
    return dict(Reminder.objects.filter(pk__in=ids).values_list("pk", "status"))


def test_a_batch_sends_each_once_over_one_connection_with_the_same_reads_for_5_or_20(make_user, smtp):
    now = timezone.now()
    few = crowd(make_user, 5, now, "few")
    few_ids = claim(now)
    with CaptureQueriesContext(connection) as small:
        outcome = deliver_batch(few_ids)
    assert set(outcome.statuses.values()) == {Reminder.Status.SENT} and not outcome.retry
    assert smtp.connections == 1
    many = crowd(make_user, 15, now, "many", language="uk") | crowd(make_user, 5, now, "more")
    many_ids = claim(now)
    assert len(many_ids) == 20
    with CaptureQueriesContext(connection) as large:
        deliver_batch(many_ids)
    assert smtp.connections == 2, "one SMTP connection per batch"
    # The reads and bulk writes are the same; the only statement per e-mail records it sent (and
    # takes the next one in flight): what keeps a killed worker's unknown to one message.
    assert len(large) - len(many_ids) == len(small) - len(few_ids), (len(small), len(large))
    assert len(small) - len(few_ids) <= 12, [q["sql"][:80] for q in small]
    people = few | many
    assert smtp.per_recipient() == dict.fromkeys(people, 1)
    english = [m for m in smtp.messages if m["Content-Language"] == "en"]
    assert len(english) == 10
    for message in english:
        check_message(message, *people[message["To"]])
    # Made once and filled in, each e-mail says what one rendered for the person alone says.
    from cramps.emails import render_email

    for message in smtp.messages:
        user, schedule = people[message["To"]]
        reminder = Reminder.objects.select_related("user__profile", "user__routine_schedule").get(user=user)
        language = message["Content-Language"]
        with translation.override(language):
            subject, text, html = render_email("reminder", delivery.reminder_context(reminder, schedule), language)
        got = [
            " ".join(str(message["Subject"]).split()),  # as parsed back from its folded, encoded header
            message.get_body(("plain",)).get_content(),
            message.get_body(("html",)).get_content(),
        ]
        assert [sealed(part.replace("\r\n", "\n")) for part in got] == [sealed(part) for part in (subject, text, html)]
        assert links_of(got[1]) == [
            ("plan/done", (user.pk, schedule.due_evening)),
            ("reminders/unsubscribe", user.pk),
        ]
    assert len({m["Message-ID"] for m in smtp.messages}) == len(smtp.messages)
    ukrainian = [m for m in smtp.messages if m["Content-Language"] == "uk"]
    assert len(ukrainian) == 15 and all("Вечірня" in m["Subject"] or m["Subject"] for m in ukrainian)
    assert set(status_of(few_ids + many_ids).values()) == {Reminder.Status.SENT}
    assert set(Reminder.objects.values_list("attempts", flat=True)) == {1}


def test_the_shared_rendering_gives_each_person_the_e_mail_rendered_for_them_alone(make_user):
    now = timezone.now()
    people = crowd(make_user, 4, now, "same") | crowd(make_user, 2, now, "uk", language="uk")
    ids = claim(now)
    deliver_batch(ids)
    assert len(mail.outbox) == 6
    from cramps.emails import render_email

    for message in mail.outbox:
        user, schedule = people[message.to[0]]
        reminder = Reminder.objects.select_related("user__profile", "user__routine_schedule").get(user=user)
        language = reminder.user.profile.language or "en"
        from django.utils import translation

        with translation.override(language):
            subject, text, html = render_email("reminder", delivery.reminder_context(reminder, schedule), language)
        # The links are sealed afresh each time (a random nonce): the same but for the tokens, which are the person's.
        assert [sealed(part) for part in (message.subject, message.body, message.alternatives[0][0])] == [
            sealed(part) for part in (subject, text, html)
        ]
        assert links_of(message.body) == links_of(message.alternatives[0][0])
        unsubscribe = message.extra_headers["List-Unsubscribe"].strip("<>")
        assert links_of(message.body) == [
            ("plan/done", (user.pk, schedule.due_evening)),
            ("reminders/unsubscribe", user.pk),
        ]
        assert unsubscribe in message.body


def test_what_the_e_mails_share_is_made_once_per_process_and_follows_the_sites_address(
    make_user, smtp, monkeypatch, settings
):
    from prevention.reminders import letters

    letters._shared.cache_clear()
    renders = []
    render = letters.render_email
    monkeypatch.setattr(letters, "render_email", lambda *a, **k: renders.append(a[0]) or render(*a, **k))
    now = timezone.now()

    def batch(prefix: str, count: int) -> None:  # people of one zone: one evening, routine time and language
        for i in range(count):
            person_due(make_user, f"{prefix}{i}@example.com", "Europe/Kyiv", now)
        assert set(deliver_batch(claim(now)).statuses.values()) == {Reminder.Status.SENT}

    batch("first", 3)
    batch("second", 3)  # another batch: nothing rendered again
    assert renders == ["reminder"] and smtp.count() == 6
    settings.SITE_URL = "https://cramps.example.org"
    batch("moved", 2)
    assert renders == ["reminder"] * 2, "made again for the site's new address"
    bodies = [m.get_body(("plain",)).get_content() for m in smtp.messages]
    assert [("https://cramps.example.org/" in body) for body in bodies] == [False] * 6 + [True] * 2


def test_one_recipient_refused_is_retried_alone_and_the_others_are_sent(make_user, smtp):
    now = timezone.now()
    people = crowd(make_user, 6, now, "refuse")
    ids = claim(now)
    refused = sorted(people)[2]
    smtp.refused.add(refused)
    outcome = deliver_batch(ids)
    (refused_id,) = Reminder.objects.filter(user__email=refused).values_list("pk", flat=True)
    assert outcome.retry == [refused_id] and outcome.error.startswith("SMTPRecipientsRefused 5")
    # the refusal names the recipient; what is kept and logged does not (no address in worker logs)
    kept = Reminder.objects.get(pk=refused_id).error
    assert refused not in outcome.error and refused not in kept and "@" not in kept + outcome.error
    assert status_of(ids) == {pk: Reminder.Status.FAILED if pk == refused_id else Reminder.Status.SENT for pk in ids}
    assert smtp.connections == 1, "a refusal does not cost the batch its connection"
    smtp.refused.clear()
    again = deliver_batch(outcome.retry)  # the task's retry: the failed one alone
    assert again.statuses == {refused_id: Reminder.Status.SENT}
    assert smtp.per_recipient() == dict.fromkeys(people, 1)
    assert Reminder.objects.get(pk=refused_id).attempts == 2


def test_a_connection_dropped_mid_batch_leaves_only_the_message_in_flight_unknown(make_user, smtp, monkeypatch):
    now = timezone.now()
    people = crowd(make_user, 6, now, "drop")
    ids = claim(now)
    handed = []
    transmit = delivery.transmit

    def third_is_dropped(conn, message):
        handed.append(message.to[0])
        if len(handed) == 3:
            smtp.drop_after_data(1)  # the server takes it, and the connection breaks before its "250"
        transmit(conn, message)

    monkeypatch.setattr(delivery, "transmit", third_is_dropped)
    outcome = deliver_batch(ids)
    by_email = dict(Reminder.objects.filter(pk__in=ids).values_list("user__email", "status"))
    assert [by_email[e] for e in handed] == [Reminder.Status.SENT, Reminder.Status.SENT, Reminder.Status.UNKNOWN]
    untried = sorted(pk for pk, status in status_of(ids).items() if status == Reminder.Status.FAILED)
    assert len(untried) == 3 and sorted(outcome.retry) == untried
    assert Reminder.objects.filter(pk__in=untried, attempts=1, status=Reminder.Status.FAILED).count() == 3
    monkeypatch.undo()
    deliver_batch(outcome.retry)
    deliver_batch(ids)  # the whole batch again (a duplicate): nothing more
    assert smtp.per_recipient() == dict.fromkeys(people, 1), "the server has each one once, the dropped one too"
    assert sorted(status_of(ids).values()).count(Reminder.Status.SENT) == 5


def test_a_connection_dropped_in_the_envelope_gives_that_message_back_not_unknown(make_user, smtp):
    """MAIL FROM and RCPT TO hand nothing over: a connection lost there leaves nothing unknown."""
    now = timezone.now()
    people = crowd(make_user, 5, now, "envelope")
    ids = sorted(claim(now))  # a batch sends in this order
    third_id = ids[2]
    third = Reminder.objects.get(pk=third_id).user.email
    smtp.dropped_at_rcpt.add(third)
    outcome = deliver_batch(ids)
    statuses = status_of(ids)
    assert [statuses[pk] for pk in ids] == [Reminder.Status.SENT] * 2 + [Reminder.Status.FAILED] * 3
    assert third_id in outcome.retry and sorted(outcome.retry) == ids[2:]
    assert smtp.per_recipient()[third] == 0, "the server never had it"
    assert deliver_batch(outcome.retry).statuses == dict.fromkeys(outcome.retry, Reminder.Status.SENT)
    assert smtp.per_recipient() == dict.fromkeys(people, 1)


def test_each_message_is_in_flight_before_its_data_and_one_taken_away_meanwhile_is_not_sent(
    make_user, smtp, monkeypatch
):
    """DATA waits for the write that takes the message in flight; when that write finds the message
    no longer the batch's (the sweeper gave it back while its envelope was given), the server's
    transaction is reset and the batch goes on with the next one over the same connection."""
    now = timezone.now()
    people = crowd(make_user, 4, now, "flight")
    ids = sorted(claim(now))
    record, transmit, seen = delivery._record_and_take, delivery.transmit, []

    def given_back_while_its_envelope_is_given(*, sent, next_id, token):
        if next_id == ids[1]:
            Reminder.objects.filter(pk=next_id).update(status=Reminder.Status.FAILED, error="given back")
        return record(sent=sent, next_id=next_id, token=token)

    def checked(conn, letter):
        row = Reminder.objects.get(user__email=letter.to[0])
        seen.append((row.pk, row.status, row.error))
        transmit(conn, letter)

    monkeypatch.setattr(delivery, "_record_and_take", given_back_while_its_envelope_is_given)
    monkeypatch.setattr(delivery, "transmit", checked)
    outcome = deliver_batch(ids)
    assert seen == [(pk, Reminder.Status.SENDING, "") for pk in (ids[0], ids[2], ids[3])], "in flight, token cleared"
    assert ids[1] not in outcome.statuses and status_of(ids)[ids[1]] == Reminder.Status.FAILED
    assert smtp.connections == 1 and smtp.count() == 3
    taken_away = Reminder.objects.get(pk=ids[1]).user.email
    assert smtp.per_recipient() == Counter(email for email in people if email != taken_away)
    monkeypatch.undo()
    assert deliver_batch([ids[1]]).statuses == {ids[1]: Reminder.Status.SENT}
    assert smtp.per_recipient() == dict.fromkeys(people, 1)


def test_a_duplicate_batch_task_sends_nothing_even_while_the_first_is_sending(make_user, smtp, monkeypatch):
    now = timezone.now()
    people = crowd(make_user, 5, now, "dup")
    ids = claim(now)
    transmit, duplicates = delivery.transmit, []

    def with_a_duplicate_racing(conn, message):
        if not duplicates:  # a second copy of the task runs (a redelivery) while the first is on its first e-mail
            duplicates.append(deliver_batch(ids))
        transmit(conn, message)

    monkeypatch.setattr(delivery, "transmit", with_a_duplicate_racing)
    deliver_batch(ids)
    assert duplicates[0].statuses == {} and duplicates[0].retry == []
    assert deliver_batch(ids).statuses == {}, "and after it is done"
    assert smtp.per_recipient() == dict.fromkeys(people, 1)
    assert set(status_of(ids).values()) == {Reminder.Status.SENT}


class Killed(BaseException):
    """As SIGKILL: nothing after this point runs (no except clause of the app's catches it)."""


def test_a_worker_killed_mid_batch_leaves_one_unknown_and_the_sweeper_sends_the_rest_once(
    make_user, smtp, monkeypatch, settings
):
    now = timezone.now()
    people = crowd(make_user, 8, now, "kill")
    ids = claim(now)
    transmit, handed = delivery.transmit, []

    def killed_on_the_fourth(conn, message):
        handed.append(message.to[0])
        transmit(conn, message)
        if len(handed) == 4:
            raise Killed  # the server has the fourth; "sent" is never written

    monkeypatch.setattr(delivery, "transmit", killed_on_the_fourth)
    with pytest.raises(Killed):
        deliver_batch(ids)
    monkeypatch.undo()
    statuses = status_of(ids)
    in_flight = Reminder.objects.filter(status=Reminder.Status.SENDING).exclude(error__startswith=IN_BATCH)
    assert list(in_flight.values_list("user__email", flat=True)) == [handed[3]], "at most one message in flight"
    untried = sorted(
        Reminder.objects.filter(status=Reminder.Status.SENDING, error__startswith=IN_BATCH).values_list("pk", flat=True)
    )
    assert len(untried) == 4 and list(statuses.values()).count(Reminder.Status.SENT) == 3

    # The sweeper: while the broker still holds the batch (waiting, or a worker's recent take), nothing.
    window = timedelta(seconds=settings.REMINDER_STUCK_AFTER)
    later = timezone.now() + window + timedelta(seconds=1)
    assert dispatch.stuck(later, held=lambda *_: set(ids)) == []
    # The batch's message is gone (its worker was killed and the broker no longer holds it for anyone):
    # the untried ones are given back and queued again; the one in flight is not.
    assert dispatch.stuck(later, held=lambda *_: set()) == untried
    assert dispatch.stuck(later, held=lambda *_: set()) == [], "touched: not queued again at once"
    deliver_batch(untried)
    stale = timezone.now() + timedelta(seconds=settings.REMINDER_SENDING_STALE_AFTER + 1)
    assert dispatch.stuck(stale, held=lambda *_: set()) == []
    assert smtp.per_recipient() == dict.fromkeys(people, 1)
    assert status_of([in_flight_id := Reminder.objects.get(user__email=handed[3]).pk])[in_flight_id] == (
        Reminder.Status.UNKNOWN
    )
    assert list(status_of(ids).values()).count(Reminder.Status.SENT) == 7


def test_without_a_look_into_the_broker_a_dead_batchs_untried_ones_come_back_after_the_blind_window(
    make_user, settings, monkeypatch
):
    now = timezone.now()
    crowd(make_user, 3, now, "blind")
    ids = claim(now)

    def killed(conn, message):
        raise Killed

    monkeypatch.setattr(delivery, "transmit", killed)
    with pytest.raises(Killed):
        deliver_batch(ids)
    blind = timedelta(seconds=settings.REMINDER_STUCK_BLIND_AFTER)
    assert dispatch.stuck(timezone.now() + blind - timedelta(seconds=5)) == []
    assert sorted(dispatch.stuck(timezone.now() + blind + timedelta(seconds=5))) == sorted(ids[1:])  # in no order


def test_the_sweeper_reads_the_reminder_ids_inside_a_batch_tasks_message():
    def message(task, args, eta=None):
        body = base64.b64encode(json.dumps([args, {}, {}]).encode()).decode()
        return json.dumps(
            {"body": body, "headers": {"task": task, "eta": eta}, "properties": {"body_encoding": "base64"}}
        )

    assert broker._reminders(message(broker.SEND_TASK, [[4, 5, 6]])) == ([4, 5, 6], None)
    assert broker._reminders(message("prevention.tasks.send_reminder", [7])) == ([7], None)
    eta = "2026-11-02T20:00:00+00:00"
    assert broker._reminders(message(broker.SEND_TASK, [[8]], eta))[1] == 1793649600.0
    assert broker._reminders(message("cramps.tasks.heartbeat", [])) == ([], None)
    assert broker._reminders(b"not json") == ([], None)


def test_queue_publishes_one_task_per_batch(settings, monkeypatch):
    settings.REMINDER_SEND_BATCH = 3
    published = []
    monkeypatch.setattr(tasks.send_reminder_batch, "apply_async", lambda args, **kw: published.append(args[0]))
    tasks.queue(list(range(1, 8)))
    assert published == [[1, 2, 3], [4, 5, 6], [7]]
    tasks.queue([])
    assert len(published) == 3


def test_the_batch_task_retries_only_the_refused_ones(monkeypatch):
    outcome = delivery.Outcome(statuses={1: "sent", 2: "failed"}, retry=[2], error="550 no")
    monkeypatch.setattr(delivery, "deliver_batch", lambda ids: outcome)
    retried = {}

    class Retried(Exception):
        pass

    def retry(**kwargs):
        retried.update(kwargs)
        return Retried()

    monkeypatch.setattr(tasks.send_reminder_batch, "retry", retry)
    with pytest.raises(Retried):
        tasks.send_reminder_batch.run([1, 2])
    assert retried["args"] == ([2],) and retried["countdown"] == tasks.retry_countdown(0)
    outcome.retry, outcome.statuses = [], {1: "sent", 2: "sent", 3: "skipped"}
    assert tasks.send_reminder_batch.run([1, 2, 3]) == {"sent": 2, "skipped": 1}


def test_an_open_alarm_still_leads_its_persons_e_mail_in_a_batch_and_only_theirs(make_user):
    from datetime import UTC, datetime, time

    from prevention.assessment.services import alarms_in, open_alarms, recent_diaries
    from tests import factories

    now = timezone.now()
    people = crowd(make_user, 4, now, "alarm")
    users = [user for user, _ in people.values()]
    warned, calm = users[1], users[2]
    today = timezone.localdate()
    factories.episode(warned, datetime.combine(today, time(0, 0), tzinfo=UTC))
    factories.day_log(warned, today, symptoms=["calf_swelling_one_side"])
    factories.day_log(calm, today, symptoms=["pain_after_cramp"])
    assert open_alarms(warned) and not open_alarms(calm)
    batch = {user_id: alarms_in(diary) for user_id, diary in recent_diaries(users).items()}  # as the batch reads them
    assert batch == {warned.pk: open_alarms(warned), calm.pk: []}
    deliver_batch(claim(now))
    assert len(mail.outbox) == 4
    for message in mail.outbox:
        for part in (message.body, message.alternatives[0][0]):
            if message.to == [warned.email]:
                assert part.index("stretch or massage") < part.index("Toe pulls with the leg raised")
            else:
                assert "stretch or massage" not in part
        assert message.body.startswith("SEEK MEDICAL CARE FIRST") == (message.to == [warned.email])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite's commits always wait for the disk")
def test_untried_rows_of_a_batch_from_before_a_database_restart_turn_unknown_not_given_back(make_user, settings):
    """A batch's per-e-mail commits do not wait for the disk: after a crash of the database server an
    "in flight" may be lost while the SMTP server had the e-mail. The token names the server's start."""
    now = timezone.now()
    crowd(make_user, 3, now, "restart")
    ids = sorted(claim(now))
    mark = delivery.server_mark()
    assert mark.startswith(delivery.SERVER_MARK)
    earlier = delivery.SERVER_MARK + "2000-01-01T00:00:00+00:00"
    Reminder.objects.filter(pk=ids[0]).update(status=Reminder.Status.SENDING, error=IN_BATCH + "a" + earlier)
    Reminder.objects.filter(pk=ids[1]).update(status=Reminder.Status.SENDING, error=IN_BATCH + "b" + mark)
    Reminder.objects.filter(pk=ids[2]).update(status=Reminder.Status.SENDING, error=IN_BATCH + "c")  # before the mark
    later = timezone.now() + timedelta(seconds=settings.REMINDER_STUCK_AFTER + 1)
    assert dispatch.stuck(later, held=lambda *_: set()) == ids[1:]
    assert status_of(ids) == {
        ids[0]: Reminder.Status.UNKNOWN,
        ids[1]: Reminder.Status.CLAIMED,
        ids[2]: Reminder.Status.CLAIMED,
    }


def synchronous_commit() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        return cursor.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="synchronous_commit is PostgreSQL's")
def test_a_batch_leaves_its_connection_with_the_servers_synchronous_commit(make_user, smtp, monkeypatch):
    now = timezone.now()
    crowd(make_user, 2, now, "flush")
    before, seen, transmit = synchronous_commit(), [], delivery.transmit

    def looking(conn, letter):
        seen.append(synchronous_commit())
        transmit(conn, letter)

    monkeypatch.setattr(delivery, "transmit", looking)
    deliver_batch(claim(now))
    assert synchronous_commit() == before
    assert seen == ["off", "off"]


def test_a_profile_deleted_by_staff_does_not_cost_the_others_their_e_mail(make_user, smtp):
    """A person whose profile staff deleted after the claim gets their e-mail, written from a
    profile's defaults that are not saved (a saved one would move their next reminder); the rest of
    the batch is sent as ever. With the schedule deleted too, the person is off: nothing sent, nothing made."""
    from diary.models import Profile
    from prevention.models import NextReminder, Schedule

    now = timezone.now()
    people = crowd(make_user, 5, now, "noprofile")
    ids = claim(now)
    lost, gone = sorted(people)[1], sorted(people)[3]
    Profile.objects.filter(user__email__in=[lost, gone]).delete()
    Schedule.objects.filter(user__email=gone).delete()
    next_ones = dict(NextReminder.objects.values_list("user__email", "send_at"))
    outcome = deliver_batch(ids)
    (gone_id,) = Reminder.objects.filter(user__email=gone).values_list("pk", flat=True)
    assert status_of(ids) == {pk: Reminder.Status.OFF if pk == gone_id else Reminder.Status.SENT for pk in ids}, outcome
    assert smtp.per_recipient() == {email: 1 for email in people if email != gone}
    assert not Profile.objects.filter(user__email__in=[lost, gone]).exists()
    assert not Schedule.objects.filter(user__email=gone).exists()
    assert dict(NextReminder.objects.values_list("user__email", "send_at")) == next_ones
