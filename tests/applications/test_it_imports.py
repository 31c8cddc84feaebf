"""Import of a spreadsheet of applications (service level)."""

import datetime as dt
import hashlib
import io

import pytest
from openpyxl import Workbook

from tests.applications.intake_helpers import HEADER, csv_bytes, row
from tests.factories import roubaix_call
from tirage.applications.imports import ALL_OR_NOTHING, VALID_ROWS, import_applications
from tirage.applications.models import Application, Channel, Status
from tirage.audit.models import AuditEntry

pytestmark = pytest.mark.django_db
DURING = dt.datetime(2025, 6, 1, 10, tzinfo=dt.UTC)
AFTER = dt.datetime(2025, 6, 10, 8, tzinfo=dt.UTC)  # after the 06/06/2025 deadline

BAD_DATE = "Ligne 7, colonne « date_naissance » : « 31/02/1990 » n'est pas une date valide."


def five_good_one_bad() -> bytes:
    rows = [
        row(nom=f"Durand{i}", prénom=p)
        for i, p in enumerate(["Léa", "Zoé", "Inès", "Noé", "Aïcha"])
    ]
    rows.append(row(nom="Martin", date_naissance="31/02/1990"))  # line 7 of the sheet
    return csv_bytes(rows, bom=True)


def test_all_or_nothing_imports_nothing_and_names_the_row_and_column():
    call = roubaix_call()
    report = import_applications(
        call, five_good_one_bad(), filename="c.csv", mode=ALL_OR_NOTHING, now=DURING
    )
    assert [str(e) for e in report.errors] == [BAD_DATE]
    assert report.rows == 6 and report.valid_count == 5
    assert report.imported == []
    assert Application.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_valid_rows_imports_the_others_and_audits_file_hash_and_line():
    call = roubaix_call()
    content = five_good_one_bad()
    report = import_applications(call, content, filename="c.csv", mode=VALID_ROWS, now=DURING)
    assert report.rejected_lines == [7]
    assert [line for line, _ in report.imported] == [2, 3, 4, 5, 6]
    assert Application.objects.count() == 5
    assert set(Application.objects.values_list("channel", flat=True)) == {Channel.IMPORT}
    lea = Application.objects.get(family_name="Durand0")
    assert lea.given_name == "Léa" and lea.phone == "06 12 34 56 78"
    assert lea.status == Status.ELIGIBLE
    # Boulevard de Fourmies lies in the Sud secteur only (see test_it_resolves_address).
    assert (lea.secteur, lea.area_source, lea.needs_review) == ("sud", "address", False)
    entry = AuditEntry.objects.get(action="application.imported", object_id=str(lea.pk))
    assert entry.data["sha256"] == hashlib.sha256(content).hexdigest()
    assert entry.data["line"] == 2 and entry.data["filename"] == "c.csv"
    summary = AuditEntry.objects.get(action="call.applications_imported")
    assert summary.data["imported"] == 5 and summary.data["rejected_lines"] == [7]


def test_cp1252_csv_with_semicolons():
    call = roubaix_call()
    content = csv_bytes(
        [row(nom="Hénin", voie="Rue de l'Épeule", motivation="Être utile à mon quartier")],
        encoding="cp1252",
    )
    assert "Hénin".encode("cp1252") in content and b";" in content
    report = import_applications(call, content, filename="papier.csv", now=DURING)
    assert report.ok, report.messages()
    app = Application.objects.get()
    assert app.family_name == "Hénin"
    assert app.street_name == "Rue de l'Épeule"
    assert app.motivation == "Être utile à mon quartier"


def test_comma_separated_utf8_without_bom():
    call = roubaix_call()
    content = csv_bytes(
        [row(nom="Lefèvre", motivation="oui, bien sûr", numéro="", voie="12 bis, rue de Lannoy")],
        delimiter=",",
    )
    report = import_applications(call, content, filename="x.csv", now=DURING)
    assert report.ok, report.messages()
    app = Application.objects.get()
    assert app.motivation == "oui, bien sûr"
    assert (app.street_number, app.street_name) == ("12 bis", "rue de Lannoy")


