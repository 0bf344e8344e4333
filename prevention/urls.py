from django.urls import path

from . import views

app_name = "prevention"

urlpatterns = [
    path("causes/", views.assessment, name="assessment"),
    path("causes/assessment.json", views.assessment_json, name="assessment_json"),
    path("causes/how-it-works/", views.how_it_works, name="how_it_works"),
    path("causes/history/", views.history, name="history"),
    path("causes/history/<int:pk>/", views.snapshot, name="snapshot"),
    path("causes/history/<int:pk>.json", views.snapshot_json, name="snapshot_json"),
    path("plan/", views.plan, name="plan"),
    path("plan/export/everything-else.json", views.export_json, name="export_json"),
    path("plan/items/<slug:code>/", views.plan_item, name="plan_item"),
    path("plan/schedule/", views.schedule, name="schedule"),
    path("plan/tonight/", views.tonight, name="tonight"),
    path("plan/print/", views.plan_print, name="print"),
    path("plan/history/", views.plan_history, name="plan_history"),
    path("plan/history/<int:number>/", views.plan_version, name="plan_version"),
    path("plan/calendar/", views.calendar_link, name="calendar"),
    path("plan/calendar/<str:token>.ics", views.feed, name="feed"),
    path("plan/done/<str:token>/", views.done_link, name="done_link"),
    path("reminders/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]

# One folder per capability (issue 12): each brings its own URLs.
from .insights import urls as insights_urls  # noqa: E402

urlpatterns += insights_urls.urlpatterns
from .doctor import urls as doctor_urls  # noqa: E402

urlpatterns += doctor_urls.urlpatterns
