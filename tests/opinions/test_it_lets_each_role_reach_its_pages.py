"""Who may reach each page of opinions and consultations: anonymous, coordination, observer, counter agent, no role."""

import datetime as dt

import pytest

from tests.meetings.helpers import installed_council
from tests.roles import make_staff
from tirage.backoffice.roles import COORDINATOR, COUNTER_AGENT, OBSERVER
from tirage.demo.opinions import ACCESSIBILITY, PORTAL, seed_opinions
from tirage.opinions.models import Commitment, Consultation, Opinion

TODAY = dt.date(2026, 12, 6)
ANON, COORD, OBS, AGENT, NOROLE = "anonymous", "coordination", "observer", "agent", "no role"
LOGIN = 302  # anonymous: sent to the sign-in page

# (method, url pattern, expected status per role)
TABLE = [
    ("get", "/avis/", {ANON: 200, COORD: 200, OBS: 200, AGENT: 200, NOROLE: 200}),
    ("get", "/avis/{sent}/", {ANON: 200, COORD: 200, OBS: 200, AGENT: 200, NOROLE: 200}),
    ("get", "/avis/{sent}.pdf", {ANON: 200, COORD: 200, OBS: 200, AGENT: 200, NOROLE: 200}),
    ("get", "/avis/{draft}/", {ANON: 404, COORD: 404, OBS: 404, AGENT: 404, NOROLE: 404}),
    ("get", "/consultations/", {ANON: 200, COORD: 200, OBS: 200, AGENT: 200, NOROLE: 200}),
    ("get", "/consultations/{consultation}/", {ANON: 200, COORD: 200, OBS: 200, AGENT: 200, NOROLE: 200}),
    ("get", "/gestion/avis/", {ANON: LOGIN, COORD: 200, OBS: 200, AGENT: 200, NOROLE: 403}),
    ("get", "/gestion/avis/consultations/nouvelle/", {ANON: LOGIN, COORD: 200, OBS: 403, AGENT: 403, NOROLE: 403}),
    ("get", "/gestion/avis/consultations/{consultation}/", {ANON: LOGIN, COORD: 200, OBS: 403, AGENT: 403, NOROLE: 403}),
    ("get", "/gestion/avis/consultations/{consultation}/livret.pdf", {ANON: LOGIN, COORD: 200, OBS: 403, AGENT: 200, NOROLE: 403}),
    ("get", "/gestion/avis/consultations/{consultation}/livret/saisie/", {ANON: LOGIN, COORD: 200, OBS: 403, AGENT: 200, NOROLE: 403}),
    ("get", "/gestion/avis/nouveau/", {ANON: LOGIN, COORD: 200, OBS: 403, AGENT: 403, NOROLE: 403}),
    ("get", "/gestion/avis/nouveau/?nature=proposition", {ANON: LOGIN, COORD: 200, OBS: 403, AGENT: 403, NOROLE: 403}),
    ("get", "/gestion/avis/{sent}/", {ANON: LOGIN, COORD: 200, OBS: 200, AGENT: 403, NOROLE: 403}),
    ("get", "/gestion/avis/{draft}/modifier/", {ANON: LOGIN, COORD: 200, OBS: 403, AGENT: 403, NOROLE: 403}),
    ("get", "/gestion/avis/{draft}/vote/", {ANON: LOGIN, COORD: 200, OBS: 403, AGENT: 403, NOROLE: 403}),
    ("post", "/gestion/avis/{sent}/nouvelle-version/", {ANON: LOGIN, COORD: 302, OBS: 403, AGENT: 403, NOROLE: 403}),
    ("post", "/gestion/avis/{sent}/envoi/", {ANON: LOGIN, COORD: 302, OBS: 403, AGENT: 403, NOROLE: 403}),
    ("get", "/gestion/avis/{sent}/reponse/", {ANON: LOGIN, COORD: 200, OBS: 403, AGENT: 403, NOROLE: 403}),
    ("get", "/gestion/avis/{answered}/appreciation/", {ANON: LOGIN, COORD: 200, OBS: 403, AGENT: 403, NOROLE: 403}),
    ("get", "/gestion/avis/engagements/{commitment}/", {ANON: LOGIN, COORD: 200, OBS: 403, AGENT: 403, NOROLE: 403}),
]  # fmt: skip


@pytest.fixture
def world(db):
    council = installed_council()
    seed_opinions(call=council.call, today=TODAY)
    return {
        "sent": Opinion.objects.get(title=ACCESSIBILITY).pk,
        "answered": Opinion.objects.get(title=PORTAL).pk,
        "draft": Opinion.objects.filter(state="draft").first().pk,
        "consultation": Consultation.objects.get(title=PORTAL).pk,
        "commitment": Commitment.objects.first().pk,
    }


def test_each_role_reaches_exactly_its_pages(world, as_user):
    users = {
        ANON: None,
        COORD: make_staff("coordination", COORDINATOR),
        OBS: make_staff("observation", OBSERVER),
        AGENT: make_staff("accueil", COUNTER_AGENT),
        NOROLE: make_staff("personne", None),
    }
    clients = {role: as_user(user) for role, user in users.items()}
    got = {}
    for method, pattern, expected in TABLE:
        url = pattern.format(**world)
        for role, client in clients.items():
            response = getattr(client, method)(url)
            if response.status_code != expected[role]:
                got[(url, role)] = (response.status_code, expected[role])
            if role == ANON and expected[role] == LOGIN:
                assert "/connexion/" in response["Location"], url
    assert got == {}