def test_xlsx_with_real_dates_numbers_and_loose_headers():
    call = roubaix_call()
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["GENRE", "Nom", "Prenom", "Date naissance", "Voie", "Code postal", "Commune",
                  "Consentement", "Atteste residence", "Remarque", "Téléphone"])  # fmt: skip
    sheet.append(["F", "Hénin", "Zoé", dt.datetime(2001, 12, 24), "Rue de Lannoy", 59100,
                  "ROUBAIX", "Oui", "OUI", "appelée le 2/6", 612345678])  # fmt: skip
    # 36526 is the Excel serial number of 01/01/2000.
    sheet.append(["Autre / je préfère me décrire autrement", "Sow", "Alex", "1999-01-31",
                  "Rue du Pile", "59100", "Roubaix", "oui", "oui", "", ""])  # fmt: skip
    sheet.append(["homme", "Nguyen", "Minh", 36526, "Rue de Lannoy", 59100.0, "Roubaix", "x",
                  "oui", "", "+32 470 12 34 56"])  # fmt: skip
    out = io.BytesIO()
    workbook.save(out)
    report = import_applications(call, out.getvalue(), filename="liste.xlsx", now=DURING)
    assert report.ok, report.messages()
    assert report.unknown_headers == ["Remarque"]
    zoe, alex, minh = Application.objects.order_by("id")
    assert (alex.gender, alex.birth_date, alex.secteur) == ("autre", dt.date(1999, 1, 31), "est")
    assert (zoe.gender, zoe.birth_date, zoe.postcode) == ("femme", dt.date(2001, 12, 24), "59100")
    assert (minh.gender, minh.birth_date, minh.postcode) == ("homme", dt.date(2000, 1, 1), "59100")
    assert (zoe.phone, minh.phone) == ("06 12 34 56 78", "+32 470 12 34 56")


def test_paper_forms_need_a_place_of_deposit():
    call = roubaix_call()
    content = csv_bytes([row(), row(nom="Nord", lieu_de_dépôt="Mairie des quartiers Nord")])
    report = import_applications(
        call, content, filename="p.csv", mode=VALID_ROWS, channel=Channel.PAPER, now=DURING
    )
    assert report.messages() == [
        "Ligne 2, colonne « lieu_de_dépôt » : "
        "Indiquez la mairie de quartier où le formulaire papier a été remis."
    ]
    assert Application.objects.get().office.code == "mdq-nord"


def test_paper_forms_received_before_the_deadline_typed_in_after_it():
    call = roubaix_call()
    office = call.offices.get(code="mdq-sud")
    content = csv_bytes(
        [
            row(nom="Avant", date_réception="06/06/2025"),
            row(nom="Apres", date_réception="07/06/2025"),
            row(nom="Sansdate"),
            row(nom="Ouest", date_réception="2025-06-02", lieu_de_dépôt="mdq-ouest"),
        ]
    )
    report = import_applications(
        call,
        content,
        filename="p.csv",
        mode=VALID_ROWS,
        channel=Channel.PAPER,
        office=office,
        now=AFTER,
    )
    assert report.rejected_lines == [3, 4]
    messages = report.messages()
    assert messages[0].startswith(
        "Ligne 3, colonne « date_réception » : Formulaire reçu après la clôture du 06/06/2025"
    )
    assert messages[1].startswith(
        "Ligne 4, colonne « date_réception » : Obligatoire après la clôture"
    )
    avant = Application.objects.get(family_name="Avant")
    assert (avant.channel, avant.office, avant.received_on) == (
        Channel.PAPER,
        office,
        dt.date(2025, 6, 6),
    )
    assert avant.status == Status.ELIGIBLE
    assert Application.objects.get(family_name="Ouest").office.code == "mdq-ouest"


def test_counter_agent_import_is_restricted_to_their_office():
    call = roubaix_call()
    office = call.offices.get(code="mdq-sud")
    content = csv_bytes([row(lieu_de_dépôt="mdq-nord"), row(nom="Ici")])
    report = import_applications(
        call, content, filename="p.csv", mode=VALID_ROWS, channel=Channel.PAPER,
        office=office, restrict_office=True, now=DURING,
    )  # fmt: skip
    assert [str(e) for e in report.errors] == [
        "Ligne 2, colonne « lieu_de_dépôt » : Vous ne pouvez importer que pour "
        "Mairie des quartiers Sud. (valeur lue : « mdq-nord »)"
    ]
    assert Application.objects.get().office == office


