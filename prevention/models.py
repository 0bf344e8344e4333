"""Dated snapshots of a person's assessment, so they can see how the picture changed."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Snapshot(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assessment_snapshots")
    date = models.DateField(_("date"))  # the person's local date
    rules_version = models.CharField(_("rules version"), max_length=32)
    # The assessment document (prevention/report.py), with the findings behind every sentence.
    document = models.JSONField(_("assessment"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date"]
        verbose_name = _("assessment snapshot")
        verbose_name_plural = _("assessment snapshots")
        constraints = [models.UniqueConstraint(fields=["user", "date"], name="one_snapshot_per_day")]

    def __str__(self) -> str:
        return f"{self.user} {self.date:%Y-%m-%d}"


def new_feed_token() -> str:
    import secrets

    return secrets.token_urlsafe(24)


def every_evening() -> list[int]:
    return [0, 1, 2, 3, 4, 5, 6]


class Plan(models.Model):
    """One version of a person's prevention plan: the items only, as codes (prevention/plan.py words them)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="plans")
    number = models.PositiveIntegerField(_("version"))
    snapshot = models.ForeignKey(Snapshot, on_delete=models.SET_NULL, null=True, blank=True, related_name="plans")
    rules_version = models.CharField(_("rules version"), max_length=32)
    items = models.JSONField(_("items"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        constraints = [models.UniqueConstraint(fields=["user", "number"], name="one_plan_per_version")]

    def __str__(self) -> str:
        return f"{self.user} plan {self.number}"


class Schedule(models.Model):
    """When the person does the bedtime routine, what they switched off, and their calendar feed's secret."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="routine_schedule")
    weekdays = models.JSONField(_("evenings"), default=every_evening)  # 0 = Monday, of the evening's date
    at = models.TimeField(_("time"), null=True, blank=True)  # empty: the person's bedtime
    lead_minutes = models.PositiveSmallIntegerField(
        _("reminder comes … minutes before"), default=30, validators=[MaxValueValidator(180)]
    )
    hidden_items = models.JSONField(_("items switched off"), default=list, blank=True)
    feed_token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    reminders_on = models.BooleanField(_("e-mail me a reminder"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("routine schedule")
        verbose_name_plural = _("routine schedules")

    def __str__(self) -> str:
        return f"{self.user} schedule"


class NextReminder(models.Model):
    """When the person's next reminder is due (UTC) and the evening it is for: the dispatcher's queue.

    prevention/plan/due.py writes it after every change of schedule or profile (prevention.signals);
    the dispatcher selects due rows by the index on `send_at` (its cost follows the number due) and
    moves each on to the following evening as it claims it. A row of its own, not columns of the
    schedule: the claim rewrites up to 100,000 of these a minute, and a narrow row with two indexes
    is a fraction of the writes a schedule row with five would be. It also keeps a copy of what the
    following time is computed from (the schedule's evenings, time, lead and switch, the profile's
    zone and bedtime), written with it, so the claim reads this row alone (docs/performance.md).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="next_reminder"
    )
    send_at = models.DateTimeField(_("next reminder"), null=True, blank=True, db_index=True)
    evening = models.DateField(_("evening"), null=True, blank=True)
    # Copies of Schedule.weekdays, .at, .lead_minutes, .reminders_on and Profile.timezone, .bedtime.
    weekdays = models.JSONField(default=list)
    at = models.TimeField(null=True, blank=True)
    lead_minutes = models.PositiveSmallIntegerField(default=30)
    reminders_on = models.BooleanField(default=False)
    zone = models.CharField(max_length=64, default="UTC")
    bedtime = models.TimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("next reminder")
        verbose_name_plural = _("next reminders")

    def __str__(self) -> str:
        return f"{self.user} next {self.send_at:%Y-%m-%d %H:%M}" if self.send_at else f"{self.user} none"


class Reminder(models.Model):
    """One evening's reminder for one person: the unique row claims the evening before anything is sent."""

    class Status(models.TextChoices):
        CLAIMED = "claimed", _("waiting to be sent")
        SENDING = "sending", _("being sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed, will be tried again")
        SKIPPED = "skipped", _("not needed: the routine was already done")
        DROPPED = "dropped", _("dropped: the evening was over")
        UNKNOWN = "unknown", _("interrupted while sending")
        OFF = "off", _("not sent: reminders were switched off")
        UNCONFIRMED = "unconfirmed", _("not sent: your e-mail address is not confirmed yet")

    # No index of its own: the unique (user, evening) index starts with the user and serves every
    # lookup by person (and the cascade on deleting one); the claim inserts up to 100,000 rows a
    # minute, and each index is one more write per row (docs/performance.md). No foreign key in the
    # database either: its check at each claim's commit locked every claimed person's account row,
    # a write to a page of auth_user per person (a third of the claim's log). Django deletes the
    # reminders with the account, as it does every cascade, and prevention.signals makes a deletion
    # wait for a claim in progress (tests/test_reminders_claim.py).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reminders",
        db_index=False,
        db_constraint=False,
    )
    evening = models.DateField(_("evening"))
    due_at = models.DateTimeField(_("due at"))
    deadline = models.DateTimeField(_("too late after"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.CLAIMED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.CharField(_("last error"), max_length=300, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-evening"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [models.UniqueConstraint(fields=["user", "evening"], name="one_reminder_per_evening")]
        indexes = [models.Index(fields=["status", "updated_at"])]

    def __str__(self) -> str:
        return f"{self.user} {self.evening:%Y-%m-%d} {self.status}"


class DoctorLink(models.Model):
    """A read-only link to the doctor's report. Only a hash of its secret is stored (prevention/doctor/links.py)."""

    class Period(models.TextChoices):
        """The report's period, counted back from the day the link is opened (the insights ranges' keys)."""

        FOUR_WEEKS = "4w", _("the last 4 weeks")
        THREE_MONTHS = "3m", _("the last 3 months")
        YEAR = "1y", _("the last year")
        ALL = "all", _("the whole diary")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="doctor_links")
    token_hash = models.CharField(max_length=64, unique=True)
    period = models.CharField(_("period"), max_length=8, choices=Period.choices, default=Period.THREE_MONTHS)
    created_at = models.DateTimeField(_("made"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_opened_at = models.DateTimeField(_("last opened"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("link for a doctor")
        verbose_name_plural = _("links for a doctor")

    def __str__(self) -> str:
        return f"{self.user} link {self.pk}"

    def is_active(self, now) -> bool:
        return self.revoked_at is None and self.expires_at > now
