# The two set-up commands (README): `make run` serves the app, `make test` runs the whole suite.
# Both start from a bare Python 3.11 and install what they need into .venv.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000
# The production shape in CI: the machine's PostgreSQL and Redis.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
PYTEST_ARGS ?=

.PHONY: install compilemessages run demo test test-embedded test-services browser check-compose clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip --version >/dev/null 2>&1 || $(PY) -m ensurepip --upgrade >/dev/null
	$(PY) -m pip install --quiet --disable-pip-version-check uv
	$(VENV)/bin/uv pip install --quiet --python $(PY) -e ".[dev]"
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
	DEBUG=true $(PY) manage.py migrate --noinput
	@echo
	@echo "  cramps is running at http://$(HOST):$(PORT)/"
	@echo "  Demo account: run 'make demo' in another terminal, then log in as demo@example.com / cramps-demo-2026"
	@echo "  E-mails (sign-up, password reset) are printed here. Stop with Ctrl+C."
	@echo
	DEBUG=true bash -c 'trap "kill 0" EXIT; \
	  $(VENV)/bin/celery -A cramps worker --beat --loglevel=INFO --concurrency=1 & \
	  $(PY) manage.py runserver $(HOST):$(PORT)'

demo: install
	DEBUG=true $(PY) manage.py migrate --noinput
	DEBUG=true $(PY) manage.py seed_demo

browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

test: install browser test-embedded test-services

# The embedded default: SQLite and the file-system broker, no services at all.
test-embedded: install
	env -u DATABASE_URL -u REDIS_URL $(PY) -m pytest $(PYTEST_ARGS)

# The production shape: PostgreSQL and Redis. Required in CI; skipped with a notice elsewhere when absent.
test-services: install
	@if $(PY) bin/services_up.py "$(TEST_DATABASE_URL)" "$(TEST_REDIS_URL)"; then \
	  DATABASE_URL="$(TEST_DATABASE_URL)" REDIS_URL="$(TEST_REDIS_URL)" $(PY) -m pytest $(PYTEST_ARGS); \
	elif [ -n "$$CI" ]; then \
	  echo "CI needs PostgreSQL and Redis ($(TEST_DATABASE_URL), $(TEST_REDIS_URL))"; exit 1; \
	else \
	  echo "NOTE: PostgreSQL/Redis not reachable: skipped the production-shape run."; \
	fi

check-compose:
	SECRET_KEY=compose-config-check docker-compose -f docker-compose.yml config -q

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache
	rm -f locale/*/LC_MESSAGES/*.mo
