"""Production settings are safe by default; the embedded default needs no services."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CLEAN = {
    k: v
    for k, v in os.environ.items()
    if k
    not in {
        "SECRET_KEY",
        "DEBUG",
        "DATABASE_URL",
        "REDIS_URL",
        "HTTPS",
        "ALLOWED_HOSTS",
        "DJANGO_SETTINGS_MODULE",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
        "EMAIL_HOST",
        "EMAIL_BACKEND",
    }
}


def run(code: str, tmp_path, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**CLEAN, "DJANGO_SETTINGS_MODULE": "cramps.settings", "CRAMPS_VAR_DIR": str(tmp_path), **env},
    )


def test_refuses_to_start_without_a_secret_key_when_debug_is_off(tmp_path):
    result = run("import django; django.setup()", tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


@pytest.mark.parametrize("key", ["short", "x" * 60, "django-insecure-" + "a1b2c3d4" * 5])
def test_refuses_a_weak_secret_key(tmp_path, key):
    result = run("import django; django.setup()", tmp_path, SECRET_KEY=key)
    assert result.returncode != 0 and "SECRET_KEY is too weak" in result.stderr


def test_production_defaults_are_safe(tmp_path):
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS > 0, s.ALLOWED_HOSTS, s.CELERY_BROKER_URL)"
    )
    result = run(code, tmp_path, SECRET_KEY="k3y-" + "abcdefghij" * 6)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "True", "True", "True", "[]", "filesystem://"]


def test_deploy_check_passes_with_a_production_environment(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={
            **CLEAN,
            "CRAMPS_VAR_DIR": str(tmp_path),
            "SECRET_KEY": "k3y-" + "abcdefghij" * 6,
            "ALLOWED_HOSTS": "cramps.example.org",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_embedded_default_uses_sqlite_and_the_file_system_broker(tmp_path):
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL, s.EMAIL_BACKEND)"
    )
    result = run(code, tmp_path, DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "filesystem://",
        "django.core.mail.backends.console.EmailBackend",
    ]
    assert (tmp_path / "celery-broker" / "queue").is_dir()


def test_database_and_redis_urls_switch_to_the_services(tmp_path):
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME'], s.CELERY_BROKER_URL)"
    )
    result = run(
        code, tmp_path, DEBUG="true", DATABASE_URL="postgres://u@db:5432/cramps", REDIS_URL="redis://cache:6379/0"
    )
    assert result.stdout.split() == ["django.db.backends.postgresql", "cramps", "redis://cache:6379/0"]


def test_pages_send_a_strict_content_security_policy(client, db):
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert b"https://" not in response.content.split(b"<footer")[0].split(b"<main")[0]  # no CDN in the head


def test_refuses_a_key_shorter_than_the_deploy_check_wants(tmp_path):
    result = run("import django; django.setup()", tmp_path, SECRET_KEY="k3y-abcdefghij-" + "0123456789" * 3)  # 45
    assert result.returncode != 0 and "at least 50" in result.stderr


def test_forwarded_proto_is_believed_only_behind_a_configured_proxy(tmp_path):
    code = "import django; django.setup(); from django.conf import settings as s; print(s.SECURE_PROXY_SSL_HEADER)"
    key = "k3y-" + "abcdefghij" * 6
    assert run(code, tmp_path, SECRET_KEY=key).stdout.strip() == "None"
    behind = run(code, tmp_path, SECRET_KEY=key, TRUSTED_PROXY_COUNT="1").stdout.strip()
    assert behind == "('HTTP_X_FORWARDED_PROTO', 'https')"


def test_passwords_are_hashed_with_argon2(tmp_path):
    code = (
        "import django; django.setup(); from django.contrib.auth.hashers import make_password; "
        "print(make_password('a-long-test-password-42').split('$')[0])"
    )
    result = run(code, tmp_path, SECRET_KEY="k3y-" + "abcdefghij" * 6)
    assert result.stdout.strip() == "argon2", result.stderr


def test_a_signed_in_persons_pages_are_never_stored(person_client, client):
    from django.urls import reverse

    for name in ("diary:timeline", "diary:profile", "prevention:plan"):
        response = person_client.get(reverse(name))
        assert "no-store" in response.headers["Cache-Control"], name
        assert "private" in response.headers["Cache-Control"], name
    # Downloads keep their own header (already no-store).
    assert person_client.get(reverse("diary:export_json")).headers["Cache-Control"] == "no-store"


def test_every_response_has_a_permissions_policy(client, db):
    for path in ("/", "/accounts/login/", "/healthz"):
        policy = client.get(path).headers["Permissions-Policy"]
        assert "camera=()" in policy and "geolocation=()" in policy and "microphone=()" in policy


def test_a_malformed_proxy_address_stops_the_start(tmp_path):
    result = run(
        "import django; django.setup()",
        tmp_path,
        SECRET_KEY="k3y-" + "abcdefghij" * 6,
        TRUSTED_PROXY_COUNT="1",
        TRUSTED_PROXY_ADDRESSES="10.0.0.5,proxy.local",
    )
    assert result.returncode != 0 and "TRUSTED_PROXY_ADDRESSES" in result.stderr


def test_an_empty_proxy_count_means_none(tmp_path):
    code = "import django; django.setup(); from django.conf import settings as s; print(s.ALLAUTH_TRUSTED_PROXY_COUNT)"
    result = run(code, tmp_path, SECRET_KEY="k3y-" + "abcdefghij" * 6, TRUSTED_PROXY_COUNT="")
    assert result.stdout.strip() == "0", result.stderr


@pytest.mark.heavy
def test_production_without_an_smtp_server_sends_nothing_and_prints_nothing(tmp_path):
    """Printed e-mails (the development default) would put addresses and sign-in links in the logs."""
    code = (
        "import django, logging; django.setup()\n"
        "from django.conf import settings; from django.core.mail import send_mail\n"
        "print(settings.EMAIL_BACKEND)\n"
        "print('sent', send_mail('Reset', 'https://x/reset/key/secret-key-123', None, ['owner@example.org']))\n"
    )
    result = run(code, tmp_path, SECRET_KEY="k" * 20 + "Q9x!" * 10)
    assert result.returncode == 0, result.stderr
    assert "cramps.emails.NotConfiguredBackend" in result.stdout and "sent 0" in result.stdout
    everything = result.stdout + result.stderr
    assert "owner@example.org" not in everything and "secret-key-123" not in everything
    assert "not sent: set EMAIL_HOST" in everything


@pytest.mark.parametrize("value", ["0", "-1", "17", "two"])
def test_a_number_of_dispatchers_out_of_range_stops_the_start(tmp_path, value):
    result = run(
        "import django; django.setup()", tmp_path, SECRET_KEY="k3y-" + "abcdefghij" * 6, REMINDER_DISPATCHERS=value
    )
    assert result.returncode != 0 and "REMINDER_DISPATCHERS must be" in result.stderr
