from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone

from .models import Profile

# The person's one-to-one rows that other apps read on most pages, fetched with the profile in the
# same query (a join) rather than one query each: names of reverse one-to-one relations of the
# user model. prevention adds the routine's schedule (the diary home's routine card).
READ_WITH_PROFILE: list[str] = []


def profile_of(user) -> Profile:
    """The person's profile, created on first use for accounts made before profiles existed.

    The first read in a request also brings the READ_WITH_PROFILE rows, kept on the user.
    """
    if READ_WITH_PROFILE and user.pk is not None and not user.__class__.profile.related.is_cached(user):
        _read_with_profile(user)
    try:
        return user.profile
    except Profile.DoesNotExist:
        profile, _created = Profile.objects.get_or_create(user=user)
        user.profile = profile
        return profile


def _read_with_profile(user) -> None:
    joined = (
        Profile.objects.select_related(*(f"user__{name}" for name in READ_WITH_PROFILE)).filter(user_id=user.pk).first()
    )
    if joined is None:
        return  # no profile yet: profile_of makes one
    for name in READ_WITH_PROFILE:
        try:
            setattr(user, name, getattr(joined.user, name))
        except ObjectDoesNotExist:
            pass  # not made yet: its own app makes it when first needed
    user.profile = joined  # the profile's user is now this one


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
