"""Dated snapshots of a person's assessment, so they can see how the picture changed."""

from django.conf import settings
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
