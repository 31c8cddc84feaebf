import io

import pytest
from pypdf import PdfReader

from tests.factories import roubaix_call

pytestmark = pytest.mark.django_db


def test_blank_paper_form_is_an_a4_pdf_with_accents_and_mairies(client):
    roubaix_call()
    response = client.get("/candidater/formulaire-papier.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 2
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    text = "\n".join(page.extract_text() for page in reader.pages)
    for expected in (
        "Conseil local du numérique",
        "Mairie des quartiers Nord",
        "187 rue de l'Épeule",
        "Prénom",
        "Numéro",
        "vendredi 6 juin 2025",
        "Cadre réservé à l'administration",
        "Numéro de récépissé",
        "Responsable du traitement",
    ):
        assert expected in text, expected


def test_no_call_no_form(client):
    assert client.get("/candidater/formulaire-papier.pdf").status_code == 404
