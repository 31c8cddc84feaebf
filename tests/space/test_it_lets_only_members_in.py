"""Who may reach each page of the members' space: anonymous, a member, each staff role."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.roles import make_staff
from tests.space.helpers import sign_in, space_council
from tirage.backoffice.roles import COORDINATOR, COUNTER_AGENT, OBSERVER

pytestmark = pytest.mark.django_db

LOGIN = "/espace-membre/connexion/"
# (method, path, answer for a member); "{m}" is the convened meeting.
MEMBER_PAGES = [
    ("get", "/espace-membre/", 200),
    ("get", "/espace-membre/reunions/{m}/", 200),
    ("get", "/espace-membre/reunions/{m}/agenda.ics", 200),
    ("get", "/espace-membre/reunions/{m}/reponse/", 405),
    ("post", "/espace-membre/reunions/{m}/reponse/", 400),  # empty form
    ("post", "/espace-membre/reunions/{m}/proposer/", 400),
    ("get", "/espace-membre/reglement/", 200),
    ("get", "/espace-membre/demission/", 200),
]
OPEN_PAGES = [
    ("get", LOGIN, 200),
    ("post", LOGIN, 400),  # empty code form
    ("post", "/espace-membre/connexion/courriel/", 400),  # empty address
    ("get", "/espace-membre/connexion/lien/AAAA/", 404),
    ("post", "/espace-membre/deconnexion/", 200),
]


@pytest.fixture
def clients():
    council, meeting = space_council()
    member_client = Client()
    sign_in(member_client, council.members[0])
    staff = {}
    for role in (COORDINATOR, COUNTER_AGENT, OBSERVER):
        client = Client()
        client.force_login(make_staff(f"u-{len(staff)}", role))
        staff[role] = client
    return meeting, {"anonymous": Client(), "member": member_client, **staff}


def test_member_pages_answer_members_only(clients):
    meeting, by_who = clients
    table = {}
    for method, path, member_status in MEMBER_PAGES:
        url = path.format(m=meeting.pk)
        for who, client in by_who.items():
            answer = getattr(client, method)(url)
            expected = member_status if who == "member" else 302
            table[(who, method, url)] = (answer.status_code, expected)
            if who != "member":
                assert answer["Location"].startswith(LOGIN + "?suivant=")
    wrong = {key: got for key, got in table.items() if got[0] != got[1]}
    assert wrong == {}
    assert len(table) == len(MEMBER_PAGES) * 5


def test_sign_in_pages_answer_everyone(clients):
    _meeting, by_who = clients
    wrong = {}
    for method, path, status in OPEN_PAGES:
        for who, client in by_who.items():
            answer = getattr(client, method)(path)
            if answer.status_code != status:
                wrong[(who, method, path)] = answer.status_code
    assert wrong == {}
