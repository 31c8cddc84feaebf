import pytest
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.test import Client

from tests.roles import PASSWORD

pytestmark = pytest.mark.django_db


def test_new_passwords_are_hashed_with_argon2(agent_nord):
    assert agent_nord.password.startswith("argon2$argon2id$")


def test_an_older_hash_is_upgraded_at_the_next_sign_in(agent_nord):
    User.objects.filter(pk=agent_nord.pk).update(
        password=make_password(PASSWORD, hasher="pbkdf2_sha256")
    )
    response = Client().post(
        "/gestion/connexion/", {"username": "agent.nord", "password": PASSWORD}
    )
    assert response.status_code == 302
    agent_nord.refresh_from_db()
    assert agent_nord.password.startswith("argon2$argon2id$")