def test_duplicates_in_the_file_and_with_existing_applications_are_flagged_not_dropped():
    call = roubaix_call()
    first = import_applications(
        call, csv_bytes([row(nom="Lefèvre-Dupont", prénom="Élodie Marie-Claire")]),
        filename="1.csv", now=DURING,
    ).imported[0][1]  # fmt: skip
    content = csv_bytes(
        [
            row(nom="LEFEVRE DUPONT", prénom="ELODIE MARIE CLAIRE"),
            row(nom="lefevre dupont", prénom="élodie marie claire"),
        ]
    )
    report = import_applications(call, content, filename="2.csv", now=DURING)
    assert report.ok
    assert Application.objects.count() == 3
    assert [app.duplicate_of_id for _, app in report.duplicates] == [first.pk, first.pk]
    assert all(app.status == Status.RECEIVED and app.needs_review for _, app in report.imported)


def test_ineligible_rows_are_imported_with_their_reason():
    call = roubaix_call()
    report = import_applications(
        call, csv_bytes([row(date_naissance="2009-06-07")]), filename="a.csv", now=DURING
    )
    assert report.ok
    app = Application.objects.get()
    assert app.status == Status.INELIGIBLE and app.status_reason.startswith("Âge : 15 ans")


def test_row_errors_use_the_form_messages():
    call = roubaix_call()
    content = csv_bytes(
        [row(genre="peut-être", code_postal="5910", courriel="pas-un-courriel", consentement="non",
             atteste_résidence="bof")]
    )  # fmt: skip
    report = import_applications(call, content, filename="e.csv", now=DURING)
    assert [str(e) for e in report.errors] == [
        "Ligne 2, colonne « genre » : Choisissez « femme », « homme » ou « autre ». (valeur lue : « peut-être »)",
        "Ligne 2, colonne « code_postal » : Le code postal doit comporter 5 chiffres, par exemple 59100. (valeur lue : « 5910 »)",
        "Ligne 2, colonne « courriel » : Indiquez une adresse de courriel valide, par exemple nom@exemple.fr. (valeur lue : « pas-un-courriel »)",
        "Ligne 2, colonne « consentement » : Il faut avoir lu la notice d'information pour candidater. (valeur lue : « non »)",
        "Ligne 2, colonne « atteste_résidence » : Répondez « oui » ou « non ». (valeur lue : « bof »)",
    ]


def test_missing_required_columns_rejects_the_file():
    call = roubaix_call()
    header = [h for h in HEADER if h not in ("nom", "consentement")]
    content = csv_bytes([["x"] * len(header)], header=header)
    report = import_applications(call, content, filename="m.csv", mode=VALID_ROWS, now=DURING)
    assert report.file_errors == ["Colonnes obligatoires absentes : « nom », « consentement »."]
    assert Application.objects.count() == 0


def test_old_excel_format_is_refused_with_a_clear_message():
    call = roubaix_call()
    report = import_applications(
        call, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", filename="a.xls", now=DURING
    )
    assert "enregistrez le fichier en .xlsx ou en .csv" in report.file_errors[0]


def test_declared_secteur_column_decides_for_a_street_in_several_secteurs():
    call = roubaix_call()
    header = [*HEADER, "secteur"]
    content = csv_bytes(
        [
            [*row(nom="Choisi", voie="Rue de Lannoy"), "Centre"],
            [*row(nom="Pasdechoix", voie="Rue de Lannoy"), ""],
            [*row(nom="Inconnue", voie="Rue Imaginaire des Lilas"), "nord"],
            [*row(nom="Faux", voie="Rue Imaginaire des Lilas"), "nord-est"],
        ],
        header=header,
    )
    report = import_applications(call, content, filename="s.csv", mode=VALID_ROWS, now=DURING)
    assert report.messages() == [
        "Ligne 5, colonne « secteur » : Secteur inconnu (possibles : nord, sud, est, ouest, centre)."
        " (valeur lue : « nord-est »)"
    ]
    got = {
        a.family_name: (a.secteur, a.area_source, a.needs_review) for a in Application.objects.all()
    }
    assert got == {
        "Choisi": ("centre", "applicant", False),
        "Pasdechoix": ("", "", True),
        "Inconnue": ("nord", "applicant", True),
    }
