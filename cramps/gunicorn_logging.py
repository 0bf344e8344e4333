"""gunicorn's access log without secrets, as one JSON object a line (see gunicorn.conf.py).

Feed, "Done" and unsubscribe links carry their token in the path, and sign-in codes or reset
keys may come in a query string: the path is logged with those tokens masked
(cramps.logging.redact), the query string and the referrer not at all. gunicorn's error log
(its own messages) is JSON as well.
"""

from __future__ import annotations

import json

from gunicorn.glogging import Logger
from pythonjsonlogger.json import JsonFormatter

from .logging import redact

ACCESS_LOG_FORMAT = (
    '{"time": "%(t)s", "logger": "gunicorn.access", "remote": "%(h)s", "method": "%(m)s", '
    '"path": "%(U)s", "status": "%(s)s", "bytes": "%(b)s", "duration_ms": %(M)s, '
    '"request_id": "%({x-request-id}o)s", "user_agent": "%(a)s"}'
)
NEVER_LOGGED = ("r", "q", "f", "{raw_uri}e", "{query_string}e", "{http_referer}e", "{cookie}i", "{authorization}i")


class RedactingLogger(Logger):
    def setup(self, cfg):
        """gunicorn's own messages (workers booting, timeouts) as JSON lines too."""
        super().setup(cfg)
        for handler in self.error_log.handlers:
            handler.setFormatter(
                JsonFormatter(
                    "%(asctime)s %(levelname)s %(name)s %(message)s",
                    rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
                )
            )

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for name in NEVER_LOGGED:
            if name in atoms:
                atoms[name] = "-"
        for name, value in atoms.items():
            if isinstance(value, str):
                atoms[name] = json.dumps(redact(value))[1:-1]  # masked, and safe inside a JSON string
        return atoms
