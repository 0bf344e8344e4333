"""The diary: a person's health profile, cramp episodes and day logs.

Times are stored in UTC. Lists of codes (foods, symptoms, ...) are JSON lists of the
shared vocabulary's codes, so they work the same on SQLite and PostgreSQL.
"""

import uuid
import zoneinfo
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import vocabulary as v
from .attribution import diary_day

# In the tz database but no place's time: "localtime" is the server's own zone (what it means
# changes with the machine), "Factory" a placeholder, "posixrules" a file of defaults.
NOT_PLACES = frozenset({"localtime", "Factory", "posixrules"})


@cache
def timezone_names() -> tuple[str, ...]:
    return tuple(sorted(zoneinfo.available_timezones() - NOT_PLACES))


def validate_timezone(name: str) -> None:
    if name not in timezone_names():
        raise ValidationError(_("“%(name)s” is not a known time zone."), params={"name": name})


def utc_second(instant: datetime) -> datetime:
    """How a cramp's start is kept: in UTC, to the second."""
    return instant.replace(microsecond=0).astimezone(UTC)


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    timezone = models.CharField(_("time zone"), max_length=64, default="UTC", validators=[validate_timezone])
    bedtime = models.TimeField(_("usual bedtime"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=16, choices=v.SEX, blank=True)
    birth_year = models.PositiveSmallIntegerField(
        _("birth year"), null=True, blank=True, validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )
    pregnant = models.BooleanField(_("pregnant"), default=False)
    pregnancy_week = models.PositiveSmallIntegerField(
        _("week of pregnancy"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(45)]
    )
    flat_feet = models.CharField(_("flat feet"), max_length=8, choices=v.FLAT_FEET, default="unknown")
    conditions = models.JSONField(_("conditions"), default=list, blank=True)
    medications = models.JSONField(_("medicines"), default=list, blank=True)
    # The language the person last used the site in (diary.middleware keeps it): e-mails sent
    # without a request, such as the bedtime reminders, are written in it.
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, blank=True)
    # Counts every change to the person's cramps and day logs: the database raises it in the same
    # transaction as the change (triggers, migration 0004), whatever wrote it (a form, an import,
    # the admin, a bulk insert, a cascade). The diary page's cache is keyed by it (diary/cards.py).
    diary_version = models.BigIntegerField(default=0, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    # What the person edits (the profile form, in its order), and so what an import may change.
    EDITABLE = (
        "timezone",
        "bedtime",
        "sex",
        "birth_year",
        "pregnant",
        "pregnancy_week",
        "flat_feet",
        "conditions",
        "medications",
    )

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return str(self.user)

    def save(self, *args, **kwargs):
        # Only the triggers write diary_version: a profile loaded before a cramp was saved must not
        # put the older count back when it is saved (the page would then find an older cache entry).
        if self.pk is not None and not kwargs.get("force_insert") and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                f.name for f in self._meta.concrete_fields if not f.primary_key and f.name != "diary_version"
            ]
        super().save(*args, **kwargs)

    @property
    def zone(self) -> tzinfo:
        try:
            return zoneinfo.ZoneInfo(self.timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")


class Episode(models.Model):
    """One cramp. Several in one night are several episodes."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="episodes")
    started_at = models.DateTimeField(_("started at"))
    # The diary day the cramp belongs to (diary/attribution.py), fixed when it is saved.
    day = models.DateField(_("diary day"), db_index=True)
    leg = models.CharField(_("leg"), max_length=8, choices=v.LEGS)
    muscle = models.CharField(_("muscle"), max_length=8, choices=v.MUSCLES)
    intensity = models.PositiveSmallIntegerField(
        _("intensity"), validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    duration_seconds = models.PositiveIntegerField(
        _("duration in seconds"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(86400)]
    )
    context = models.CharField(_("what you were doing"), max_length=16, choices=v.CONTEXTS, blank=True)
    relieved_by = models.JSONField(_("what relieved it"), default=list, blank=True)
    notes = models.TextField(_("notes"), max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("cramp")
        verbose_name_plural = _("cramps")
        indexes = [models.Index(fields=["user", "day"]), models.Index(fields=["user", "started_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(intensity__gte=1, intensity__lte=10), name="episode_intensity_1_10"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.leg} {self.muscle} {self.intensity}/10"

    def attribute(self, zone: tzinfo) -> None:
        """Fix the diary day in the person's zone; seconds are the finest unit kept.

        Kept in UTC: an offset the database refuses (PostgreSQL: 16:00 and more) never reaches it.
        """
        self.started_at = utc_second(self.started_at)
        self.day = diary_day(self.started_at, zone, self.context or None)


class DayLog(models.Model):
    """What the person did, wore, ate and felt on one local date: at most one per date."""

    # What a day log records (the form's fields, the assessment's input), in the form's order.
    RECORDED = (
        "date",
        "exertion",
        "training_minutes",
        "standing_hours",
        "footwear",
        "cold_exposure",
        "heavy_sweating",
        "fluid_litres",
        "stress",
        "sleep_hours",
        "foods",
        "exercises_done",
        "massage_done",
        "symptoms",
    )

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="day_logs")
    date = models.DateField(_("date"))
    exertion = models.CharField(_("physical load"), max_length=16, choices=v.EXERTION, blank=True)
    training_minutes = models.PositiveSmallIntegerField(
        _("training minutes"), null=True, blank=True, validators=[MaxValueValidator(1440)]
    )
    standing_hours = models.FloatField(
        _("hours standing"), null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(24)]
    )
    footwear = models.CharField(_("footwear"), max_length=16, choices=v.FOOTWEAR, blank=True)
    cold_exposure = models.BooleanField(_("legs got cold"), default=False)
    heavy_sweating = models.BooleanField(_("heavy sweating"), default=False)
    fluid_litres = models.FloatField(
        _("fluids (litres)"), null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(15)]
    )
    stress = models.PositiveSmallIntegerField(
        _("stress (0–10)"), null=True, blank=True, validators=[MaxValueValidator(10)]
    )
    sleep_hours = models.FloatField(
        _("hours of sleep"), null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(24)]
    )
    foods = models.JSONField(_("foods eaten"), default=list, blank=True)
    exercises_done = models.BooleanField(_("bedtime exercises done"), default=False)
    massage_done = models.BooleanField(_("foot massage done"), default=False)
    symptoms = models.JSONField(_("symptoms"), default=list, blank=True)
    notes = models.TextField(_("notes"), max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date"]
        verbose_name = _("day log")
        verbose_name_plural = _("day logs")
        constraints = [
            models.UniqueConstraint(fields=["user", "date"], name="one_day_log_per_date"),
            models.CheckConstraint(
                condition=models.Q(stress__isnull=True) | models.Q(stress__lte=10), name="day_log_stress_0_10"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d}"


def local_today(zone: tzinfo, now: datetime | None = None) -> date:
    from django.utils import timezone

    return (now or timezone.now()).astimezone(zone).date()


class PendingImport(models.Model):
    """An uploaded diary file that waits for its owner to confirm the import (docs/data-exchange.md).

    One per person: a new upload replaces it. Kept in the database, not the session, because it
    may be as large as DIARY_IMPORT_MAX_BYTES; found only with the person's own user and the
    token of the preview they saw, and deleted by the import, by Cancel, or once too old.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pending_import")
    token = models.UUIDField(default=uuid.uuid4, unique=True)
    raw = models.BinaryField()
    # What the preview shows (diary.exchange.summary_of), worked out at upload: the preview page
    # need not read the file again; pressing Import does, against the diary as it is then.
    summary = models.JSONField(default=dict)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("import waiting for confirmation")
        verbose_name_plural = _("imports waiting for confirmation")

    def __str__(self) -> str:
        return f"{self.user} {self.uploaded_at:%Y-%m-%d %H:%M}"

    @staticmethod
    def max_age() -> timedelta:
        return timedelta(seconds=settings.DIARY_IMPORT_PENDING_SECONDS)

    @classmethod
    def forget_expired(cls, now=None) -> int:
        """Delete the files nobody confirmed in time, anyone's: a diary is not kept longer than the wait."""
        deleted, _ = cls.objects.filter(uploaded_at__lt=(now or timezone.now()) - cls.max_age()).delete()
        return deleted

    @property
    def expired(self) -> bool:
        return timezone.now() - self.uploaded_at > self.max_age()
