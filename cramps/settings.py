"""Settings for cramps, read from the environment (12-factor).

With nothing set, the app runs embedded: SQLite under var/, a Celery broker on the
file system, e-mails printed to the console. DATABASE_URL and REDIS_URL switch to
PostgreSQL and Redis. See README.md for every variable.
"""

import ipaddress
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CRAMPS_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int, unit: str = "seconds") -> int:
    value = os.environ.get(name, "")
    try:
        return int(value) if value.strip() else default
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be a number of {unit}, not {value!r}") from error


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY to a long random value, or DEBUG=true for local development."
        )
    # Only ever used with DEBUG on, on a developer's own machine.
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"
elif not DEBUG and (len(SECRET_KEY) < 50 or "insecure" in SECRET_KEY or len(set(SECRET_KEY)) < 5):
    # Django's own deploy check (security.W009) wants 50 characters and 5 different ones.
    raise ImproperlyConfigured("SECRET_KEY is too weak: use at least 50 random characters.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", SITE_URL)

INSTALLED_APPS = [
    # The admin signs in through allauth and needs two-factor sign-in (cramps/admin_site.py).
    "cramps.apps.CrampsAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "crispy_forms",
    "crispy_bootstrap5",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "health_check",
    "csp",
    "diary",
    "prevention",
]

MIDDLEWARE = [
    "cramps.middleware.ForwardedHeadersMiddleware",
    "cramps.logging.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # /healthz for the container's probe, whatever its Host: before anything reads the Host
    "cramps.health.LivenessMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "diary.middleware.PersonTimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "csp.middleware.CSPMiddleware",
    "cramps.middleware.PrivateResponseMiddleware",
]

ROOT_URLCONF = "cramps.urls"
WSGI_APPLICATION = "cramps.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Widgets may use the project's templates (templates/widgets/).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# Database: DATABASE_URL (postgres://user:pass@host:5432/name) or SQLite under var/.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "db.sqlite3",
            # A worker and the web process share the file: wait rather than fail on a lock.
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")


def redis_cache(url: str) -> dict:
    """With Redis unreachable the cache answers "nothing cached" and logs a warning instead of
    raising: sign-in keeps working with its rate limits degraded (cramps/cache.py)."""
    return {
        "BACKEND": "cramps.cache.DegradingRedisCache",
        "LOCATION": url,
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }


if REDIS_URL:
    CACHES = {"default": redis_cache(REDIS_URL)}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Each process's own memory, for what is the same for every person and changes only with a new
# release: the pages' chrome in each language (templates/base.html and the diary page, {% cache %}).
# With DEBUG on nothing is kept there: an edited template shows on the next request.
CACHES["pages"] = (
    {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    if DEBUG
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"}
)
# How long a rendered day card of the diary page is kept (diary/cards.py); 0: not kept.
DIARY_CARD_CACHE_SECONDS = env_int("DIARY_CARD_CACHE_SECONDS", 24 * 3600)
# The worker's heartbeat for /readyz must be seen by the web processes: Redis, or embedded a folder.
CACHES["heartbeat"] = (
    dict(CACHES["default"])
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(VAR_DIR / "heartbeat")}
)

AUTHENTICATION_BACKENDS = [
    # allauth's, reading the profile with the account (one query a request fewer); first, so that
    # every session uses it. Sessions begun under allauth's own backend (before 2 December 2026)
    # ended: each person signs in once more.
    "diary.backends.PersonBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Argon2 for new and re-hashed passwords; older PBKDF2 hashes still verify and are upgraded at sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "diary:timeline"
LOGOUT_REDIRECT_URL = "home"

# Accounts by e-mail (django-allauth).
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
# Mandatory: sign-up then answers the same for a new and a taken address (the owner of a taken
# one gets an e-mail instead), so it cannot tell whether an address has an account.
ACCOUNT_EMAIL_VERIFICATION = os.environ.get("ACCOUNT_EMAIL_VERIFICATION", "mandatory")
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_ADAPTER = "cramps.accounts.AccountAdapter"
# The owner of an account being guessed at can still sign in with a code sent to their address.
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_SIGNUP_FORM_CLASS = "diary.forms.SignupExtraForm"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[cramps] "
# A session alone is not the owner: adding, removing or making primary an e-mail address, or
# changing two-factor sign-in, asks for the password (or a code) again unless the person signed in
# within the last few minutes; the old address is told of every change to the account's
# addresses and password. Without this a stolen session could move the account to a new address.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
# Behind a reverse proxy, the number of proxies whose X-Forwarded-For allauth may trust for
# per-address rate limits (0: use the connecting address).
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT") or 0)
# The proxy's own addresses or networks (e.g. 172.16.0.0/12 for Docker's): X-Forwarded-* headers
# from anywhere else are dropped (cramps.middleware.ForwardedHeadersMiddleware). Empty: not checked.
TRUSTED_PROXY_ADDRESSES = env_list("TRUSTED_PROXY_ADDRESSES")
for _entry in TRUSTED_PROXY_ADDRESSES:
    try:
        ipaddress.ip_network(_entry, strict=False)
    except ValueError as _error:
        raise ImproperlyConfigured(f"TRUSTED_PROXY_ADDRESSES: {_entry!r} is not an address or network") from _error
# allauth's own rate limits guard login, sign-up and password reset against guessing.
# "key" of login_failed is the account *and* the address (cramps/accounts.py): guesses from one
# address do not lock the owner out elsewhere. login_failed_account bounds guessing from many
# addresses at one account; the owner then signs in with a code by e-mail, which it does not count.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "login_failed_account": "100/h/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    # the password asked before erasing an account (diary.forms.DeleteAccountForm)
    "delete_account_failed": "5/5m/user",
}

