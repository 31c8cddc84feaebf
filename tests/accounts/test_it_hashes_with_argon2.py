import pytest
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.test import Client

from tests.accounts.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_new_passwords_are_hashed_with_argon2(agent):
    assert agent.password.startswith("argon2$argon2id$")


def test_an_older_hash_is_upgraded_at_the_next_sign_in(agent):
    User.objects.filter(pk=agent.pk).update(
        password=make_password(PASSWORD, hasher="pbkdf2_sha256")
    )
    response = Client().post(
        "/gestion/connexion/", {"username": "agent.nord", "password": PASSWORD}
    )
    assert response.status_code == 302
    agent.refresh_from_db()
    assert agent.password.startswith("argon2$argon2id$")
