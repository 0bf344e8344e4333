"""gunicorn's access log without secrets, as one JSON object a line (see gunicorn.conf.py).

Feed, "Done" and unsubscribe links carry their token in the path, and sign-in codes or reset
keys may come in a query string: the path is logged with those tokens masked
(cramps.logging.redact), the query string and the referrer not at all. gunicorn's error log
(its own messages) is JSON as well.
"""

from __future__ import annotations

import json
import re
from functools import cache

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
        """Only the atoms the format shows, each masked: gunicorn makes one of every request
        header, response header and WSGI variable, and masking them all cost more than the log line."""
        atoms = super().atoms(resp, req, environ, request_time)
        shown = {}
        for name in shown_atoms(self.cfg.access_log_format):
            value = "-" if name in NEVER_LOGGED else atoms.get(name, "-")
            shown[name] = json.dumps(redact(value))[1:-1] if isinstance(value, str) else value
        return shown


@cache
def shown_atoms(log_format: str) -> tuple[str, ...]:
    """The atoms a log format names (`%(name)s`), as gunicorn keeps them: `{header}` ones in lower case."""
    names = re.findall(r"%\(([^)]*)\)", log_format)
    return tuple(dict.fromkeys(name.lower() if name.startswith("{") else name for name in names))
