"""Staff forms of the opinions app: each one is the paper sheet it types (consultation, booklet, vote, answer…).

The forms only check types and shapes; the rules (quorum, vote arithmetic,
deadlines, answers) are the services', whose ``OpinionError`` /
``MeetingError`` land on the field they name (``apply_error``).
"""

from __future__ import annotations

from django import forms

from tirage.applications.forms_common import PlainTextField
from tirage.meetings.errors import MeetingError
from tirage.meetings.models import Decision
from tirage.opinions.models import Answer, Consultation, Rating

# A service's field name → the form's, where they differ.
ALIASES = {"agenda_item": "item", "lines": None}
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def lines_of(text: str) -> list[str]:
    """The non-empty lines of a textarea, stripped (one question or recommendation per line)."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def apply_error(form: forms.Form, error: MeetingError) -> None:
    """Put a service's refusal on the field it names (else on the whole form), every line of a sheet listed."""
    error.add_to_form(form, ALIASES)


def _set_choices(form: forms.Form, name: str, choices: list) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


class ConsultationForm(forms.Form):
    title = PlainTextField(label="Projet de la Ville", max_length=200)
    service = PlainTextField(label="Service de la Ville en charge", max_length=200)
    stage = forms.ChoiceField(label="Étape du projet", choices=Consultation.Stage.choices)
    context = PlainTextField(label="Contexte du projet", widget=forms.Textarea(attrs={"rows": 6}))
    summary = PlainTextField(
        label="Résumé facile à lire et à comprendre (FALC)",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    deadline = forms.DateField(label="Date limite des contributions (incluse)", widget=DATE)
    questions = PlainTextField(
        label="Questions posées au conseil (une par ligne)",
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class StageForm(forms.Form):
    stage = forms.ChoiceField(label="Nouvelle étape du projet", choices=Consultation.Stage.choices)


class DeadlineForm(forms.Form):
    deadline = forms.DateField(label="Nouvelle date limite", widget=DATE)
    reason = PlainTextField(label="Motif de la prolongation", max_length=300)


class QuestionForm(forms.Form):
    text = PlainTextField(label="Nouvelle question", widget=forms.Textarea(attrs={"rows": 2}))
    help_text = PlainTextField(label="Précisions (facultatif)", required=False)


class DocumentForm(forms.Form):
    title = PlainTextField(label="Titre du document", max_length=200)
    url = forms.URLField(label="Adresse (lien)", assume_scheme="https")


class BookletForm(forms.Form):
    """A paper booklet typed back: whose it is, when it arrived, one answer per question, a comment."""

    member = forms.TypedChoiceField(label="Membre", coerce=int)
    received_on = forms.DateField(label="Livret reçu le", widget=DATE)
    comment = PlainTextField(
        label="Autre commentaire", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    consent_to_quote = forms.BooleanField(
        label="La case « J'accepte que mes phrases soient citées, sans mon nom » est cochée",
        required=False,
    )
    late = forms.BooleanField(
        label="Accepter ce livret arrivé après la date limite", required=False
    )
    late_reason = PlainTextField(label="Motif de l'acceptation tardive", required=False)

    def __init__(self, *args, members, questions, **kwargs):
        super().__init__(*args, **kwargs)
        _set_choices(self, "member", [("", "— choisir —"), *members])
        self.questions = list(questions)
        for question in self.questions:
            self.fields[f"q{question.pk}"] = PlainTextField(
                label=f"Question {question.number} : {question.text}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
            )
        self.order_fields(
            ["member", "received_on", *[f"q{q.pk}" for q in self.questions], "comment"]
        )

    def answers(self) -> dict[int, str]:
        return {q.pk: self.cleaned_data.get(f"q{q.pk}", "") for q in self.questions}


class OpinionForm(forms.Form):
    """A draft opinion or proposal: title, text, FALC summary, minority view, recommendations."""

    title = PlainTextField(label="Titre", max_length=300)
    text = PlainTextField(label="Texte intégral", widget=forms.Textarea(attrs={"rows": 10}))
    summary = PlainTextField(
        label="Résumé facile à lire et à comprendre (FALC)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    minority_view = PlainTextField(
        label="Opinion minoritaire (facultatif)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    recommendations = PlainTextField(
        label="Recommandations (une par ligne, numérotées dans cet ordre)",
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class ProposalForm(OpinionForm):
    member = forms.TypedChoiceField(label="Proposée par", coerce=int)
    recommendations = PlainTextField(
        label="Recommandations (une par ligne ; vide : le titre)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        _set_choices(self, "member", [("", "— choisir —"), *members])
        del self.fields["minority_view"]


class VoteForm(forms.Form):
    """The paper voting sheet: the item of the meeting, vote or consensus, the figures."""

    item = forms.TypedChoiceField(label="Séance et point de l'ordre du jour", coerce=int)
    method = forms.ChoiceField(
        label="Mode de décision",
        choices=Decision.Method.choices,
        widget=forms.RadioSelect,
        initial=Decision.Method.VOTE,
    )
    present = forms.IntegerField(
        label="Présents au vote",
        min_value=0,
        required=False,
        help_text="Vide : la feuille de présence.",
    )
    represented = forms.IntegerField(
        label="Représentés (procurations)", min_value=0, required=False
    )
    voters = forms.IntegerField(label="Votants", min_value=0, required=False)
    votes_for = forms.IntegerField(label="Pour", min_value=0, required=False)
    votes_against = forms.IntegerField(label="Contre", min_value=0, required=False)
    abstentions = forms.IntegerField(label="Abstentions", min_value=0, required=False)
    casting_vote = forms.ChoiceField(
        label="Voix prépondérante du président (égalité seulement)",
        choices=[("", "aucune"), *Decision.CastingVote.choices],
        required=False,
    )
    note = PlainTextField(label="Note (facultatif)", required=False, max_length=500)

    VOTE_FIELDS = ("voters", "votes_for", "votes_against", "abstentions")

    def __init__(self, data=None, items=(), taken=(), **kwargs):
        """``items``: the ``(pk, label)`` offered; ``taken``: those accepted but not offered (the
        service refuses them, naming the item)."""
        super().__init__(data, **kwargs)
        _set_choices(self, "item", [("", "— choisir —"), *items, *taken])
        self.fields["item"].widget.choices = [("", "— choisir —"), *items]

    def clean(self):
        data = super().clean() or {}
        if data.get("method") == Decision.Method.VOTE:
            for name in self.VOTE_FIELDS:
                if data.get(name) is None and name not in self.errors:
                    self.add_error(name, "Indiquez ce nombre (0 si aucun).")
        return data


class MinorityForm(forms.Form):
    minority_view = PlainTextField(
        label="Opinion minoritaire jointe au texte (facultatif)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SendForm(forms.Form):
    sent_on = forms.DateField(label="Transmis à la Ville le", widget=DATE)
    sent_to = PlainTextField(label="Destinataire", max_length=200, required=False)


class AnswerSheetForm(forms.Form):
    """The City's letter: date, reference, summary, and one answer per recommendation (blank: not in this letter)."""

    received_on = forms.DateField(label="Courrier de la Ville reçu le", widget=DATE)
    reference = PlainTextField(label="Référence du courrier", max_length=200, required=False)
    summary = PlainTextField(
        label="Résumé facile à lire (FALC)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    document_url = forms.URLField(
        label="Adresse du courrier publié (facultatif)", required=False, assume_scheme="https"
    )

    def __init__(self, *args, recommendations, **kwargs):
        super().__init__(*args, **kwargs)
        self.recommendations = list(recommendations)
        for rec in self.recommendations:
            n = rec.number
            self.fields[f"status_{n}"] = forms.ChoiceField(
                label=f"Réponse à la recommandation {n}",
                choices=[("", "pas de réponse dans ce courrier"), *Answer.Status.choices],
                required=False,
            )
            self.fields[f"reasons_{n}"] = PlainTextField(
                label=f"Motifs (recommandation {n})",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"service_{n}"] = PlainTextField(
                label=f"Service en charge (recommandation {n})", required=False
            )
            self.fields[f"due_on_{n}"] = forms.DateField(
                label=f"Échéance de l'engagement (recommandation {n})",
                required=False,
                widget=DATE,
            )

    def rows(self) -> list[tuple]:
        """``(recommendation, [its bound fields])`` in order, for the template."""
        return [
            (r, [self[f"{name}_{r.number}"] for name in ("status", "reasons", "service", "due_on")])
            for r in self.recommendations
        ]


class ProgressForm(forms.Form):
    on = forms.DateField(label="Date du point d'avancement", widget=DATE)
    progress = forms.IntegerField(label="Avancement (%)")
    text = PlainTextField(label="Ce qui a été fait", widget=forms.Textarea(attrs={"rows": 3}))
    links = PlainTextField(
        label="Preuves : une par ligne, « titre | adresse »",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_links(self):
        pairs = []
        for i, line in enumerate(lines_of(self.cleaned_data["links"]), start=1):
            title, sep, url = line.partition("|")
            if not sep or not title.strip() or not url.strip():
                raise forms.ValidationError(
                    f"Ligne {i} : écrivez « titre | adresse », par exemple « Compte rendu | "
                    "https://www.ville-roubaix.fr/… »."
                )
            pairs.append((title.strip(), url.strip()))
        return pairs


class RatingForm(VoteForm):
    """The council's rating of each answer, adopted in a meeting (typed from paper)."""

    def __init__(self, *args, answers, **kwargs):
        super().__init__(*args, **kwargs)
        self.answers = list(answers)
        for answer in self.answers:
            n = answer.recommendation.number
            self.fields[f"verdict_{answer.pk}"] = forms.ChoiceField(
                label=f"Appréciation de la réponse à la recommandation {n}",
                choices=[("", "pas évaluée cette fois"), *Rating.Verdict.choices],
                required=False,
            )
            self.fields[f"comment_{answer.pk}"] = PlainTextField(
                label=f"Commentaire (recommandation {n})", required=False
            )

    def rows(self) -> list[tuple]:
        """``(answer, [its bound fields])`` in order, for the template."""
        return [(a, [self[f"verdict_{a.pk}"], self[f"comment_{a.pk}"]]) for a in self.answers]
