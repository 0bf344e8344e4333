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
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("routine schedule")
        verbose_name_plural = _("routine schedules")

    def __str__(self) -> str:
        return f"{self.user} schedule"
