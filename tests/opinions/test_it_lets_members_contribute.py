"""Members contribute to a consultation online and propose ideas from their space; anyone else is sent to sign in."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from tests.opinions.helpers import QUESTIONS
from tirage.council.space.session import SESSION_KEY
from tirage.opinions.models import Contribution, Opinion
from tirage.opinions.services.consultations import open_consultation


def member_client(member) -> Client:
    client = Client()
    session = client.session
    session[SESSION_KEY] = {"member": member.pk, "ticket": 0}
    session.save()
    return client


@pytest.fixture
def open_one(council):
    today = timezone.localdate()
    return open_consultation(
        call_id=council.call.pk,
        title="Guichet d'aide numérique",
        context="La Ville ouvre un guichet d'aide dans chaque mairie de quartier.",
        summary="Un guichet pour aider aux démarches sur internet.",
        service="Direction de la relation aux usagers",
        stage="idea",
        deadline=today + dt.timedelta(days=10),
        questions=QUESTIONS,
    )


def test_a_member_answers_the_questions_online_all_or_nothing(council, open_one):
    member = council.members[0]
    client = member_client(member)
    page = client.get("/espace-membre/consultations/")
    assert "Répondre à la consultation « Guichet d&#x27;aide numérique »" in page.content.decode()
    q1, q2, q3 = open_one.questions.order_by("number")
    response = client.post(
        f"/espace-membre/consultations/{open_one.pk}/",
        {f"q{q1.pk}": "Les impôts et la cantine.", f"q{q3.pk}": "Un accueil sans rendez-vous.",
         "comment": "Merci de nous consulter.", "consent_to_quote": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    rows = Contribution.objects.filter(member=member).order_by("id")
    assert [(c.question_id, c.source, c.consent_to_quote) for c in rows] == [
        (q1.pk, "online", True),
        (q3.pk, "online", True),
        (None, "online", True),
    ]
    # The same form sent twice is stored once.
    client.post(
        f"/espace-membre/consultations/{open_one.pk}/",
        {f"q{q1.pk}": "Les impôts et la cantine.", f"q{q3.pk}": "Un accueil sans rendez-vous.",
         "comment": "Merci de nous consulter.", "consent_to_quote": "on"},
    )  # fmt: skip
    assert rows.count() == 3
    empty = client.post(f"/espace-membre/consultations/{open_one.pk}/", {})
    assert empty.status_code == 400
    assert "Écrivez au moins une réponse ou un commentaire." in empty.content.decode()


def test_after_the_deadline_a_member_cannot_contribute_online(council, open_one):
    Contribution.objects.all().delete()
    open_one.opened_on = open_one.deadline = timezone.localdate() - dt.timedelta(days=1)
    open_one.save()
    q1 = open_one.questions.get(number=1)
    client = member_client(council.members[0])
    response = client.post(
        f"/espace-membre/consultations/{open_one.pk}/", {f"q{q1.pk}": "Trop tard ?"}
    )
    assert response.status_code == 400
    assert not Contribution.objects.exists()


def test_a_member_proposes_an_idea(council):
    member = council.members[1]
    client = member_client(member)
    response = client.post(
        "/espace-membre/propositions/nouvelle/",
        {"title": "Des ateliers numériques le samedi", "text": "Beaucoup travaillent en semaine."},
    )
    assert response.status_code == 302
    proposal = Opinion.objects.get(kind="proposal")
    assert (proposal.proposed_by, proposal.source, proposal.state) == (member, "online", "draft")
    assert [r.text for r in proposal.draft_version().recommendations.all()] == [
        "Des ateliers numériques le samedi"
    ]


def test_anyone_but_a_member_is_sent_to_the_members_sign_in(client, council, coordinator):
    for url in ["/espace-membre/consultations/", "/espace-membre/propositions/nouvelle/"]:
        response = client.get(url)
        assert response.status_code == 302 and "/espace-membre/connexion/" in response["Location"]
    client.force_login(coordinator)
    response = client.get("/espace-membre/consultations/")
    assert "/espace-membre/connexion/" in response["Location"]


def test_the_members_space_leads_to_the_consultations(council, open_one):
    """From « Mon espace », a member finds the consultations; those pages keep the members' menu."""
    client = member_client(council.members[0])
    home = client.get("/espace-membre/").content.decode()
    assert 'href="/espace-membre/consultations/"' in home
    page = client.get("/espace-membre/consultations/").content.decode()
    assert 'aria-current="page">Consultations et idées</a>' in page
    assert 'href="/espace-membre/reglement/"' in page
