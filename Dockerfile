# One image for the web app (gunicorn), the Celery worker and Celery beat;
# docker-compose.yml picks the command for each.
FROM python:3.11-slim

# The app runs from its source in /app, where its templates, static files and migrations are.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    CRAMPS_VAR_DIR=/app/var

WORKDIR /app

# WeasyPrint (the doctor's report as PDF) draws text with Pango and HarfBuzz; Liberation Sans has
# Arial's metrics, so the PDF breaks pages where the tests measured them.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation \
 && rm -rf /var/lib/apt/lists/*

RUN groupadd --system cramps \
 && useradd --system --gid cramps --home-dir /app --no-create-home --shell /usr/sbin/nologin cramps

# gettext's msgfmt compiles the translations (locale/*/django.po -> .mo, never committed).
RUN apt-get update \
 && apt-get install -y --no-install-recommends gettext \
 && rm -rf /var/lib/apt/lists/*

# Exactly the versions CI tested: uv.lock, exported as pinned requirements with their hashes.
COPY pyproject.toml uv.lock ./
RUN pip install "uv==0.13.9" \
 && uv export --locked --no-emit-project --format requirements-txt -o /tmp/requirements.txt \
 && pip install --require-hashes -r /tmp/requirements.txt \
 && pip uninstall -y uv && rm /tmp/requirements.txt

COPY . .
RUN pip install --no-deps . \
 && rm -rf build ./*.egg-info

# The compiled catalogue is built from the .po in the image (manage.py needs no SECRET_KEY for this).
RUN python manage.py compilemessages --ignore=.venv

# Static files are collected into the image and served by WhiteNoise. The key below only
# exists for this build step; the running app refuses to start without a real SECRET_KEY.
RUN SECRET_KEY=collectstatic-build-step-only-never-used-at-run-time DEBUG=false CRAMPS_VAR_DIR=/tmp/build-var \
      python manage.py collectstatic --noinput \
 && rm -rf /tmp/build-var \
 && mkdir -p /app/var \
 && chown cramps:cramps /app/var

USER cramps

EXPOSE 8000

CMD ["gunicorn", "cramps.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
