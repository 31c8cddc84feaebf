"""Forms of the members' space. Rules (who may hold a proxy…) stay in the services."""

from __future__ import annotations

from django import forms

from tirage.applications.forms_common import PlainTextField
from tirage.meetings.models import REPLIES, Presence

REPLY_LABELS = {
    Presence.PRESENT: "Je serai présent·e",
    Presence.REMOTE: "Je participerai à distance",
    Presence.EXCUSED: "Je serai absent·e (excusé·e)",
    Presence.PROXY: "Je serai absent·e et je donne procuration à un autre membre",
}

REPLY_CHOICES = [(r.value, REPLY_LABELS[r]) for r in REPLIES]


class ReplyForm(forms.Form):
    reply = forms.ChoiceField(
        label="Votre réponse",
        choices=REPLY_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez une réponse."},
    )
    # The holder is checked by the service (member of the council, expected, holding none yet).
    proxy_to = forms.IntegerField(
        label="Membre qui portera votre procuration",
        required=False,
        help_text="Seulement si vous donnez procuration : ce membre votera pour vous.",
        widget=forms.Select,
        error_messages={"invalid": "Choisissez un membre dans la liste."},
    )
    note = PlainTextField(label="Précision (facultatif)", required=False, max_length=300)

    def __init__(self, *args, holders=(), remote_allowed=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proxy_to"].widget.choices = [("", "— personne —"), *holders]
        if not remote_allowed:
            field = self.fields["reply"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [c for c in REPLY_CHOICES if c[0] != Presence.REMOTE]

    def clean(self):
        data = super().clean() or {}
        if data.get("reply") == Presence.PROXY and not data.get("proxy_to"):
            self.add_error("proxy_to", "Choisissez le membre qui portera votre procuration.")
        return data


class SuggestionForm(forms.Form):
    title = PlainTextField(
        label="Le point que vous proposez",
        max_length=300,
        error_messages={
            "required": "Donnez un intitulé au point proposé.",
            "max_length": "L'intitulé compte au plus 300 caractères.",
        },
    )
    description = PlainTextField(
        label="Pourquoi ce point ? (facultatif)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ResignForm(forms.Form):
    note = PlainTextField(
        label="Un mot pour expliquer votre départ (facultatif)",
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
