"""Inserting many new rows at once, for the import of a whole diary.

bulk_create spends most of its time preparing each value through each field's generic
get_db_prep_save (a 5 MB diary, 30,000 cramps of 12 columns: 1.7 s of a 2.8 s import). Here
each column gets the one backend adapter its field needs (a date and time, a date, JSON),
chosen once, and the rows go to the database many to a statement. The values are the model
instances' own, so what is stored is what bulk_create would store; a test reads them back.

Only for plain inserts of new rows: no signals (bulk_create sends none either), no returned
primary keys, and the auto_now fields are set here.
"""

from django.db import connection, models
from django.utils import timezone


def _adapter(field):
    ops = connection.ops
    if isinstance(field, models.DateTimeField):
        return ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    if isinstance(field, models.JSONField):
        return lambda value: ops.adapt_json_value(value, field.encoder)
    return None


def insert(model, instances: list, rows_per_statement: int = 64) -> None:
    """INSERT the unsaved instances of model (all concrete fields but the primary key)."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    stamped = [f.attname for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    for instance in instances:
        for name in stamped:
            setattr(instance, name, now)
    columns = [(f.attname, _adapter(f)) for f in fields]
    rows = (_row(instance, columns) for instance in instances)
    # COPY is psycopg's own, past Django's cursor: its errors are turned into Django's here
    # (a unique-constraint refusal is an IntegrityError that the import answers).
    with connection.cursor() as cursor, connection.wrap_database_errors:
        if connection.vendor == "postgresql":
            _copy(cursor, model, fields, rows)
        else:
            _values(cursor, model, fields, rows, rows_per_statement)


def _row(instance, columns) -> list:
    row = []
    for name, adapt in columns:
        value = getattr(instance, name)
        row.append(adapt(value) if adapt is not None and value is not None else value)
    return row


def _copy(cursor, model, fields, rows) -> None:
    """PostgreSQL's COPY: one stream for all rows (INSERTs cost a round trip, or psycopg's parsing
    of a long statement, per few rows: slower than bulk_create saves)."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    with cursor.copy(f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _values(cursor, model, fields, rows, rows_per_statement: int) -> None:
    """Several rows per INSERT, within SQLite's limit of 999 parameters."""
    per_statement = min(rows_per_statement, (connection.features.max_query_params or 65535) // len(fields))
    chunk: list = []
    for row in rows:
        chunk.extend(row)
        if len(chunk) == per_statement * len(fields):
            cursor.execute(_sql(model, fields, per_statement), chunk)
            chunk = []
    if chunk:
        cursor.execute(_sql(model, fields, len(chunk) // len(fields)), chunk)


def _sql(model, fields, rows: int) -> str:
    quote = connection.ops.quote_name
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    return "INSERT INTO {} ({}) VALUES {}".format(
        quote(model._meta.db_table), ", ".join(quote(f.column) for f in fields), ", ".join([row] * rows)
    )
