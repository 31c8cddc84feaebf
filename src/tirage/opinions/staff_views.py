"""Staff pages of consultations, opinions and proposals, in the staff shell (``/gestion/avis/``).

Each page is a form over one service of ``tirage.opinions.services``; a
refusal (``MeetingError``, of which ``OpinionError`` is a subclass) is
shown on the field it names, nothing saved. Coordination does everything;
counter agents type paper booklets and print them; observers read.
"""

from __future__ import annotations

import datetime as dt
from functools import partial

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from tirage.backoffice.roles import COORDINATOR, COUNTER_AGENT, OBSERVER, role_required
from tirage.backoffice.shell import post_only, staff_render
from tirage.calls.models import Call
from tirage.council.models import Member
from tirage.council.services.offers import sitting_call
from tirage.meetings.errors import MeetingError
from tirage.meetings.models import AgendaItem, Decision, Meeting, Source
from tirage.meetings.office import member_name, members_in_office
from tirage.meetings.voting import Votes
from tirage.opinions import forms
from tirage.opinions.alerts import deadline_alerts
from tirage.opinions.clock import clock_for
from tirage.opinions.letters import notice_letters_pdf
from tirage.opinions.models import (
    Answer,
    CityResponse,
    Commitment,
    Consultation,
    Opinion,
)
from tirage.opinions.pdf import booklet_pdf, voting_sheet_pdf
from tirage.opinions.services import answers as answer_services
from tirage.opinions.services import consultations as consultation_services
from tirage.opinions.services import opinions as opinion_services
from tirage.opinions.services.commitments import record_progress
from tirage.opinions.services.common import decided_elsewhere
from tirage.opinions.tasks import send_answer_emails

READERS = (COORDINATOR, OBSERVER)
ALL_STAFF = (COORDINATOR, OBSERVER, COUNTER_AGENT)
PAPER = (COORDINATOR, COUNTER_AGENT)


def _posted(request):
    """The POST data of a POST (even empty: an empty form is checked), else ``None``."""
    return request.POST if request.method == "POST" else None


def _call() -> Call:
    """The sitting council's call: while the next call is open, its council still works."""
    call = sitting_call()
    if call is None:
        raise Http404("Aucun appel à candidatures n'est chargé.")
    return call


def _member_choices(call: Call, day: dt.date | None = None) -> list[tuple[int, str]]:
    members = members_in_office(call.pk, day or timezone.localdate())
    return sorted(((m.pk, member_name(m)) for m in members), key=lambda c: c[1])


def _item_choices(opinion: Opinion) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """The decision items of the council's plenaries that may still decide (held or convened) on ``opinion``.

    Returns ``(open, taken)``: the items offered, and those already decided
    for another text — not offered, but accepted by the form so that the
    service refuses them with a message naming the item.
    """
    items = (
        AgendaItem.objects.filter(
            meeting__call_id=opinion.call_id,
            meeting__kind=Meeting.Kind.PLENARY,
            meeting__state__in=(Meeting.State.CONVENED, Meeting.State.HELD),
            kind=AgendaItem.Kind.DECISION,
        )
        .select_related("meeting")
        .order_by("-meeting__starts_at", "order")
    )
    taken = set(decided_elsewhere(opinion).values_list("agenda_item_id", flat=True))
    choices = [(i.pk, f"Séance du {i.meeting.day:%d/%m/%Y} — {i.title}") for i in items]
    return [c for c in choices if c[0] not in taken], [c for c in choices if c[0] in taken]


def _votes(data: dict) -> Votes | None:
    if data["method"] != Decision.Method.VOTE:
        return None
    return Votes(data["voters"], data["votes_for"], data["votes_against"], data["abstentions"])


# -- overview ------------------------------------------------------------------------


