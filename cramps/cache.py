"""Django's Redis cache, degrading instead of failing when Redis cannot be reached.

The cache holds nothing that must survive: allauth's rate-limit counters and a heartbeat.
With Redis down, Django's RedisCache raises on every call and sign-in, sign-up and password
reset answered 500. Here a connection error (or time-out) is logged as a warning, at most
once every WARN_EVERY seconds per process, and the call answers as an empty cache would:
``get`` the default, ``set``/``delete`` nothing, ``add`` True. ``add`` True matters: allauth
takes a lock with ``cache.add`` and reads a False as "someone else holds it", refusing the
request. django-redis's IGNORE_EXCEPTIONS answers None there, which would lock every sign-in
out for as long as Redis is down; hence this small wrapper of Django's own backend.

After a failure the cache does not try Redis again for RETRY_AFTER seconds: a Redis host that
drops packets would otherwise cost the connect time-out on each of the dozen calls that one
sign-in makes.
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, ConnectionError, TimeoutError)
WARN_EVERY = 60
RETRY_AFTER = 5


class ReusedClients(RedisCacheClient):
    """Django's client, making one redis-py client per connection pool instead of one per call.

    Django builds a new ``redis.Redis`` for every cache call, and each one fills a table of
    some 200 response callbacks: a third of the CPU of a diary page's one round trip to the
    cache (docs/performance.md). A ``redis.Redis`` is safe to share between threads (each
    command takes a connection from the pool), so one per pool does what a new one did.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


class DegradingRedisCache(RedisCache):
    _last_warning = 0.0
    _down_until = 0.0

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClients

    def _call(self, operation: str, answer, method, *args):
        if time.monotonic() < DegradingRedisCache._down_until:
            return answer
        try:
            return method(*args)
        except UNREACHABLE as error:
            now = time.monotonic()
            DegradingRedisCache._down_until = now + RETRY_AFTER
            if now - DegradingRedisCache._last_warning >= WARN_EVERY:
                DegradingRedisCache._last_warning = now
                logger.warning(
                    "cache unreachable (%s on %s): rate limits degraded until it is back",
                    type(error).__name__,
                    operation,
                )
            return answer

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", True, super().add, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", default, super().get, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._call("set", None, super().set, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, super().delete, key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, super().has_key, key, version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", delta, super().incr, key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", [], super().set_many, data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, super().delete_many, keys, version)

    def clear(self):
        return self._call("clear", False, super().clear)
