"""Issue 14, item 2: e-mail links follow what `make run` serves unless SITE_URL is set."""

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def dry_run(target: str, *args: str, site_url: str | None = None) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "MAKEFLAGS", "MAKELEVEL")}
    if site_url is not None:
        env["SITE_URL"] = site_url
    # -n: print the commands only; -W: as if the install were up to date.
    done = subprocess.run(
        ["make", "-n", "-W", "pyproject.toml", target, *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize("target", ["run", "demo"])
def test_site_url_follows_host_and_port(target):
    out = dry_run(target, "PORT=8101")
    assert "SITE_URL=http://127.0.0.1:8101" in out
    assert "8000" not in out


def test_the_worker_gets_the_site_url_too():
    out = dry_run("run", "PORT=8101")
    worker = next(line for line in out.splitlines() if "celery" in line)
    assert "SITE_URL=http://127.0.0.1:8101" in worker or out.count("SITE_URL=http://127.0.0.1:8101") >= 2


@pytest.mark.parametrize("target", ["run", "demo"])
def test_a_set_site_url_wins(target):
    out = dry_run(target, "PORT=8101", site_url="https://cramps.example.org")
    assert "SITE_URL=https://cramps.example.org" in out
    assert "SITE_URL=http://127.0.0.1:8101" not in out
