"""Django's Redis cache, degrading instead of failing when Redis cannot be reached.

The cache holds nothing that must survive: allauth's rate-limit counters and a heartbeat.
With Redis down, Django's RedisCache raises on every call and sign-in, sign-up and password
reset answered 500. Here a connection error (or time-out) is logged as a warning, at most
once every WARN_EVERY seconds per process, and the call answers as an empty cache would:
``get`` the default, ``set``/``delete`` nothing, ``add`` True. ``add`` True matters: allauth
takes a lock with ``cache.add`` and reads a False as "someone else holds it", refusing the
request. django-redis's IGNORE_EXCEPTIONS answers None there, which would lock every sign-in
out for as long as Redis is down; hence this small wrapper of Django's own backend.
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, ConnectionError, TimeoutError)
WARN_EVERY = 60


class DegradingRedisCache(RedisCache):
    _last_warning = 0.0

    def _degraded(self, operation: str, error: Exception, answer):
        now = time.monotonic()
        if now - DegradingRedisCache._last_warning >= WARN_EVERY:
            DegradingRedisCache._last_warning = now
            logger.warning("cache unreachable (%s on %s): rate limits degraded until it is back", type(error).__name__, operation)
        return answer

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().add(key, value, timeout, version)
        except UNREACHABLE as error:
            return self._degraded("add", error, True)

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except UNREACHABLE as error:
            return self._degraded("get", error, default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            super().set(key, value, timeout, version)
        except UNREACHABLE as error:
            self._degraded("set", error, None)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().touch(key, timeout, version)
        except UNREACHABLE as error:
            return self._degraded("touch", error, False)

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except UNREACHABLE as error:
            return self._degraded("delete", error, False)

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except UNREACHABLE as error:
            return self._degraded("get_many", error, {})

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except UNREACHABLE as error:
            return self._degraded("has_key", error, False)

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except UNREACHABLE as error:
            return self._degraded("incr", error, delta)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set_many(data, timeout, version)
        except UNREACHABLE as error:
            return self._degraded("set_many", error, [])

    def delete_many(self, keys, version=None):
        try:
            return super().delete_many(keys, version)
        except UNREACHABLE as error:
            return self._degraded("delete_many", error, None)

    def clear(self):
        try:
            return super().clear()
        except UNREACHABLE as error:
            return self._degraded("clear", error, False)
