"""Staff forms of the applications: list filters, decisions, the secteur, the counter entry."""

from __future__ import annotations

import datetime as dt
import re
from typing import cast

from django import forms
from django.utils import timezone

from tirage.applications.eligibility import residence_problem
from tirage.applications.forms_common import PlainTextField
from tirage.applications.models import Channel, Gender, Status
from tirage.calls.models import PARIS, Call, Office
from tirage.geo.address import (
    AddressMatch,
    AddressStatus,
    quartier_choices,
    resolve_address,
    secteur_label,
)
from tirage.geo.reference import secteurs as geo_secteurs

# JJ/MM/AAAA first; JJMMAAAA for fast typing; a few other separators forgiven.
FRENCH_DATE_FORMATS = ["%d/%m/%Y", "%d%m%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %m %Y"]


class FrenchDateField(forms.DateField):
    """A date typed as JJ/MM/AAAA or JJMMAAAA."""

    default_error_messages = {
        "invalid": (
            "Date non reconnue : tapez-la sous la forme JJ/MM/AAAA (par exemple 14/03/1980)."
        ),
        "nonexistent": "Cette date n'existe pas : vérifiez le jour et le mois.",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", FRENCH_DATE_FORMATS)
        kwargs.setdefault(
            "widget",
            forms.DateInput(
                format="%d/%m/%Y",
                attrs={
                    "placeholder": "JJ/MM/AAAA",
                    "inputmode": "numeric",
                    "size": 10,
                    "maxlength": 10,
                },
            ),
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        """A well-typed day that is not in the calendar (31/02) says so, not « non reconnue »."""
        try:
            return super().to_python(value)
        except forms.ValidationError:
            parts = re.fullmatch(r"\s*(\d{1,2})[/.\- ]?(\d{1,2})[/.\- ]?(\d{4})\s*", str(value))
            if parts and 1 <= int(parts[1]) <= 31 and 1 <= int(parts[2]) <= 12:
                raise forms.ValidationError(
                    self.error_messages["nonexistent"], code="nonexistent"
                ) from None
            raise


class AccessibleErrorsMixin(forms.Form):
    """After validation, tie each error to its field (``aria-invalid``, ``aria-describedby``)
    and move the focus to the first field in error (no JavaScript needed)."""

    def mark_errors(self) -> None:
        first = True
        for name, field in self.fields.items():
            if name not in self.errors:
                continue
            field.widget.attrs["aria-invalid"] = "true"
            field.widget.attrs["aria-describedby"] = f"{self[name].id_for_label}-err"
            if first and not isinstance(field.widget, forms.HiddenInput):
                for other in self.fields.values():
                    other.widget.attrs.pop("autofocus", None)
                field.widget.attrs["autofocus"] = True
                first = False


def _blank(label: str, choices) -> list[tuple[str, str]]:
    return [("", label), *choices]


DONT_KNOW = "je-ne-sais-pas"
DONT_KNOW_CHOICE = (DONT_KNOW, "Je ne sais pas")


def secteur_choices(call: Call | None) -> list[tuple[str, str]]:
    """``[(code, label)]`` of ``call``'s secteurs (the shipped ones without a call)."""
    if call is not None:
        return call.secteur_choices
    return [(s.code, s.label) for s in geo_secteurs()]


def label_list(codes) -> str:
    return ", ".join(secteur_label(c) for c in codes)


class FilterForm(forms.Form):
    q = forms.CharField(label="Rechercher (code, nom, code postal)", required=False)
    status = forms.ChoiceField(
        label="Statut", required=False, choices=_blank("tous", Status.choices)
    )
    secteur = forms.ChoiceField(label="Secteur", required=False)
    channel = forms.ChoiceField(
        label="Canal", required=False, choices=_blank("tous", Channel.choices)
    )
    office = forms.ModelChoiceField(
        label="Lieu de dépôt",
        required=False,
        queryset=Office.objects.all(),
        empty_label="tous",
        to_field_name="code",
    )
    needs_review = forms.BooleanField(label="À vérifier seulement", required=False)

    def __init__(self, *args, call=None, **kwargs):
        # Shown on the same page as DecisionForm, which also has a ``reason``: its own ids,
        # or the label « Motif » of this form would name the decision's field.
        kwargs.setdefault("auto_id", "id_area_%s")
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["secteur"]).choices = _blank(
            "tous", [*secteur_choices(call), ("-", "inconnu")]
        )


class DecisionForm(AccessibleErrorsMixin, forms.Form):
    DECISIONS = [
        ("eligible", "Recevable"),
        ("ineligible", "Irrecevable"),
        ("duplicate", "Doublon de…"),
        ("withdrawn", "Retirée (à la demande du candidat)"),
    ]
    decision = forms.ChoiceField(label="Décision", choices=DECISIONS, widget=forms.RadioSelect)
    duplicate_of = forms.CharField(
        label="Numéro de récépissé de la candidature d'origine (pour un doublon)",
        required=False,
        max_length=12,
    )
    reason = forms.CharField(
        label="Motif (obligatoire, conservé au journal)",
        max_length=300,
        error_messages={"required": "Indiquez le motif de la décision."},
    )

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("decision") == "duplicate" and not data.get("duplicate_of"):
            self.add_error("duplicate_of", "Indiquez le numéro de la candidature d'origine.")
        return data


class AreaForm(AccessibleErrorsMixin, forms.Form):
    secteur = forms.ChoiceField(
        label="Secteur", error_messages={"required": "Choisissez un secteur."}
    )
    quartier = forms.ChoiceField(label="Quartier", required=False)
    reason = forms.CharField(
        label="Motif (obligatoire, conservé au journal)",
        max_length=300,
        error_messages={"required": "Indiquez le motif de la décision."},
    )

    def __init__(self, *args, call=None, **kwargs):
        # Shown on the same page as DecisionForm, which also has a ``reason``: its own ids,
        # or the label « Motif » of this form would name the decision's field.
        kwargs.setdefault("auto_id", "id_area_%s")
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["secteur"]).choices = _blank(
            "— choisir —", secteur_choices(call)
        )
        cast(forms.ChoiceField, self.fields["quartier"]).choices = _blank(
            "— non précisé —", quartier_choices()
        )


