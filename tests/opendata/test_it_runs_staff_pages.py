"""Staff open-data pages: who may reach them, and each action through its view
(indicator imports with a dry run, verifications against a local HTTP server, requests,
services, targets, evaluations typed from paper, an evaluation drafted as an opinion)."""

from __future__ import annotations

import datetime as dt
import html
import time
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.factories import roubaix_call
from tests.roles import make_staff
from tirage.audit.models import AuditEntry
from tirage.backoffice.roles import COORDINATOR, COUNTER_AGENT, OBSERVER
from tirage.council.dates import add_months
from tirage.demo.opendata import MEDIATION_SCHEMA, mediation_places_csv
from tirage.opendata import services
from tirage.opendata.models import (
    DataRequest,
    DigitalService,
    IndicatorImport,
    IndicatorValue,
    Target,
    Verification,
)

pytestmark = pytest.mark.django_db
BASE = "/gestion/donnees-ouvertes/"


@pytest.fixture
def call(db):
    return roubaix_call()


@pytest.fixture
def followed(db):
    return DigitalService.objects.create(
        slug="demarches", name="Démarches en ligne", kind="demarche"
    )


@pytest.fixture
def coord_client(as_user, coordinator):
    return as_user(coordinator)


def _month(offset: int) -> str:
    return f"{add_months(timezone.localdate().replace(day=1), offset):%Y-%m}"


def _text(response) -> str:
    return html.unescape(response.content.decode())


# -- who may reach each view -----------------------------------------------------------

READ = ["", "demandes/{request}/", "services/{service}/"]
WRITE = [
    "demandes/nouvelle/",
    "demandes/{request}/modifier/",
    "services/nouveau/",
    "indicateurs/import/",
    "evaluations/saisie/",
]
POST_ONLY = [
    "demandes/{request}/accepter/",
    "demandes/{request}/refuser/",
    "demandes/{request}/publication/",
    "demandes/{request}/verification/",
    "services/{service}/objectif/",
]
PUBLIC = [
    "/donnees-ouvertes/",
    "/donnees-ouvertes/services/{slug}/",
    "/donnees-ouvertes/datapackage.json",
    "/donnees-ouvertes/catalogue.jsonld",
    "/donnees-ouvertes/schemas/",
    "/donnees-ouvertes/demandes-ouverture.csv",
    "/donnees-ouvertes/demandes-ouverture.json",
    "/donnees-ouvertes/api/",
    "/donnees-ouvertes/api/demandes-ouverture/",
]
#: role → expected status of (read pages, write pages, POST-only actions)
WHO = {
    "anonymous": (302, 302, 302),
    COUNTER_AGENT: (403, 403, 403),
    OBSERVER: (200, 403, 403),
    COORDINATOR: (200, 200, None),  # POST-only actions: tested one by one below
}


@pytest.mark.parametrize("role", list(WHO))
def test_who_may_reach_each_view(role, call, followed, as_user):
    request = services.create_request(call_id=call.pk, title="T", description="D", reason="R")
    user = (
        None
        if role == "anonymous"
        else make_staff("u", role, "mdq-nord" if role == COUNTER_AGENT else None)
    )
    client = as_user(user)
    ids = {"request": request.pk, "service": followed.pk, "slug": followed.slug}
    read, write, post_only = WHO[role]
    for path in READ:
        response = client.get(BASE + path.format(**ids))
        assert response.status_code == read, (role, path)
        if read == 302:
            assert response["Location"].startswith("/gestion/connexion/")
    for path in WRITE:
        assert client.get(BASE + path.format(**ids)).status_code == write, (role, path)
    for path in POST_ONLY:
        url = BASE + path.format(**ids)
        if post_only is not None:
            assert client.post(url).status_code == post_only, (role, path)
        else:
            assert client.get(url).status_code == 405, (role, path)
    for path in PUBLIC:
        assert client.get(path.format(**ids)).status_code == 200, (role, path)
    # An observer reads a service page but may not change it.
    if role == OBSERVER:
        assert client.post(BASE + f"services/{followed.pk}/", {"name": "X"}).status_code == 403
    assert DataRequest.objects.get().status == "requested"


