"""Staff open and edit a consultation, draft an opinion from it, adopt, version and send it — through the forms."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.meetings.helpers import at
from tests.opinions.helpers import adopt_at, portal_opinion, voting_meeting
from tirage.audit.models import AuditEntry
from tirage.opinions.models import Consultation, Opinion

TODAY = timezone.localdate()


@pytest.fixture
def staff(client, coordinator, council):
    client.force_login(coordinator)
    return client


def test_open_and_edit_a_consultation(staff):
    response = staff.post(
        "/gestion/avis/consultations/nouvelle/",
        {
            "title": "Guichet d'aide numérique",
            "service": "Direction de la relation aux usagers",
            "stage": "idea",
            "context": "Un guichet dans chaque mairie de quartier.",
            "summary": "Un guichet pour aider aux démarches sur internet.",
            "deadline": (TODAY + dt.timedelta(days=30)).isoformat(),
            "questions": "Où placer le guichet ?\n\nQuels horaires ?\n",
        },
    )
    consultation = Consultation.objects.get()
    assert response.status_code == 302
    assert [q.text for q in consultation.questions.order_by("number")] == [
        "Où placer le guichet ?",
        "Quels horaires ?",
    ]
    url = f"/gestion/avis/consultations/{consultation.pk}/"
    assert staff.post(url, {"action": "stage", "stage-stage": "design"}).status_code == 302
    consultation.refresh_from_db()
    assert consultation.stage == "design"
    shorter = (TODAY + dt.timedelta(days=10)).isoformat()
    response = staff.post(
        url, {"action": "deadline", "deadline-deadline": shorter, "deadline-reason": "Budget."}
    )
    assert response.status_code == 400
    assert (
        response.context["deadline_form"]
        .errors["deadline"][0]
        .endswith("un délai se prolonge, il ne se raccourcit pas.")
    )
    consultation.refresh_from_db()
    assert consultation.deadline == TODAY + dt.timedelta(days=30)
    assert AuditEntry.objects.filter(action="consultation.stage_changed").count() == 1
    assert not AuditEntry.objects.filter(action="consultation.deadline_extended").exists()


def test_draft_an_opinion_then_a_new_version_after_adoption_and_send_it(staff, council):
    response = staff.post(
        "/gestion/avis/nouveau/",
        {
            "title": "Portail des démarches en ligne",
            "text": "Le conseil a recueilli les avis de ses membres.",
            "summary": "Le conseil veut un site simple.",
            "minority_view": "",
            "recommendations": "Garder un accueil physique.\nRendre le portail conforme au RGAA.",
        },
    )
    assert response.status_code == 302
    opinion = Opinion.objects.get()
    assert [r.text for r in opinion.draft_version().recommendations.all()] == [
        "Garder un accueil physique.",
        "Rendre le portail conforme au RGAA.",
    ]
    meeting = voting_meeting(council, at(2025, 11, 3), absent=2)
    adopt_at(opinion, meeting)
    # An adopted text is not edited: a new version is drafted instead, both kept.
    assert staff.get(f"/gestion/avis/{opinion.pk}/modifier/").status_code == 302
    assert staff.post(f"/gestion/avis/{opinion.pk}/nouvelle-version/").status_code == 302
    assert [v.state for v in opinion.versions.order_by("number")] == ["adopted", "draft"]
    # While a new version is drafted the opinion cannot be sent (adopt or discard it first).
    sent_on = TODAY.isoformat()
    staff.post(f"/gestion/avis/{opinion.pk}/envoi/", {"sent_on": sent_on, "sent_to": "Le Maire"})
    opinion.refresh_from_db()
    assert opinion.state == "adopted"


def test_sending_starts_the_clock(staff, council):
    opinion = portal_opinion(council)
    adopt_at(opinion, voting_meeting(council, at(2025, 11, 3), absent=2))
    response = staff.post(
        f"/gestion/avis/{opinion.pk}/envoi/",
        {"sent_on": TODAY.isoformat(), "sent_to": "Monsieur le Maire"},
        follow=True,
    )
    opinion.refresh_from_db()
    assert opinion.state == "sent" and opinion.sent_on == TODAY
    from tirage.site.dates import french_date

    expected = french_date(TODAY + dt.timedelta(days=91))
    assert f"Réponse attendue avant le {expected}." in response.content.decode()
