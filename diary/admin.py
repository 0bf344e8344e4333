from django.contrib import admin

from .models import DayLog, Episode, Profile


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "timezone", "bedtime", "flat_feet", "pregnant")
    search_fields = ("user__email",)
    list_select_related = ("user",)


@admin.register(Episode)
class EpisodeAdmin(admin.ModelAdmin):
    list_display = ("user", "started_at", "day", "leg", "muscle", "intensity", "duration_seconds", "context")
    list_filter = ("leg", "muscle", "context")
    search_fields = ("user__email",)
    date_hierarchy = "started_at"
    list_select_related = ("user",)
    raw_id_fields = ("user",)


@admin.register(DayLog)
class DayLogAdmin(admin.ModelAdmin):
    list_display = ("user", "date", "exertion", "footwear", "stress", "sleep_hours", "exercises_done")
    list_filter = ("exertion", "footwear", "exercises_done", "massage_done", "cold_exposure")
    search_fields = ("user__email",)
    date_hierarchy = "date"
    list_select_related = ("user",)
    raw_id_fields = ("user",)
