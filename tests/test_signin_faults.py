"""Sign-in through a Redis that goes away and comes back: a redis-server of the test's own, on a
spare port (never the machine's)."""

import shutil
import time

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from cramps.cache import DegradingRedisCache
from cramps.settings import redis_cache

from .conftest import PRODUCTION_RATE_LIMITS, add_totp, sign_in, totp_code
from .servers import RedisServer

pytestmark = pytest.mark.skipif(not shutil.which("redis-server"), reason="redis-server is not installed")


def guesses_until_throttled(email: str, address: str) -> int:
    for attempt in range(1, 12):
        response = sign_in(Client(), email, f"wrong-{attempt}", REMOTE_ADDR=address)
        if "Too many failed sign-in attempts" in response.content.decode():
            return attempt
    return 0


def test_sign_in_through_a_redis_restart(person, settings):
    server = RedisServer()
    settings.CACHES = {**settings.CACHES, "default": redis_cache(server.url)}
    settings.ACCOUNT_RATE_LIMITS = PRODUCTION_RATE_LIMITS
    server.start()
    DegradingRedisCache._down_until = 0.0
    try:
        assert guesses_until_throttled(person.email, "203.0.113.1") == 6  # limits kept in Redis
        server.stop()
        client = Client()
        started = time.monotonic()
        assert sign_in(client, person.email, REMOTE_ADDR="198.51.100.1").status_code == 302  # degraded, not down
        assert time.monotonic() - started < 5
        assert guesses_until_throttled(person.email, "203.0.113.2") == 0  # no counters while it is down
        server.start()
        DegradingRedisCache._down_until = 0.0  # instead of waiting RETRY_AFTER seconds
        assert guesses_until_throttled(person.email, "203.0.113.3") == 6  # back, and limiting again
        assert sign_in(Client(), person.email, REMOTE_ADDR="198.51.100.1").status_code == 302
    finally:
        cache.close()
        DegradingRedisCache._down_until = 0.0
        server.stop()


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


def test_the_cache_keeps_one_redis_client_and_it_outlives_a_restart(settings):
    """cramps.cache.ReusedClients: one redis-py client per pool instead of one per call (Django's), and
    that one client serves again after Redis restarts (its pool connects anew)."""
    server = RedisServer()
    settings.CACHES = {**settings.CACHES, "default": redis_cache(server.url)}
    server.start()
    DegradingRedisCache._down_until = 0.0
    try:
        cache.set("k", "v")
        client = cache._cache.get_client(write=True)
        assert cache._cache.get_client() is client and cache._cache.get_client("other", write=True) is client
        assert cache.get_many(["k", "missing"]) == {"k": "v"}
        server.stop()
        assert cache.get("k", "gone") == "gone"  # degraded, not raised
        server.start()
        DegradingRedisCache._down_until = 0.0
        cache.set("k", "again")
        assert cache.get("k") == "again" and cache._cache.get_client() is client
    finally:
        cache.close()
        DegradingRedisCache._down_until = 0.0
        server.stop()
