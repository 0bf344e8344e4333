# The next reminder moves from the schedule's row to a narrow row of its own (NextReminder): the
# claim rewrites it for every person due, and a schedule row is wide with five indexes (docs/
# performance.md). The times are copied over (and back on the way down), so nobody's next reminder
# is lost, with the schedule's and profile's fields they are computed from. The reminder's foreign key stays in Django only: its check at each claim's commit
# locked the account row of every person claimed.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('auth', '0012_alter_user_first_name_max_length'),
        ('diary', '0001_initial'),  # the profile's zone and bedtime, copied
        ('prevention', '0007_reminder_user_no_separate_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='NextReminder',
            fields=[
                ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='next_reminder', serialize=False, to=settings.AUTH_USER_MODEL)),
                ('send_at', models.DateTimeField(blank=True, db_index=True, null=True, verbose_name='next reminder')),
                ('evening', models.DateField(blank=True, null=True, verbose_name='evening')),
                ('weekdays', models.JSONField(default=list)),
                ('at', models.TimeField(blank=True, null=True)),
                ('lead_minutes', models.PositiveSmallIntegerField(default=30)),
                ('reminders_on', models.BooleanField(default=False)),
                ('zone', models.CharField(default='UTC', max_length=64)),
                ('bedtime', models.TimeField(blank=True, null=True)),
            ],
            options={
                'verbose_name': 'next reminder',
                'verbose_name_plural': 'next reminders',
            },
        ),
        migrations.RunSQL(
            "INSERT INTO prevention_nextreminder "
            "(user_id, send_at, evening, weekdays, at, lead_minutes, reminders_on, zone, bedtime) "
            "SELECT s.user_id, s.next_send_at, s.next_evening, s.weekdays, s.at, s.lead_minutes, "
            "s.reminders_on, COALESCE(p.timezone, 'UTC'), p.bedtime "
            "FROM prevention_schedule s LEFT OUTER JOIN diary_profile p ON p.user_id = s.user_id",
            reverse_sql=(
                "UPDATE prevention_schedule SET "
                "next_send_at = (SELECT n.send_at FROM prevention_nextreminder n "
                "WHERE n.user_id = prevention_schedule.user_id), "
                "next_evening = (SELECT n.evening FROM prevention_nextreminder n "
                "WHERE n.user_id = prevention_schedule.user_id)"
            ),
        ),
        migrations.RemoveField(
            model_name='schedule',
            name='next_evening',
        ),
        migrations.RemoveField(
            model_name='schedule',
            name='next_send_at',
        ),
        migrations.AlterField(
            model_name='reminder',
            name='user',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='reminders', to=settings.AUTH_USER_MODEL),
        ),
    ]
