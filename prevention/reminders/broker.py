"""What the broker still holds of the reminders' send tasks: how the sweeper tells lost from waiting.

A reminder's send task (`send_reminder_batch`, whose first argument is a list of reminder ids, or
the older `send_reminder` of one id, still queued at an upgrade) is held by Redis (kombu's layout) in one of two places:

- waiting in its queue: a Redis list named after the queue (and one per priority step);
- taken by a worker: with late acknowledgement the message stays in kombu's `unacked` hash
  (with the time it was taken in `unacked_index`) until the task has finished, and a retry
  waiting for its countdown (an ETA) sits there too until it runs.

After a Redis restart without its data, both are empty: every reminder still claimed has lost
its message and can be queued again at once. A message taken by a worker that has since died
stays in `unacked` until kombu gives it back (the visibility timeout, 15 minutes); it is counted
as lost once it has been held longer than `stale_after` past when it was taken (or past its ETA).

`reminders_held()` answers None when it cannot tell (the file-system broker of the embedded
set-up, or Redis not answering): the sweeper then falls back on time alone.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable
from datetime import datetime, timedelta

SEND_TASK = "prevention.tasks.send_reminder_batch"
SEND_TASKS = {SEND_TASK, "prevention.tasks.send_reminder"}


def queues() -> set[str]:
    """The queue (and its routing key) the dispatcher's send tasks go to."""
    from cramps.celery import app

    route = app.amqp.router.route({}, SEND_TASK)
    queue = route.get("queue")
    return {queue.name, queue.routing_key or queue.name} if queue is not None else {app.conf.task_default_queue}


def reminders_held(now: datetime, stale_after: timedelta) -> set[int] | None:
    """Ids of the reminders whose send task the broker holds for a worker to run; None if it cannot tell."""
    from cramps.celery import app

    names = queues()
    try:
        with app.connection_for_read() as conn:
            if conn.transport.driver_type != "redis":
                return None
            conn.ensure_connection(max_retries=1, timeout=5)
            channel = conn.default_channel
            # The queues first, then what workers took: a message moves from the first to the second.
            held = set(_waiting(channel, names))
            held.update(_taken(channel, names, now.timestamp(), stale_after.total_seconds()))
            return held
    except (OSError, *_errors()):
        return None


def _errors() -> tuple[type[BaseException], ...]:
    from kombu.exceptions import OperationalError
    from redis.exceptions import RedisError

    return OperationalError, RedisError


def _waiting(channel, names: set[str]) -> Iterable[int]:
    client = channel.client
    for name in names:
        for key in {channel._q_for_pri(name, step) for step in channel.priority_steps}:
            for raw in client.lrange(key, 0, -1):  # one command: a consistent picture of the list
                yield from _reminders(raw)[0]


def _taken(channel, names: set[str], now: float, stale_after: float) -> Iterable[int]:
    client = channel.client
    since = {_text(tag): score for tag, score in client.zrange(channel.unacked_index_key, 0, -1, withscores=True)}
    for tag, raw in client.hgetall(channel.unacked_key).items():
        try:
            message, _exchange, routing_key = json.loads(raw)
        except (ValueError, TypeError):
            continue
        if routing_key not in names:
            continue
        reminder_ids, eta = _reminders(message)
        if not reminder_ids:
            continue
        # Held by a worker that is running it, or keeping it for its countdown; past that, the worker is gone.
        # (A worker running a long batch keeps its untried reminders touched: they are not candidates.)
        expected_by = max(since.get(_text(tag), now), eta or 0.0)
        if now - expected_by < stale_after:
            yield from reminder_ids


def _reminders(raw) -> tuple[list[int], float | None]:
    """(reminder ids, ETA as a timestamp) of a send task's message; ([], None) for any other message."""
    try:
        message = json.loads(raw) if isinstance(raw, (str, bytes)) else raw
        headers = message.get("headers") or {}
        if headers.get("task") not in SEND_TASKS:
            return [], None
        body = message["body"]
        if message.get("properties", {}).get("body_encoding") == "base64":
            body = base64.b64decode(body)
        first = json.loads(body)[0][0]
        ids = [int(i) for i in first] if isinstance(first, list) else [int(first)]
        eta = headers.get("eta")
        return ids, datetime.fromisoformat(eta).timestamp() if eta else None
    except (ValueError, TypeError, KeyError, IndexError, AttributeError):
        return [], None


def _text(value) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