@role_required(*ALL_STAFF)
def overview(request: HttpRequest) -> HttpResponse:
    call = _call()
    today = timezone.localdate()
    opinions = Opinion.objects.filter(call=call).order_by("state", "kind", "number", "id")
    return staff_render(
        request,
        "opinions/staff/overview.html",
        {
            "call": call,
            "consultations": Consultation.objects.filter(call=call),
            "opinions": [(o, clock_for(o, today=today)) for o in opinions],
            "alerts": deadline_alerts(call_id=call.pk, today=today),
        },
    )


# -- consultations -------------------------------------------------------------------


@role_required(COORDINATOR)
@require_http_methods(["GET", "POST"])
def consultation_new(request: HttpRequest) -> HttpResponse:
    call = _call()
    form = forms.ConsultationForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            consultation = consultation_services.open_consultation(
                call_id=call.pk,
                title=data["title"],
                context=data["context"],
                summary=data["summary"],
                service=data["service"],
                stage=data["stage"],
                deadline=data["deadline"],
                questions=forms.lines_of(data["questions"]),
                actor=request.user,
            )
        except MeetingError as exc:
            forms.apply_error(form, exc)
        else:
            messages.success(request, f"Consultation « {consultation.title} » ouverte.")
            return redirect("opinions_staff:consultation", pk=consultation.pk)
    return staff_render(
        request,
        "opinions/staff/consultation_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


def _consultation_page(request, consultation, status=200, **forms_):
    context = {
        "consultation": consultation,
        "questions": consultation.questions.order_by("number"),
        "documents": consultation.documents.all(),
        "counts": consultation_services.contribution_counts(consultation.pk),
        "digest": consultation_services.contributions_digest(consultation.pk),
        "opinions": consultation.opinions.all(),
        "stage_form": forms_.get("stage_form")
        or forms.StageForm(initial={"stage": consultation.stage}, prefix="stage"),
        "deadline_form": forms_.get("deadline_form") or forms.DeadlineForm(prefix="deadline"),
        "question_form": forms_.get("question_form") or forms.QuestionForm(prefix="question"),
        "document_form": forms_.get("document_form") or forms.DocumentForm(prefix="document"),
    }
    return staff_render(request, "opinions/staff/consultation.html", context, status=status)


@role_required(COORDINATOR)
@require_http_methods(["GET", "POST"])
def consultation(request: HttpRequest, pk: int) -> HttpResponse:
    """The consultation for staff (with the contributions and their authors) and its edit forms."""
    item = get_object_or_404(Consultation, pk=pk)
    if request.method == "GET":
        return _consultation_page(request, item)
    action = request.POST.get("action", "")
    handlers = {
        "stage": (
            forms.StageForm,
            lambda d: item.move_to_stage(stage=d["stage"], actor=request.user),
            "Étape du projet mise à jour.",
        ),
        "deadline": (
            forms.DeadlineForm,
            lambda d: item.extend_deadline(
                deadline=d["deadline"], reason=d["reason"], actor=request.user
            ),
            "Date limite prolongée.",
        ),
        "question": (
            forms.QuestionForm,
            lambda d: consultation_services.add_question(
                consultation_id=item.pk,
                text=d["text"],
                help_text=d["help_text"],
                actor=request.user,
            ),
            "Question ajoutée.",
        ),
        "document": (
            forms.DocumentForm,
            lambda d: consultation_services.add_document(
                consultation_id=item.pk, title=d["title"], url=d["url"], actor=request.user
            ),
            "Document ajouté.",
        ),
    }
    if action not in handlers:
        return redirect("opinions_staff:consultation", pk=item.pk)
    form_class, run, done = handlers[action]
    form = form_class(request.POST, prefix=action)
    if form.is_valid():
        try:
            run(form.cleaned_data)
        except MeetingError as exc:
            forms.apply_error(form, exc)
        else:
            messages.success(request, done)
            return redirect("opinions_staff:consultation", pk=item.pk)
    return _consultation_page(request, item, status=400, **{f"{action}_form": form})


@role_required(*PAPER)
def booklet(request: HttpRequest, pk: int) -> HttpResponse:
    """The printed booklet (PDF): blank, or for one member with ``?membre=<id>``."""
    item = get_object_or_404(Consultation, pk=pk)
    member = request.GET.get("membre", "")
    try:
        data = consultation_services.booklet(
            consultation_id=item.pk, member_id=int(member) if member.isdigit() else None
        )
    except (MeetingError, Member.DoesNotExist):
        raise Http404("Ce membre n'est pas membre de ce conseil.") from None
    response = HttpResponse(booklet_pdf(data), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="livret-consultation-{item.pk}.pdf"'
    return response


@role_required(*PAPER)
@require_http_methods(["GET", "POST"])
def booklet_entry(request: HttpRequest, pk: int) -> HttpResponse:
    """Type back a paper booklet (source = paper), all or nothing."""
    item = get_object_or_404(Consultation.objects.select_related("call"), pk=pk)
    form = forms.BookletForm(
        _posted(request),
        members=_member_choices(item.call),
        questions=item.questions.order_by("number"),
        initial={"received_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = consultation_services.record_booklet(
                consultation_id=item.pk,
                member_id=data["member"],
                answers=form.answers(),
                comment=data["comment"],
                consent_to_quote=data["consent_to_quote"],
                received_on=data["received_on"],
                late=data["late"],
                late_reason=data["late_reason"],
                actor=request.user,
            )
        except MeetingError as exc:
            forms.apply_error(form, exc)
        else:
            created = sum(1 for _, new in saved if new)
            messages.success(
                request,
                f"Livret enregistré : {created} contribution{'s' if created > 1 else ''} "
                f"(déjà saisies : {len(saved) - created}).",
            )
            return redirect("opinions_staff:booklet_entry", pk=item.pk)
    return staff_render(
        request,
        "opinions/staff/booklet_entry.html",
        {"consultation": item, "form": form},
        status=400 if form.errors else 200,
    )


# -- opinions and proposals ----------------------------------------------------------


@role_required(COORDINATOR)
@require_http_methods(["GET", "POST"])
def opinion_new(request: HttpRequest) -> HttpResponse:
    """Draft an opinion (from a consultation: ``?consultation=<id>``) or type a member's proposal (``?nature=proposition``)."""
    call = _call()
    proposal = request.GET.get("nature") == "proposition"
    consultation = None
    if request.GET.get("consultation", "").isdigit():
        consultation = get_object_or_404(Consultation, pk=int(request.GET["consultation"]))
    form: forms.OpinionForm
    if proposal:
        form = forms.ProposalForm(_posted(request), members=_member_choices(call))
    else:
        form = forms.OpinionForm(
            _posted(request), initial={"title": consultation.title if consultation else ""}
        )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if proposal:
                opinion, _ = opinion_services.propose(
                    call_id=call.pk,
                    title=data["title"],
                    text=data["text"],
                    summary=data["summary"],
                    source=Source.PAPER,
                    member_id=data["member"],
                    recommendations=forms.lines_of(data["recommendations"]) or None,
                    actor=request.user,
                )
            else:
                opinion = opinion_services.draft_opinion(
                    call_id=call.pk,
                    title=data["title"],
                    text=data["text"],
                    summary=data["summary"],
                    minority_view=data["minority_view"],
                    recommendations=forms.lines_of(data["recommendations"]),
                    consultation_id=consultation.pk if consultation else None,
                    actor=request.user,
                )
        except MeetingError as exc:
            forms.apply_error(form, exc)
        else:
            messages.success(request, f"{opinion.label} « {opinion.title} » enregistré.")
            return redirect("opinions_staff:opinion", pk=opinion.pk)
    digest = consultation_services.contributions_digest(consultation.pk) if consultation else []
    return staff_render(
        request,
        "opinions/staff/opinion_form.html",
        {"form": form, "consultation": consultation, "digest": digest, "proposal": proposal},
        status=400 if form.errors else 200,
    )


@role_required(*READERS)
def opinion(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Opinion.objects.select_related("call", "consultation"), pk=pk)
    versions = item.versions.select_related("decision__meeting").prefetch_related("recommendations")
    commitments = Commitment.objects.filter(recommendation__version__opinion=item).select_related(
        "recommendation"
    )
    responses = CityResponse.objects.filter(opinion=item).prefetch_related(
        "answers__recommendation", "notices"
    )
    return staff_render(
        request,
        "opinions/staff/opinion.html",
        {
            "opinion": item,
            "versions": versions,
            "draft": item.draft_version(),
            "clock": clock_for(item),
            "commitments": commitments,
            "responses": responses,
            "send_form": forms.SendForm(initial={"sent_on": timezone.localdate()}),
        },
    )


@role_required(COORDINATOR)
@require_http_methods(["GET", "POST"])
def opinion_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit the draft version (text, FALC summary, minority view, recommendations)."""
    item = get_object_or_404(Opinion, pk=pk)
    draft = item.draft_version()
    if draft is None:
        messages.error(
            request,
            f"{item.label} n'a pas de version en préparation : rédigez une nouvelle version.",
        )
        return redirect("opinions_staff:opinion", pk=item.pk)
    initial = {
        "title": item.title,
        "text": draft.text,
        "summary": draft.summary,
        "minority_view": draft.minority_view,
        "recommendations": "\n".join(r.text for r in draft.recommendations.order_by("number")),
    }
    form = forms.OpinionForm(_posted(request), initial=initial)
    form.fields["title"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            draft.edit(
                text=data["text"],
                summary=data["summary"],
                minority_view=data["minority_view"],
                recommendations=forms.lines_of(data["recommendations"]),
                actor=request.user,
            )
        except MeetingError as exc:
            forms.apply_error(form, exc)
        else:
            messages.success(request, f"Version {draft.number} enregistrée.")
            return redirect("opinions_staff:opinion", pk=item.pk)
    return staff_render(
        request,
        "opinions/staff/opinion_form.html",
        {"form": form, "opinion": item, "version": draft, "digest": []},
        status=400 if form.errors else 200,
    )


@role_required(COORDINATOR)
@post_only
def opinion_new_version(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Opinion, pk=pk)
    try:
        version = opinion_services.new_version(opinion_id=item.pk, actor=request.user)
    except MeetingError as exc:
        messages.error(request, exc.message)
        return redirect("opinions_staff:opinion", pk=item.pk)
    messages.success(request, f"Version {version.number} créée à partir de la précédente.")
    return redirect("opinions_staff:opinion_edit", pk=item.pk)


def _decision_page(request, template, context, form, status=200):
    return staff_render(
        request, template, {**context, "form": form}, status=400 if form.errors else status
    )


@role_required(COORDINATOR)
@require_http_methods(["GET", "POST"])
def opinion_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the decision of a meeting on the draft version: a vote (figures checked) or consensus."""
    item = get_object_or_404(Opinion.objects.select_related("call"), pk=pk)
    draft = item.draft_version()
    if draft is None:
        messages.error(request, f"{item.label} n'a pas de version à soumettre au vote.")
        return redirect("opinions_staff:opinion", pk=item.pk)
    form = forms.VoteForm(_posted(request), *_item_choices(item))
    minority = forms.MinorityForm(_posted(request), initial={"minority_view": draft.minority_view})
    if request.method == "POST" and form.is_valid() and minority.is_valid():
        data = form.cleaned_data
        agenda_item = AgendaItem.objects.get(pk=data["item"])
        try:
            with transaction.atomic():
                # The minority view is part of the text voted: set on the draft, kept only if the vote is recorded.
                if minority.cleaned_data["minority_view"] != draft.minority_view:
                    draft.edit(
                        text=draft.text,
                        summary=draft.summary,
                        minority_view=minority.cleaned_data["minority_view"],
                        actor=request.user,
                    )
                decision = opinion_services.adopt(
                    opinion_id=item.pk,
                    meeting_id=agenda_item.meeting_id,
                    agenda_item_id=agenda_item.pk,
                    method=data["method"],
                    votes=_votes(data),
                    present=data["present"],
                    represented=data["represented"],
                    casting_vote=data["casting_vote"],
                    note=data["note"],
                    source=Source.PAPER,
                    actor=request.user,
                )
        except MeetingError as exc:
            forms.apply_error(form, exc)
        else:
            messages.success(request, f"Décision enregistrée : {decision.result_sentence}")
            return redirect("opinions_staff:opinion", pk=item.pk)
    return _decision_page(
        request,
        "opinions/staff/opinion_adopt.html",
        {
            "opinion": item,
            "version": draft,
            "minority": minority,
            "items": _item_choices(item)[0],
        },
        form,
    )


@role_required(COORDINATOR)
@post_only
def opinion_send(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the adopted text to the City: the public clock starts."""
    item = get_object_or_404(Opinion, pk=pk)
    form = forms.SendForm(request.POST)
    if form.is_valid():
        try:
            item = opinion_services.send_to_city(
                opinion_id=item.pk,
                sent_on=form.cleaned_data["sent_on"],
                sent_to=form.cleaned_data["sent_to"],
                actor=request.user,
            )
        except MeetingError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, f"{item.label} transmis{item.e} à la Ville. {clock_for(item).sentence()}"
            )
    else:
        messages.error(request, "Indiquez la date d'envoi à la Ville.")
    return redirect("opinions_staff:opinion", pk=item.pk)


@role_required(COORDINATOR)
@require_http_methods(["GET", "POST"])
def opinion_answers(request: HttpRequest, pk: int) -> HttpResponse:
    """Type the City's letter: one answer per recommendation; members are told once."""
    item = get_object_or_404(Opinion.objects.select_related("sent_version"), pk=pk)
    if item.sent_version is None:
        messages.error(request, f"{item.label} n'a pas été transmis{item.e} à la Ville.")
        return redirect("opinions_staff:opinion", pk=item.pk)
    recommendations = item.sent_version.recommendations.order_by("number")
    form = forms.AnswerSheetForm(
        _posted(request),
        recommendations=recommendations,
        initial={"received_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        lines = [
            answer_services.AnswerLine(
                status=data[f"status_{r.number}"],
                number=r.number,
                reasons=data[f"reasons_{r.number}"],
                service=data[f"service_{r.number}"],
                due_on=data[f"due_on_{r.number}"],
            )
            for r in recommendations
            if data[f"status_{r.number}"]
        ]
        try:
            response = answer_services.record_answers(
                opinion_id=item.pk,
                received_on=data["received_on"],
                lines=lines,
                reference=data["reference"],
                summary=data["summary"],
                document_url=data["document_url"] or "",
                actor=request.user,
            )
        except MeetingError as exc:
            forms.apply_error(form, exc)
        else:
            # After commit: the worker reads the notices this transaction wrote.
            transaction.on_commit(partial(send_answer_emails.enqueue, response_id=response.pk))
            messages.success(
                request,
                f"Réponse de la Ville enregistrée ({len(lines)} recommandation"
                f"{'s' if len(lines) > 1 else ''}). Les membres sont prévenus.",
            )
            return redirect("opinions_staff:opinion", pk=item.pk)
    return staff_render(
        request,
        "opinions/staff/opinion_answers.html",
        {"opinion": item, "form": form, "recommendations": recommendations},
        status=400 if form.errors else 200,
    )


@role_required(COORDINATOR)
@require_http_methods(["GET", "POST"])
def commitment_progress(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = get_object_or_404(
        Commitment.objects.select_related("recommendation__version__opinion"), pk=pk
    )
    opinion_ = commitment.recommendation.version.opinion
    form = forms.ProgressForm(
        _posted(request),
        initial={"on": timezone.localdate(), "progress": commitment.progress},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record_progress(
                commitment_id=commitment.pk,
                on=data["on"],
                progress=data["progress"],
                text=data["text"],
                links=data["links"],
                actor=request.user,
            )
        except MeetingError as exc:
            forms.apply_error(form, exc)
        else:
            messages.success(request, "Point d'avancement enregistré.")
            return redirect("opinions_staff:opinion", pk=opinion_.pk)
    return staff_render(
        request,
        "opinions/staff/commitment_progress.html",
        {
            "commitment": commitment,
            "opinion": opinion_,
            "updates": commitment.updates.all(),
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@role_required(COORDINATOR)
@require_http_methods(["GET", "POST"])
def opinion_ratings(request: HttpRequest, pk: int) -> HttpResponse:
    """The council's rating of the City's answers, adopted in a meeting, typed from paper."""
    item = get_object_or_404(Opinion.objects.select_related("call"), pk=pk)
    unrated = (
        Answer.objects.filter(response__opinion=item, rating__isnull=True)
        .select_related("recommendation", "response")
        .order_by("recommendation__number", "response__received_on")
    )
    form = forms.RatingForm(_posted(request), *_item_choices(item), answers=unrated)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        lines = [
            answer_services.RatingLine(
                answer_id=a.pk, verdict=data[f"verdict_{a.pk}"], comment=data[f"comment_{a.pk}"]
            )
            for a in form.answers
            if data[f"verdict_{a.pk}"]
        ]
        agenda_item = AgendaItem.objects.get(pk=data["item"])
        try:
            if not lines:
                raise MeetingError("Choisissez l'appréciation d'au moins une réponse.")
            decision = answer_services.rate_answers(
                opinion_id=item.pk,
                meeting_id=agenda_item.meeting_id,
                agenda_item_id=agenda_item.pk,
                method=data["method"],
                ratings=lines,
                votes=_votes(data),
                present=data["present"],
                represented=data["represented"],
                casting_vote=data["casting_vote"],
                note=data["note"],
                source=Source.PAPER,
                actor=request.user,
            )
        except MeetingError as exc:
            forms.apply_error(form, exc)
        else:
            messages.success(request, f"Appréciation du conseil : {decision.result_sentence}")
            return redirect("opinions_staff:opinion", pk=item.pk)
    return _decision_page(request, "opinions/staff/opinion_ratings.html", {"opinion": item}, form)


@role_required(COORDINATOR)
@post_only
def notice_letters(request: HttpRequest, pk: int) -> HttpResponse:
    """Print the letters telling the members of the City's answer ``pk`` (those not yet printed)."""
    response = get_object_or_404(CityResponse.objects.select_related("opinion"), pk=pk)
    pdf, count = notice_letters_pdf(response_id=response.pk, actor=request.user)
    if not count:
        messages.info(
            request, "Tous les courriers d'information de cette réponse sont déjà produits."
        )
        return redirect("opinions_staff:opinion", pk=response.opinion_id)
    result = HttpResponse(pdf, content_type="application/pdf")
    result["Content-Disposition"] = f'attachment; filename="information-reponse-{response.pk}.pdf"'
    return result


@role_required(COORDINATOR)
def voting_sheet(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    """The printable voting sheet of the draft of ``pk`` for the agenda item ``item``."""
    opinion_ = get_object_or_404(Opinion, pk=pk)
    agenda_item = get_object_or_404(AgendaItem, pk=item, meeting__call_id=opinion_.call_id)
    try:
        sheet = opinion_services.voting_sheet(
            opinion_id=opinion_.pk, meeting_id=agenda_item.meeting_id, agenda_item_id=agenda_item.pk
        )
    except MeetingError as exc:
        messages.error(request, exc.message)
        return redirect("opinions_staff:opinion", pk=opinion_.pk)
    response = HttpResponse(voting_sheet_pdf(sheet), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="feuille-de-vote-{opinion_.pk}.pdf"'
    return response
