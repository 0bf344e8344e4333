"""Test settings: the real settings with a throwaway key; DATABASE_URL / REDIS_URL still apply."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-0123456789")
os.environ.setdefault("CRAMPS_VAR_DIR", tempfile.mkdtemp(prefix="cramps-test-var-"))
os.environ.setdefault("HTTPS", "false")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")

from cramps.settings import *  # noqa: E402,F401,F403

# Fast hashing: the tests create many accounts; production keeps Django's default.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# A worker started by a test with EMAIL_HOST sends to that SMTP server (tests/smtp_sink.py); otherwise locmem.
if not (os.environ.get("CRAMPS_TEST_DB_NAME") and os.environ.get("EMAIL_HOST")):
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
ACCOUNT_RATE_LIMITS = False
# One dispatcher: a claim task queued by a test calling dispatch_reminders would stay in the test
# broker for another test's worker. The test of several sets it (tests/test_reminders.py).
REMINDER_DISPATCHERS = 1

# A Celery worker started by a test (tests/test_celery_worker.py) must use the test database.
if os.environ.get("CRAMPS_TEST_DB_NAME"):
    DATABASES["default"]["NAME"] = os.environ["CRAMPS_TEST_DB_NAME"]  # noqa: F405
else:
    # SQLite tests use a file, not memory, so that a worker process can see the same data.
    DATABASES["default"].setdefault("TEST", {})  # noqa: F405
    if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
        DATABASES["default"]["TEST"]["NAME"] = str(VAR_DIR / "test-db.sqlite3")  # noqa: F405

# whitenoise warns on every request when STATIC_ROOT is missing; tests serve from the finders.
STATIC_ROOT = VAR_DIR / "static-root"  # noqa: F405
STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# Parallel runs (pytest-xdist) share one Redis database: each worker keeps its own keys.
for _cache in CACHES.values():  # noqa: F405
    _cache["KEY_PREFIX"] = os.environ.get("PYTEST_XDIST_WORKER", "")