# Two-factor sign-in (allauth.mfa): an authenticator app (TOTP) and recovery codes; staff must
# use it to enter the admin.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "cramps"
# The authenticator app's key and the recovery codes' seed are stored encrypted (cramps/accounts.py).
MFA_ADAPTER = "cramps.accounts.MFAAdapter"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("uk", _("Ukrainian"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Weeks start on Monday (ISO 8601), as they do for most of our people; see cramps/formats/.
FORMAT_MODULE_PATH = ["cramps.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
if DEBUG:  # runserver serves from static/; an empty STATIC_ROOT keeps whitenoise quiet
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Uploads: a diary export of several years is well under 5 MB; refuse more with a clear message.
DIARY_IMPORT_MAX_BYTES = int(os.environ.get("DIARY_IMPORT_MAX_BYTES", 5 * 1024 * 1024))
# An uploaded file waits this long for the person to confirm the import after its preview.
DIARY_IMPORT_PENDING_SECONDS = int(os.environ.get("DIARY_IMPORT_PENDING_SECONDS", 3600))
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# E-mail: SMTP when EMAIL_HOST is set; otherwise, with DEBUG, printed to the console, and in
# production not sent at all, with an error line (cramps.emails.NotConfiguredBackend): printed
# e-mails would put addresses, sign-in links and health warnings in the logs.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
else:
    EMAIL_BACKEND = os.environ.get(
        "EMAIL_BACKEND",
        "django.core.mail.backends.console.EmailBackend" if DEBUG else "cramps.emails.NotConfiguredBackend",
    )
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 25))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "cramps <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: Redis in production, a broker on the file system when no server is available.
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # A message taken by a worker that died comes back after this; the reminders' own
    # compare-and-set makes a second delivery harmless.
    CELERY_BROKER_TRANSPORT_OPTIONS: dict = {"visibility_timeout": 900}  # >= REMINDER_RETRY_MAX_SECONDS
else:
    _broker_dir = VAR_DIR / "celery-broker"
    for _folder in ("queue", "processed", "control"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    # kombu's filesystem transport only works when "in" and "out" are the same folder.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        # Otherwise kombu keeps its broadcast "control" folder in the current directory.
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
        # The default 1 s between polls would let one worker process take one task a second.
        "polling_interval": 0.1,
    }
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_TASK_ACKS_LATE = True
# Beat's own tasks have a queue of their own, which every worker consumes next to the default one
# (no -Q needed; a worker started with -Q must name both): the next minute's dispatcher, the claim
# tasks it queues (REMINDER_DISPATCHERS) and the heartbeat are not held up behind a backlog of sends.
CELERY_TASK_QUEUES = [Queue("celery"), Queue("beat")]
CELERY_TASK_ROUTES = {
    task: {"queue": "beat"}
    for task in ("prevention.tasks.dispatch_reminders", "prevention.tasks.claim_reminders", "cramps.tasks.heartbeat")
}
# The worker and beat log through LOGGING below (JSON in production), not Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# What a task prints (the console e-mail backend's reminder e-mails under `make run`) is logged
# at INFO, not at Celery's default WARNING: a reminder sent is no warning.
CELERY_WORKER_REDIRECT_STDOUTS_LEVEL = "INFO"
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# Bedtime reminders (docs/reminders.md). All in seconds; README.md's configuration table.
# How often beat runs the dispatcher, which claims the due evenings and sweeps up lost sends.
REMINDER_DISPATCH_EVERY = env_int("REMINDER_DISPATCH_EVERY", 60)
# A claimed (or failed) reminder whose send task the broker no longer holds (Redis restarted
# without its data, a worker killed) is queued again once it has waited this long; one still
# waiting in the queue is never queued twice. Lost messages go out again within
# REMINDER_STUCK_AFTER + REMINDER_DISPATCH_EVERY (1 min 45 s by default).
REMINDER_STUCK_AFTER = env_int("REMINDER_STUCK_AFTER", 45)
# When the broker cannot be looked into (the embedded file-system broker): time alone, long
# enough that a backlog (10,000 due at once take one worker about two minutes) is not queued twice.
REMINDER_STUCK_BLIND_AFTER = env_int("REMINDER_STUCK_BLIND_AFTER", 300)
# A reminder left "sending" this long (a worker killed mid-send) is marked unknown, never resent.
REMINDER_SENDING_STALE_AFTER = env_int("REMINDER_SENDING_STALE_AFTER", 600)
# An SMTP server that refuses: tried again after 30 s, 60 s, 120 s… at most 900 s apart (which
# must stay within the broker's visibility timeout below, or a waiting retry is delivered twice).
REMINDER_RETRY_BASE_SECONDS = env_int("REMINDER_RETRY_BASE_SECONDS", 30)
REMINDER_RETRY_MAX_SECONDS = env_int("REMINDER_RETRY_MAX_SECONDS", 900)
# Reminders per send task: a worker sends them over one SMTP connection, rendering what they share
# once. A killed worker still leaves at most the one message in flight unknown (docs/reminders.md).
REMINDER_SEND_BATCH = env_int("REMINDER_SEND_BATCH", 100, unit="reminders")
# Due evenings claimed per transaction (a number of people, not seconds). Each batch is queued
# as soon as it commits; on PostgreSQL a batch is two statements whatever its size, and 2,000 a
# batch claims 100,000 due faster than 500 (docs/performance.md) while the first sends still
# start within a second.
REMINDER_CLAIM_BATCH = env_int("REMINDER_CLAIM_BATCH", 2000, unit="people")
# Dispatchers claiming at once each minute (PostgreSQL): beat's one, and this many less one claim
# tasks it queues for the workers. They share the due rows without waiting (SKIP LOCKED): two
# claim 100,000 due among a million in 3.4 s on two cores when a worker process is free for the
# second, one in 5.5 s (docs/performance.md).
# SQLite: always 1.
REMINDER_DISPATCHERS = env_int("REMINDER_DISPATCHERS", 2, unit="dispatchers")
if not 1 <= REMINDER_DISPATCHERS <= 16:
    raise ImproperlyConfigured(f"REMINDER_DISPATCHERS must be from 1 to 16, not {REMINDER_DISPATCHERS}")

CELERY_BEAT_SCHEDULE = {
    "clear-expired-sessions": {"task": "prevention.tasks.clear_expired_sessions", "schedule": 6 * 3600},
    "forget-unconfirmed-imports": {"task": "diary.tasks.forget_unconfirmed_imports", "schedule": 15 * 60},
    "dispatch-reminders": {"task": "prevention.tasks.dispatch_reminders", "schedule": REMINDER_DISPATCH_EVERY},
    # The readiness check (/readyz) fails when this has not run for HEARTBEAT_STALE_AFTER.
    "heartbeat": {"task": "cramps.tasks.heartbeat", "schedule": 60},
}
HEARTBEAT_STALE_AFTER = int(os.environ.get("HEARTBEAT_STALE_AFTER", 300))

# Security. Production (DEBUG off) is safe by default; HTTPS=false only for a trial behind plain HTTP.
HTTPS = env_bool("HTTPS", not DEBUG)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
# Logging a 3 a.m. cramp must not start with a login: sessions last 30 days.
SESSION_COOKIE_AGE = 30 * 24 * 3600
# Django's database sessions, read with one fixed statement (cramps/sessions.py: the ORM built the
# same read anew on every page, half of what it cost).
SESSION_ENGINE = "cramps.sessions"
# One-time messages are kept in the session, on the server, never in a cookie of their own (Django's
# default tries a cookie first): they can carry a warning about the person's health, or the
# doctor's link with its secret, shown once.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = HTTPS and env_bool("SECURE_SSL_REDIRECT", True)
# X-Forwarded-Proto is believed only when a proxy is configured (one that sets it, overwriting
# whatever the client sent); otherwise anyone could claim "https".
if ALLAUTH_TRUSTED_PROXY_COUNT > 0:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0))
# Subdomains and the preload list are the operator's decision, not the app's.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
# Browser features the app never uses are switched off (cramps/middleware.py).
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=(), interest-cohort=(), browsing-topics=()"
)

# Content Security Policy: everything comes from this site; no inline scripts.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Logs: one JSON object a line in production (LOG_FORMAT=json, the default with DEBUG off), each
# with the request id; tokens in paths are masked and no health data is logged (cramps/logging.py).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "cramps.logging.RequestIdFilter"},
        "redact": {"()": "cramps.logging.RedactFilter"},
    },
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id", "redact"],
            "formatter": LOG_FORMAT if LOG_FORMAT in ("json", "text") else "json",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
