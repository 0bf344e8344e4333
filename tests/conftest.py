import os

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

# Playwright drives the browser from an event loop; Django's live server is synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "a-long-test-password-42"


@pytest.fixture
def make_user(db):
    def make(email="person@example.com", timezone="Europe/Kyiv", confirmed=True, **profile):
        user = get_user_model().objects.create_user(username=email, email=email, password=PASSWORD)
        if confirmed:  # as after following the sign-up e-mail's link
            EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
        user.profile.timezone = timezone
        for name, value in profile.items():
            setattr(user.profile, name, value)
        user.profile.save()
        return user

    return make


@pytest.fixture
def person(make_user):
    return make_user()


@pytest.fixture
def other(make_user):
    return make_user(email="other@example.com", timezone="America/New_York")


@pytest.fixture
def person_client(client, person):
    client.force_login(person)
    return client
