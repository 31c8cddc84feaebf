"""Data requests: states, the catalogue reference and verification (fetched or uploaded)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import roubaix_call
from tirage.audit.models import AuditEntry
from tirage.demo.opendata import MEDIATION_SCHEMA, mediation_places_csv
from tirage.opendata import services
from tirage.opendata.models import DataRequest, Verification
from tirage.opendata.schemas import shipped_schema, shipped_schemas

pytestmark = pytest.mark.django_db

UPDATED = dt.date(2026, 3, 2)


def _published(catalogue=None, *, columns=(), schema=MEDIATION_SCHEMA, resource="ok.csv"):
    call = roubaix_call()
    request = services.create_request(
        call_id=call.pk,
        title="Lieux de médiation numérique",
        description="Où se faire aider pour le numérique.",
        reason="Que chacun trouve de l'aide près de chez lui.",
        expected_columns=list(columns),
    )
    services.accept_request(request_id=request.pk)
    base = catalogue.base if catalogue else "https://www.data.gouv.fr/"
    return services.publish_request(
        request_id=request.pk,
        portal=DataRequest.Portal.DATA_GOUV,
        dataset_url=base + "jeu/",
        resource_url=base + resource,
        schema_name=schema[0],
        schema_version=schema[1],
    )


def test_the_shipped_schema_is_the_published_one():
    schema = shipped_schema("LaMednum/standard-mediation-num", "0.2.0")
    assert schema is not None
    assert schema.descriptor["version"] == "0.2.0"
    assert len(schema.field_names) == 32
    assert schema.required_fields == [
        "id",
        "pivot",
        "nom",
        "commune",
        "code_postal",
        "adresse",
        "date_maj",
        "services",
    ]
    # Without a version, the latest shipped one; unknown or unsafe names give None.
    assert shipped_schema("LaMednum/standard-mediation-num").version == "0.2.0"
    assert shipped_schema("../../etc/passwd") is None
    assert shipped_schema("etalab/schema-irve") is None
    assert {s.name for s in shipped_schemas()} >= {"LaMednum/standard-mediation-num"}


def test_a_request_goes_through_every_state_and_each_step_is_audited(catalogue):
    catalogue.files["ok.csv"] = ("text/csv", mediation_places_csv(updated=UPDATED))
    request = _published(catalogue)
    assert request.status == DataRequest.Status.PUBLISHED
    check = services.verify_request(request_id=request.pk)
    request.refresh_from_db()
    assert check.outcome == Verification.Outcome.OK, check.message
    assert request.status == DataRequest.Status.VERIFIED
    assert request.verified_at == check.checked_at
    assert check.row_count == 5
    assert check.schema_name == "LaMednum/standard-mediation-num"
    assert check.message.startswith("CSV lisible : 5 lignes, 11 colonnes")
    assert "Conforme au schéma LaMednum/standard-mediation-num 0.2.0." in check.message
    actions = list(
        AuditEntry.objects.filter(object_id=str(request.pk), object_type="opendata.datarequest")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "data_request.created",
        "data_request.accepted",
        "data_request.published",
        "data_request.verified",
    ]


def test_a_404_is_recorded_and_the_request_stays_published(catalogue):
    request = _published(catalogue, resource="disparu.csv")
    check = services.verify_request(request_id=request.pk)
    request.refresh_from_db()
    assert check.outcome == Verification.Outcome.FETCH_FAILED
    assert "404" in check.message and "disparu.csv" in check.message
    assert request.status == DataRequest.Status.PUBLISHED
    assert request.verified_at is None


def test_a_timeout_is_recorded_in_bounded_time(catalogue):
    request = _published(catalogue, resource="lent.csv")
    check = services.verify_request(request_id=request.pk)
    assert check.outcome == Verification.Outcome.FETCH_FAILED
    assert "en 0,5 s" in check.message


def test_an_oversized_file_is_not_downloaded(catalogue):
    request = _published(catalogue, resource="annonce-2-go.csv")
    check = services.verify_request(request_id=request.pk)
    assert check.outcome == Verification.Outcome.FETCH_FAILED
    assert "annonce 2 Go" in check.message
    assert check.byte_count == 0


def test_a_verified_request_that_later_fails_goes_back_to_published(catalogue):
    catalogue.files["ok.csv"] = ("text/csv", mediation_places_csv(updated=UPDATED))
    request = _published(catalogue)
    services.verify_request(request_id=request.pk)
    del catalogue.files["ok.csv"]
    services.verify_request(request_id=request.pk)
    request.refresh_from_db()
    assert request.status == DataRequest.Status.PUBLISHED
    assert [v.outcome for v in request.verifications.order_by("id")] == ["ok", "fetch_failed"]


def test_wrong_columns_are_named():
    request = _published(schema=("", ""), columns=["id", "nom", "horaires", "accessibilité"])
    check = services.verify_request(
        request_id=request.pk,
        content=mediation_places_csv(updated=UPDATED),
        file_name="lieux.csv",
    )
    assert check.outcome == Verification.Outcome.MISSING_COLUMNS
    assert check.message.startswith(
        "Colonnes promises absentes : « horaires », « accessibilité ». Colonnes du fichier : « id »,"
    )
    assert check.origin == Verification.Origin.UPLOAD


def test_a_file_missing_a_required_schema_column_is_refused():
    request = _published()
    check = services.verify_request(
        request_id=request.pk,
        content=mediation_places_csv(updated=UPDATED, with_services=False),
        file_name="lieux.csv",
    )
    assert check.outcome == Verification.Outcome.MISSING_COLUMNS
    assert "« services »" in check.message


def test_schema_failures_are_listed_in_french_by_row_and_column():
    good = mediation_places_csv(updated=UPDATED).decode()
    bad = (
        good.replace("59100,59512", "591,59512", 1)
        .replace("Aide aux démarches administratives", "Cours de danse", 1)
        .replace(",2026-03-02,", ",02/03/2026,", 1)
    )
    request = _published()
    check = services.verify_request(request_id=request.pk, content=bad.encode(), file_name="x.csv")
    assert check.outcome == Verification.Outcome.SCHEMA_INVALID
    assert check.message == ("3 erreurs au regard du schéma LaMednum/standard-mediation-num 0.2.0.")
    assert (
        check.errors[0]
        == 'Ligne 2, colonne « code_postal » : « 591 » n\'a pas la forme attendue ("^\\d{5}$").'
    )
    assert check.errors[1].startswith(
        "Ligne 2, colonne « date_maj » : « 02/03/2026 » n'est pas du type attendu"
    )
    assert check.errors[2].startswith(
        "Ligne 2, colonne « services » : « Cours de danse » ne fait pas partie des valeurs permises"
    )
    request.refresh_from_db()
    assert request.status == DataRequest.Status.PUBLISHED


def test_an_html_page_where_a_csv_was_promised_is_the_wrong_format():
    request = _published(schema=("", ""))
    check = services.verify_request(
        request_id=request.pk,
        content=b"<!DOCTYPE html><html><body>Portail</body></html>",
        file_name="page",
    )
    assert check.outcome == Verification.Outcome.WRONG_FORMAT
    assert check.message == "Le fichier est au format page web (HTML), pas CSV comme promis."


def test_a_file_of_no_known_format_is_said_so_in_plain_french():
    request = _published(schema=("", ""))
    check = services.verify_request(
        request_id=request.pk, content=b"\xff\xfe\x00\x01\x80\x81", file_name="x.csv"
    )
    assert check.outcome == Verification.Outcome.WRONG_FORMAT
    assert check.message == "Le format du fichier n'est pas reconnu (CSV promis)."


def test_a_schema_tirage_does_not_ship_checks_columns_only():
    request = _published(schema=("etalab/schema-irve-statique", "2.3.1"), columns=["id"])
    check = services.verify_request(
        request_id=request.pk, content=mediation_places_csv(updated=UPDATED), file_name="x.csv"
    )
    assert check.outcome == Verification.Outcome.OK
    assert "n'est pas fourni avec Tirage : seuls le format et les colonnes ont été vérifiés" in (
        check.message
    )


def test_transitions_are_refused_with_the_current_state():
    request = _published(schema=("", ""))
    with pytest.raises(services.OpendataError) as caught:
        services.accept_request(request_id=request.pk)
    assert str(caught.value) == (
        "Impossible d'accepter : la demande « Lieux de médiation numérique » est déjà « publiée »."
    )
    with pytest.raises(services.OpendataError, match="motifs du refus"):
        services.refuse_request(request_id=request.pk, reason="  ")


def test_a_refused_request_keeps_its_reasons_and_cannot_be_published():
    call = roubaix_call()
    request = services.create_request(
        call_id=call.pk, title="Appels", description="Les appels.", reason="Comprendre."
    )
    services.refuse_request(request_id=request.pk, reason="Données personnelles.")
    request.refresh_from_db()
    assert request.status == DataRequest.Status.REFUSED
    assert request.decision_reason == "Données personnelles."
    with pytest.raises(services.OpendataError, match="déjà « refusée »"):
        services.publish_request(
            request_id=request.pk,
            portal="datagouv",
            dataset_url="https://www.data.gouv.fr/x/",
            resource_url="https://www.data.gouv.fr/x.csv",
        )


def test_publishing_twice_the_same_reference_is_stored_once():
    request = _published(schema=("", ""))
    again = services.publish_request(
        request_id=request.pk,
        portal=request.portal,
        dataset_url=request.dataset_url,
        resource_url=request.resource_url,
        licence=request.licence,
    )
    assert again.published_at == request.published_at
    assert (
        AuditEntry.objects.filter(
            object_id=str(request.pk), action__startswith="data_request.publi"
        ).count()
        == 1
    )
