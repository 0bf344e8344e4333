from django.urls import path

from prevention import export
from prevention.assessment import views as assessment_views
from prevention.doctor import urls as doctor_urls
from prevention.insights import urls as insights_urls
from prevention.plan import views as plan_views
from prevention.reminders import views as reminders_views

app_name = "prevention"

urlpatterns = [
    path("causes/", assessment_views.assessment, name="assessment"),
    path("causes/assessment.json", assessment_views.assessment_json, name="assessment_json"),
    path("causes/how-it-works/", assessment_views.how_it_works, name="how_it_works"),
    path("causes/history/", assessment_views.history, name="history"),
    path("causes/history/<int:pk>/", assessment_views.snapshot, name="snapshot"),
    path("causes/history/<int:pk>.json", assessment_views.snapshot_json, name="snapshot_json"),
    path("plan/", plan_views.plan, name="plan"),
    path("plan/export/everything-else.json", export.export_json, name="export_json"),
    path("plan/items/<slug:code>/", plan_views.plan_item, name="plan_item"),
    path("plan/schedule/", plan_views.schedule, name="schedule"),
    path("plan/tonight/", plan_views.tonight, name="tonight"),
    path("plan/print/", plan_views.plan_print, name="print"),
    path("plan/history/", plan_views.plan_history, name="plan_history"),
    path("plan/history/<int:number>/", plan_views.plan_version, name="plan_version"),
    path("plan/calendar/", plan_views.calendar_link, name="calendar"),
    path("plan/calendar/<str:token>.ics", plan_views.feed, name="feed"),
    path("plan/done/<str:token>/", reminders_views.done_link, name="done_link"),
    path("reminders/unsubscribe/<str:token>/", reminders_views.unsubscribe, name="unsubscribe"),
    # One folder per capability: each brings its own URLs.
    *insights_urls.urlpatterns,
    *doctor_urls.urlpatterns,
]
