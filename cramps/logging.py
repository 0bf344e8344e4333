"""Log lines that are safe to keep: a request id on each, tokens masked, no health data.

- RequestIdMiddleware gives each request an id (a valid ``X-Request-ID`` from the proxy, else a
  new one), sends it back in the response and makes it available to every log line of the request.
- RequestIdFilter adds ``request_id`` to each record ("-" outside a request).
- RedactFilter masks the secret part of feed, done and unsubscribe links, sign-in codes and
  password-reset/confirmation keys wherever they appear in a message (e.g. Django's own
  "Not Found: /plan/done/<token>/" warnings), and drops a record's ``request`` attribute so that
  no formatter can dump the request (its body, cookies) into the log.

What the app itself logs never includes diary contents: loggers get ids and counts only.
"""

from __future__ import annotations

import contextvars
import logging
import re
import uuid

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

# A path segment after one of these is a secret; so is the value of these query parameters.
SECRET_PATHS = re.compile(
    r"(/plan/calendar/|/plan/done/|/reminders/unsubscribe/|/shared/|/accounts/password/reset/key/|"
    r"/accounts/confirm-email/)[^/\s?\"']+"
)
SECRET_PARAMS = re.compile(r"([?&](?:token|key|code|t)=)[^&\s\"']+", re.IGNORECASE)


def redact(text: str) -> str:
    return SECRET_PARAMS.sub(r"\1[masked]", SECRET_PATHS.sub(r"\1[masked]", text))


def current_request_id() -> str:
    return _request_id.get()


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request_id = given if _VALID_ID.match(given) else uuid.uuid4().hex
        request.request_id = request_id
        token = _request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response.headers["X-Request-ID"] = request_id
        return response


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            # Django logs a response's status (e.g. "Not Found") after the middleware has
            # returned, with the request attached: its id is there.
            record.request_id = getattr(getattr(record, "request", None), "request_id", None) or _request_id.get()
        return True


class RedactFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = redact(message)
        if masked != message:
            record.msg, record.args = masked, None
        if hasattr(record, "request"):
            del record.request  # Django attaches the request; never let it be formatted
        return True
