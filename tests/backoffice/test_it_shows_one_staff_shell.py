"""One staff shell: every staff page has the same header and menu, showing only what the
role may use, with the current page marked (``backoffice.navigation``)."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db

COORDINATOR_MENU = [
    "Tableau de bord",
    "Candidatures",
    "Saisie au guichet",
    "Importer",
    "Exporter",
    "Tirage au sort",
    "Réponses et mandats",
    "Réunions du conseil",
    "Courriers",
    "Consultations et avis",
    "Données ouvertes",
    "Rafales du formulaire",
    "Formulaire papier (PDF)",
    "Rapport annuel",
]


def menu(html: str) -> list[str]:
    nav = re.search(r'<nav class="staff-nav" aria-label="Menu de gestion">(.*?)</nav>', html, re.S)
    assert nav, "no staff menu on this page"
    return re.findall(r"<li><a [^>]*>([^<]+)</a></li>", nav.group(1))


def current(html: str) -> list[str]:
    return re.findall(r'<a href="[^"]*" aria-current="page">([^<]+)</a>', html)


def test_each_role_sees_only_what_it_may_use(as_user, coordinator, agent_nord, observer):
    assert menu(as_user(coordinator).get("/gestion/").text) == COORDINATOR_MENU
    assert menu(as_user(agent_nord).get("/gestion/").text) == [
        "Tableau de bord",
        "Candidatures",
        "Saisie au guichet",
        "Importer",
        "Réunions du conseil",
        "Consultations et avis",
        "Formulaire papier (PDF)",
    ]
    assert menu(as_user(observer).get("/gestion/").text) == [
        "Tableau de bord",
        "Tirage au sort",
        "Consultations et avis",
        "Données ouvertes",
        "Formulaire papier (PDF)",
    ]


@pytest.mark.parametrize(
    ("path", "entry"),
    [
        ("/gestion/", "Tableau de bord"),
        ("/gestion/candidatures/liste/", "Candidatures"),
        ("/gestion/saisie/", "Saisie au guichet"),
        ("/gestion/candidatures/importer/", "Importer"),
        ("/gestion/candidatures/exporter/", "Exporter"),
        ("/gestion/tirage/", "Tirage au sort"),
        ("/gestion/conseil/", "Réponses et mandats"),
        ("/gestion/conseil/reunions/", "Réunions du conseil"),
        ("/gestion/courriers/", "Courriers"),
        ("/gestion/donnees-ouvertes/", "Données ouvertes"),
        ("/gestion/rapport-activite/", "Rapport annuel"),
        ("/gestion/securite/", "Sécurité du compte"),
    ],
)
def test_every_staff_page_has_the_shell_with_its_entry_marked(as_user, coordinator, path, entry):
    response = as_user(coordinator).get(path)
    assert response.status_code == 200
    html = response.text
    assert menu(html) == COORDINATOR_MENU
    assert current(html) == [entry]
    assert '<p class="site-section">Espace de gestion</p>' in html
    assert 'action="/gestion/deconnexion/"' in html


def test_the_sign_in_page_has_the_header_but_no_menu(anonymous):
    html = anonymous.get("/gestion/connexion/").text
    assert '<p class="site-section">Espace de gestion</p>' in html
    assert 'class="staff-nav"' not in html


def test_a_refused_or_missing_staff_page_keeps_the_shell(as_user, agent_nord, anonymous):
    client = as_user(agent_nord)
    refused = client.get("/gestion/tirage/")
    assert refused.status_code == 403
    assert menu(refused.text)[0] == "Tableau de bord" and "Exporter" not in menu(refused.text)
    assert "Retour au tableau de bord" in refused.text
    missing = client.get("/gestion/nexiste-pas/")
    assert missing.status_code == 404
    assert "Page introuvable" in missing.text and menu(missing.text)
    # Outside the staff area, or signed out: the public error pages.
    public = client.get("/nexiste-pas/")
    assert public.status_code == 404 and "staff-nav" not in public.text
    assert "staff-nav" not in anonymous.get("/gestion/nexiste-pas/").text
