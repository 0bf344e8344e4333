from django.urls import path

from prevention.insights import views

# Included by prevention/urls.py into its own list (the "prevention" namespace, one access walk).
urlpatterns = [
    path("insights/", views.insights, name="insights"),
]
