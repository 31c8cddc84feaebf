from django import forms

from tirage.applications.forms_common import PlainTextField
from tirage.council.tokens import LENGTH, normalise_reply_code


class CodeForm(forms.Form):
    code = PlainTextField(
        label="Votre code de réponse",
        help_text="10 caractères, imprimés sur votre courrier, par exemple K7PM3-QXR2H.",
        max_length=30,
        error_messages={"required": "Saisissez le code de réponse imprimé sur votre courrier."},
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
    )

    def clean_code(self):
        code = normalise_reply_code(self.cleaned_data["code"])
        if len(code.replace("-", "")) != LENGTH:
            raise forms.ValidationError(
                "Le code de réponse compte 10 caractères (lettres et chiffres), par exemple K7PM3-QXR2H."
            )
        return code


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label="Acceptez-vous de siéger au conseil ?",
        choices=[
            ("accept", "Oui, j'accepte de siéger"),
            ("decline", "Non, je ne souhaite pas siéger"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez « Oui » ou « Non »."},
    )
    public_consent = forms.BooleanField(
        label="J'accepte que mon prénom, l'initiale de mon nom et mon quartier figurent sur la liste publique "
        "des membres.",
        help_text="Facultatif. Sans votre accord, la liste indique seulement « membre du quartier … ».",
        required=False,
    )


class StaffAnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label="Réponse inscrite sur le coupon",
        choices=[("accept", "Accepte de siéger"), ("decline", "Refuse de siéger")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez la réponse reçue : accepte ou refuse."},
    )
    public_consent = forms.BooleanField(
        label="Accepte de figurer sur la liste publique (case cochée sur le coupon)",
        required=False,
    )


class InstallationForm(forms.Form):
    day = forms.DateField(
        label="Date de la séance d'installation",
        help_text="Format JJ/MM/AAAA. Les mandats des membres courent à partir de cette date.",
        error_messages={
            "required": "Indiquez la date d'installation.",
            "invalid": "Date invalide : JJ/MM/AAAA.",
        },
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
    )
