"""Django's database sessions, read with one fixed statement instead of a query built anew.

Every signed-in page reads its session first. Django's own store builds that read through the
ORM each time (a queryset, its compiler, a model instance): about half of the CPU the read
costs a page, for a statement that never changes (docs/performance.md, "/diary/ under load").
Here the statement is written once per database alias and session model, and run on the same
cursor Django gives every query (it is logged and counted like any other). Everything else
(writing, expiry, ``clearsessions``, erasure's search) is Django's own store, unchanged.

SESSION_ENGINE = "cramps.sessions"
"""

from __future__ import annotations

from django.contrib.sessions.backends.db import SessionStore as DatabaseStore
from django.db import connections, router
from django.utils import timezone

_READS: dict[tuple[str, str], str] = {}


def _read(model, connection) -> str:
    """The unexpired session's data by its key, in this database's quoting (per alias and model:
    a store of another session model has a table of its own)."""
    key = (connection.alias, model._meta.label)
    statement = _READS.get(key)
    if statement is None:
        meta, quote = model._meta, connection.ops.quote_name
        column = {name: quote(meta.get_field(name).column) for name in ("session_key", "session_data", "expire_date")}
        statement = _READS[key] = (
            f"SELECT {column['session_data']} FROM {quote(meta.db_table)} "
            f"WHERE {column['session_key']} = %s AND {column['expire_date']} > %s"
        )
    return statement


class SessionStore(DatabaseStore):
    def _get_session_from_db(self):
        model = self.model
        connection = connections[router.db_for_read(model)]
        statement = _read(model, connection)
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(statement, [self.session_key, now])
            row = cursor.fetchone()
        if row is None:
            # As Django's store: an unknown or expired key is dropped, and a new one made on save.
            self._session_key = None
            return None
        return model(session_key=self.session_key, session_data=row[0])
