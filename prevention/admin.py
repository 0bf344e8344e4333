from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from prevention.models import DoctorLink, Plan, Reminder, Schedule, Snapshot


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ("user", "evening", "status", "attempts", "due_at", "sent_at", "error")
    list_filter = ("status", "evening")
    search_fields = ("user__email",)
    date_hierarchy = "evening"
    readonly_fields = [f.name for f in Reminder._meta.fields]


@admin.register(Schedule)
class ScheduleAdmin(admin.ModelAdmin):
    list_display = ("user", "reminders_on", "weekdays", "at", "lead_minutes", "next_reminder")
    list_filter = ("reminders_on",)
    list_select_related = ("user__next_reminder",)
    search_fields = ("user__email",)
    exclude = ("feed_token",)

    @admin.display(description=_("next reminder"), ordering="user__next_reminder__send_at")
    def next_reminder(self, schedule: Schedule):
        following = getattr(schedule.user, "next_reminder", None)
        return following.send_at if following else None


@admin.register(Snapshot)
class SnapshotAdmin(admin.ModelAdmin):
    list_display = ("user", "date", "rules_version")
    search_fields = ("user__email",)


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ("user", "number", "rules_version", "created_at")
    search_fields = ("user__email",)


@admin.register(DoctorLink)
class DoctorLinkAdmin(admin.ModelAdmin):
    """Read-only, without the secret's hash: staff can see that links exist and when they were opened."""

    list_display = ("user", "period", "created_at", "expires_at", "revoked_at", "last_opened_at")
    search_fields = ("user__email",)
    exclude = ("token_hash",)
    readonly_fields = ("user", "period", "created_at", "expires_at", "revoked_at", "last_opened_at")

    def has_add_permission(self, request):
        return False