def test_the_staff_menu_links_the_open_data_pages(as_user, coordinator, observer, call):
    for user in (coordinator, observer):
        page = as_user(user).get("/gestion/").content.decode()
        assert f'href="{BASE}"' in page
    agent = make_staff("agent", COUNTER_AGENT, "mdq-nord")
    assert f'href="{BASE}"' not in as_user(agent).get("/gestion/").content.decode()


# -- indicator imports through the upload view ---------------------------------------------


def _upload(client, content: bytes, *, name="indicateurs.csv", action="import", replace=False):
    data = {"file": SimpleUploadedFile(name, content), "action": action}
    if replace:
        data["replace"] = "on"
    return client.post(BASE + "indicateurs/import/", data)


GOOD = "service,periode,indicateur,secteur,valeur\ndemarches,{m1},part_en_ligne,,71.5\ndemarches,{m2},part_en_ligne,,73\n"


def test_a_dry_run_saves_nothing_then_the_import_saves_everything(coord_client, followed):
    content = GOOD.format(m1=_month(-2), m2=_month(-1)).encode()
    response = _upload(coord_client, content, action="check")
    assert response.status_code == 200
    text = _text(response)
    assert "Vérification réussie : rien n'a encore été enregistré" in text
    assert "2 valeurs de " in text and "pour demarches" in text
    assert IndicatorValue.objects.count() == 0 and IndicatorImport.objects.count() == 0
    response = _upload(coord_client, content)
    assert response.status_code == 302
    assert IndicatorValue.objects.count() == 2
    assert {v.value for v in IndicatorValue.objects.all()} == {Decimal("71.5"), Decimal(73)}
    assert AuditEntry.objects.filter(action="indicators.imported").count() == 1


def test_a_windows_1252_semicolon_file_with_decimal_commas_is_read(coord_client, followed):
    content = (
        f"Service;Période;Indicateur;Secteur;Valeur\ndemarches;{_month(-1)};part_en_ligne;;71,5\n"
    ).encode("cp1252")
    assert _upload(coord_client, content).status_code == 302
    assert IndicatorValue.objects.get().value == Decimal("71.5")


BAD = {
    "missing column": (
        "service,periode,indicateur,value\ndemarches,{m1},satisfaction,7\n",
        "Colonne absente : « valeur ». Le fichier doit avoir les colonnes service, periode, "
        "indicateur, valeur (et secteur si besoin) ; colonnes trouvées : « service », "
        "« periode », « indicateur », « value ».",
    ),
    "not a number": (
        "service,periode,indicateur,valeur\ndemarches,{m1},satisfaction,sept\n",
        "Ligne 2, colonne « valeur » : « sept » n'est pas un nombre.",
    ),
    "future month": (
        "service,periode,indicateur,valeur\ndemarches,{future},satisfaction,7\n",
        "Ligne 2, colonne « periode » : {future_label} est dans le futur (nous sommes en {now_label}).",
    ),
    "percentage above 100": (
        "service;periode;indicateur;valeur\ndemarches;{m1};part_en_ligne;104,5\n",
        "Ligne 2, colonne « valeur » : 104,5\u00a0% dépasse 100 % (de 4,5 points) pour "
        "« Part des démarches faites entièrement en ligne ».",
    ),
    "duplicate in the file": (
        "service,periode,indicateur,valeur\ndemarches,{m1},satisfaction,7\ndemarches,{m1},satisfaction,8\n",
        "Ligne 3 : même service, mois, indicateur et secteur que la ligne 2 "
        "(demarches, {m1}, satisfaction, toute la ville).",
    ),
}


