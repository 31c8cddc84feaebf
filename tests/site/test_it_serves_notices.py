import pytest

from tests.factories import roubaix_call

pytestmark = pytest.mark.django_db


def test_accessibility_statement_follows_the_rgaa_structure(client):
    roubaix_call()
    page = client.get("/accessibilite/").content.decode().replace("&#x27;", "'")
    assert "<title>Accessibilité : partiellement conforme" in page
    headings = [
        "État de conformité",
        "Résultats des tests",
        "Contenus non accessibles",
        "Établissement de cette déclaration d'accessibilité",
        "Retour d'information et contact",
        "Voies de recours",
    ]
    positions = [page.index(f"<h2>{h}</h2>") for h in headings]
    assert positions == sorted(positions)
    assert "<strong>partiellement conforme</strong>" in page
    assert "Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07" in page
    assert "conseil-numerique@ville-roubaix.fr" in page


def test_privacy_notice_names_controller_purpose_basis_retention_rights(client):
    call = roubaix_call()
    page = client.get("/donnees-personnelles/").content.decode().replace("&#x27;", "'")
    assert "Ville de Roubaix, Grand'Place, 59100 Roubaix" in page
    assert "constituer le Conseil local du numérique par tirage au sort" in page
    assert "mission d'intérêt public (article 6, paragraphe 1, point e" in page
    assert f"gardées {call.retention_months} mois" in page
    assert "<strong>numéros de récépissé</strong>" in page
    for right in ("accéder", "corriger", "effacer", "limitation", "opposer", "CNIL"):
        assert right in page


def test_privacy_notice_follows_the_call_settings(client):
    call = roubaix_call()
    call.retention_months = 6
    call.data_controller = "Mairie de Test"
    call.save()
    page = client.get("/donnees-personnelles/").content.decode()
    assert "gardées 6 mois" in page and "Mairie de Test" in page


def test_legal_notice(client):
    roubaix_call()
    page = client.get("/mentions-legales/").content.decode()
    assert "<h1>Mentions légales</h1>" in page and "EUPL" in page
