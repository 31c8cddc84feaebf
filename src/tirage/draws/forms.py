from django import forms

from tirage.applications.codes import normalise_receipt_code


class LookupForm(forms.Form):
    code = forms.CharField(
        label="Votre numéro de récépissé",
        help_text="8 caractères, par exemple ABCD-2345 (sans 0, O, 1, I).",
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}),
    )

    def clean_code(self):
        return normalise_receipt_code(self.cleaned_data["code"])


class FreezeForm(forms.Form):
    reason = forms.CharField(
        label="Motif (obligatoire pour un nouveau gel)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class PrepareForm(forms.Form):
    panels = forms.TypedChoiceField(
        label="Nombre de panels de la loterie",
        choices=[(1000, "1 000 panels — 3 dés à dix faces"), (10000, "10 000 panels — 4 dés à dix faces")],
        coerce=int,
        initial=1000,
        widget=forms.RadioSelect,
    )
    objective = forms.ChoiceField(
        label="Objectif d'équité",
        choices=[
            ("leximin", "LEXIMIN — maximiser la plus petite chance, puis la suivante…"),
            ("goldilocks", "Goldilocks — borner aussi les plus grandes chances"),
        ],
        initial="leximin",
        widget=forms.RadioSelect,
    )


class DiceForm(forms.Form):
    """One field per die (0–9), or the agreed seed."""

    seed = forms.CharField(label="Graine convenue", required=False, max_length=200)

    def __init__(self, *args, dice_count: int = 3, method: str = "dice", **kwargs):
        super().__init__(*args, **kwargs)
        self.dice_count = dice_count
        self.method = method
        if method == "dice":
            del self.fields["seed"]
            for i in range(dice_count):
                self.fields[f"die_{i}"] = forms.IntegerField(
                    label=f"Dé n° {i + 1}",
                    min_value=0,
                    max_value=9,
                    error_messages={
                        "required": f"Indiquez la valeur du dé n° {i + 1} (0 à 9).",
                        "min_value": "Un dé à dix faces donne 0 à 9.",
                        "max_value": "Un dé à dix faces donne 0 à 9.",
                        "invalid": "Un dé à dix faces donne un chiffre de 0 à 9.",
                    },
                    widget=forms.TextInput(attrs={"inputmode": "numeric", "maxlength": "1", "autocomplete": "off", "pattern": "[0-9]"}),
                )
        else:
            self.fields["seed"].required = True

    def dice(self) -> list[int]:
        return [self.cleaned_data[f"die_{i}"] for i in range(self.dice_count)]


class MinutesForm(forms.Form):
    place = forms.CharField(label="Lieu", max_length=300)
    witnesses = forms.CharField(
        label="Témoins (un par ligne : nom, qualité)", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