@pytest.mark.parametrize("case", list(BAD))
@pytest.mark.parametrize("action", ["check", "import"])
def test_each_bad_file_gets_a_french_message_and_nothing_is_saved(
    case, action, coord_client, followed
):
    from tirage.opendata.importer import month_label

    today = timezone.localdate().replace(day=1)
    values = {
        "m1": _month(-1),
        "future": _month(1),
        "future_label": month_label(add_months(today, 1)),
        "now_label": month_label(today),
    }
    # A good row first: the whole file is refused, that row too.
    content, message = BAD[case]
    body = content.format(**values)
    header, *rows = body.splitlines(keepends=True)
    separator = ";" if ";" in header else ","
    good = separator.join(["demarches", _month(-3), "disponibilite", "99"])
    if case != "missing column":
        good_row = good + (separator if "secteur" in header else "") + "\n"
        body = header + good_row + "".join(rows)
        message = (
            message.replace("Ligne 3", "Ligne 4")
            .replace("ligne 2", "ligne 3")
            .replace("Ligne 2", "Ligne 3")
        )
    response = _upload(coord_client, body.encode(), action=action)
    assert response.status_code == 400
    text = _text(response)
    assert "Fichier refusé : rien n'a été enregistré" in text
    assert message.format(**values) in text
    assert IndicatorValue.objects.count() == 0
    assert IndicatorImport.objects.count() == 0


def test_a_value_already_stored_is_refused_unless_replaced(coord_client, followed):
    _upload(
        coord_client,
        f"service,periode,indicateur,valeur\ndemarches,{_month(-1)},satisfaction,7\n".encode(),
    )
    changed = (
        f"service,periode,indicateur,valeur\ndemarches,{_month(-1)},satisfaction,7.5\n".encode()
    )
    response = _upload(coord_client, changed, action="check")
    assert response.status_code == 400
    assert (
        f"Ligne 2 : une valeur existe déjà pour demarches, {_month(-1)}, satisfaction (7/10) ; "
        "cochez « remplacer les valeurs existantes » pour la corriger." in _text(response)
    )
    assert _upload(coord_client, changed, replace=True).status_code == 302
    assert IndicatorValue.objects.get().value == Decimal("7.5")
    # The very same file again: refused, nothing added.
    response = _upload(coord_client, changed, replace=True)
    assert "Ce fichier a déjà été importé le " in _text(response)
    assert IndicatorImport.objects.count() == 2


# -- requests: create, decide, publish, verify ------------------------------------------


def _create(client, **extra):
    data = {
        "title": "Lieux de médiation numérique",
        "description": "Où se faire aider pour le numérique.",
        "reason": "Que chacun trouve de l'aide près de chez lui.",
        "producer": "Direction du numérique",
        "priority": "high",
        "expected_format": "csv",
        "expected_columns": "",
        **extra,
    }
    response = client.post(BASE + "demandes/nouvelle/", data)
    assert response.status_code == 302, _text(response)
    return DataRequest.objects.latest("id")


def _publish(client, request, resource_url, schema=MEDIATION_SCHEMA):
    client.post(BASE + f"demandes/{request.pk}/accepter/", {"reason": ""})
    response = client.post(
        BASE + f"demandes/{request.pk}/publication/",
        {
            "portal": "datagouv",
            "dataset_id": "lieux-mediation",
            "dataset_url": resource_url.rsplit("/", 1)[0] + "/jeu/",
            "resource_url": resource_url,
            "licence": "Licence Ouverte 2.0",
            "schema_name": schema[0],
            "schema_version": schema[1],
        },
    )
    assert response.status_code == 302, _text(response)


