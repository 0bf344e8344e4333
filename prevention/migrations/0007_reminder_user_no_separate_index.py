# The reminder's own index on user_id goes: the unique (user_id, evening) index starts with the
# same column and serves every lookup by person. Only the index is dropped (on PostgreSQL and
# SQLite alike, by its name): Django's AlterField would have dropped and re-added the foreign key,
# checking every row again under a lock, and on SQLite rebuilt the table.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

INDEX = "prevention_reminder_user_id_4a4ff253"


class Migration(migrations.Migration):
    dependencies = [
        ("prevention", "0006_doctor_link_period"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="reminder",
                    name="user",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="reminders",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{INDEX}"',
                    reverse_sql=f'CREATE INDEX "{INDEX}" ON "prevention_reminder" ("user_id")',
                ),
            ],
        ),
    ]
