from django import forms

from tirage.applications.codes import normalise_receipt_code
from tirage.applications.forms_common import PlainTextField


class ErrorLinksMixin(forms.Form):
    """``error_links`` for the site's error summary: ``[(anchor, message)]`` in field order."""

    def error_links(self) -> list[tuple[str, str]]:
        links = [("", str(e)) for e in self.non_field_errors()]
        for name, field in self.fields.items():
            for error in self.errors.get(name, []):
                anchor = self[name].auto_id
                if isinstance(field.widget, forms.RadioSelect):
                    anchor += "_0"
                links.append((anchor, str(error)))
        return links


class LookupForm(ErrorLinksMixin, forms.Form):
    code = PlainTextField(
        label="Votre numéro de récépissé",
        help_text="8 caractères, par exemple ABCD-2345. Il est écrit sur le récépissé de votre candidature.",
        max_length=20,
        error_messages={
            "required": "Indiquez votre numéro de récépissé, par exemple ABCD-2345.",
            "max_length": "Le numéro de récépissé doit comporter au plus %(limit_value)d caractères "
            "(%(show_value)d saisis).",
        },
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "spellcheck": "false",
                "autocapitalize": "characters",
                "class": "input-medium",
            }
        ),
    )

    def clean_code(self):
        code = normalise_receipt_code(self.cleaned_data["code"])
        if len(code) != 9:
            raise forms.ValidationError(
                "Un numéro de récépissé a 8 lettres ou chiffres, par exemple ABCD-2345. Vérifiez votre saisie."
            )
        return code


class FreezeForm(ErrorLinksMixin, forms.Form):
    # Shown only once a pool is frozen, where a new freeze needs a reason: the field is
    # marked required (it used to read « (obligatoire pour un nouveau gel) (facultatif) »).
    # The first freeze posts no reason; the view does not require the form to be valid.
    reason = PlainTextField(
        label="Motif du nouveau gel",
        help_text="Par exemple une correction tardive de candidature. Il est conservé au journal.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PrepareForm(ErrorLinksMixin, forms.Form):
    panels = forms.TypedChoiceField(
        label="Nombre de panels de la loterie",
        choices=[
            (1000, "1 000 panels — 3 dés à dix faces"),
            (10000, "10 000 panels — 4 dés à dix faces"),
        ],
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


class DiceForm(ErrorLinksMixin, forms.Form):
    """One field per die (0–9), or the agreed seed."""

    seed = PlainTextField(label="Graine convenue", required=False, max_length=200)

    def __init__(
        self, *args, dice_count: int = 3, method: str = "dice", early_until: str = "", **kwargs
    ):
        """``early_until``: the announced draw date in French when today is before it: the
        operator must then say why the draw takes place early (``early_reason``)."""
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
                        "min_value": f"Dé n° {i + 1} : un dé à dix faces donne 0 à 9.",
                        "max_value": f"Dé n° {i + 1} : un dé à dix faces donne 0 à 9.",
                        "invalid": f"Dé n° {i + 1} : un dé à dix faces donne un chiffre de 0 à 9.",
                    },
                    widget=forms.TextInput(
                        attrs={
                            "inputmode": "numeric",
                            "maxlength": "1",
                            "autocomplete": "off",
                            "pattern": "[0-9]",
                            "autofocus": i == 0,
                        }
                    ),
                )
        else:
            self.fields["seed"].required = True
        if early_until:
            self.fields["early_reason"] = PlainTextField(
                label=f"Motif du tirage avant la date annoncée ({early_until})",
                help_text="Obligatoire avant la date annoncée. Il est consigné au journal du tirage.",
                max_length=1000,
                error_messages={
                    "required": f"Motif du tirage avant la date annoncée : le tirage est annoncé "
                    f"pour le {early_until} ; indiquez pourquoi il a lieu avant.",
                    "max_length": "Motif du tirage avant la date annoncée : 1 000 caractères au plus "
                    "(%(show_value)d saisis).",
                },
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def full_clean(self) -> None:
        """After validation, the focus goes to the first field in error (the operator retypes
        it at once; its message is tied to it by ``aria-describedby``), not to the first die."""
        super().full_clean()
        first = next((name for name in self.fields if name in self.errors), None)
        if first is not None:
            for field in self.fields.values():
                field.widget.attrs.pop("autofocus", None)
            self.fields[first].widget.attrs["autofocus"] = True

    def dice(self) -> list[int]:
        return [self.cleaned_data[f"die_{i}"] for i in range(self.dice_count)]


class MinutesForm(ErrorLinksMixin, forms.Form):
    place = PlainTextField(
        label="Lieu du tirage",
        max_length=300,
        error_messages={
            "required": "Indiquez le lieu du tirage, par exemple la salle et l'adresse."
        },
    )
    witnesses = PlainTextField(
        label="Témoins",
        help_text="Une personne par ligne : nom, puis qualité (par exemple « Marie Dupont, habitante »).",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
