"""Helpers for the intake tests: spreadsheets as bytes."""

from __future__ import annotations

import csv
import io

HEADER = [
    "genre", "nom", "prénom", "date_naissance", "numéro", "voie", "complément",
    "code_postal", "commune", "courriel", "téléphone", "motivation", "lieu_de_dépôt",
    "date_réception", "consentement", "atteste_résidence",
]  # fmt: skip


def row(**overrides) -> list[str]:
    """One valid spreadsheet row in ``HEADER`` order."""
    values = {
        "genre": "femme",
        "nom": "Durand",
        "prénom": "Léa",
        "date_naissance": "14/03/1980",
        "numéro": "12",
        "voie": "Boulevard de Fourmies",
        "complément": "",
        "code_postal": "59100",
        "commune": "Roubaix",
        "courriel": "",
        "téléphone": "06 12 34 56 78",
        "motivation": "",
        "lieu_de_dépôt": "",
        "date_réception": "",
        "consentement": "oui",
        "atteste_résidence": "oui",
    }
    values.update(overrides)
    return [values[h] for h in HEADER]


def csv_bytes(rows, *, header=HEADER, delimiter=";", encoding="utf-8", bom=False) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    data = out.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data
