"""Liveness (/healthz) and readiness (/readyz).

/healthz stays a cheap "the process answers" for the container's restart policy. /readyz asks
django-health-check to check what the app needs to do its work: the database, the cache, the
broker (Redis, when configured) and a heartbeat that beat schedules and a worker writes every
minute, so an operator learns that reminders have stopped before people do.
"""

from __future__ import annotations

import dataclasses
import time

from celery import shared_task
from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView

from .middleware import say_which_features_are_unused

HEARTBEAT_KEY = "cramps:celery-heartbeat"
HEARTBEAT_CACHE = "heartbeat"


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


class LivenessMiddleware:
    """/healthz answered first, before the Host header is checked: a container's probe reaches
    gunicorn as localhost or by the container's address, which ALLOWED_HOSTS rightly does not
    list (it answered 400 there). Nothing else is served without the host check."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == "/healthz" and request.method in ("GET", "HEAD"):
            response = healthz(request)
            say_which_features_are_unused(response)  # which the middleware it skips would add
            return response
        return self.get_response(request)


@shared_task(name="cramps.tasks.heartbeat", ignore_result=True)
def heartbeat() -> float:
    """Scheduled by beat every minute and run by a worker: proves both are alive."""
    now = time.time()
    caches[HEARTBEAT_CACHE].set(HEARTBEAT_KEY, now, timeout=24 * 3600)
    return now


@dataclasses.dataclass
class Heartbeat(HealthCheck):
    """Fails when no worker has run beat's heartbeat task for HEARTBEAT_STALE_AFTER seconds."""

    def run(self):
        last = caches[HEARTBEAT_CACHE].get(HEARTBEAT_KEY)
        if last is None:
            raise ServiceUnavailable("No heartbeat from Celery beat and worker")
        age = time.time() - float(last)
        if age > settings.HEARTBEAT_STALE_AFTER:
            raise ServiceUnavailable(f"Last Celery heartbeat {age:.0f} s ago")


def readiness_checks() -> list:
    checks: list = ["health_check.checks.Database", "health_check.checks.Cache", Heartbeat]
    if settings.REDIS_URL:
        from redis.asyncio import Redis

        url = settings.REDIS_URL
        checks.append(("health_check.contrib.redis.Redis", {"client_factory": lambda: Redis.from_url(url)}))
    return checks


class ReadinessView(HealthCheckView):
    """django-health-check's view; "not ready" is 503 (Service Unavailable), not its 500, so a
    load balancer and the error logs tell it from a crash."""

    def get_checks(self):
        self.checks = readiness_checks()
        return super().get_checks()

    async def get(self, request, *args, **kwargs):
        response = await super().get(request, *args, **kwargs)
        if response.status_code == 500:
            response.status_code = 503
        return response
