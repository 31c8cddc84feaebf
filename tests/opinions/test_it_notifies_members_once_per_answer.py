"""The City's answer typed by staff: members told once (a double submit notifies once), e-mails sent by the real worker."""

import datetime as dt

import pytest
from django.core import mail

from tests.meetings.helpers import installed_council
from tests.opinions.helpers import sent_opinion
from tirage.audit.models import AuditEntry
from tirage.meetings.office import members_in_office
from tirage.opinions.models import AnswerNotice, CityResponse, Commitment

pytestmark = pytest.mark.django_db(transaction=True)


def answer_sheet(**extra):
    data = {
        "received_on": "2026-01-15",
        "reference": "Courrier du maire n° 2026-014",
        "summary": "La Ville accepte deux recommandations et refuse la troisième.",
        "status_1": "accepted",
        "service_1": "Direction de la relation aux usagers",
        "due_on_1": "2026-06-30",
        "status_2": "partly",
        "reasons_2": "L'audit RGAA est prévu, la conformité totale viendra plus tard.",
        "service_2": "Direction du numérique",
        "status_3": "rejected",
        "reasons_3": "Les guichets ne comptent pas encore les démarches faites sur place.",
    }
    data.update(extra)
    return data


def test_a_double_submit_of_the_answer_notifies_each_member_once(client, run_tasks):
    from tests.roles import make_staff
    from tirage.backoffice.roles import COORDINATOR

    council = installed_council()
    opinion = sent_opinion(council)
    client.force_login(make_staff("coordination", COORDINATOR))
    first = client.post(f"/gestion/avis/{opinion.pk}/reponse/", answer_sheet())
    assert first.status_code == 302
    again = client.post(f"/gestion/avis/{opinion.pk}/reponse/", answer_sheet())
    assert again.status_code == 302

    response = CityResponse.objects.get()
    assert response.answers.count() == 3
    assert Commitment.objects.count() == 2
    members = list(members_in_office(council.call.pk, dt.date.today()))
    with_email = [m for m in members if m.application.email]
    assert len(members) == 20 and with_email
    assert AnswerNotice.objects.filter(channel="letter").count() == 20
    assert AnswerNotice.objects.filter(channel="email").count() == len(with_email)
    assert AuditEntry.objects.filter(action="answer.notified").count() == 1

    run_tasks()  # two tasks queued (one per submit): the second finds nothing left to send
    assert len(mail.outbox) == len(with_email)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(m.application.email for m in with_email)
    body = mail.outbox[0].body
    assert "Recommandation 3 : refusée." in body
    assert (
        "Recommandation 1 : acceptée (service en charge : Direction de la relation aux usagers)."
        in body
    )
    assert mail.outbox[0].subject == "Avis n° 1 : la Ville a répondu au Conseil local du numérique"
    assert not AnswerNotice.objects.filter(channel="email", delivered_at=None).exists()
    run_tasks()
    assert len(mail.outbox) == len(with_email)


def test_an_answer_sheet_with_a_wrong_line_saves_nothing_and_tells_which(client):
    from tests.roles import make_staff
    from tirage.backoffice.roles import COORDINATOR

    council = installed_council()
    opinion = sent_opinion(council)
    client.force_login(make_staff("coordination", COORDINATOR))
    response = client.post(
        f"/gestion/avis/{opinion.pk}/reponse/", answer_sheet(service_1="", reasons_3="")
    )
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "Ligne 1 (recommandation n° 1), acceptée : indiquez le service de la Ville en charge.",
        "Ligne 3 (recommandation n° 3), refusée : indiquez les motifs donnés par la Ville.",
    ]
    assert not CityResponse.objects.exists() and not AnswerNotice.objects.exists()


def test_the_paper_letters_are_printed_once_through_letters(client):
    import io

    from pypdf import PdfReader

    from tests.roles import make_staff
    from tirage.backoffice.roles import COORDINATOR

    council = installed_council()
    opinion = sent_opinion(council)
    client.force_login(make_staff("coordination", COORDINATOR))
    client.post(f"/gestion/avis/{opinion.pk}/reponse/", answer_sheet())
    response = CityResponse.objects.get()
    url = f"/gestion/avis/reponses/{response.pk}/courriers/"
    pdf = client.post(url)
    assert pdf["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert text.count("Avis n° 1 : la Ville a répondu") == 20  # one letter per member in office
    assert "Recommandation 3 : refusée." in text
    member = council.members[0].application
    assert member.family_name.upper() in text and member.postcode in text
    assert not AnswerNotice.objects.filter(channel="letter", delivered_at=None).exists()
    again = client.post(url)
    assert again.status_code == 302  # nothing left to print: each letter printed once
