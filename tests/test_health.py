"""/healthz is a cheap liveness check; /readyz (django-health-check) reports the database, the
cache, the broker and the Celery heartbeat."""

import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.cache import caches

from cramps import health

from .test_settings import CLEAN, ROOT


def readiness(client):
    response = client.get("/readyz", {"format": "json"})
    return response.status_code, json.loads(response.content)


def test_healthz_is_cheap(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok"


def test_ready_when_the_worker_has_beaten(client, db):
    health.heartbeat()
    status, report = readiness(client)
    assert status == 200, report
    assert set(report.values()) == {"OK"}
    assert any("Heartbeat" in name for name in report) and any("Database" in name for name in report)


def test_not_ready_when_the_heartbeat_is_stale(client, db, settings):
    caches[health.HEARTBEAT_CACHE].set(health.HEARTBEAT_KEY, time.time() - settings.HEARTBEAT_STALE_AFTER - 5)
    status, report = readiness(client)
    assert status == 503
    assert any("Celery heartbeat" in value for value in report.values())


def test_not_ready_without_any_heartbeat(client, db):
    caches[health.HEARTBEAT_CACHE].delete(health.HEARTBEAT_KEY)
    status, report = readiness(client)
    assert status == 503 and any("No heartbeat" in value for value in report.values())


def test_the_heartbeat_runs_on_beats_schedule():
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["heartbeat"]
    assert entry["task"] == health.heartbeat.name == "cramps.tasks.heartbeat"
    assert entry["schedule"] < settings.HEARTBEAT_STALE_AFTER


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.heavy
def test_with_the_database_and_redis_down_healthz_lives_and_readyz_says_not_ready(tmp_path):
    code = (
        "import django, json; django.setup(); from django.test import Client; c = Client(); "
        "h = c.get('/healthz'); r = c.get('/readyz', {'format': 'json'}); "
        "print(json.dumps([h.status_code, r.status_code, json.loads(r.content)]))"
    )
    port = closed_port()
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={
            **CLEAN,
            "DJANGO_SETTINGS_MODULE": "cramps.settings",
            "CRAMPS_VAR_DIR": str(tmp_path),
            "SECRET_KEY": "k3y-" + "abcdefghij" * 6,
            "HTTPS": "false",
            "ALLOWED_HOSTS": "testserver",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{port}/cramps",
            "REDIS_URL": f"redis://127.0.0.1:{port}/0",
        },
    )
    assert result.returncode == 0, result.stderr[-2000:]
    healthz, readyz, report = json.loads(result.stdout.strip().splitlines()[-1])
    assert healthz == 200 and readyz == 503
    failing = [name for name, value in report.items() if value != "OK"]
    assert any("Database" in name for name in failing) and any("Redis" in name for name in failing)
    assert any("Heartbeat" in name for name in failing)


def test_the_worker_knows_the_heartbeat_task():
    from cramps.celery import app

    app.loader.import_default_modules()
    assert "cramps.tasks.heartbeat" in app.tasks


def test_healthz_answers_a_probe_whatever_its_host(client, settings):
    """The container's probe asks as localhost or by the container's address, which ALLOWED_HOSTS
    does not list in production; nothing else is served to such a host."""
    settings.ALLOWED_HOSTS = ["cramps.example.org"]
    assert client.get("/healthz", HTTP_HOST="localhost:8000").status_code == 200
    assert client.get("/healthz", HTTP_HOST="10.0.3.7:8000").content == b"ok"
    assert client.get("/readyz", HTTP_HOST="localhost:8000").status_code == 400
    assert client.get("/diary/", HTTP_HOST="localhost:8000").status_code == 400


def test_compose_checks_that_the_app_and_the_worker_are_alive():
    text = (Path(__file__).resolve().parent.parent / "docker-compose.yml").read_text()
    web, worker = (
        text.split("\n  worker:\n")[0].split("\n  web:\n")[1],
        text.split("\n  worker:\n")[1].split("\n  beat:\n")[0],
    )
    assert "healthcheck:" in web and "/healthz" in web
    assert "healthcheck:" in worker and "inspect ping" in worker
    assert "${POSTGRES_PASSWORD:-" not in text  # no known default password
