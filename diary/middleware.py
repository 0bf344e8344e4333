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


class PersonTimezoneMiddleware:
    """Show every date and time in the signed-in person's own time zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            timezone.activate(profile_of(request.user).zone)
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
