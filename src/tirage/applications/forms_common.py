"""Validation shared by every way in: online form, counter screen, file import.

``ApplicantForm`` checks one applicant's answers (identity, address, contact,
consents) with the same rules and the same French messages everywhere. The
online form and the counter screen subclass it (adding widgets, a declared
secteur, …); the import wraps each row of a file in it.

``cleaned_data`` keys are ``APPLICANT_FIELDS`` names, ready for
``services.submit_application`` once the address is resolved
(``address.resolve_address``).
"""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from tirage.applications.models import Gender

DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"]
POSTCODE_RE = re.compile(r"^\d{5}$")
# French numbers (0X XX XX XX XX) or international (+CC…), once spaces, dots and dashes are removed.
PHONE_RE = re.compile(r"^(0[1-9]\d{8}|\+33[1-9]\d{8}|\+(?!33)\d{7,14})$")
OLDEST_AGE = 120


def clean_phone(value: str) -> str:
    """``"06.12.34.56.78"`` → ``"06 12 34 56 78"``.

    Raises ``ValidationError`` (French message) if it is not a phone number.
    """
    compact = re.sub(r"[\s.\-()/]", "", value or "")
    if not compact:
        return ""
    if compact.startswith("0033"):
        compact = "+33" + compact[4:]
    if not PHONE_RE.match(compact):
        raise ValidationError(
            "Ce numéro de téléphone n'est pas valide (exemple : 06 12 34 56 78).", code="phone"
        )
    if compact.startswith("0"):
        return " ".join(compact[i : i + 2] for i in range(0, 10, 2))
    return compact


def _has_letter(value: str) -> bool:
    return any(ch.isalpha() for ch in value)


class ApplicantForm(forms.Form):
    """One applicant's answers. Field names follow ``Application``."""

    gender = forms.ChoiceField(
        label="Genre",
        choices=Gender.choices,
        error_messages={
            "required": "Indiquez votre genre.",
            "invalid_choice": "Choisissez « femme », « homme » ou « autre ».",
        },
    )
    family_name = forms.CharField(
        label="Nom", max_length=150, error_messages={"required": "Indiquez votre nom."}
    )
    given_name = forms.CharField(
        label="Prénom", max_length=150, error_messages={"required": "Indiquez votre prénom."}
    )
    birth_date = forms.DateField(
        label="Date de naissance",
        input_formats=DATE_INPUT_FORMATS,
        error_messages={
            "required": "Indiquez votre date de naissance.",
            "invalid": "Ce n'est pas une date valide (exemple : 31/01/1990).",
        },
    )
    street_number = forms.CharField(label="Numéro", max_length=20, required=False)
    street_name = forms.CharField(
        label="Voie (rue, avenue…)",
        max_length=200,
        error_messages={"required": "Indiquez le nom de votre rue."},
    )
    address_complement = forms.CharField(
        label="Complément d'adresse", max_length=200, required=False
    )
    postcode = forms.CharField(
        label="Code postal",
        max_length=10,
        error_messages={"required": "Indiquez votre code postal."},
    )
    commune = forms.CharField(
        label="Commune", max_length=120, error_messages={"required": "Indiquez votre commune."}
    )
    email = forms.EmailField(
        label="Courriel",
        required=False,
        error_messages={
            "invalid": "Cette adresse de courriel n'est pas valide (exemple : nom@exemple.fr)."
        },
    )
    phone = forms.CharField(label="Téléphone", max_length=30, required=False)
    motivation = forms.CharField(label="Motivation", max_length=3000, required=False)
    consent_notice = forms.BooleanField(
        label="J'ai lu la notice d'information sur mes données",
        error_messages={"required": "Il faut avoir lu la notice d'information pour candidater."},
    )
    attests_residence = forms.BooleanField(
        label="J'atteste habiter dans la commune",
        error_messages={"required": "Il faut attester habiter dans la commune pour candidater."},
    )

    def clean_family_name(self) -> str:
        value = " ".join(self.cleaned_data["family_name"].split())
        if not _has_letter(value):
            raise ValidationError("Le nom doit contenir au moins une lettre.", code="name")
        return value

    def clean_given_name(self) -> str:
        value = " ".join(self.cleaned_data["given_name"].split())
        if not _has_letter(value):
            raise ValidationError("Le prénom doit contenir au moins une lettre.", code="name")
        return value

    def clean_birth_date(self) -> dt.date:
        value = self.cleaned_data["birth_date"]
        today = timezone.localdate()
        if value > today:
            raise ValidationError("La date de naissance est dans le futur.", code="future")
        if value.year < today.year - OLDEST_AGE:
            raise ValidationError(
                f"La date de naissance est trop ancienne (avant {today.year - OLDEST_AGE}).",
                code="too_old",
            )
        return value

    def clean_street_name(self) -> str:
        value = " ".join(self.cleaned_data["street_name"].split())
        if not _has_letter(value):
            raise ValidationError(
                "Le nom de la voie doit contenir au moins une lettre.", code="street"
            )
        return value

    def clean_postcode(self) -> str:
        value = "".join(self.cleaned_data["postcode"].split())
        if not POSTCODE_RE.match(value):
            raise ValidationError(
                "Le code postal doit compter 5 chiffres (exemple : 59100).", code="postcode"
            )
        return value

    def clean_commune(self) -> str:
        return " ".join(self.cleaned_data["commune"].split())

    def clean_phone(self) -> str:
        return clean_phone(self.cleaned_data.get("phone", ""))
