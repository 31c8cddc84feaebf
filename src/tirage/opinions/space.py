"""The members' pages of consultations and proposals (``/espace-membre/``), behind ``member_required``.

A member contributes to an open consultation (answers to the questions and
a general comment, all or nothing, source ``online``) and proposes an idea
to the council. Plain HTML forms: they work with the keyboard alone and
without JavaScript. Paper stays possible: staff type booklets and
proposals in for members who prefer it.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from tirage.applications.forms_common import PlainTextField
from tirage.council.space import member_required
from tirage.meetings.errors import MeetingError
from tirage.meetings.models import Source
from tirage.opinions.forms import apply_error, lines_of
from tirage.opinions.models import Consultation
from tirage.opinions.services.consultations import contribute
from tirage.opinions.services.opinions import propose


def _posted(request):
    """The POST data of a POST (even empty: an empty form is checked), else ``None``."""
    return request.POST if request.method == "POST" else None


class ContributionForm(forms.Form):
    comment = PlainTextField(
        label="Autre commentaire (facultatif)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    consent_to_quote = forms.BooleanField(
        label="J'accepte que mes phrases soient citées sur les pages publiques du conseil, sans "
        "mon nom",
        required=False,
    )

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            self.fields[f"q{question.pk}"] = PlainTextField(
                label=f"Question {question.number} : {question.text}",
                help_text=question.help_text,
                required=False,
                widget=forms.Textarea(attrs={"rows": 5}),
            )
        self.order_fields([f"q{q.pk}" for q in self.questions] + ["comment"])

    def lines(self) -> list[tuple[int | None, str]]:
        lines: list[tuple[int | None, str]] = [
            (q.pk, self.cleaned_data[f"q{q.pk}"])
            for q in self.questions
            if self.cleaned_data[f"q{q.pk}"].strip()
        ]
        if self.cleaned_data["comment"].strip():
            lines.append((None, self.cleaned_data["comment"]))
        return lines


class IdeaForm(forms.Form):
    title = PlainTextField(label="Votre idée en une phrase", max_length=300)
    text = PlainTextField(label="Expliquez votre idée", widget=forms.Textarea(attrs={"rows": 8}))
    recommendations = PlainTextField(
        label="Ce que vous demandez à la Ville (une demande par ligne, facultatif)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


@member_required
def consultations(request):
    today = timezone.localdate()
    rows = Consultation.objects.filter(
        call__council_name=request.member.call.council_name,
        opened_on__lte=today,
        deadline__gte=today,
    ).order_by("deadline")
    return render(request, "opinions/space/consultations.html", {"consultations": rows})


@member_required
@require_http_methods(["GET", "POST"])
def contribute_view(request, pk: int):
    """Answer the questions of an open consultation; every answer saved, or none."""
    consultation = get_object_or_404(Consultation, pk=pk)
    form = ContributionForm(_posted(request), questions=consultation.questions.order_by("number"))
    if request.method == "POST" and form.is_valid():
        lines = form.lines()
        try:
            if not lines:
                raise MeetingError("Écrivez au moins une réponse ou un commentaire.")
            with transaction.atomic():  # all the answers, or none
                for question_id, text in lines:
                    contribute(
                        consultation_id=consultation.pk,
                        member_id=request.member.pk,
                        question_id=question_id,
                        text=text,
                        source=Source.ONLINE,
                        consent_to_quote=form.cleaned_data["consent_to_quote"],
                    )
        except MeetingError as exc:
            apply_error(form, exc)
        else:
            messages.success(
                request,
                f"Merci : votre contribution est enregistrée ({len(lines)} réponse"
                f"{'s' if len(lines) > 1 else ''}).",
            )
            return redirect("opinions_space:consultations")
    return render(
        request,
        "opinions/space/contribute.html",
        {"consultation": consultation, "form": form},
        status=400 if form.errors else 200,
    )


@member_required
@require_http_methods(["GET", "POST"])
def propose_view(request):
    """Propose an idea: it goes to a meeting of the council."""
    form = IdeaForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            proposal, _ = propose(
                call_id=request.member.call_id,
                title=data["title"],
                text=data["text"],
                source=Source.ONLINE,
                member_id=request.member.pk,
                recommendations=lines_of(data["recommendations"]) or None,
            )
        except MeetingError as exc:
            apply_error(form, exc)
        else:
            messages.success(
                request,
                f"Merci : votre proposition « {proposal.title} » est enregistrée. Elle sera "
                "inscrite à une séance du conseil.",
            )
            return redirect("opinions_space:consultations")
    return render(
        request, "opinions/space/propose.html", {"form": form}, status=400 if form.errors else 200
    )
