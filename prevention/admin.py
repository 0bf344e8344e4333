from django.contrib import admin

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
    list_display = ("user", "reminders_on", "weekdays", "at", "lead_minutes", "next_send_at", "next_evening")
    list_filter = ("reminders_on",)
    search_fields = ("user__email",)
    exclude = ("feed_token",)


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
