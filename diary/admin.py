from allauth.mfa.admin import AuthenticatorAdmin
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import vocabulary as v
from .models import DayLog, Episode, Profile


def _words(choices, codes) -> str:
    return ", ".join(v.label(choices, code) for code in codes or ())


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "timezone", "bedtime", "flat_feet", "pregnant", "condition_words", "medicine_words")
    search_fields = ("user__email",)
    list_select_related = ("user",)

    @admin.display(description=_("conditions"))
    def condition_words(self, profile: Profile) -> str:
        return _words(v.CONDITIONS, profile.conditions)

    @admin.display(description=_("medicines"))
    def medicine_words(self, profile: Profile) -> str:
        return _words(v.MEDICATIONS, profile.medications)


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
    list_display = ("user", "date", "exertion", "footwear", "stress", "sleep_hours", "exercises_done", "symptom_words")
    list_filter = ("exertion", "footwear", "exercises_done", "massage_done", "cold_exposure")
    search_fields = ("user__email",)
    date_hierarchy = "date"
    list_select_related = ("user",)
    raw_id_fields = ("user",)

    @admin.display(description=_("symptoms"))
    def symptom_words(self, day_log: DayLog) -> str:
        return _words(v.SYMPTOMS, day_log.symptoms)


# allauth's own admin for authenticators shows each one's data: the (encrypted) key of the app and
# the recovery codes' seed. Staff see who has one, of what kind and when it was last used, not that.
admin.site.unregister(Authenticator)


@admin.register(Authenticator)
class AuthenticatorWithoutSecretsAdmin(AuthenticatorAdmin):
    exclude = ("data",)
