from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PreventionConfig(AppConfig):
    name = "prevention"
    verbose_name = _("Prevention")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from diary import cards, middleware
        from prevention import signals  # noqa: F401
        from prevention.templatetags.prevention_tags import alarms_key, done_key

        # The diary page fetches what it keeps from prevention with its own entry (diary/cards.py).
        cards.PAGE_PARTS.extend([alarms_key, done_key])
        # and reads the routine's schedule with the profile on every page (diary/middleware.py).
        middleware.READ_WITH_PROFILE.append("routine_schedule")
