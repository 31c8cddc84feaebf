"""Public pages: the council's opinions and proposals with the City's answers, and the consultations.

No login, no personal data: contributions are counted, quoted only with
consent and never with a name (``services.consultations.quotes``); the
clock is read from the council's rules at each display
(``clock.clock_for``), so changing ``Rules.answer_deadline_days`` changes
every deadline and delay shown.
"""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render

from tirage.meetings.models import Rules
from tirage.opinions import pages
from tirage.opinions.clock import clock_for
from tirage.opinions.models import Commitment, Consultation, Opinion
from tirage.opinions.pages import opinion_context
from tirage.opinions.pdf import opinion_pdf
from tirage.opinions.services.consultations import contribution_counts, quotes

PUBLIC_STATES = (Opinion.State.ADOPTED, Opinion.State.SENT, Opinion.State.WITHDRAWN)


def _public_opinion(pk: int) -> Opinion:
    """An adopted, sent or withdrawn opinion (a draft is not public yet), or 404."""
    opinion = (
        Opinion.objects.filter(pk=pk, state__in=PUBLIC_STATES)
        .select_related("call", "consultation", "sent_version")
        .first()
    )
    if opinion is None:
        raise Http404("Cet avis n'existe pas ou n'est pas encore adopté.")
    return opinion


def opinion_list(request):
    """Every adopted, sent or withdrawn opinion and proposal with its state and public clock."""
    today = pages.public_today()
    opinions = list(
        Opinion.objects.filter(state__in=PUBLIC_STATES)
        .select_related("call")
        .order_by("-sent_on", "-number", "-id")
    )
    rules: dict[int, Rules] = {}
    rows = []
    for opinion in opinions:
        if opinion.call_id not in rules:
            rules[opinion.call_id] = Rules.for_call(opinion.call_id)
        rows.append((opinion, clock_for(opinion, today=today, rules=rules[opinion.call_id])))
    late = [(o, c) for o, c in rows if c.status == "late"]
    late.sort(key=lambda pair: -pair[1].days_late)
    commitments = (
        Commitment.objects.filter(recommendation__version__opinion__state__in=PUBLIC_STATES)
        .select_related("recommendation__version__opinion")
        .order_by("completed_on", "due_on", "id")
    )
    return render(
        request,
        "opinions/opinion_list.html",
        {
            "late": late,
            "commitments": [(c, c.status_sentence(today)) for c in commitments],
            "opinions": [r for r in rows if r[0].kind == Opinion.Kind.OPINION],
            "proposals": [r for r in rows if r[0].kind == Opinion.Kind.PROPOSAL],
        },
    )


def opinion_detail(request, pk: int):
    """One opinion: text and FALC summary side by side, answers, commitments, ratings, its path."""
    opinion = _public_opinion(pk)
    return render(
        request,
        "opinions/opinion_detail.html",
        opinion_context(opinion, today=pages.public_today()),
    )


def opinion_pdf_view(request, pk: int):
    """The opinion as a tagged PDF (PDF/UA-1) for the post."""
    opinion = _public_opinion(pk)
    response = HttpResponse(opinion_pdf(opinion), content_type="application/pdf")
    name = f"{'avis' if opinion.kind == Opinion.Kind.OPINION else 'proposition'}-{opinion.number}"
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


def consultation_list(request):
    """Open consultations first, then the closed ones, each with its stage and deadline."""
    today = pages.public_today()
    consultations = list(Consultation.objects.order_by("-deadline", "-id"))
    return render(
        request,
        "opinions/consultation_list.html",
        {
            "open": [c for c in consultations if c.is_open(today)],
            "closed": [c for c in consultations if not c.is_open(today)],
            "today": today,
        },
    )


def consultation_detail(request, pk: int):
    """The project sheet: context, FALC summary, service, stage, documents, questions, deadline; counts."""
    consultation = get_object_or_404(Consultation.objects.select_related("call"), pk=pk)
    today = pages.public_today()
    stages = [
        {"label": label, "current": value == consultation.stage}
        for value, label in Consultation.Stage.choices
    ]
    return render(
        request,
        "opinions/consultation_detail.html",
        {
            "consultation": consultation,
            "today": today,
            "stages": stages,
            "questions": consultation.questions.order_by("number"),
            "documents": consultation.documents.order_by("added_at", "id"),
            "counts": contribution_counts(consultation.pk),
            "quotes": quotes(consultation.pk),
            "opinions": consultation.opinions.filter(state__in=PUBLIC_STATES),
        },
    )
