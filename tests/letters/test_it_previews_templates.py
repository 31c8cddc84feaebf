"""Staff preview a letter template as a sample PDF (fictitious person); others cannot."""

import io

import pypdf
from django.contrib.auth.models import User

from tirage.letters.models import Kind, Letter
from tirage.letters.services import current_template


def test_preview_renders_a_sample_letter_and_stores_nothing(client, drawn):
    client.force_login(User.objects.create_superuser("coord", "c@example.org", "pw-123456789"))
    template = current_template(drawn.call, Kind.REPLACEMENT)
    response = client.get(f"/admin/letters/lettertemplate/{template.pk}/apercu.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    text = reader.pages[0].extract_text()
    assert "Hélène LEFÈVRE-DUPRÉ" in text and "Bonjour Hélène Lefèvre-Dupré," in text
    assert "la personne WXYZ-6789 ne siège pas" in text
    assert "{" not in text  # every placeholder was filled
    assert not Letter.objects.exists()


def test_preview_is_refused_to_anonymous_visitors(client, drawn):
    template = current_template(drawn.call, Kind.SELECTED)
    response = client.get(f"/admin/letters/lettertemplate/{template.pk}/apercu.pdf")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