class CounterEntryForm(AccessibleErrorsMixin, forms.Form):
    """A paper form typed in by a counter agent; the order of fields is the tab order."""

    family_name = PlainTextField(label="Nom", max_length=150)
    given_name = PlainTextField(label="Prénom", max_length=150)
    gender = forms.ChoiceField(label="Genre", choices=_blank("— choisir —", Gender.choices))
    birth_date = FrenchDateField(label="Date de naissance (JJ/MM/AAAA)")
    street_number = PlainTextField(
        label="N°", max_length=20, required=False, widget=forms.TextInput(attrs={"size": 5})
    )
    street_name = PlainTextField(label="Voie (rue, avenue…)", max_length=200)
    address_complement = PlainTextField(
        label="Complément d'adresse", max_length=200, required=False
    )
    postcode = PlainTextField(
        label="Code postal",
        max_length=10,
        initial="59100",
        widget=forms.TextInput(attrs={"size": 6, "inputmode": "numeric"}),
    )
    commune = PlainTextField(label="Commune", max_length=120, initial="Roubaix")
    # Shown only when the street lookup asks for a choice (see apply_area).
    secteur = forms.ChoiceField(label="Secteur", required=False)
    quartier = forms.ChoiceField(label="Quartier", required=False)
    phone = PlainTextField(label="Téléphone", max_length=30, required=False)
    email = forms.EmailField(
        label="Courriel",
        required=False,
        error_messages={"invalid": "Adresse de courriel non valide."},
    )
    motivation = PlainTextField(
        multiline=True,
        label="Motivation (facultatif)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    # Required on paper as online: without them the form cannot be recorded.
    consent_notice = forms.BooleanField(
        label="Le candidat a coché « j'ai lu la notice d'information »",
        error_messages={
            "required": "La case « j'ai lu la notice d'information » n'est pas cochée sur le "
            "formulaire : la candidature ne peut pas être enregistrée. Demandez au candidat "
            "de la cocher et de signer."
        },
    )
    attests_residence = forms.BooleanField(
        label="Le candidat a coché « j'habite la commune »",
        error_messages={
            "required": "La case « j'habite la commune » n'est pas cochée sur le formulaire : "
            "la candidature ne peut pas être enregistrée. Demandez au candidat de la cocher."
        },
    )
    office = forms.ModelChoiceField(
        label="Mairie de réception",
        queryset=Office.objects.all(),
        empty_label="— choisir —",
        error_messages={"required": "Choisissez la mairie qui a reçu le formulaire."},
    )
    received_on = FrenchDateField(label="Reçu le (JJ/MM/AAAA)")
    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, call=None, agent_office: Office | None = None, **kwargs):
        """``agent_office``: a counter agent's mairie, the only one they may type forms for."""
        super().__init__(*args, **kwargs)
        self.call = call
        self.area_match: AddressMatch | None = None
        cast(forms.ChoiceField, self.fields["secteur"]).choices = _blank(
            "— choisir —", [*secteur_choices(call), DONT_KNOW_CHOICE]
        )
        cast(forms.ChoiceField, self.fields["quartier"]).choices = _blank(
            "— non précisé —", quartier_choices()
        )
        if call is not None:
            cast(forms.ModelChoiceField, self.fields["office"]).queryset = (
                call.offices.all() or Office.objects.all()
            )
        if agent_office is not None:
            office_field = cast(forms.ModelChoiceField, self.fields["office"])
            office_field.queryset = Office.objects.filter(pk=agent_office.pk)
            office_field.error_messages["invalid_choice"] = (
                f"Vous saisissez les formulaires de la {agent_office.name} seulement : "
                "un formulaire déposé ailleurs est saisi par cette mairie-là."
            )
        for name, field in self.fields.items():
            if field.required and name not in {
                "submission_key",
                "office",
                "consent_notice",
                "attests_residence",
            }:
                field.error_messages["required"] = (
                    f"Remplissez « {str(field.label).split(' (')[0]} »."
                )
        self.fields["family_name"].widget.attrs["autofocus"] = True
        for name in ("family_name", "given_name", "street_name", "commune"):
            self.fields[name].widget.attrs["autocomplete"] = "off"

    def clean_received_on(self):
        day = self.cleaned_data["received_on"]
        today = timezone.now().astimezone(PARIS).date()
        if day > today:
            raise forms.ValidationError("La date de réception ne peut pas être dans le futur.")
        if self.call is not None:
            opened = timezone.localtime(self.call.opens_at, PARIS).date()
            if day < opened:
                raise forms.ValidationError(
                    f"Date de réception impossible : l'appel a ouvert le {opened:%d/%m/%Y}."
                )
        return day

    def clean_birth_date(self):
        day = self.cleaned_data["birth_date"]
        if day < dt.date(1900, 1, 1) or day > timezone.now().date():
            raise forms.ValidationError("Date de naissance impossible : vérifiez l'année.")
        return day

    # -- secteur ---------------------------------------------------------------
    def apply_area(self) -> None:
        """After ``is_valid()``: the address rules of every channel (``tirage.geo.address``).

        A street in one secteur decides alone (the secteur field is not used). A
        street across secteurs, or a street not found, needs the agent's choice:
        one of the street's secteurs (every secteur for a street not found), or
        « Je ne sais pas » — as the online form offers; then the application is
        flagged for review with the same note as online and on import.
        """
        data = self.cleaned_data
        street = data.get("street_name")
        if not street:
            return
        address = (
            data.get("street_number") or "",
            street,
            data.get("postcode", ""),
            data.get("commune", ""),
        )
        match = resolve_address(*address, territory=self.call)
        self.area_match = match
        outside = self.call is not None and residence_problem(self.call, *address[2:])
        if not match.needs_choice or outside:
            return
        chosen = data.get("secteur", "")
        if match.status == AddressStatus.MULTIPLE:
            allowed = [c for c in self._secteurs() if c[0] in match.choices]
            cast(forms.ChoiceField, self.fields["secteur"]).choices = _blank(
                "— choisir —", [*allowed, DONT_KNOW_CHOICE]
            )
            if chosen not in match.choices and chosen != DONT_KNOW:
                self.add_error(
                    "secteur",
                    f"Cette voie traverse plusieurs secteurs ({label_list(match.choices)}) : "
                    "choisissez celui de l'adresse (voir le numéro dans la rue), ou « Je ne sais "
                    "pas » (la candidature sera signalée « à vérifier »).",
                )
                return
        elif not chosen:
            hint = (
                f" Vouliez-vous dire : {', '.join(match.candidates)} ?" if match.candidates else ""
            )
            self.add_error(
                "secteur",
                "Voie introuvable dans le référentiel : vérifiez l'orthographe, ou choisissez "
                "le secteur, ou « Je ne sais pas » (la candidature sera signalée « à vérifier »)."
                f"{hint}",
            )
            return
        self.area_match = resolve_address(
            *address,
            secteur="" if chosen == DONT_KNOW else chosen,
            quartier=data.get("quartier", ""),
            territory=self.call,
        )

    def _secteurs(self) -> list[tuple[str, str]]:
        return self.call.secteur_choices if self.call is not None else secteur_choices(None)

    @property
    def needs_area_choice(self) -> bool:
        return self.area_match is not None and self.area_match.needs_choice

    def applicant_data(self) -> dict:
        """Fields for ``submit_application``: the typed ones and those the address rules give."""
        data = {
            k: v
            for k, v in self.cleaned_data.items()
            if k not in {"office", "received_on", "submission_key", "secteur", "quartier"}
        }
        match = self.area_match or AddressMatch(status=AddressStatus.UNKNOWN)
        data.update(match.fields())
        return data
