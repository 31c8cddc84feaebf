"""Staff forms of the open-data pages (French labels; the services check the rules)."""

from __future__ import annotations

from django import forms

from tirage.applications.forms_common import PlainTextField
from tirage.council.models import Member
from tirage.opendata.indicators import Code
from tirage.opendata.models import DataRequest, DigitalService
from tirage.opinions.models import Opinion

DATE_HINT = "Format JJ/MM/AAAA."


class RequestForm(forms.Form):
    title = PlainTextField(label="Données demandées", max_length=200)
    description = PlainTextField(
        label="Ce que contiennent les données, en mots simples",
        widget=forms.Textarea(attrs={"rows": 3}),
        multiline=True,
    )
    reason = PlainTextField(
        label="Pourquoi le conseil les demande",
        widget=forms.Textarea(attrs={"rows": 3}),
        multiline=True,
    )
    producer = PlainTextField(label="Service producteur", max_length=200, required=False)
    priority = forms.ChoiceField(label="Priorité", choices=DataRequest.Priority.choices)
    expected_format = forms.ChoiceField(label="Format promis", choices=DataRequest.Format.choices)
    expected_columns = PlainTextField(
        label="Colonnes promises (une par ligne)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        multiline=True,
    )
    opinion = forms.ModelChoiceField(
        label="Avis ou proposition d'origine",
        queryset=Opinion.objects.none(),
        required=False,
        empty_label="aucun (initiative du conseil)",
    )

    def __init__(self, *args, call_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opinion"].queryset = Opinion.objects.filter(call_id=call_id).order_by(  # type: ignore[attr-defined]
            "kind", "number", "id"
        )

    def clean_expected_columns(self) -> list[str]:
        return [
            line.strip()
            for line in self.cleaned_data["expected_columns"].splitlines()
            if line.strip()
        ]


class DecisionForm(forms.Form):
    reason = PlainTextField(
        label="Motifs de la Ville (publiés)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        multiline=True,
    )


class PublicationForm(forms.Form):
    portal = forms.ChoiceField(label="Portail", choices=DataRequest.Portal.choices)
    dataset_id = PlainTextField(
        label="Identifiant du jeu de données", max_length=200, required=False
    )
    dataset_url = forms.URLField(
        label="Page du jeu de données", max_length=500, assume_scheme="https"
    )
    resource_url = forms.URLField(label="Adresse du fichier", max_length=500, assume_scheme="https")
    licence = PlainTextField(label="Licence", max_length=100, required=False)
    schema_name = PlainTextField(
        label="Schéma (schema.data.gouv.fr)",
        max_length=200,
        required=False,
        help_text="Par exemple « LaMednum/standard-mediation-num ».",
    )
    schema_version = PlainTextField(label="Version du schéma", max_length=20, required=False)


class UploadForm(forms.Form):
    file = forms.FileField(label="Fichier reçu de la Ville")


class ServiceForm(forms.Form):
    slug = forms.SlugField(
        label="Code du service",
        max_length=80,
        help_text="Lettres minuscules, chiffres et tirets : la colonne « service » des fichiers. Ne change plus ensuite.",
    )
    name = PlainTextField(label="Nom", max_length=200)
    kind = forms.ChoiceField(label="Type", choices=DigitalService.Kind.choices)
    description = PlainTextField(
        label="Description",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        multiline=True,
    )
    url = forms.URLField(label="Adresse", max_length=500, required=False, assume_scheme="https")
    owner = PlainTextField(label="Service responsable", max_length=200, required=False)
    followed_since = forms.DateField(label="Suivi depuis", required=False, help_text=DATE_HINT)
    active = forms.BooleanField(label="Suivi en cours", required=False, initial=True)
    order = forms.IntegerField(label="Ordre d'affichage", min_value=0, initial=0)


class TargetForm(forms.Form):
    indicator = forms.ChoiceField(label="Indicateur", choices=Code.choices)
    secteur = forms.ChoiceField(label="Secteur", required=False)
    value = forms.DecimalField(label="Objectif", max_digits=14, decimal_places=2)
    valid_from = forms.DateField(label="À partir du mois (premier jour)", help_text=DATE_HINT)
    valid_until = forms.DateField(label="Jusqu'au mois", required=False, help_text=DATE_HINT)
    note = PlainTextField(label="Source de l'objectif", max_length=300, required=False)

    def __init__(self, *args, secteurs: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["secteur"].choices = [("", "toute la ville"), *secteurs.items()]  # type: ignore[attr-defined]


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Fichier d'indicateurs (CSV, XLSX ou JSON)",
        help_text="Colonnes service, periode, indicateur, valeur et, si besoin, secteur.",
    )
    replace = forms.BooleanField(label="Remplacer les valeurs existantes", required=False)


class EvaluationForm(forms.Form):
    member = forms.ModelChoiceField(label="Membre", queryset=Member.objects.none())
    service = forms.ModelChoiceField(
        label="Service évalué", queryset=DigitalService.objects.filter(active=True)
    )
    period = forms.DateField(label="Mois évalué (n'importe quel jour du mois)", help_text=DATE_HINT)
    rating = forms.TypedChoiceField(
        label="Note",
        coerce=int,
        choices=[(n, f"{n} sur 5") for n in range(1, 6)],
        widget=forms.RadioSelect,
    )
    text = PlainTextField(
        label="Évaluation (recopiée du papier)",
        widget=forms.Textarea(attrs={"rows": 5}),
        multiline=True,
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["member"]
        field.queryset = members  # type: ignore[attr-defined]
        field.label_from_instance = lambda m: (  # type: ignore[attr-defined]
            f"{m.application.given_name} {m.application.family_name}"
        )


class DraftOpinionForm(forms.Form):
    title = PlainTextField(label="Titre de l'avis", max_length=300)
    recommendation = PlainTextField(
        label="Première recommandation", widget=forms.Textarea(attrs={"rows": 3}), multiline=True
    )
