"""A real Celery worker in a subprocess, on the test (or benchmark) database and its own queue.

Used by tests/test_reminders_worker.py and bench/reminders.py. It runs with tests.settings on
the configured broker; with an SMTP port it sends e-mail there (tests.settings switches to the
SMTP backend when CRAMPS_TEST_DB_NAME and EMAIL_HOST are set).
"""

import os
import re
import signal
import subprocess
import sys
import uuid
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


class Worker:
    """`celery -A cramps worker` (prefork) on one queue, logging to `log`; stop() or kill() it."""

    def __init__(self, queue: str, smtp_port: int, log: Path, concurrency: int):
        self.log = log
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "CRAMPS_VAR_DIR": str(settings.VAR_DIR),
            "CRAMPS_TEST_DB_NAME": str(connection.settings_dict["NAME"]),
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
        }
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "cramps",
            "worker",
            "-Q",
            queue,
            "-n",
            f"{log.stem}-{uuid.uuid4().hex[:6]}@%h",
            "--pool=prefork",
            f"--concurrency={concurrency}",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=INFO",
        ]
        self._out = open(log, "w")  # noqa: SIM115 - closed in stop()
        # Its own process group, so that a kill takes the pool's children with it.
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=self._out, stderr=subprocess.STDOUT, start_new_session=True
        )

    def output(self, tail: int = 4000) -> str:
        return self.log.read_text(errors="replace")[-tail:]

    def alive(self) -> None:
        assert self.process.poll() is None, f"the worker died:\n{self.output()}"

    def count(self, pattern: str) -> int:
        return len(re.findall(pattern, self.log.read_text(errors="replace")))

    def pool_pids(self) -> list[int]:
        """The pool's processes, which run the tasks."""
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in path.read_text().split()] if path.exists() else []

    def kill(self) -> None:
        """SIGKILL, the whole group: no warm shutdown, nothing acknowledged or given back."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        try:  # pool children whose parent had already gone
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def close(self) -> None:
        self._out.close()

    def stop(self) -> None:
        try:
            if self.process.poll() is None:
                self.process.terminate()
                try:
                    self.process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(self.process.pid, signal.SIGKILL)
                    self.process.wait(timeout=30)
            try:  # stray pool children, if the main process went first
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        finally:
            self._out.close()
