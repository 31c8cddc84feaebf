import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from tirage.audit.services import history
from tirage.backoffice import roles

pytestmark = pytest.mark.django_db

LOGIN = RequestFactory().post("/gestion/connexion/")  # django-axes needs the request


def test_creates_an_agent_with_office_and_printed_password(call, capsys):
    call_command("create_staff", "marie", "--role", "agent", "--office", "mdq-sud")
    out = capsys.readouterr().out
    password = out.split("Password: ")[1].strip()
    user = authenticate(LOGIN, username="marie", password=password)
    assert user is not None
    assert roles.roles_of(user) == {roles.COUNTER_AGENT}
    assert roles.office_of(user).code == "mdq-sud"
    entry = history(user).get()
    assert entry.action == "staff.account_created"
    assert entry.data == {"role": "agent d'accueil", "office": "mdq-sud"}


def test_given_password_and_role_change(call, capsys):
    call_command(
        "create_staff", "paul", "--role", "observateur", "--password", "un-mot-de-passe-long"
    )
    assert "Password:" not in capsys.readouterr().out
    call_command(
        "create_staff", "paul", "--role", "coordination", "--password", "un-mot-de-passe-long"
    )
    user = authenticate(LOGIN, username="paul", password="un-mot-de-passe-long")
    assert roles.roles_of(user) == {roles.COORDINATOR}


@pytest.mark.parametrize(
    "args, message",
    [
        (["--role", "agent"], "needs --office"),
        (["--role", "agent", "--office", "mdq-lune"], "Unknown office 'mdq-lune'"),
    ],
)
def test_refuses_bad_offices(call, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("create_staff", "x", *args)
