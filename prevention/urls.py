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
]
