"""Profile.diary_version, raised by the database itself whenever a cramp or a day log changes.

Triggers rather than Django signals: they fire for every way of writing (bulk inserts, the
import's raw inserts, QuerySet.update, cascades, the admin) and in the writer's own transaction,
so the new count becomes visible together with the change, never before it. PostgreSQL raises
it once per statement (transition tables: one UPDATE for a batch of 500 imported rows); SQLite,
the embedded default, once per row.

On SQLite, Django rebuilds a table to alter it (copy, drop, rename), and the rebuild loses the
table's triggers: a later migration that alters diary_episode or diary_daylog must create them
again (`create_triggers` below). tests/test_diary_cache.py::test_every_write_to_cramps_and_day_logs_counts
fails when they are missing.
"""

from django.db import migrations, models

TABLES = ("diary_episode", "diary_daylog")

POSTGRES_FUNCTIONS = {
    # (function, transition tables it reads)
    "diary_bump_inserted": "SELECT user_id FROM new_rows",
    "diary_bump_updated": "SELECT user_id FROM new_rows UNION SELECT user_id FROM old_rows",
    "diary_bump_deleted": "SELECT user_id FROM old_rows",
}
POSTGRES_EVENTS = {
    "inserted": ("INSERT", "REFERENCING NEW TABLE AS new_rows"),
    "updated": ("UPDATE", "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows"),
    "deleted": ("DELETE", "REFERENCING OLD TABLE AS old_rows"),
}
SQLITE_EVENTS = {"inserted": ("INSERT", ("NEW",)), "updated": ("UPDATE", ("OLD", "NEW")), "deleted": ("DELETE", ("OLD",))}


def _postgres() -> tuple[list[str], list[str]]:
    forward, backward = [], []
    for function, users in POSTGRES_FUNCTIONS.items():
        forward.append(
            f"CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"UPDATE diary_profile SET diary_version = diary_version + 1 WHERE user_id IN ({users}); "
            "RETURN NULL; END $$"
        )
    for table in TABLES:
        for event, (verb, referencing) in POSTGRES_EVENTS.items():
            forward.append(
                f"CREATE TRIGGER {table}_{event} AFTER {verb} ON {table} {referencing} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION diary_bump_{event}()"
            )
            backward.append(f"DROP TRIGGER IF EXISTS {table}_{event} ON {table}")
    backward += [f"DROP FUNCTION IF EXISTS {function}()" for function in POSTGRES_FUNCTIONS]
    return forward, backward


def _sqlite() -> tuple[list[str], list[str]]:
    forward, backward = [], []
    for table in TABLES:
        for event, (verb, rows) in SQLITE_EVENTS.items():
            users = " OR ".join(f"user_id = {row}.user_id" for row in rows)
            forward.append(
                f"CREATE TRIGGER {table}_{event} AFTER {verb} ON {table} FOR EACH ROW BEGIN "
                f"UPDATE diary_profile SET diary_version = diary_version + 1 WHERE {users}; END"
            )
            backward.append(f"DROP TRIGGER IF EXISTS {table}_{event}")
    return forward, backward


def create_triggers(apps, schema_editor):
    forward, _ = _postgres() if schema_editor.connection.vendor == "postgresql" else _sqlite()
    for statement in forward:
        schema_editor.execute(statement)


def drop_triggers(apps, schema_editor):
    _, backward = _postgres() if schema_editor.connection.vendor == "postgresql" else _sqlite()
    for statement in backward:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("diary", "0003_pending_import"),
    ]

    operations = [
        migrations.AddField(
            model_name="profile",
            name="diary_version",
            field=models.BigIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
