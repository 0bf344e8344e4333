from django.conf import settings
from django.utils import timezone

from .models import Profile


def profile_of(user) -> Profile:
    """The person's profile, created on first use for accounts made before profiles existed."""
    try:
        return user.profile
    except Profile.DoesNotExist:
        profile, _created = Profile.objects.get_or_create(user=user)
        user.profile = profile
        return profile


def remember_language(profile: Profile, language: str) -> None:
    """Keep the language the person reads the site in, for e-mails sent without a request."""
    if language and language != profile.language and language in dict(settings.LANGUAGES):
        Profile.objects.filter(pk=profile.pk).update(language=language)  # no save(): no signals, no updated_at
        profile.language = language


class PersonTimezoneMiddleware:
    """Show every date and time in the signed-in person's own time zone (and remember their language)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            profile = profile_of(request.user)
            timezone.activate(profile.zone)
            remember_language(profile, getattr(request, "LANGUAGE_CODE", ""))
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
