"""Helpers for the intake tests: staff users with a role, spreadsheets as bytes."""

from __future__ import annotations

import csv
import io

from django.contrib.auth.models import Group, User

from tirage.backoffice.models import StaffProfile
from tirage.backoffice.roles import ensure_groups

HEADER = [
    "genre", "nom", "prénom", "date_naissance", "numéro", "voie", "complément",
    "code_postal", "commune", "courriel", "téléphone", "motivation", "lieu_de_dépôt",
    "date_réception", "consentement", "atteste_résidence",
]  # fmt: skip


def staff(username: str, role: str, office=None) -> User:
    ensure_groups()
    user = User.objects.create_user(username, password="pw-" + username)
    user.groups.add(Group.objects.get(name=role))
    if office is not None:
        StaffProfile.objects.create(user=user, office=office)
    return user


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
