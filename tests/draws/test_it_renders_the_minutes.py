"""The procès-verbal: staff type the place and witnesses, then download the real PDF."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from tests.pdftext import PDF_UA_1, pdf_ua_marks
from tirage.audit.models import AuditEntry
from tirage.draws import services
from tirage.draws.models import DrawResult


@pytest.fixture
def drawn(committed):
    services.perform_draw(committed, dice=[4, 2, 7])
    committed.refresh_from_db()
    return committed


def test_witnesses_typed_by_staff_are_in_the_pdf_with_the_result(client, coordinator, drawn):
    client.force_login(coordinator)
    response = client.post(
        f"/gestion/tirage/{drawn.pk}/proces-verbal/",
        {
            "place": "Salle Watremez, Hôtel de ville de Roubaix",
            "witnesses": "Hélène Caron, habitante\nJérôme Lefèvre, huissier de justice\n",
        },
        follow=True,
    )
    assert "Lieu et témoins enregistrés" in response.content.decode()
    assert AuditEntry.objects.filter(action="draw.minutes_completed").count() == 1

    response = client.get(f"/gestion/tirage/{drawn.pk}/proces-verbal.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="proces-verbal-tirage-{drawn.pk}.pdf"' in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    assert pdf_ua_marks(reader) == PDF_UA_1  # a public document: tagged, accessible (PDF/UA-1)
    text = "\n".join(page.extract_text() for page in reader.pages)
    flat = re.sub(r"\s+", "", text)

    assert "Procès-verbal" in text and "Témoins" in text and "témoins" in text
    assert "Hélène Caron, habitante" in text and "Jérôme Lefèvre, huissier de justice" in text
    assert "Salle Watremez, Hôtel de ville de Roubaix" in text
    assert drawn.commitment in flat and drawn.pool.fingerprint in flat
    assert "4 2 7" in text and "n° 427" in text
    result = DrawResult.objects.get(draw=drawn)
    assert len(result.selected) == 20
    for code in result.selected + result.reserve:
        assert code in text, code


def test_place_is_required_and_the_error_is_on_the_field(client, coordinator, drawn):
    client.force_login(coordinator)
    page = client.post(
        f"/gestion/tirage/{drawn.pk}/proces-verbal/", {"place": "", "witnesses": "X"}
    ).content.decode()
    assert '<a href="#id_place">Indiquez le lieu du tirage' in page
    assert 'class="field has-error"' in page
    assert DrawResult.objects.get(draw=drawn).witnesses == ""


def test_minutes_are_for_coordinators_only(client, observer, drawn):
    client.force_login(observer)
    assert client.get(f"/gestion/tirage/{drawn.pk}/proces-verbal.pdf").status_code == 403
    assert (
        client.post(f"/gestion/tirage/{drawn.pk}/proces-verbal/", {"place": "Ailleurs"}).status_code
        == 403
    )
    assert DrawResult.objects.get(draw=drawn).place != "Ailleurs"
