from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from diary import views as diary_views

from .accounts import SafeEmailView
from .health import ReadinessView, healthz

urlpatterns = [
    path("", diary_views.home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("readyz", ReadinessView.as_view(), name="readyz"),
    # Before allauth's own: only a verified address can become the primary one.
    path("accounts/email/", SafeEmailView.as_view(), name="account_email"),
    path("accounts/", include("allauth.urls")),
    path("", include("diary.urls")),
    path("", include("prevention.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

admin.site.site_header = "cramps"
if settings.DEBUG:
    admin.site.site_title = "cramps (development)"
