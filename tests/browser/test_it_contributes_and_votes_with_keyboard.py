"""A member contributes and staff type a vote with the keyboard alone, in a real Chromium; the forms pass axe-core."""

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from tests.meetings.helpers import at, installed_council
from tests.opinions.helpers import QUESTIONS, portal_opinion, voting_meeting
from tests.roles import make_staff
from tirage.backoffice.roles import COORDINATOR
from tirage.council.space.session import SESSION_KEY
from tirage.meetings.models import Decision
from tirage.opinions.models import Contribution, Opinion
from tirage.opinions.services.consultations import open_consultation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def share_session(page, live_server, client: Client) -> None:
    """Give the browser the session of a test client (a signed-in member or staff)."""
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


def violations(axe, page):
    found = axe.run(page, options=WCAG).response["violations"]
    return [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in found]


def test_a_member_contributes_with_the_keyboard(live_server, page, axe):
    council = installed_council()
    consultation = open_consultation(
        call_id=council.call.pk,
        title="Guichet d'aide numérique",
        context="La Ville ouvre un guichet d'aide dans chaque mairie de quartier.",
        summary="Un guichet pour aider aux démarches sur internet.",
        service="Direction de la relation aux usagers",
        stage="idea",
        deadline=timezone.localdate() + dt.timedelta(days=10),
        questions=QUESTIONS,
    )
    member = council.members[0]
    client = Client()
    session = client.session
    session[SESSION_KEY] = {"member": member.pk, "ticket": 0}
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    share_session(page, live_server, client)

    page.goto(f"{live_server.url}/espace-membre/consultations/")
    assert violations(axe, page) == []
    link = page.get_by_role("link", name="Répondre à la consultation « Guichet d'aide numérique »")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/espace-membre/consultations/{consultation.pk}/")
    assert violations(axe, page) == []
    page.focus("textarea")  # the first question
    page.keyboard.type("Les impôts et la cantine.")
    page.keyboard.press("Tab")  # question 2
    page.keyboard.type("Un accueil sans rendez-vous.")
    page.keyboard.press("Tab")  # question 3, left empty
    page.keyboard.press("Tab")  # the comment, left empty
    page.keyboard.press("Tab")  # consent
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**/espace-membre/consultations/")
    assert "votre contribution est enregistrée (2 réponses)" in page.inner_text("main")
    texts = list(
        Contribution.objects.order_by("question__number").values_list(
            "text", "consent_to_quote", "source"
        )
    )
    assert texts == [
        ("Les impôts et la cantine.", True, "online"),
        ("Un accueil sans rendez-vous.", True, "online"),
    ]


def test_staff_type_a_vote_with_the_keyboard_and_see_the_error_first(live_server, page, axe):
    council = installed_council()
    opinion = portal_opinion(council)
    voting_meeting(council, at(2025, 11, 3), absent=2)
    client = Client()
    client.force_login(make_staff("coordination", COORDINATOR))
    share_session(page, live_server, client)

    page.goto(f"{live_server.url}/gestion/avis/{opinion.pk}/vote/")
    assert violations(axe, page) == []
    page.focus("#id_item")
    page.keyboard.press("ArrowDown")  # the meeting's item
    page.keyboard.press("Tab")  # « vote » (checked)
    for figure in [
        "",
        "",
        "20",
        "15",
        "3",
        "2",
    ]:  # present, represented, voters, for, against, abstentions
        page.keyboard.press("Tab")
        page.keyboard.type(figure)
    page.keyboard.press("Enter")
    page.wait_for_selector(".error-summary")
    assert "20 votants pour 18 membres présents ou représentés" in page.inner_text(".error-summary")
    assert violations(axe, page) == []
    assert not Decision.objects.exists()
    page.fill("#id_voters", "")
    page.focus("#id_voters")
    page.keyboard.type("18")
    page.fill("#id_votes_against", "")
    page.focus("#id_votes_against")
    page.keyboard.type("2")
    page.fill("#id_abstentions", "")
    page.focus("#id_abstentions")
    page.keyboard.type("1")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/gestion/avis/{opinion.pk}/")
    opinion = Opinion.objects.get(pk=opinion.pk)
    assert opinion.state == "adopted"
    assert Decision.objects.get().result_sentence == (
        "Adoptée : 15 pour, 2 contre, 1 abstention (18 votants)."
    )
