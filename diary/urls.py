from django.urls import path, register_converter

from . import views


class IsoDateConverter:
    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value):
        from datetime import date

        try:
            return date.fromisoformat(value)
        except ValueError as error:  # e.g. 2026-02-31: a 404, not a crash
            raise ValueError(str(error)) from error

    def to_url(self, value):
        return value.isoformat()


register_converter(IsoDateConverter, "isodate")

app_name = "diary"
urlpatterns = [
    path("diary/", views.timeline, name="timeline"),
    path("diary/calendar/", views.calendar_month, name="calendar"),
    path("diary/<isodate:day>/", views.day_detail, name="day"),
    path("diary/cramp/new/", views.episode_new, name="episode_new"),
    path("diary/cramp/<int:pk>/", views.episode_edit, name="episode_edit"),
    path("diary/cramp/<int:pk>/delete/", views.episode_delete, name="episode_delete"),
    path("diary/day/", views.day_log_new, name="day_log_new"),
    path("diary/day/<isodate:day>/", views.day_log_edit, name="day_log_edit"),
    path("diary/day/<isodate:day>/delete/", views.day_log_delete, name="day_log_delete"),
    path("diary/export/", views.export_page, name="export"),
    path("diary/export/diary.json", views.export_json, name="export_json"),
    path("diary/export/cramps.csv", views.export_episodes_csv, name="export_episodes_csv"),
    path("diary/export/days.csv", views.export_days_csv, name="export_days_csv"),
    path("diary/import/", views.import_diary, name="import"),
    path("diary/import/preview/", views.import_preview, name="import_preview"),
    path("diary/import/confirm/", views.import_confirm, name="import_confirm"),
    path("diary/import/cancel/", views.import_cancel, name="import_cancel"),
    path("profile/", views.profile_edit, name="profile"),
    path("account/", views.account, name="account"),
    path("account/delete/", views.account_delete, name="account_delete"),
]
