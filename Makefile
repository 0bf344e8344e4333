# The two set-up commands (README): `make run` serves the app, `make test` runs the whole suite.
# Both start from a bare Python 3.11 and install what they need into .venv.

PYTHON ?= python3
# Python may write its bytecode caches here even where the environment says not to: without them
# every test process (each xdist worker, each real worker a test starts) compiled the project,
# Django and the rest again and pytest rewrote every test module's asserts again (collection
# 13.6 s instead of 4.2 s on the build machine).
unexport PYTHONDONTWRITEBYTECODE
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000
# The address in e-mail links (reminders, sign-up): what `make run` serves, unless SITE_URL is set.
# Passed to `make run` and `make demo` only (not exported: the tests keep their own).
SITE_URL ?= http://$(HOST):$(PORT)
# The production shape in CI: the machine's PostgreSQL and Redis.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
PYTEST_ARGS ?=
UV_VERSION := 0.13.9
# Most tests, the browser ones included, run on both cores (each xdist worker its own database,
# live server and Chromium); those with a real worker or a server of their own after them, two at
# a time (each has its own queue, SMTP sink, spare Redis port and, per xdist worker, database).
PARALLEL := -n 2 --dist worksteal -m "not slow"
SLOW := -n 2 -m slow
EMBEDDED_PARALLEL := -n 2 --dist worksteal -m "not slow and not browser"
# The services run leaves out what touches neither the database nor the cache (pure rules, schedule
# maths, the catalogue...): it gives the same answer on both, and the embedded run has already run it.
# Nor what is marked one_backend: a PDF drawn from a page this run checks too.
SERVICES_PARALLEL := -n 2 --dist worksteal -m "not slow and not backend_independent and not one_backend"

.PHONY: install compilemessages run demo lint test test-fast test-embedded test-services browser check-compose clean

# Exactly the versions in uv.lock (committed): `uv lock` after a change to pyproject.toml.
$(STAMP): pyproject.toml uv.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip --version >/dev/null 2>&1 || $(PY) -m ensurepip --upgrade >/dev/null
	$(PY) -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"
	UV_PROJECT_ENVIRONMENT=$(VENV) $(VENV)/bin/uv sync --quiet --locked --inexact --extra dev --python $(PY)
	touch $(STAMP)

# The compiled catalogue (.mo) is built here from locale/*/django.po, never committed (.gitignore):
# every target that serves or tests the app depends on install, so it always matches the .po.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))

install: $(STAMP) $(MO_FILES)

compilemessages: $(STAMP)
	$(PY) manage.py compilemessages --ignore=.venv

locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po $(STAMP)
	@command -v msgfmt >/dev/null 2>&1 || { \
	  echo "Installing Debian's gettext (msgfmt) to compile the translations"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq gettext >/dev/null; }
	$(PY) manage.py compilemessages --ignore=.venv --locale=$*

run: install
	DEBUG=true SITE_URL=$(SITE_URL) $(PY) manage.py migrate --noinput
	@echo
	@echo "  cramps is running at http://$(HOST):$(PORT)/"
	@echo "  Links in e-mails (reminders, sign-up) point to $(SITE_URL)/ (set SITE_URL to change that)"
	@echo "  Demo account: run 'make demo' in another terminal, then log in as demo@example.com / cramps-demo-2026"
	@echo "  E-mails (sign-up, password reset) are printed here. Stop with Ctrl+C."
	@echo
	DEBUG=true SITE_URL=$(SITE_URL) bash -c 'trap "kill 0" EXIT; \
	  $(VENV)/bin/celery -A cramps worker --beat --loglevel=INFO --concurrency=1 & \
	  $(PY) manage.py runserver $(HOST):$(PORT)'

demo: install
	DEBUG=true SITE_URL=$(SITE_URL) $(PY) manage.py migrate --noinput
	DEBUG=true SITE_URL=$(SITE_URL) $(PY) manage.py seed_demo

# Debian's Chromium headless shell (what the browser tests drive: tests/browser/conftest.py) and
# the full browser beside it.
browser:
	@command -v chromium-headless-shell >/dev/null 2>&1 && command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium and chromium-headless-shell for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium chromium-headless-shell >/dev/null; }

test: install lint browser test-embedded test-services

# ruff (lint and format), mypy on the pure modules, import-linter's contracts for the rooms.
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

# The quick loop while working: no browser, no real worker, no PDF or process of its own, both cores.
test-fast: install
	env -u DATABASE_URL -u REDIS_URL CRAMPS_HYPOTHESIS_SCALE=0.1 $(PY) -m pytest -q -n 2 -m "not browser and not slow and not heavy" $(PYTEST_ARGS)

# The embedded default: SQLite and the file-system broker, no services at all.
# The browser tests run once: in the production-shape run when its services answer (as in CI),
# otherwise here. (They drive the pages, which are the same on either database.)
test-embedded: install
	@if $(PY) bin/services_up.py "$(TEST_DATABASE_URL)" "$(TEST_REDIS_URL)" 2>/dev/null; then \
	  echo "The browser tests run in the production-shape run (PostgreSQL and Redis answer)."; \
	  env -u DATABASE_URL -u REDIS_URL $(PY) -m pytest $(EMBEDDED_PARALLEL) $(PYTEST_ARGS); \
	else \
	  env -u DATABASE_URL -u REDIS_URL $(PY) -m pytest $(PARALLEL) $(PYTEST_ARGS); \
	fi
	env -u DATABASE_URL -u REDIS_URL $(PY) -m pytest $(SLOW) $(PYTEST_ARGS)

# The production shape: PostgreSQL and Redis. Required in CI; skipped with a notice elsewhere when absent.
test-services: install
	@if $(PY) bin/services_up.py "$(TEST_DATABASE_URL)" "$(TEST_REDIS_URL)"; then \
	  DATABASE_URL="$(TEST_DATABASE_URL)" REDIS_URL="$(TEST_REDIS_URL)" $(PY) -m pytest $(SERVICES_PARALLEL) $(PYTEST_ARGS) && \
	  DATABASE_URL="$(TEST_DATABASE_URL)" REDIS_URL="$(TEST_REDIS_URL)" $(PY) -m pytest $(SLOW) $(PYTEST_ARGS); \
	elif [ -n "$$CI" ]; then \
	  echo "CI needs PostgreSQL and Redis ($(TEST_DATABASE_URL), $(TEST_REDIS_URL))"; exit 1; \
	else \
	  echo "NOTE: PostgreSQL/Redis not reachable: skipped the production-shape run."; \
	fi

check-compose:
	SECRET_KEY=compose-config-check POSTGRES_PASSWORD=compose-config-check docker-compose -f docker-compose.yml config -q

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache
	rm -f locale/*/LC_MESSAGES/*.mo
