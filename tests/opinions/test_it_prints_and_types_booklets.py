"""The consultation booklet: printed as a real tagged PDF with the questions and room to write; typed back as paper, all or nothing."""

import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader

from tests.opinions.helpers import QUESTIONS
from tests.pdftext import text_runs
from tests.roles import make_staff
from tirage.audit.models import AuditEntry
from tirage.backoffice.roles import COUNTER_AGENT
from tirage.meetings.office import member_name
from tirage.opinions.models import Contribution
from tirage.opinions.services.consultations import open_consultation

TODAY = dt.date.today()


@pytest.fixture
def consultation(council):
    return open_consultation(
        call_id=council.call.pk,
        title="Portail des démarches en ligne",
        context="La Ville remplace son portail de démarches.",
        summary="La Ville fait un nouveau site pour les démarches.",
        service="Direction de la relation aux usagers",
        stage="design",
        deadline=TODAY + dt.timedelta(days=20),
        questions=QUESTIONS,
    )


@pytest.fixture
def agent_client(client, council):
    client.force_login(make_staff("accueil", COUNTER_AGENT))
    return client


def test_the_booklet_is_a_real_tagged_pdf_with_the_questions_and_lines(
    agent_client, consultation, council
):
    member = council.members[3]
    response = agent_client.get(
        f"/gestion/avis/consultations/{consultation.pk}/livret.pdf?membre={member.pk}"
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in root
    assert root["/Lang"] == "fr"
    runs = [run for page in reader.pages for run in text_runs(page)]
    text = re.sub(r"\s+", " ", " ".join(t for _, _, t in runs))
    assert "Livret de consultation : Portail des démarches en ligne" in text
    assert f"Livret de {member_name(member)}" in text
    for number, question in enumerate(QUESTIONS, start=1):
        assert f"Question {number} : {question}" in text
    # Room to write: the next question starts well below the previous one (10 ruled lines of 9 mm).
    page_of = {}
    for i, page in enumerate(reader.pages):
        for _, y, t in text_runs(page):
            if t.startswith("Question "):
                page_of.setdefault(t[:10], (i, y))
    (p1, y1), (p2, y2) = page_of["Question 1"], page_of["Question 2"]
    assert p2 > p1 or y2 - y1 > 80
    unknown = f"/gestion/avis/consultations/{consultation.pk}/livret.pdf?membre=999999"
    assert agent_client.get(unknown).status_code == 404


def test_a_paper_booklet_is_typed_back_all_or_nothing(agent_client, consultation, council):
    member = council.members[3]
    q1, q2, q3 = consultation.questions.order_by("number")
    url = f"/gestion/avis/consultations/{consultation.pk}/livret/saisie/"
    data = {
        "member": member.pk,
        "received_on": TODAY.isoformat(),
        f"q{q1.pk}": "Je paie la cantine en ligne.",
        f"q{q3.pk}": "Un accueil dans chaque mairie de quartier.",
        "comment": "",
        "consent_to_quote": "on",
    }
    response = agent_client.post(url, data)
    assert response.status_code == 302
    rows = Contribution.objects.order_by("question__number")
    assert [(c.question_id, c.source, c.received_on) for c in rows] == [
        (q1.pk, "paper", TODAY),
        (q3.pk, "paper", TODAY),
    ]
    assert AuditEntry.objects.filter(action="contribution.recorded").exists()
    # A booklet dated in the future is refused, nothing saved.
    response = agent_client.post(
        url, {**data, "member": council.members[4].pk, "received_on": "2099-01-01"}
    )
    assert response.status_code == 400
    assert Contribution.objects.count() == 2