def test_a_request_goes_from_requested_to_verified_through_the_pages(coord_client, call, catalogue):
    request = _create(coord_client)
    assert request.priority == "high" and request.status == "requested"
    catalogue.files["lieux.csv"] = ("text/csv", mediation_places_csv(updated=dt.date(2026, 3, 2)))
    _publish(coord_client, request, catalogue.url("lieux.csv"))
    request.refresh_from_db()
    assert request.status == "published" and request.dataset_id == "lieux-mediation"
    response = coord_client.post(BASE + f"demandes/{request.pk}/verification/", {"origin": "url"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "verified"
    check = request.last_verification()
    assert check.origin == "url" and check.schema_name == MEDIATION_SCHEMA[0]
    page = _text(coord_client.get(BASE + f"demandes/{request.pk}/"))
    assert "Conforme au schéma LaMednum/standard-mediation-num 0.2.0." in page
    public = _text(coord_client.get("/donnees-ouvertes/"))
    assert "Conforme</span>, le " in public
    assert [e.action for e in AuditEntry.objects.filter(object_id=str(request.pk)).order_by("id")][
        :4
    ] == [
        "data_request.created",
        "data_request.accepted",
        "data_request.published",
        "data_request.verified",
    ]


@pytest.mark.parametrize(
    "path, expected",
    [
        (
            "absent.csv",
            "Le serveur a répondu 404 Not Found pour {url} : le fichier n'est pas à cette adresse.",
        ),
        (
            "lent.csv",
            "Le serveur n'a pas envoyé le fichier {url} en 0,5 s : vérification abandonnée.",
        ),
        (
            "annonce-2-go.csv",
            "Le fichier annonce 2 Go, au-delà de la limite de 1 Mo : il n'a pas été téléchargé.",
        ),
        ("flux-2-go.csv", "Le fichier dépasse la limite de 1 Mo : téléchargement arrêté."),
    ],
)
def test_a_failed_fetch_is_recorded_with_a_french_reason_within_bounds(
    path, expected, coord_client, call, catalogue
):
    request = _create(coord_client)
    _publish(coord_client, request, catalogue.url(path), schema=("", ""))
    started = time.monotonic()
    response = coord_client.post(
        BASE + f"demandes/{request.pk}/verification/", {"origin": "url"}, follow=True
    )
    waited = time.monotonic() - started
    check = Verification.objects.get(request=request)
    message = expected.format(url=catalogue.url(path))
    assert check.outcome == "fetch_failed" and check.message == message
    assert message in _text(response)
    request.refresh_from_db()
    assert request.status == "published"
    # The settings say 0.5 s; the worst case is under twice that (tirage.opendata.fetch).
    assert waited < 5
    if path == "flux-2-go.csv":
        assert catalogue.streamed_bytes < 64 * 1024 * 1024


def test_a_site_not_allowed_is_never_fetched(coord_client, call, catalogue):
    request = _create(coord_client)
    _publish(coord_client, request, "https://donnees.example.invalid/x.csv", schema=("", ""))
    page = _text(coord_client.get(BASE + f"demandes/{request.pk}/"))
    assert "n'est pas sur un site autorisé" in page
    coord_client.post(BASE + f"demandes/{request.pk}/verification/", {"origin": "url"})
    check = Verification.objects.get(request=request)
    assert check.message == (
        "L'adresse https://donnees.example.invalid/x.csv n'est pas dans la liste des sites "
        "autorisés pour la vérification."
    )
    assert catalogue.requests == []


def test_offline_a_file_can_be_uploaded_instead(coord_client, call, settings):
    settings.OPENDATA_FETCH_ALLOWED_PREFIXES = []
    request = _create(coord_client, expected_columns="nom\ncommune")
    _publish(coord_client, request, "https://www.data.gouv.fr/fr/lieux.csv")
    page = _text(coord_client.get(BASE + f"demandes/{request.pk}/"))
    assert "La vérification en ligne n'est pas configurée." in page
    content = mediation_places_csv(updated=dt.date(2026, 3, 2))
    upload = SimpleUploadedFile("lieux.csv", content)
    coord_client.post(
        BASE + f"demandes/{request.pk}/verification/", {"origin": "upload", "file": upload}
    )
    check = Verification.objects.get(request=request)
    assert check.origin == "upload" and check.file_name == "lieux.csv"
    assert check.outcome == "ok"
    # A file in another format than promised: named as such, the request stays « publiée ».
    html_page = SimpleUploadedFile("page.csv", b"<!doctype html><html><body>Portail</body></html>")
    coord_client.post(
        BASE + f"demandes/{request.pk}/verification/", {"origin": "upload", "file": html_page}
    )
    request.refresh_from_db()
    assert request.status == "published"
    assert request.last_verification().outcome == "wrong_format"


def test_a_refusal_needs_its_reasons_and_is_published(coord_client, call):
    request = _create(coord_client)
    response = coord_client.post(BASE + f"demandes/{request.pk}/refuser/", {"reason": "  "})
    assert response.status_code == 400
    assert "Indiquez les motifs du refus : ils seront publiés." in _text(response)
    request.refresh_from_db()
    assert request.status == "requested"
    coord_client.post(BASE + f"demandes/{request.pk}/refuser/", {"reason": "Données nominatives."})
    request.refresh_from_db()
    assert request.status == "refused"
    assert "Données nominatives." in _text(coord_client.get("/donnees-ouvertes/"))
    # A second click: refused in French, nothing changes.
    response = coord_client.post(BASE + f"demandes/{request.pk}/accepter/", {"reason": ""})
    assert "est déjà « refusée »" in _text(response)


def test_a_control_character_in_a_request_is_refused_before_it_reaches_the_public_files(
    coord_client, call
):
    data = {
        "title": "Horaires des bibliothèques\u0007",
        "description": "Les horaires\nd'ouverture.",
        "reason": "Savoir quand y aller\u202e.",
        "priority": "high",
        "expected_format": "csv",
    }
    response = coord_client.post(BASE + "demandes/nouvelle/", data)
    assert response.status_code == 200
    text = _text(response)
    assert (
        "Le champ « Données demandées » contient un caractère invisible non autorisé (U+0007)"
        in text
    )
    assert "Le champ « Pourquoi le conseil les demande » contient un caractère invisible" in text
    assert not DataRequest.objects.exists()


def test_editing_a_request_is_audited_with_old_and_new_values(coord_client, call):
    request = _create(coord_client)
    data = {
        "title": "Lieux de médiation numérique à Roubaix",
        "description": request.description,
        "reason": request.reason,
        "producer": request.producer,
        "priority": "low",
        "expected_format": "csv",
        "expected_columns": "nom\ncommune",
    }
    assert coord_client.post(BASE + f"demandes/{request.pk}/modifier/", data).status_code == 302
    request.refresh_from_db()
    assert request.priority == "low" and request.expected_columns == ["nom", "commune"]
    entry = AuditEntry.objects.get(action="data_request.edited")
    assert entry.data["priority"] == {"avant": "high", "après": "low"}
    assert set(entry.data) == {"title", "priority", "expected_columns"}


# -- services, targets -------------------------------------------------------------------


def test_a_service_is_created_edited_and_given_a_target(coord_client):
    data = {
        "slug": "bornes",
        "name": "Bornes",
        "kind": "borne",
        "description": "",
        "url": "",
        "owner": "",
        "followed_since": "",
        "active": "on",
        "order": "3",
    }
    assert coord_client.post(BASE + "services/nouveau/", data).status_code == 302
    service = DigitalService.objects.get(slug="bornes")
    response = coord_client.post(BASE + "services/nouveau/", data)
    assert "Le code « bornes » est déjà celui d'un autre service." in _text(response)
    edited = {**data, "slug": "autre", "name": "Bornes en libre-service"}
    assert coord_client.post(BASE + f"services/{service.pk}/", edited).status_code == 302
    service.refresh_from_db()
    assert service.name == "Bornes en libre-service" and service.slug == "bornes"
    target = {
        "indicator": "disponibilite",
        "secteur": "",
        "value": "104",
        "valid_from": "01/01/2026",
    }
    response = coord_client.post(BASE + f"services/{service.pk}/objectif/", target)
    assert response.status_code == 400
    assert "Objectif refusé : 104\u00a0% dépasse 100 % (de 4 points)" in _text(response)
    target["value"] = "97"
    assert coord_client.post(BASE + f"services/{service.pk}/objectif/", target).status_code == 302
    assert Target.objects.get().value == Decimal(97)
    assert {"service.created", "service.edited", "target.set"} <= set(
        AuditEntry.objects.values_list("action", flat=True)
    )
