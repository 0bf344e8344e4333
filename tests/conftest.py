import os

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from cramps import settings as production_settings

# Playwright drives the browser from an event loop; Django's live server is synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "a-long-test-password-42"


@pytest.fixture(autouse=True)
def default_language_and_zone():
    """Every test starts in the site's default language and time zone, and leaves them so.

    A request through LocaleMiddleware (or a profile's zone) activates a language for the whole
    thread and nothing deactivates it: without this, a test that asked a page in Ukrainian would
    make the next test on the same worker read Ukrainian, in whatever order xdist deals them.
    """
    from django.utils import timezone, translation

    translation.deactivate()
    timezone.deactivate()
    yield
    translation.deactivate()
    timezone.deactivate()


@pytest.fixture
def make_user(db):
    def make(email="person@example.com", timezone="Europe/Kyiv", confirmed=True, **profile):
        user = get_user_model().objects.create_user(username=email, email=email, password=PASSWORD)
        if confirmed:  # as after following the sign-up e-mail's link
            EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
        user.profile.timezone = timezone
        for name, value in profile.items():
            setattr(user.profile, name, value)
        user.profile.save()
        return user

    return make


@pytest.fixture
def person(make_user):
    return make_user()


@pytest.fixture
def other(make_user):
    return make_user(email="other@example.com", timezone="America/New_York")


@pytest.fixture
def person_client(client, person):
    client.force_login(person)
    return client


PRODUCTION_RATE_LIMITS = production_settings.ACCOUNT_RATE_LIMITS  # tests/settings.py switches them off


@pytest.fixture
def rate_limits(settings):
    """allauth's limits as in production (tests/settings.py switches them off), counted in a cache
    of this test's own. Never cache.clear() on the configured Redis: it is also Celery's broker, and
    clearing it would drop another test's queued tasks. (The Redis path of the limits has its own
    tests, with a redis-server of their own: tests/test_signin_faults.py.)"""
    import uuid

    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": uuid.uuid4().hex},
    }
    settings.ACCOUNT_RATE_LIMITS = PRODUCTION_RATE_LIMITS


def code_of_secret(secret: str, margin: float = 8.0) -> str:
    """The authenticator app's code for the secret, fresh enough to be still valid when it arrives.

    allauth accepts only the current 30-second step (MFA_TOTP_TOLERANCE 0); a code read in the
    last seconds of its step could expire on its way through a browser, so wait for the next step.
    """
    import time

    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    period = app_settings.TOTP_PERIOD
    left = period - time.time() % period
    if left < margin:
        time.sleep(left + 0.05)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))


def totp_code(user) -> str:
    """The current code of the person's authenticator app, computed as the app would."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import decrypt

    return code_of_secret(decrypt(Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP).data["secret"]))


def add_totp(user) -> None:
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(user, generate_totp_secret())


def sign_in(client, email, password=PASSWORD, **headers):
    """Sign in through allauth's form (and its second step when the account has an authenticator)."""
    from django.urls import reverse

    return client.post(reverse("account_login"), {"login": email, "password": password}, **headers)


@pytest.fixture
def staff(make_user):
    user = make_user(email="staff@example.com")
    user.is_staff = user.is_superuser = True
    user.save()
    return user


@pytest.fixture
def mfa_admin_client(client, staff):
    """A staff member signed in with password and authenticator code: may use the admin."""
    from django.urls import reverse

    add_totp(staff)
    response = sign_in(client, staff.email)
    assert response.headers["Location"] == reverse("mfa_authenticate"), response.headers.get("Location")
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(staff)})
    assert response.status_code == 302, response.content[:400]
    return client


# Tests that start a real Celery worker, a server of their own or another process: `make test` runs
# them after the rest, two at a time; `make test-fast` leaves them out.
SLOW_MODULES = {"test_reminders_worker", "test_reminders_broker", "test_celery_worker", "test_signin_faults"}
# Seconds a test (every vignette's PDF; settings read in a fresh Python process): `make test` runs
# them, `make test-fast` (the quick loop) leaves them out. Single tests are marked where they are.
HEAVY_MODULES = {"test_report_vignettes", "test_settings"}


# Fixtures through which a test reaches the configured database (and, with it, Redis as the cache).
DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "live_server",
}


def uses_the_services(item) -> bool:
    """Whether the test touches the database or the cache the run is configured with. A test that
    does neither gives the same answer on SQLite as on PostgreSQL and Redis; `make test` runs it
    in the embedded run only (marker `backend_independent`). A test whose subject is the
    configured services without a database fixture says so with `@pytest.mark.services`."""
    if item.get_closest_marker("django_db") or item.get_closest_marker("services"):
        return True
    return bool(DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())))


def pytest_collection_modifyitems(config, items):
    for item in items:
        module = item.module.__name__.rsplit(".", 1)[-1]
        if module in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)
        if module in HEAVY_MODULES:
            item.add_marker(pytest.mark.heavy)
        if not uses_the_services(item):
            item.add_marker(pytest.mark.backend_independent)
