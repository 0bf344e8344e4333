import pytest
from django.urls import reverse


@pytest.mark.parametrize(
    "name",
    [
        "diary:timeline",
        "diary:calendar",
        "diary:episode_new",
        "diary:day_log_new",
        "diary:export",
        "diary:import",
        "diary:profile",
        "diary:account",
        "diary:account_delete",
        "account_email",
        "account_change_password",
    ],
)
def test_pages_render_for_person(person_client, name):
    response = person_client.get(reverse(name))
    assert response.status_code == 200, response.content[:500]


@pytest.mark.parametrize("name", ["home", "account_login", "account_signup", "account_reset_password"])
def test_public_pages_render(client, db, name):
    assert client.get(reverse(name)).status_code == 200
