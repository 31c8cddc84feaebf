import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import roubaix_call

pytestmark = pytest.mark.django_db


def test_home_page_is_french_with_a_skip_link(client):
    page = client.get("/").content.decode()
    assert '<html lang="fr">' in page
    assert '<a class="skip-link" href="#contenu">Aller au contenu</a>' in page
    assert '<main id="contenu"' in page
    assert "Aucun appel à candidatures n'est publié" in page
    # Browsers ask for no /favicon.ico (a « Not Found » line in the demo's terminal each time).
    assert '<link rel="icon" href="data:,">' in page


def test_closed_shipped_call_shows_its_real_dates_and_says_closed(client):
    roubaix_call()
    page = client.get("/").content.decode()
    assert "Conseil local du numérique – Roubaix" in page  # header
    assert "L'appel est clos" in page
    assert "Jusqu'au vendredi 6 juin 2025 à 23 h 59." in page
    assert "Le vendredi 13 juin 2025, en public" in page
    assert "20 membres" in page and "au moins 16 ans le vendredi 6 juin 2025" in page
    assert "Démonstration" not in page
    assert 'href="/candidater/"' not in page  # no link to a closed form
    for office in ("Nord", "Sud", "Est", "Ouest", "Centre"):
        assert f"Mairie des quartiers {office}" in page
    assert "187 rue de l&#x27;Épeule, 59100 Roubaix" in page
    assert 'href="/candidater/formulaire-papier.pdf"' in page
    assert "créé par le conseil municipal de Roubaix le 23 avril 2025" in page


def test_redated_demo_call_is_open_and_says_so(client):
    today = dt.date.today()
    roubaix_call(open_on=today)
    page = client.get("/").content.decode()
    text = " ".join(page.replace("<strong>", "").replace("</strong>", "").split())
    assert (
        "Démonstration : les dates de l'appel réel (clôture le 6 juin 2025) "
        "ont été décalées pour que l'appel soit ouvert aujourd'hui." in text.replace("&#x27;", "'")
    )
    assert 'class="button" href="/candidater/">Candidater en ligne</a>' in page
    assert "L'appel est clos" not in page.replace("&#x27;", "'")


def test_redated_demo_call_once_closed_does_not_say_it_is_open(client):
    # « tirage demo --until results » closes its call: the notice no longer says « ouvert ».
    call = roubaix_call(open_on=dt.date.today())
    call.closes_at = timezone.now() - dt.timedelta(minutes=1)
    call.save(update_fields=["closes_at"])
    text = client.get("/").content.decode().replace("&#x27;", "'")
    text = " ".join(text.replace("<strong>", "").replace("</strong>", "").split())
    assert "ont été décalées pour la démonstration." in text
    assert "soit ouvert aujourd'hui" not in text and "L'appel est clos" in text


def test_paper_form_url_resolves(client):
    assert reverse("applications:paper_form") == "/candidater/formulaire-papier.pdf"
    response = client.get("/candidater/formulaire-papier.pdf")
    # No call loaded here: no form to print (the PDF itself: tests/applications/test_it_renders_paper_form.py).
    assert response.status_code == 404


def test_footer_links_to_the_three_notices(client):
    page = client.get("/").content.decode()
    assert 'href="/accessibilite/">Accessibilité : partiellement conforme</a>' in page
    assert 'href="/donnees-personnelles/">Données personnelles</a>' in page
    assert 'href="/mentions-legales/">Mentions légales</a>' in page
