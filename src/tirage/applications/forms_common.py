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
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from tirage.applications.models import Gender

DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"]
POSTCODE_RE = re.compile(r"^\d{5}$")
LEADING_NUMBER_RE = re.compile(r"^\s*(\d+\s*(?:bis|ter|quater|[a-d])?)\b[\s,]+(.+)$", re.IGNORECASE)
# As the online form: 8 to 15 digits, optionally after "+", once separators are removed.
PHONE_RE = re.compile(r"^\+?\d{8,15}$")


def clean_phone(value: str) -> str:
    """``"06.12.34.56.78"`` → ``"06 12 34 56 78"`` (other valid numbers kept as typed).

    Raises ``ValidationError`` (French message) if it is not a phone number.
    """
    value = (value or "").strip()
    compact = re.sub(r"[\s.\-()/]", "", value)
    if not compact:
        return ""
    if not PHONE_RE.match(compact):
        raise ValidationError(
            "Indiquez un numéro de téléphone valide, par exemple 06 12 34 56 78.", code="phone"
        )
    if len(compact) == 10 and compact.startswith("0"):
        return " ".join(compact[i : i + 2] for i in range(0, 10, 2))
    return value


# Invisible characters nobody types on purpose: control characters (a bell, an escape…) and
# the bidirectional overrides that make text read in another order than it is stored.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
LINE_BREAKS = frozenset("\n\r\t")


def forbidden_character(value: str, *, multiline: bool = False) -> str | None:
    """The first control or bidirectional-override character of ``value``, or None.

    Line breaks and tabs are allowed when ``multiline``.
    """
    for char in value:
        if multiline and char in LINE_BREAKS:
            continue
        if unicodedata.category(char) in ("Cc", "Cs") or char in BIDI_CONTROLS:
            return char
    return None


class PlainTextField(forms.CharField):
    """Text as people type it: NFC-normalised (« é » is one character whatever the keyboard
    sent), and refused with a French message naming the field when it holds an invisible
    control character (copied from another program, or sent by a script)."""

    def __init__(self, *args, multiline: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # A text area takes line breaks and tabs; a one-line field does not.
        self.multiline = multiline or isinstance(self.widget, forms.Textarea)

    def to_python(self, value):
        text = super().to_python(value)
        return unicodedata.normalize("NFC", text) if text else text

    def validate(self, value):
        super().validate(value)
        char = forbidden_character(value or "", multiline=self.multiline)
        if char is not None:
            raise ValidationError(
                f"Le champ « {self.label} » contient un caractère invisible non autorisé "
                f"(U+{ord(char):04X}) : effacez-le et tapez ce texte à nouveau.",
                code="control_character",
            )


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
    family_name = PlainTextField(
        label="Nom", max_length=150, error_messages={"required": "Indiquez votre nom."}
    )
    given_name = PlainTextField(
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
    street_number = PlainTextField(label="Numéro", max_length=20, required=False)
    street_name = PlainTextField(
        label="Voie (rue, avenue…)",
        max_length=200,
        error_messages={"required": "Indiquez le nom de votre rue."},
    )
    address_complement = PlainTextField(
        label="Complément d'adresse", max_length=200, required=False
    )
    postcode = PlainTextField(
        label="Code postal",
        max_length=10,
        error_messages={"required": "Indiquez votre code postal."},
    )
    commune = PlainTextField(
        label="Commune", max_length=120, error_messages={"required": "Indiquez votre commune."}
    )
    email = forms.EmailField(
        label="Courriel",
        required=False,
        error_messages={
            "invalid": "Indiquez une adresse de courriel valide, par exemple nom@exemple.fr."
        },
    )
    phone = PlainTextField(
        label="Téléphone",
        max_length=30,
        required=False,
        error_messages={"max_length": "Téléphone : 30 caractères au plus (%(show_value)d saisis)."},
    )
    motivation = PlainTextField(
        multiline=True,
        label="Motivation",
        max_length=2000,
        required=False,
        error_messages={
            "max_length": "Motivation : 2 000 caractères au plus (%(show_value)d saisis)."
        },
    )
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
        if value.year < 1900:
            raise ValidationError("Vérifiez l'année de naissance.", code="too_old")
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
                "Le code postal doit comporter 5 chiffres, par exemple 59100.", code="postcode"
            )
        return value

    def clean_commune(self) -> str:
        return " ".join(self.cleaned_data["commune"].split())

    def clean_phone(self) -> str:
        return clean_phone(self.cleaned_data.get("phone", ""))

    def clean(self):
        super().clean()
        data = self.cleaned_data
        # "12 bis rue X" typed in the street field: keep the number apart (as the online form).
        street = data.get("street_name") or ""
        found = LEADING_NUMBER_RE.match(street)
        if found and not data.get("street_number"):
            data["street_number"] = found.group(1).strip()
            data["street_name"] = found.group(2).strip()
        return data
