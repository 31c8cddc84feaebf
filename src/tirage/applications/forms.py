"""The public online application form: step 1 (applicant) and the secteur step.

Messages are in French and name what to do. ``ApplicantForm`` needs the
``call`` (age rule, territory) and checks the address through
:func:`tirage.geo.address.resolve_address`; the match is kept in ``form.match``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import cast

from django import forms

from tirage.applications import eligibility
from tirage.applications.forms_common import PlainTextField
from tirage.applications.models import Gender
from tirage.geo.address import AddressMatch, AddressStatus, resolve_address
from tirage.site.dates import french_date

BIRTH_FIELDS = ("birth_day", "birth_month", "birth_year")
BIRTH_HINT_ID = "birth_date_hint"
BIRTH_ERROR_ID = "birth_date_error"


def _text(
    label, *, required=True, max_length=150, autocomplete="", required_msg="", css="", **attrs
):
    widget_attrs = {"class": css} if css else {}
    if autocomplete:
        widget_attrs["autocomplete"] = autocomplete
    widget_attrs.update(attrs)
    # The field is named: the error summary lists messages without their label.
    messages = {
        "max_length": f"{label} : %(limit_value)d caractères au plus (%(show_value)d saisis)."
    }
    if required_msg:
        messages["required"] = required_msg
    return PlainTextField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.TextInput(attrs=widget_attrs),
        error_messages=messages,
    )


class ApplicantForm(forms.Form):
    """Step 1 « Vos informations » (identity, address, contact, motivation, consents)."""

    gender = forms.ChoiceField(
        label="Genre",
        choices=Gender.choices,
        widget=forms.RadioSelect,
        help_text="Le tirage au sort vise la parité entre femmes et hommes. "
        "Choisissez la réponse qui vous correspond.",
        error_messages={"required": "Choisissez votre genre : femme, homme ou autre."},
    )
    family_name = _text("Nom", autocomplete="family-name", required_msg="Indiquez votre nom.")
    given_name = _text("Prénom", autocomplete="given-name", required_msg="Indiquez votre prénom.")
    birth_day = _text(
        "Jour",
        max_length=2,
        autocomplete="bday-day",
        inputmode="numeric",
        required_msg="Indiquez le jour de votre naissance.",
    )
    birth_month = _text(
        "Mois",
        max_length=2,
        autocomplete="bday-month",
        inputmode="numeric",
        required_msg="Indiquez le mois de votre naissance.",
    )
    birth_year = _text(
        "Année",
        max_length=4,
        autocomplete="bday-year",
        inputmode="numeric",
        required_msg="Indiquez l'année de votre naissance.",
    )

    street_number = _text(
        "Numéro",
        required=False,
        max_length=20,
        css="input-short",
    )
    street_name = _text(
        "Voie (rue, avenue, boulevard…)",
        max_length=200,
        autocomplete="address-line1",
        required_msg="Indiquez le nom de votre rue (ou avenue, boulevard…).",
    )
    address_complement = _text(
        "Complément d'adresse",
        required=False,
        max_length=200,
        autocomplete="address-line2",
    )
    postcode = _text(
        "Code postal",
        max_length=10,
        autocomplete="postal-code",
        inputmode="numeric",
        css="input-medium",
        required_msg="Indiquez votre code postal.",
    )
    commune = _text(
        "Commune",
        max_length=120,
        autocomplete="address-level2",
        required_msg="Indiquez votre commune.",
    )

    email = forms.EmailField(
        label="Courriel",
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text="Pour recevoir votre numéro de récépissé par courriel. "
        "Par exemple : nom@exemple.fr",
        error_messages={
            "invalid": "Indiquez une adresse de courriel valide, par exemple nom@exemple.fr."
        },
    )
    phone = PlainTextField(
        label="Téléphone",
        required=False,
        max_length=30,
        error_messages={"max_length": "Téléphone : 30 caractères au plus (%(show_value)d saisis)."},
        widget=forms.TextInput(
            attrs={"type": "tel", "autocomplete": "tel", "class": "input-medium"}
        ),
        help_text="Pour vous joindre si une information manque. Par exemple : 06 12 34 56 78",
    )
    motivation = PlainTextField(
        multiline=True,
        label="Pourquoi souhaitez-vous participer ?",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Quelques mots si vous le souhaitez (2 000 caractères au plus). "
        "Ce texte ne compte pas pour le tirage au sort.",
        error_messages={
            "max_length": "Motivation : 2 000 caractères au plus (%(show_value)d saisis)."
        },
    )
    consent_notice = forms.BooleanField(
        label="J'ai lu la notice d'information sur mes données personnelles",
        error_messages={
            "required": "Cochez cette case pour confirmer que vous avez lu la notice d'information."
        },
    )
    attests_residence = forms.BooleanField(
        label="J'atteste résider à Roubaix",
        error_messages={"required": "Cochez cette case pour attester que vous habitez Roubaix."},
    )

    # Flood protection (tirage.applications.flood): a field people do not see, left
    # empty, and the signed time the page was shown.
    website = forms.CharField(
        label="Laissez ce champ vide",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    started = forms.CharField(required=False, widget=forms.HiddenInput)

    # The order of the error summary (the page order).
    FIELD_ORDER = (
        "gender", "family_name", "given_name", *BIRTH_FIELDS,
        "street_number", "street_name", "address_complement", "postcode", "commune",
        "email", "phone", "motivation", "consent_notice", "attests_residence",
    )  # fmt: skip

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.call = call
        self.match: AddressMatch | None = None
        city = call.city_name
        self.fields["attests_residence"].label = f"J'atteste résider à {city}"
        self.fields["attests_residence"].error_messages["required"] = (
            f"Cochez cette case pour attester que vous habitez {city}."
        )
        for name in BIRTH_FIELDS:
            self.fields[name].widget.attrs["aria-describedby"] = BIRTH_HINT_ID

    # -- field checks -------------------------------------------------------------
    def _number(self, name: str, low: int, high: int, message: str) -> int | None:
        text = self.cleaned_data.get(name, "").strip()
        if not text.isdigit() or not low <= int(text) <= high:
            raise forms.ValidationError(message)
        return int(text)

    def clean_birth_day(self):
        return self._number("birth_day", 1, 31, "Le jour doit être un nombre entre 1 et 31.")

    def clean_birth_month(self):
        return self._number("birth_month", 1, 12, "Le mois doit être un nombre entre 1 et 12.")

    def clean_birth_year(self):
        text = self.cleaned_data.get("birth_year", "").strip()
        if not (len(text) == 4 and text.isdigit()):
            raise forms.ValidationError("L'année doit comporter 4 chiffres, par exemple 1985.")
        if int(text) < 1900:
            raise forms.ValidationError("Vérifiez l'année de naissance.")
        return int(text)

    def clean_postcode(self):
        value = "".join(self.cleaned_data["postcode"].split())
        if not (len(value) == 5 and value.isdigit()):
            raise forms.ValidationError(
                "Le code postal doit comporter 5 chiffres, par exemple 59100."
            )
        return value

    def clean_family_name(self):
        return " ".join(self.cleaned_data["family_name"].split())

    def clean_given_name(self):
        return " ".join(self.cleaned_data["given_name"].split())

    def clean_commune(self):
        return " ".join(self.cleaned_data["commune"].split())

    def clean_phone(self):
        value = self.cleaned_data["phone"].strip()
        digits = re.sub(r"[\s.\-()/]", "", value)
        if value and not re.fullmatch(r"\+?\d{8,15}", digits):
            raise forms.ValidationError(
                "Indiquez un numéro de téléphone valide, par exemple 06 12 34 56 78."
            )
        return value

    # -- cross-field checks -------------------------------------------------------
    def clean(self):
        super().clean()
        data = self.cleaned_data
        self._clean_birth_date(data)
        self._split_number_from_street(data)
        self._clean_territory(data)
        return data

    def _clean_birth_date(self, data) -> None:
        missing = [
            name for name in BIRTH_FIELDS
            if any(e.code == "required" for e in self.errors.as_data().get(name, []))
        ]  # fmt: skip
        if len(missing) == len(BIRTH_FIELDS):  # one message for an empty date
            for name in BIRTH_FIELDS[1:]:
                del self.errors[name]
            self.errors["birth_day"] = self.error_class(
                ["Indiquez votre date de naissance."],
                renderer=self.renderer,
                field_id="id_birth_day",
            )
            return
        parts = [data.get(name) for name in BIRTH_FIELDS]
        if None in parts:
            return
        day, month, year = parts
        try:
            birth = dt.date(year, month, day)
        except ValueError:
            self.add_error("birth_day", "Cette date n'existe pas : vérifiez le jour et le mois.")
            return
        from django.utils import timezone

        if birth > timezone.localdate():
            self.add_error("birth_day", "La date de naissance ne peut pas être dans le futur.")
            return
        call = self.call
        if eligibility.age_on(birth, call.age_date) < call.min_age:
            self.add_error(
                "birth_day",
                f"Vous devez avoir au moins {call.min_age} ans le {french_date(call.age_date)}.",
            )
            return
        data["birth_date"] = birth

    def _split_number_from_street(self, data) -> None:
        # Browsers fill address-line1 with "12 bis rue X": keep the number apart.
        street = data.get("street_name") or ""
        found = re.match(r"^\s*(\d+\s*(?:bis|ter|quater|[a-d])?)\b[\s,]+(.+)$", street, re.I)
        if found and not data.get("street_number"):
            data["street_number"] = found.group(1).strip()
            data["street_name"] = found.group(2).strip()

    def _clean_territory(self, data) -> None:
        postcode, commune = data.get("postcode"), data.get("commune")
        if not postcode or not commune:
            return
        call = self.call
        where = call.city_name
        if eligibility.residence_problem(
            call, postcode, call.communes[0] if call.communes else commune
        ):
            self.add_error(
                "postcode",
                f"Ce code postal n'est pas celui de {where} ({', '.join(call.postcodes)}). "
                f"Seuls les habitants de {where} peuvent candidater.",
            )
            return
        if eligibility.residence_problem(call, postcode, commune):
            self.add_error(
                "commune",
                f"Indiquez {where} : seuls les habitants de {where} peuvent candidater.",
            )
            return
        street = data.get("street_name")
        if not street:
            return
        self.match = resolve_address(
            data.get("street_number") or "", street, postcode, commune, territory=call
        )
        if self.match.status == AddressStatus.OUTSIDE:
            self.add_error(
                "commune",
                f"Cette adresse n'est pas à {where}. "
                f"Seuls les habitants de {where} peuvent candidater.",
            )

    # -- accessibility ------------------------------------------------------------
    def full_clean(self):
        super().full_clean()
        birth_errors = any(name in self.errors for name in BIRTH_FIELDS)
        for name in BIRTH_FIELDS:
            attrs = self.fields[name].widget.attrs
            if birth_errors:
                attrs["aria-describedby"] = f"{BIRTH_HINT_ID} {BIRTH_ERROR_ID}"
                attrs["aria-invalid"] = "true"

    def birth_errors(self) -> list[str]:
        return [str(e) for name in BIRTH_FIELDS for e in self.errors.get(name, [])]

    def error_links(self) -> list[tuple[str, str]]:
        """``[(anchor, message)]`` for the error summary, in page order."""
        links = [("", str(e)) for e in self.non_field_errors()]
        for name in self.FIELD_ORDER:
            for error in self.errors.get(name, []):
                anchor = "id_gender_0" if name == "gender" else f"id_{name}"
                links.append((anchor, str(error)))
        return links

    # -- session ------------------------------------------------------------------
    def answers(self) -> dict:
        """JSON-safe answers for the session draft (birth date as ISO text)."""
        data = self.cleaned_data
        answers = {name: data.get(name) for name in self.FIELD_ORDER if name not in BIRTH_FIELDS}
        answers["birth_date"] = data["birth_date"].isoformat()
        return answers

    @staticmethod
    def initial_from(answers: dict) -> dict:
        """Form initial values from a session draft's answers."""
        initial = {k: v for k, v in answers.items() if k != "birth_date"}
        if answers.get("birth_date"):
            birth = dt.date.fromisoformat(answers["birth_date"])
            initial.update(birth_day=birth.day, birth_month=birth.month, birth_year=birth.year)
        return initial


class AreaForm(forms.Form):
    """The extra step: which mairie de quartier (secteur) when the street does not say."""

    DONT_KNOW = "je-ne-sais-pas"

    secteur = forms.ChoiceField(
        label="Votre mairie de quartier",
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez votre mairie de quartier."},
    )

    def __init__(self, *args, options: list[tuple[str, str, str]], allow_unknown: bool, **kwargs):
        """``options``: ``[(secteur code, label, hint)]``."""
        super().__init__(*args, **kwargs)
        self.hints = {code: hint for code, _, hint in options}
        choices = [(code, label) for code, label, _ in options]
        if allow_unknown:
            choices.append((self.DONT_KNOW, "Je ne sais pas"))
            self.hints[self.DONT_KNOW] = (
                "Nos services trouveront votre secteur à partir de votre adresse."
            )
        cast(forms.ChoiceField, self.fields["secteur"]).choices = choices

    def error_links(self) -> list[tuple[str, str]]:
        return [("id_secteur_0", str(e)) for e in self.errors.get("secteur", [])]

    def chosen(self) -> str:
        """The secteur code, or '' for « je ne sais pas »."""
        value = self.cleaned_data["secteur"]
        return "" if value == self.DONT_KNOW else value
