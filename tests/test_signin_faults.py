"""Sign-in through a Redis that goes away and comes back: a redis-server of the test's own, on a
spare port (never the machine's)."""

import shutil
import socket
import subprocess
import time

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from cramps.cache import DegradingRedisCache
from cramps.settings import redis_cache

from .conftest import PRODUCTION_RATE_LIMITS, add_totp, sign_in, totp_code

pytestmark = pytest.mark.skipif(not shutil.which("redis-server"), reason="redis-server is not installed")


def spare_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_redis(port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server
        except OSError:
            time.sleep(0.05)
    server.kill()
    raise RuntimeError("redis-server did not start")


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    server.wait(timeout=10)


def guesses_until_throttled(email: str, address: str) -> int:
    for attempt in range(1, 12):
        response = sign_in(Client(), email, f"wrong-{attempt}", REMOTE_ADDR=address)
        if "Too many failed sign-in attempts" in response.content.decode():
            return attempt
    return 0


def test_sign_in_through_a_redis_restart(person, settings):
    port = spare_port()
    settings.CACHES = {**settings.CACHES, "default": redis_cache(f"redis://127.0.0.1:{port}/0")}
    settings.ACCOUNT_RATE_LIMITS = PRODUCTION_RATE_LIMITS
    server = start_redis(port)
    DegradingRedisCache._down_until = 0.0
    try:
        assert guesses_until_throttled(person.email, "203.0.113.1") == 6  # limits kept in Redis
        stop(server)
        client = Client()
        started = time.monotonic()
        assert sign_in(client, person.email, REMOTE_ADDR="198.51.100.1").status_code == 302  # degraded, not down
        assert time.monotonic() - started < 5
        assert guesses_until_throttled(person.email, "203.0.113.2") == 0  # no counters while it is down
        server = start_redis(port)
        DegradingRedisCache._down_until = 0.0  # instead of waiting RETRY_AFTER seconds
        assert guesses_until_throttled(person.email, "203.0.113.3") == 6  # back, and limiting again
        assert sign_in(Client(), person.email, REMOTE_ADDR="198.51.100.1").status_code == 302
    finally:
        cache.close()
        DegradingRedisCache._down_until = 0.0
        if server.poll() is None:
            stop(server)


def test_a_code_by_e_mail_still_asks_for_the_authenticator(person, mailoutbox):
    """Sign-in by code does not skip the second factor."""
    import re

    add_totp(person)
    client = Client()
    client.post(reverse("account_request_login_code"), {"email": person.email})
    code = re.search(r"^\s*([A-Z0-9-]{6,12})\s*$", mailoutbox[-1].body, re.MULTILINE).group(1)
    response = client.post(reverse("account_confirm_login_code"), {"code": code})
    assert response.headers["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    client.post(reverse("mfa_authenticate"), {"code": totp_code(person)})
    assert "_auth_user_id" in client.session
