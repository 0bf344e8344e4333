from django.conf import settings
from django.contrib import admin
from django.http import HttpResponse
from django.urls import include, path

from diary import views as diary_views


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("", diary_views.home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("", include("diary.urls")),
    path("", include("prevention.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

admin.site.site_header = "cramps"
if settings.DEBUG:
    admin.site.site_title = "cramps (development)"
