"""A local SMTP server for tests that keeps every message it receives.

`SmtpSink` listens on 127.0.0.1 on a free port (aiosmtpd in a thread of its own). It can be
stopped, so that the port refuses connections (the mail server is down), and started again on
the same port. Messages are parsed `email.message.EmailMessage` objects (policy "default") in a
list guarded by a lock; `delay` makes the server wait after taking each message, before it
answers "250", which widens the window a test can kill a sender in; `drop_after_data()` makes
it take a message and drop the connection before answering (a network failure at the worst time);
an address in `dropped_at_rcpt` drops the connection at its RCPT TO, once (before any DATA).
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import logging
import socket
import threading
import time
from collections import Counter
from email.message import EmailMessage

from aiosmtpd.controller import Controller

HOST = "127.0.0.1"
logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command at INFO


def free_port(host: str = HOST) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


class _Handler:
    def __init__(self, sink: SmtpSink):
        self.sink = sink

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.sink._take_rcpt_drop(address.lower()):
            server.transport.abort()  # the connection breaks in the envelope: no message was handed over
            return "421 Connection dropped"
        if address.lower() in self.sink.refused:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        self.sink._keep(message, list(envelope.rcpt_tos))
        if self.sink._take_drop():
            server.transport.abort()  # the message is taken, the "250" never reaches the client
            return "421 Connection dropped"
        if self.sink.delay:
            await asyncio.sleep(self.sink.delay)
        return "250 Message accepted for delivery"


class SmtpSink:
    def __init__(self, host: str = HOST, port: int | None = None, delay: float = 0.0):
        self.host = host
        self.port = port or free_port(host)
        self.delay = delay
        self._lock = threading.Lock()
        self._messages: list[EmailMessage] = []
        self._envelopes: list[list[str]] = []
        self._controller: Controller | None = None
        self._drops = 0
        self.refused: set[str] = set()  # recipients (lower case) refused at RCPT TO with a 550
        self.dropped_at_rcpt: set[str] = set()  # recipients (lower case) whose RCPT TO drops the connection, once

    # ------------------------------------------------------------ up and down

    @property
    def up(self) -> bool:
        return self._controller is not None

    def start(self) -> SmtpSink:
        if self._controller is None:
            controller = Controller(_Handler(self), hostname=self.host, port=self.port, ready_timeout=10)
            deadline = time.monotonic() + 10
            while True:  # the port may linger for a moment after a stop
                try:
                    controller.start()
                    break
                except (OSError, RuntimeError):
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.1)
            self._controller = controller
        return self

    def stop(self) -> None:
        if self._controller is not None:
            controller, self._controller = self._controller, None
            controller.stop()

    def refuses_connections(self) -> bool:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.settimeout(2)
            return probe.connect_ex((self.host, self.port)) != 0

    def __enter__(self) -> SmtpSink:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # ------------------------------------------------------------ what arrived

    def drop_after_data(self, times: int = 1) -> None:
        """For the next `times` messages: keep the message, then drop the connection without answering."""
        with self._lock:
            self._drops = times

    def _take_drop(self) -> bool:
        with self._lock:
            if self._drops > 0:
                self._drops -= 1
                return True
            return False

    def _take_rcpt_drop(self, address: str) -> bool:
        with self._lock:
            if address in self.dropped_at_rcpt:
                self.dropped_at_rcpt.discard(address)
                return True
            return False

    def _keep(self, message: EmailMessage, recipients: list[str]) -> None:
        with self._lock:
            self._messages.append(message)
            self._envelopes.append(recipients)

    @property
    def messages(self) -> list[EmailMessage]:
        with self._lock:
            return list(self._messages)

    def count(self) -> int:
        with self._lock:
            return len(self._messages)

    def per_recipient(self) -> Counter:
        with self._lock:
            return Counter(r.lower() for recipients in self._envelopes for r in recipients)

    def clear(self) -> None:
        with self._lock:
            self._messages.clear()
            self._envelopes.clear()

    def wait_for(self, count: int, timeout: float, alive=None) -> int:
        """Wait until at least `count` messages arrived (or `timeout`); returns how many there are.

        `alive`, a callable, is checked on every round (e.g. that the worker has not died).
        """
        deadline = time.monotonic() + timeout
        while self.count() < count and time.monotonic() < deadline:
            if alive is not None:
                alive()
            time.sleep(0.05)
        return self.count()
