"""The services a load or fault run starts for itself, all on 127.0.0.1 and spare ports.

- `Postgres`: a cluster of its own (initdb into a temporary folder, pg_ctl start/restart/stop),
  never the machine's server. As root, initdb refuses to run, so the cluster's commands run as
  the `postgres` account (runuser); the folder is handed to that account.
- `Redis`: `redis-server --port <spare>` without persistence (the cache and the broker): the tests'
  own `tests.servers.RedisServer`.
- `Gunicorn`: the app as docker-compose.yml runs it (`gunicorn cramps.wsgi:application`, two
  worker processes as WEB_CONCURRENCY's default there, named on the command line so that an older
  tree runs with the same number, and gunicorn.conf.py of the tree it serves: 4 threads each since
  issue 15), bound to
  127.0.0.1 only, with the production settings (DEBUG off).

Each one is stopped by the `Stack` that started it (a context manager), whatever happens.
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.servers import RedisServer as Redis  # noqa: F401  (the bench uses the tests' own)
from tests.servers import spare_port

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
# Where initdb and pg_ctl are: PG_BIN, else wherever pg_ctl is on the PATH, else /usr/local/bin.
PG_BIN = Path(os.environ.get("PG_BIN") or Path(shutil.which("pg_ctl") or "/usr/local/bin/pg_ctl").parent)


def wait_for(check, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if check():
                return
        except (OSError, httpx.HTTPError):
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not come up in {timeout:.0f} s")
        time.sleep(0.1)


def tree_cpu(pid: int | None) -> float:
    """CPU seconds of a process and its children, the living and those it has reaped (Linux /proc)."""
    if not pid:
        return 0.0
    tick = os.sysconf("SC_CLK_TCK")

    def times(process: int, reaped: bool) -> int:
        try:
            fields = Path(f"/proc/{process}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0
        # utime, stime, cutime, cstime are fields 14-17 of stat (11-14 after the name)
        return sum(int(value) for value in fields[11 : 15 if reaped else 13])

    children = Path(f"/proc/{pid}/task/{pid}/children")
    living = children.read_text().split() if children.exists() else []
    return (times(pid, True) + sum(times(int(child), False) for child in living)) / tick


class Postgres:
    """A PostgreSQL cluster of the script's own, in `folder`, on a spare port."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.data = folder / "data"
        self.port = spare_port()
        self.log = folder / "postgres.log"
        self._as = self._account()
        if self._as:  # the account that runs the cluster must own its folder
            user = pwd.getpwnam(self._as[2])
            os.chown(folder, user.pw_uid, user.pw_gid)

    @staticmethod
    def _account() -> list[str]:
        if os.geteuid() != 0:
            return []
        try:
            pwd.getpwnam("postgres")
        except KeyError as error:
            raise SystemExit("running as root needs a 'postgres' account to run the cluster") from error
        return ["runuser", "-u", "postgres", "--"]

    def _run(self, *command: str, timeout: float = 60) -> None:
        subprocess.run(
            [*self._as, *command], check=True, timeout=timeout, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )

    def _pg_ctl(self, *command: str, timeout: float = 60) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c max_connections=200"
        self._run(
            str(PG_BIN / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-o",
            options,
            "-w",
            f"--timeout={int(timeout)}",
            *command,
            timeout=timeout + 10,
        )

    def start(self) -> Postgres:
        self._run(
            str(PG_BIN / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-instructions",
        )
        self._pg_ctl("start")
        return self

    def restart(self, mode: str = "fast") -> None:
        """pg_ctl restart: every connection is cut; the server takes new ones once it is back."""
        self._pg_ctl("restart", "-m", mode)

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._pg_ctl("stop", "-m", "fast")

    def pid(self) -> int | None:
        try:
            return int((self.data / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"


def app_env(folder: Path, database_url: str, redis_url: str, port: int) -> dict[str, str]:
    """The production settings (DEBUG off) with a throwaway key, on this machine only, over plain HTTP."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cramps.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "HTTPS": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "CRAMPS_VAR_DIR": str(folder / "var"),
        "STATIC_ROOT": str(folder / "static"),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "WARNING",
    }


def manage(*command: str, env: dict[str, str], cwd: Path = ROOT) -> None:
    """One `manage.py` command in the tree `cwd` with `env`, quietly; an error stops the bench."""
    subprocess.run(
        [sys.executable, "manage.py", *command], cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL, timeout=300
    )


class Gunicorn:
    """The app as docker-compose.yml serves it, on 127.0.0.1 only."""

    def __init__(self, env: dict[str, str], port: int, folder: Path, workers: int = 2, cwd: Path = ROOT):
        # cwd: the tree whose code (and gunicorn.conf.py) is served; another checkout for a comparison
        self.env, self.port, self.workers, self.cwd = env, port, workers, cwd
        self.log = folder / "gunicorn.log"
        self.access_log = folder / "access.log"
        self.process: subprocess.Popen | None = None

    def prepare(self) -> None:
        for command in ("migrate", "collectstatic"):
            manage(command, "--noinput", env=self.env, cwd=self.cwd)

    def start(self) -> Gunicorn:
        command = [
            str(VENV_BIN / "gunicorn"),
            "cramps.wsgi:application",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            "--access-logfile",
            str(self.access_log),
        ]
        self._out = open(self.log, "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            command, cwd=self.cwd, env=self.env, stdout=self._out, stderr=subprocess.STDOUT, start_new_session=True
        )
        wait_for(lambda: httpx.get(f"{self.base}/healthz", timeout=2).status_code == 200, 60, "gunicorn")
        return self

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        if self.process:
            self._out.close()
