"""The two ways in: a printed code with the receipt number, or an e-mail address to receive a link."""

from __future__ import annotations

from django import forms

from tirage.applications.codes import normalise_receipt_code
from tirage.council.tokens import LENGTH, normalise_reply_code


class CodeLoginForm(forms.Form):
    receipt_code = forms.CharField(
        label="Votre numéro de récépissé",
        help_text="8 caractères, imprimés en haut de votre convocation, par exemple AB23-CD45.",
        max_length=20,
        error_messages={
            "required": "Saisissez le numéro de récépissé imprimé sur votre convocation."
        },
    )
    code = forms.CharField(
        label="Votre code de connexion",
        help_text="10 caractères, imprimés sur votre convocation, par exemple K7PM3-QXR2H.",
        max_length=30,
        error_messages={
            "required": "Saisissez le code de connexion imprimé sur votre convocation."
        },
    )

    def clean_receipt_code(self) -> str:
        code = normalise_receipt_code(self.cleaned_data["receipt_code"])
        if len(code.replace("-", "")) != 8:
            raise forms.ValidationError(
                "Le numéro de récépissé compte 8 caractères (lettres et chiffres), par exemple AB23-CD45."
            )
        return code

    def clean_code(self) -> str:
        code = normalise_reply_code(self.cleaned_data["code"])
        if len(code.replace("-", "")) != LENGTH:
            raise forms.ValidationError(
                f"Le code de connexion compte {LENGTH} caractères (lettres et chiffres), "
                f"il en a {len(code.replace('-', ''))} ici."
            )
        return code


class EmailLoginForm(forms.Form):
    email = forms.EmailField(
        label="Votre adresse électronique",
        help_text="Celle que vous avez donnée en vous portant candidat·e.",
        error_messages={
            "required": "Saisissez votre adresse électronique.",
            "invalid": "Cette adresse électronique n'est pas complète (exemple : nom@exemple.fr).",
        },
    )
