from __future__ import annotations

from django import forms

from tirage.applications.forms_common import PlainTextField


class PeriodForm(forms.Form):
    period_start = forms.DateField(
        label="Début de la période",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": "Indiquez le début de la période.",
            "invalid": "Date invalide (JJ/MM/AAAA).",
        },
    )
    period_end = forms.DateField(
        label="Fin de la période",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": "Indiquez la fin de la période.",
            "invalid": "Date invalide (JJ/MM/AAAA).",
        },
    )


class TextForm(forms.Form):
    text = PlainTextField(
        label="Texte de présentation (paragraphes séparés par une ligne vide)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
    )
