"""Indicator files: CSV (UTF-8 or Windows-1252, `,` or `;`), XLSX and JSON, all or nothing."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from openpyxl import Workbook

from tirage.audit.models import AuditEntry
from tirage.opendata import services
from tirage.opendata.importer import ImportRefused
from tirage.opendata.indicators import INDICATORS
from tirage.opendata.models import DigitalService, IndicatorImport, IndicatorValue
from tirage.opendata.schemas import INDICATORS_SCHEMA, shipped_schema

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 15)


@pytest.fixture(autouse=True)
def followed(db):
    DigitalService.objects.create(slug="demarches", name="Démarches en ligne", kind="demarche")
    DigitalService.objects.create(slug="guichets", name="Guichets", kind="guichet")


def _import(content: bytes, name: str = "indicateurs.csv", **kwargs):
    return services.import_indicators(content=content, file_name=name, today=TODAY, **kwargs)


def _refused(content: bytes, **kwargs) -> list[str]:
    with pytest.raises(ImportRefused) as caught:
        _import(content, **kwargs)
    assert IndicatorValue.objects.count() == 0 or kwargs.get("keep_count")
    return caught.value.errors


def _values():
    return {
        (v.service.slug, f"{v.period:%Y-%m}", v.indicator, v.secteur): v.value
        for v in IndicatorValue.objects.select_related("service")
    }


def test_the_schema_tirage_publishes_lists_the_indicators_it_imports():
    schema = shipped_schema(INDICATORS_SCHEMA)
    fields = {f["name"]: f for f in schema.descriptor["fields"]}
    assert list(fields) == ["service", "periode", "indicateur", "secteur", "valeur"]
    assert fields["indicateur"]["constraints"]["enum"] == list(INDICATORS)
    assert schema.required_fields == ["service", "periode", "indicateur", "valeur"]


def test_a_utf8_comma_file_is_imported():
    batch = _import(
        b"service,periode,indicateur,secteur,valeur\n"
        b"demarches,2026-05,part_en_ligne,,71.5\n"
        b"guichets,2026-05,temps_attente,nord,18\n"
        b"guichets,2026-05,temps_attente,,16.5\n"
    )
    assert (batch.file_format, batch.encoding, batch.delimiter, batch.row_count) == (
        "csv",
        "utf-8",
        ",",
        3,
    )
    assert _values() == {
        ("demarches", "2026-05", "part_en_ligne", ""): Decimal("71.50"),
        ("guichets", "2026-05", "temps_attente", "nord"): Decimal("18.00"),
        ("guichets", "2026-05", "temps_attente", ""): Decimal("16.50"),
    }
    entry = AuditEntry.objects.get(action="indicators.imported")
    assert entry.data["values"] == 3


def test_a_windows_1252_semicolon_file_with_french_headers_and_decimal_commas_is_imported():
    content = (
        "Service;Période;Indicateur;Secteur;Valeur\n"
        "demarches;05/2026;satisfaction;;7,8\n"
        "guichets;2026-04;volume_usage;Centre;1 234\n"
    ).encode("cp1252")
    batch = _import(content)
    assert (batch.encoding, batch.delimiter) == ("windows-1252", ";")
    assert _values() == {
        ("demarches", "2026-05", "satisfaction", ""): Decimal("7.80"),
        ("guichets", "2026-04", "volume_usage", "centre"): Decimal("1234.00"),
    }


def test_an_xlsx_file_is_imported_with_excel_dates_and_numbers():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["service", "periode", "indicateur", "secteur", "valeur"])
    sheet.append(["demarches", dt.datetime(2026, 3, 1), "disponibilite", None, 99.2])
    sheet.append(["demarches", "2026-04", "declaration_accessibilite", None, "oui"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    batch = _import(buffer.getvalue(), name="indicateurs.xlsx")
    assert batch.file_format == "xlsx"
    assert _values() == {
        ("demarches", "2026-03", "disponibilite", ""): Decimal("99.20"),
        ("demarches", "2026-04", "declaration_accessibilite", ""): Decimal("1.00"),
    }


def test_a_json_file_in_tirages_own_published_shape_is_imported():
    content = json.dumps(
        {
            "data": [
                {
                    "service": "guichets",
                    "periode": "2026-05",
                    "indicateur": "satisfaction",
                    "secteur": "sud",
                    "valeur": 8.4,
                },
            ]
        }
    ).encode()
    _import(content, name="indicateurs.json")
    assert _values() == {("guichets", "2026-05", "satisfaction", "sud"): Decimal("8.40")}


def test_a_missing_column_is_named_with_the_columns_found():
    errors = _refused(
        b"service,periode,indicateur,secteur,value\ndemarches,2026-05,satisfaction,,7\n"
    )
    assert errors == [
        "Colonne absente : « valeur ». Le fichier doit avoir les colonnes service, periode, "
        "indicateur, valeur (et secteur si besoin) ; colonnes trouvées : « service », "
        "« periode », « indicateur », « secteur », « value »."
    ]


def test_every_bad_row_is_reported_and_nothing_is_saved():
    content = (
        "service;periode;indicateur;secteur;valeur\n"
        "demarches;2026-05;part_en_ligne;;71,5\n"  # good, but the file is refused as a whole
        "demarches;2026-05;satisfaction;;sept\n"
        "demarches;2026-08;satisfaction;;7\n"
        "demarches;2026-04;part_en_ligne;;104,5\n"
        "demarches;2026-05;part_en_ligne;;70\n"
        "inconnu;2026-05;satisfaction;;7\n"
        "demarches;2026-13;satisfaction;;7\n"
        "demarches;2026-03;taux_conformite_rgaa;nord;80\n"
        "guichets;2026-03;volume_usage;;12,5\n"
        "guichets;2026-03;temps_attente;;-3\n"
        "guichets;2026-03;satisfaction;;11\n"
        "guichets;2026-03;temps_attente;lune;3\n"
        "guichets;2026-03;bonheur;;3\n"
        "guichets;2026-02;satisfaction;;\n"
        "guichets;1901-01;satisfaction;;7\n"
    ).encode("cp1252")
    errors = _refused(content)
    assert errors == [
        "Ligne 3, colonne « valeur » : « sept » n'est pas un nombre.",
        "Ligne 4, colonne « periode » : août 2026 est dans le futur (nous sommes en juin 2026).",
        "Ligne 5, colonne « valeur » : 104,5\u00a0% dépasse 100 % (de 4,5 points) pour "
        "« Part des démarches faites entièrement en ligne ».",
        "Ligne 6 : même service, mois, indicateur et secteur que la ligne 2 "
        "(demarches, 2026-05, part_en_ligne, toute la ville).",
        "Ligne 7, colonne « service » : service « inconnu » inconnu (services suivis : "
        "demarches, guichets).",
        "Ligne 8, colonne « periode » : « 2026-13 » n'est pas un mois (attendu AAAA-MM, par "
        "exemple 2026-03).",
        "Ligne 9, colonne « secteur » : « Taux de conformité au RGAA » ne se donne pas par "
        "secteur : laissez la colonne vide.",
        "Ligne 10, colonne « valeur » : « 12,5 » n'est pas un nombre entier (« Volume d'usage » "
        "se compte en unités).",
        "Ligne 11, colonne « valeur » : -3\u00a0min est négatif : « Temps d'attente au guichet » "
        "ne peut pas être inférieur à 0.",
        "Ligne 12, colonne « valeur » : 11/10 dépasse le maximum de 10/10 pour « Satisfaction "
        "des usagers ».",
        "Ligne 13, colonne « secteur » : secteur « lune » inconnu (secteurs : nord, sud, est, "
        "ouest, centre ; vide pour toute la ville).",
        "Ligne 14, colonne « indicateur » : indicateur « bonheur » inconnu (indicateurs : "
        "volume_usage, part_en_ligne, satisfaction, taux_conformite_rgaa, "
        "declaration_accessibilite, disponibilite, temps_attente).",
        "Ligne 15, colonne « valeur » : la valeur est vide.",
        "Ligne 16, colonne « periode » : janvier 1901 est trop ancien : les indicateurs "
        "commencent en janvier 2000 au plus tôt (vérifiez l'année).",
    ]
    assert IndicatorImport.objects.count() == 0
    assert not AuditEntry.objects.filter(action="indicators.imported").exists()


def test_json_errors_name_the_element():
    content = json.dumps(
        [
            {
                "service": "demarches",
                "periode": "2026-05",
                "indicateur": "satisfaction",
                "valeur": 7,
            },
            {
                "service": "demarches",
                "periode": "2026-05",
                "indicateur": "disponibilite",
                "valeur": "n/a",
            },
        ]
    ).encode()
    assert _refused(content) == ["Élément 2, colonne « valeur » : « n/a » n'est pas un nombre."]


def test_existing_values_are_refused_unless_replaced_and_the_change_is_audited():
    _import(b"service,periode,indicateur,valeur\ndemarches,2026-05,satisfaction,7\n")
    correction = b"service,periode,indicateur,valeur\ndemarches,2026-05,satisfaction,7.4\n"
    with pytest.raises(ImportRefused) as caught:
        _import(correction)
    assert caught.value.errors == [
        "Ligne 2 : une valeur existe déjà pour demarches, 2026-05, satisfaction (7/10) ; "
        "cochez « remplacer les valeurs existantes » pour la corriger."
    ]
    assert _values() == {("demarches", "2026-05", "satisfaction", ""): Decimal("7.00")}
    batch = _import(correction, replace=True)
    assert batch.replaced_count == 1
    assert _values() == {("demarches", "2026-05", "satisfaction", ""): Decimal("7.40")}
    entry = AuditEntry.objects.filter(action="indicators.imported").last()
    assert entry.data["replaced"] == [
        {
            "service": "demarches",
            "periode": "2026-05",
            "indicateur": "satisfaction",
            "secteur": "",
            "avant": "7.00",
            "après": "7.4",
        }
    ]


def test_the_same_file_twice_is_stored_once():
    content = b"service,periode,indicateur,valeur\ndemarches,2026-05,satisfaction,7\n"
    _import(content)
    with pytest.raises(ImportRefused, match="déjà été importé"):
        _import(content, replace=True)
    assert IndicatorImport.objects.count() == 1


def test_an_empty_or_unreadable_file_is_refused_in_french():
    assert _refused(b"service,periode,indicateur,valeur\n") == [
        "Le fichier ne contient aucune ligne de données."
    ]
    assert _refused(b"\x00\x01\x02binary") == [
        "Le fichier n'est pas un tableau lisible (format non reconnu) : formats acceptés CSV, "
        "XLSX et JSON."
    ]
