"""The sign-in backend: allauth's, with the person's profile read in the same query as the account.

Every signed-in request reads the account (`get_user`, from the session) and then the profile (the
time-zone middleware), with the rows other apps register in `diary.middleware.READ_WITH_PROFILE`:
here one query with joins instead of two.
"""

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth import get_user_model

from .middleware import READ_WITH_PROFILE


class PersonBackend(AuthenticationBackend):
    def get_user(self, user_id):
        User = get_user_model()
        try:
            user = User._default_manager.select_related("profile", *READ_WITH_PROFILE).get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
