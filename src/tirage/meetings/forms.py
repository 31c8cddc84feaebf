"""Staff forms of the council's life: they check shapes only; the services check the rules."""

from __future__ import annotations

import re

from django import forms

from tirage.applications.forms_common import PlainTextField
from tirage.meetings.models import AgendaItem, Meeting, Presence, Rules

DATETIME_HELP = "Format JJ/MM/AAAA puis l'heure, par exemple 12/01/2027 18 h 30 (ou 18:30)."

# « 18 h 30 », « 18h30 », « 18 h », « 18H » (the pages write times « 18 h 00 »; a
# coordinator types them the same way) → « 18:30 », « 18:00 ».
_FRENCH_TIME = re.compile(r"(?<=\s)(\d{1,2})\s*[hH]\s*(\d{2})?\s*$")


class FrenchDateTimeField(forms.DateTimeField):
    """A date and time typed « JJ/MM/AAAA HH:MM », the hour also « 18 h 30 », « 18h30 »
    or « 18 h » (non-breaking spaces count as spaces); Europe/Paris time."""

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", ["%d/%m/%Y %H:%M", "%Y-%m-%dT%H:%M"])
        kwargs.setdefault("help_text", DATETIME_HELP)
        kwargs.setdefault(
            "error_messages",
            {
                "invalid": "Date et heure attendues au format JJ/MM/AAAA puis l'heure "
                "(ex. 12/01/2027 18 h 30)."
            },
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = " ".join(value.replace("\u202f", " ").replace("\xa0", " ").split())
            value = _FRENCH_TIME.sub(lambda m: f"{m[1]}:{m[2] or '00'}", value)
        return super().to_python(value)


class RulesForm(forms.ModelForm):
    class Meta:
        model = Rules
        fields = list(Rules.EDITABLE)


class MeetingForm(forms.Form):
    title = PlainTextField(label="Titre", max_length=200)
    kind = forms.ChoiceField(label="Type de réunion", choices=Meeting.Kind.choices)
    working_group = forms.TypedChoiceField(
        label="Groupe de travail (si groupe de travail)",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[],
    )
    starts_at = FrenchDateTimeField(label="Début")
    ends_at = FrenchDateTimeField(
        label="Fin", required=False, help_text="Par défaut : 2 heures après."
    )
    format = forms.ChoiceField(label="Modalité", choices=Meeting.Format.choices)
    place = PlainTextField(label="Lieu", max_length=200, required=False)
    address = PlainTextField(label="Adresse du lieu", max_length=300, required=False)
    access_info = PlainTextField(
        label="Accès et accessibilité",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Transports, entrée accessible en fauteuil, boucle magnétique, interprète LSF…",
    )
    remote_url = forms.URLField(
        label="Lien de la visioconférence (membres seulement)", required=False
    )

    def __init__(self, *args, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["working_group"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—")] + [(g.pk, g.name) for g in groups]


class MeetingChangeForm(MeetingForm):
    reason = PlainTextField(
        label="Motif du changement (obligatoire une fois la réunion convoquée)",
        max_length=300,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The kind and the group never change: cancel and plan another meeting instead.
        del self.fields["kind"]
        del self.fields["working_group"]


class AgendaItemForm(forms.Form):
    title = PlainTextField(label="Intitulé", max_length=300)
    kind = forms.ChoiceField(label="Nature", choices=AgendaItem.Kind.choices)
    description = PlainTextField(
        label="Présentation", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    presenter = PlainTextField(label="Présenté par", max_length=200, required=False)


class ReasonForm(forms.Form):
    reason = PlainTextField(
        label="Motif",
        max_length=500,
        error_messages={"required": "Indiquez le motif."},
    )


class DecisionForm(forms.Form):
    method = forms.ChoiceField(
        label="Mode de décision",
        choices=[("vote", "vote"), ("consensus", "consensus (sans vote)")],
        widget=forms.RadioSelect,
    )
    title = PlainTextField(label="Décision (intitulé)", max_length=300, required=False)
    voters = forms.IntegerField(label="Votants", min_value=0, required=False)
    votes_for = forms.IntegerField(label="Pour", min_value=0, required=False)
    votes_against = forms.IntegerField(label="Contre", min_value=0, required=False)
    abstentions = forms.IntegerField(label="Abstentions", min_value=0, required=False)
    present = forms.IntegerField(
        label="Présents au moment du vote (vide : la feuille)", min_value=0, required=False
    )
    casting_vote = forms.ChoiceField(
        label="Voix prépondérante en cas d'égalité",
        choices=[("", "—"), ("for", "pour"), ("against", "contre")],
        required=False,
    )
    note = PlainTextField(label="Remarque", max_length=500, required=False)

    def clean(self):
        data = super().clean() or {}
        if data.get("method") == "vote":
            for name in ("voters", "votes_for", "votes_against", "abstentions"):
                if data.get(name) is None:
                    self.add_error(name, "Indiquez ce nombre (0 s'il n'y en a pas).")
        return data


class RulesDocumentForm(forms.Form):
    title = PlainTextField(label="Titre", max_length=200, initial="Règlement intérieur")
    adopted_on = forms.DateField(
        label="Adopté le",
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        help_text="Format JJ/MM/AAAA.",
        error_messages={"invalid": "Date attendue au format JJ/MM/AAAA."},
    )
    text = PlainTextField(label="Texte intégral", widget=forms.Textarea(attrs={"rows": 10}))
    summary = PlainTextField(
        label="Résumé facile à lire et à comprendre (FALC)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class GroupForm(forms.Form):
    name = PlainTextField(label="Nom du groupe", max_length=200)
    mission = PlainTextField(
        label="Mission", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class MinutesForm(forms.Form):
    text = PlainTextField(
        label="Texte intégral du compte rendu", widget=forms.Textarea(attrs={"rows": 14})
    )
    summary = PlainTextField(
        label="Résumé facile à lire et à comprendre (FALC)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Obligatoire pour publier : des phrases courtes, un mot simple par idée.",
    )


ATTENDANCE_CHOICES = [("", "— non noté —")] + [(p.value, p.label) for p in Presence]
