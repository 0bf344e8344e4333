"""Logs: JSON with a request id, no tokens, no health data; gunicorn's access log the same;
the compose file publishes nothing beyond this machine."""

import io
import json
import logging
import re
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

from django.urls import reverse
from django.utils import timezone
from gunicorn.config import Config
from gunicorn.glogging import SafeAtoms

from cramps.gunicorn_logging import ACCESS_LOG_FORMAT, RedactingLogger
from cramps.logging import RedactFilter, RequestIdFilter, redact
from prevention.reminders.links import done_token, unsubscribe_token

ROOT = Path(__file__).resolve().parent.parent


def json_handler(stream):
    from django.conf import settings
    from pythonjsonlogger.json import JsonFormatter

    options = dict(settings.LOGGING["formatters"]["json"])
    options.pop("()")
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter(**options))
    handler.addFilter(RequestIdFilter())
    handler.addFilter(RedactFilter())
    return handler


def captured(logger_name, action):
    stream = io.StringIO()
    handler, logger = json_handler(stream), logging.getLogger(logger_name)
    logger.addHandler(handler)
    try:
        result = action()
    finally:
        logger.removeHandler(handler)
    return result, [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


def test_log_lines_are_json_with_the_request_id_and_no_token(client, person):
    token = done_token(person.pk, timezone.now().date())
    bad = token[:-3] + "xyz"  # a 404: Django logs "Not Found: <path>"
    response, lines = captured("django.request", lambda: client.get(reverse("prevention:done_link", args=[bad])))
    assert response.status_code == 404 and lines
    line = lines[-1]
    assert line["request_id"] == response.headers["X-Request-ID"]
    assert {"time", "level", "logger", "message"} <= set(line)
    assert bad not in json.dumps(lines) and token[:20] not in json.dumps(lines)
    assert "[masked]" in line["message"]


def test_the_proxys_request_id_is_kept_and_a_strange_one_replaced(client, db):
    assert client.get("/healthz", HTTP_X_REQUEST_ID="abc12345-proxy").headers["X-Request-ID"] == "abc12345-proxy"
    assert client.get("/healthz", HTTP_X_REQUEST_ID="<script>").headers["X-Request-ID"] != "<script>"


def test_no_health_data_reaches_the_logs_when_a_cramp_is_logged(person_client, caplog):
    with caplog.at_level(logging.DEBUG):
        person_client.post(
            reverse("diary:episode_new"),
            {
                "started_at": (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
                "muscle": "calf",
                "side": "left",
                "intensity": "7",
                "duration_minutes": "2",
                "context": "sleep",
                "notes": "took-secret-medicine-xyz",
            },
        )
    assert "took-secret-medicine-xyz" not in caplog.text
    assert person_client.session.session_key not in caplog.text


def access_atoms(path, query="", log_format=ACCESS_LOG_FORMAT):
    cfg = Config()
    cfg.set("access_log_format", log_format)
    logger = RedactingLogger(cfg)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"{path}?{query}" if query else path,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_REFERER": f"https://site{path}",
        "HTTP_USER_AGENT": 'Mail "scanner"',
        "HTTP_COOKIE": "sessionid=cookie-secret-xyz",
    }
    resp = SimpleNamespace(status="200 OK", sent=10, headers=[("X-Request-ID", "r1234567")])
    req = SimpleNamespace(headers=[("USER-AGENT", 'Mail "scanner"'), ("COOKIE", "sessionid=cookie-secret-xyz")])
    return logger.atoms(resp, req, environ, timedelta(milliseconds=12))


def access_line(path, query=""):
    return json.loads(ACCESS_LOG_FORMAT % access_atoms(path, query))


def test_the_access_log_makes_only_what_its_format_shows_and_never_a_secret():
    log_format = '%(h)s "%(r)s" %(q)s %({Cookie}i)s %({x-request-id}o)s %(U)s %({wsgi.url_scheme}e)s %(z)s'
    atoms = access_atoms("/plan/calendar/Zm9vYmFyYmF6cXV4c2VjcmV0.ics", "code=ABC123", log_format)
    assert set(atoms) == {"h", "r", "q", "{cookie}i", "{x-request-id}o", "U", "{wsgi.url_scheme}e", "z"}
    line = log_format % SafeAtoms(atoms)  # as gunicorn formats the line
    assert "cookie-secret-xyz" not in line and "ABC123" not in line and "Zm9vYmFyYmF6cXV4c2VjcmV0" not in line
    assert line.startswith('127.0.0.1 "-" - - r1234567 /plan/calendar/[masked]') and line.endswith(" - -")


def test_gunicorns_access_log_masks_every_token(person):
    secrets = {
        reverse("prevention:done_link", args=[done_token(person.pk, timezone.now().date())]): "",
        reverse("prevention:unsubscribe", args=[unsubscribe_token(person.pk)]): "",
        "/plan/calendar/Zm9vYmFyYmF6cXV4c2VjcmV0.ics": "",
        "/accounts/password/reset/key/1-set-password/": "",
        "/accounts/login/": "code=ABC123&next=/diary/",
    }
    for path, query in secrets.items():
        line = access_line(path, query)
        flat = json.dumps(line)
        for part in re.split(r"[/?&=]", path + "?" + query):
            if len(part) >= 12 and part not in {"unsubscribe", "set-password"}:
                assert part not in flat, (path, part)
        assert "ABC123" not in flat
        assert line["status"] == "200" and line["request_id"] == "r1234567" and line["duration_ms"] == 12


def secret_routes(resolver=None, prefix=""):
    """Every URL of ours with a secret in its path (a `token` or `key` argument), whatever app adds it."""
    from django.urls import URLPattern, URLResolver, get_resolver

    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from secret_routes(entry, route)
        elif isinstance(entry, URLPattern) and {"token", "key"} & set(entry.pattern.converters):
            yield route


def test_every_url_with_a_secret_in_its_path_is_masked_in_logs():
    secret = "Zm9vYmFyYmF6cXV4c2VjcmV0TUFTSw"
    routes = list(secret_routes())
    assert any("shared/" in route for route in routes), routes  # the doctor's share link among them
    for route in routes:
        path = "/" + re.sub(r"<(?:\w+:)?(?:token|key)>", secret, route).replace("^", "").replace("$", "")
        path = re.sub(r"<[^>]+>", "1", path)
        flat = json.dumps(access_line(path))
        assert secret not in flat, route
        assert secret not in redact(f"Not Found: {path}"), route  # Django's own 404 warning


def test_gunicorn_reads_the_projects_config():
    text = (ROOT / "gunicorn.conf.py").read_text()
    assert "RedactingLogger" in text and "ACCESS_LOG_FORMAT" in text


def _gunicorn_config() -> Config:
    import runpy

    config = Config()
    for name, value in runpy.run_path(str(ROOT / "gunicorn.conf.py")).items():
        if name in config.settings:
            config.set(name, value)
    return config


def test_gunicorn_takes_the_projects_worker_settings(monkeypatch):
    """What gunicorn itself makes of gunicorn.conf.py: threads with keep-alive, a socket per worker,
    a process per core (WEB_CONCURRENCY, 2 by default)."""
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    config = _gunicorn_config()
    assert (config.worker_class_str, config.threads, config.keepalive) == ("gthread", 4, 5)
    assert config.reuse_port is True  # the kernel spreads connections among the workers (docs/performance.md)
    assert config.workers == 2
    assert config.logger_class is RedactingLogger
    monkeypatch.setenv("WEB_CONCURRENCY", "8")
    assert _gunicorn_config().workers == 8
    for unusable in ("", "0", "-3"):  # empty as a shell leaves it, or nonsense: at least one process
        monkeypatch.setenv("WEB_CONCURRENCY", unusable)
        assert _gunicorn_config().workers == (2 if unusable == "" else 1)


def test_compose_publishes_ports_on_loopback_only():
    text = (ROOT / "docker-compose.yml").read_text()
    published = re.findall(r'^\s*-\s*"([^"]+)"\s*$', text.split("volumes:\n  postgres-data")[0], re.MULTILINE)
    ports = [entry for entry in published if re.match(r"^[\d.:\[\]]+$", entry) and entry.count(":") >= 1]
    assert ports, "no published ports found"
    for entry in ports:
        assert entry.startswith("127.0.0.1:"), entry


def test_gunicorns_own_messages_are_json(capsys):
    logger = RedactingLogger(Config())
    logger.error("Worker (pid:%s) was sent SIGKILL! Perhaps out of memory?", 42)
    line = json.loads(capsys.readouterr().err.strip().splitlines()[-1])
    assert line["logger"] == "gunicorn.error" and line["level"] == "ERROR" and "pid:42" in line["message"]
