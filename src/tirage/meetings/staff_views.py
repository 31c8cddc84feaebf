"""Staff pages of the council's life (coordination; counter agents type the sign-in sheet).

* the council's settings (``Rules``) and the *règlement intérieur* versions, with the
  members' acknowledgements recorded from paper;
* the meetings: list, plan, change, agenda, members' suggestions, convene, cancel;
* one meeting's sign-in sheet (typed from the signed paper; live quorum), its PDF to print,
  and the decisions taken;
* the working groups; the absence cases (alert → letter → seat declared vacant).

Every action calls one service of ``tirage.meetings.services``; a refusal
(``MeetingError``) shows its French message on the page, with status 400, and saves nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone

from tirage.backoffice.roles import COORDINATOR, COUNTER_AGENT, role_required
from tirage.backoffice.shell import post_only, staff_render
from tirage.calls.models import Call
from tirage.council.models import Member
from tirage.council.services.offers import sitting_call
from tirage.meetings import documents, forms, tasks
from tirage.meetings.errors import MeetingError
from tirage.meetings.models import (
    AbsenceCase,
    AgendaItem,
    AgendaSuggestion,
    Amendment,
    Decision,
    Meeting,
    Minutes,
    Presence,
    Rules,
    RulesDocument,
    Source,
    WorkingGroup,
)
from tirage.meetings.office import member_name, members_in_office
from tirage.meetings.quorum import quorum_for
from tirage.meetings.roster import expected_members
from tirage.meetings.services import (
    absences,
    attendance,
    decisions,
    groups,
    minutes,
    rules,
    schedule,
)
from tirage.meetings.services.convocations import convene
from tirage.meetings.voting import Votes

STAFF = (COORDINATOR, COUNTER_AGENT)


def _call() -> Call:
    call = sitting_call()
    if call is None:
        raise Http404("Aucun appel à candidatures n'est chargé.")
    return call


def _meeting(pk: int) -> Meeting:
    return get_object_or_404(Meeting.objects.select_related("call", "working_group"), pk=pk)


def _pk(raw: str | None) -> int:
    """A posted primary key, or 0 (matches nothing) when missing or not a number."""
    return int(raw) if raw and raw.isdigit() else 0


# -- settings and règlement ---------------------------------------------------------


@role_required(COORDINATOR)
def settings_page(request: HttpRequest) -> HttpResponse:
    call = _call()
    current = Rules.for_call(call)
    form = forms.RulesForm(instance=Rules.for_call(call))
    status = 200
    if request.method == "POST":
        form = forms.RulesForm(request.POST, instance=Rules.for_call(call))
        if form.is_valid():
            values = {name: form.cleaned_data[name] for name in Rules.EDITABLE}
            try:
                changes = current.update(actor=request.user, **values)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
                status = 400
            else:
                if changes:
                    messages.success(
                        request,
                        f"Règles enregistrées ({len(changes)} changement"
                        f"{'s' if len(changes) > 1 else ''}).",
                    )
                else:
                    messages.info(request, "Aucun changement.")
                return redirect("meetings_staff:settings")
        else:
            status = 400
    documents_ = RulesDocument.objects.filter(call=call).order_by("-version")
    return staff_render(
        request,
        "meetings/staff/settings.html",
        {"call": call, "rules": current, "form": form, "documents": documents_},
        status=status,
    )


@role_required(COORDINATOR)
def rules_document_new(request: HttpRequest) -> HttpResponse:
    call = _call()
    form = forms.RulesDocumentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            document = rules.publish_rules_document(
                call_id=call.pk, actor=request.user, **form.cleaned_data
            )
        except MeetingError as exc:
            exc.add_to_form(form)
        else:
            messages.success(request, f"Version {document.version} du règlement enregistrée.")
            return redirect("meetings_staff:rules_document", pk=document.pk)
    return staff_render(
        request,
        "meetings/staff/rules_document_new.html",
        {"call": call, "form": form},
        status=400 if form.errors else 200,
    )


@role_required(COORDINATOR)
def rules_document(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(RulesDocument, pk=pk)
    day = timezone.localdate()
    acks = {a.member_id: a for a in document.acknowledgements.all()}
    members = [(m, acks.get(m.pk)) for m in members_in_office(document.call_id, day)]
    error = ""
    status = 200
    if request.method == "POST":
        try:
            member_id = int(request.POST.get("member", ""))
            member = Member.objects.get(pk=member_id, call_id=document.call_id)
        except (ValueError, Member.DoesNotExist):
            error = "Choisissez un membre du conseil dans la liste."
        else:
            try:
                _, created = rules.acknowledge_rules(
                    document_id=document.pk,
                    member_id=member.pk,
                    source=Source.PAPER,
                    actor=request.user,
                )
            except MeetingError as exc:
                error = exc.message
            else:
                if created:
                    messages.success(
                        request, f"Approbation sur papier de {member_name(member)} enregistrée."
                    )
                else:
                    messages.info(request, f"{member_name(member)} avait déjà approuvé.")
                return redirect("meetings_staff:rules_document", pk=document.pk)
        status = 400
    return staff_render(
        request,
        "meetings/staff/rules_document.html",
        {"document": document, "members": members, "error": error},
        status=status,
    )


# -- meetings -----------------------------------------------------------------------


@role_required(*STAFF)
def meeting_list(request: HttpRequest) -> HttpResponse:
    call = sitting_call()  # before any call is loaded: an empty list, not an error
    meetings = list(Meeting.objects.filter(call=call).select_related("working_group"))
    now = timezone.now()
    return staff_render(
        request,
        "meetings/staff/meeting_list.html",
        {
            "call": call,
            "coming": [m for m in meetings if m.ends_at >= now],
            "past": [m for m in meetings if m.ends_at < now][::-1],
            "open_cases": AbsenceCase.objects.filter(
                call=call, state__in=AbsenceCase.IN_PROGRESS
            ).count(),
        },
    )


def _meeting_values(data: dict[str, Any]) -> dict[str, Any]:
    values = dict(data)
    values["working_group_id"] = values.pop("working_group", None)
    return values


@role_required(COORDINATOR)
def meeting_new(request: HttpRequest) -> HttpResponse:
    call = _call()
    groups_ = WorkingGroup.objects.filter(call=call, closed_on__isnull=True)
    form = forms.MeetingForm(request.POST or None, groups=groups_)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = schedule.plan_meeting(
                call_id=call.pk, actor=request.user, **_meeting_values(form.cleaned_data)
            )
        except MeetingError as exc:
            exc.add_to_form(form)
        else:
            messages.success(request, "Réunion enregistrée : ajoutez l'ordre du jour.")
            return redirect("meetings_staff:meeting", pk=meeting.pk)
    return staff_render(
        request,
        "meetings/staff/meeting_form.html",
        {"call": call, "form": form, "meeting": None},
        status=400 if form.errors else 200,
    )


@role_required(COORDINATOR)
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(pk)
    local = {
        "starts_at": timezone.localtime(meeting.starts_at).strftime("%d/%m/%Y %H:%M"),
        "ends_at": timezone.localtime(meeting.ends_at).strftime("%d/%m/%Y %H:%M"),
    }
    initial = {
        name: getattr(meeting, name)
        for name in ("title", "format", "place", "address", "access_info", "remote_url")
    } | local
    form = forms.MeetingChangeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        reason = values.pop("reason")
        if values.get("ends_at") is None:
            values.pop("ends_at")
        try:
            schedule.change_meeting(
                meeting_id=meeting.pk, reason=reason, actor=request.user, **values
            )
        except MeetingError as exc:
            exc.add_to_form(form)
        else:
            messages.success(request, "Réunion modifiée.")
            return redirect("meetings_staff:meeting", pk=meeting.pk)
    return staff_render(
        request,
        "meetings/staff/meeting_form.html",
        {"call": meeting.call, "form": form, "meeting": meeting},
        status=400 if form.errors else 200,
    )


def _detail(
    request: HttpRequest, meeting: Meeting, *, error: str = "", errors=(), status: int = 200
) -> HttpResponse:
    items = list(meeting.agenda_items.order_by("order", "id"))
    decided = {d.agenda_item_id: d for d in meeting.decisions.all()}
    minutes_ = Minutes.objects.filter(meeting=meeting).first()
    earlier = (
        Minutes.objects.filter(
            meeting__call_id=meeting.call_id,
            meeting__starts_at__lt=meeting.starts_at,
            state=Minutes.State.SENT,
        ).select_related("meeting")
        if meeting.is_plenary
        else Minutes.objects.none()
    )
    return staff_render(
        request,
        "meetings/staff/meeting_detail.html",
        {
            "meeting": meeting,
            "items": [(item, decided.get(item.pk)) for item in items],
            "suggestions": meeting.suggestions.select_related("member__application"),
            "quorum": quorum_for(meeting, expected=not meeting.is_held),
            "convocations": meeting.convocations.count(),
            "minutes": minutes_,
            "minutes_to_approve": earlier,
            "free_decision_items": [
                item
                for item in items
                if item.kind == AgendaItem.Kind.DECISION and item.pk not in decided
            ],
            "item_form": forms.AgendaItemForm(),
            "decision_form": forms.DecisionForm(initial={"method": "vote"}),
            "kinds": AgendaItem.Kind.choices,
            "error": error,
            "errors": list(errors) if len(errors) > 1 else [],
            "now": timezone.now(),
        },
        status=status,
    )


def _refused(request: HttpRequest, meeting: Meeting, exc: MeetingError) -> HttpResponse:
    meeting.refresh_from_db()
    return _detail(request, meeting, error=exc.message, errors=exc.errors, status=400)


@role_required(*STAFF)
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _meeting(pk))


@role_required(COORDINATOR)
@post_only
def agenda_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(pk)
    form = forms.AgendaItemForm(request.POST)
    if not form.is_valid():
        first = next(iter(form.errors.values()))[0]
        return _detail(request, meeting, error=f"Point de l'ordre du jour : {first}", status=400)
    try:
        schedule.add_agenda_item(meeting_id=meeting.pk, actor=request.user, **form.cleaned_data)
    except MeetingError as exc:
        return _refused(request, meeting, exc)
    messages.success(request, "Point ajouté à l'ordre du jour.")
    return redirect("meetings_staff:meeting", pk=meeting.pk)


@role_required(COORDINATOR)
@post_only
def agenda_move(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    meeting = _meeting(pk)
    agenda_item = get_object_or_404(AgendaItem, pk=item, meeting=meeting)
    try:
        position = int(request.POST.get("position", ""))
        schedule.move_agenda_item(item_id=agenda_item.pk, position=position, actor=request.user)
    except ValueError:
        return _detail(request, meeting, error="Indiquez un rang (1 = premier).", status=400)
    except MeetingError as exc:
        return _refused(request, meeting, exc)
    return redirect("meetings_staff:meeting", pk=meeting.pk)


@role_required(COORDINATOR)
@post_only
def agenda_remove(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    meeting = _meeting(pk)
    agenda_item = get_object_or_404(AgendaItem, pk=item, meeting=meeting)
    try:
        schedule.remove_agenda_item(
            item_id=agenda_item.pk, reason=request.POST.get("reason", ""), actor=request.user
        )
    except MeetingError as exc:
        return _refused(request, meeting, exc)
    messages.success(request, f"Point « {agenda_item.title} » retiré.")
    return redirect("meetings_staff:meeting", pk=meeting.pk)


@role_required(COORDINATOR)
@post_only
def suggestion_answer(request: HttpRequest, pk: int, suggestion: int) -> HttpResponse:
    meeting = _meeting(pk)
    row = get_object_or_404(AgendaSuggestion, pk=suggestion, meeting=meeting)
    try:
        if request.POST.get("answer") == "accept":
            schedule.accept_suggestion(
                suggestion_id=row.pk,
                kind=request.POST.get("kind") or AgendaItem.Kind.DEBATE,
                actor=request.user,
            )
            messages.success(request, f"Proposition « {row.title} » ajoutée à l'ordre du jour.")
        else:
            row.decline(reason=request.POST.get("reason", ""), actor=request.user)
            messages.success(request, f"Proposition « {row.title} » non retenue.")
    except MeetingError as exc:
        return _refused(request, meeting, exc)
    return redirect("meetings_staff:meeting", pk=meeting.pk)


@role_required(COORDINATOR)
def meeting_convene(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then convene: the convocations are recorded and the letters produced."""
    meeting = _meeting(pk)
    if request.method == "POST":
        try:
            convocations = convene(meeting_id=meeting.pk, actor=request.user)
        except MeetingError as exc:
            return _refused(request, meeting, exc)
        user_id = request.user.pk
        transaction.on_commit(
            lambda: tasks.send_convocation_letters.enqueue(meeting_id=meeting.pk, actor_id=user_id)
        )
        messages.success(
            request,
            f"{len(convocations)} membre{'s' if len(convocations) > 1 else ''} "
            f"convoqué{'s' if len(convocations) > 1 else ''} : les courriers et e-mails partent.",
        )
        return redirect("meetings_staff:meeting", pk=meeting.pk)
    return staff_render(
        request,
        "meetings/staff/confirm_convene.html",
        {
            "meeting": meeting,
            "expected": expected_members(meeting).count(),
            "rules": Rules.for_call(meeting.call_id),
            "has_agenda": meeting.agenda_items.exists(),
        },
    )


@role_required(COORDINATOR)
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(pk)
    form = forms.ReasonForm(request.POST or None)
    if request.method == "POST":
        try:
            meeting.cancel(reason=request.POST.get("reason", ""), actor=request.user)
        except MeetingError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Réunion annulée.")
            return redirect("meetings_staff:meeting", pk=meeting.pk)
    return staff_render(
        request,
        "meetings/staff/confirm_cancel.html",
        {"meeting": meeting, "form": form},
        status=400 if form.errors else 200,
    )


# -- attendance, sign-in sheet, decisions ---------------------------------------------


def _register_rows(meeting: Meeting):
    rows = {a.member_id: a for a in meeting.attendances.all()}
    return [(m, rows.get(m.pk)) for m in expected_members(meeting)]


@role_required(*STAFF)
def register(request: HttpRequest, pk: int) -> HttpResponse:
    """The sign-in sheet typed from the signed paper; the quorum counted live."""
    meeting = _meeting(pk)
    error, errors, status = "", [], 200
    if request.method == "POST":
        # Every line of the posted sheet, not only today's expected members: a line for someone who
        # left the council since the page was printed is refused with the reason, not dropped.
        lines: dict[int, str] = {}
        for key in request.POST:
            value = request.POST.get(key, "")
            if key.startswith("status-") and key[7:].isdigit() and value:
                lines[int(key[7:])] = value
        known = set(
            Member.objects.filter(call_id=meeting.call_id, pk__in=lines).values_list(
                "pk", flat=True
            )
        )
        marks = []
        for member_id, status_value in lines.items():
            holder = request.POST.get(f"proxy-{member_id}", "")
            holder_id = int(holder) if holder.isdigit() and status_value == Presence.PROXY else None
            marks.append(attendance.Mark(member_id, status_value, holder_id))
        try:
            if not marks:
                raise MeetingError("Aucune présence cochée : rien à enregistrer.")
            if set(lines) - known:
                raise MeetingError(
                    "La feuille contient une ligne qui n'est pas un membre de ce conseil : "
                    "rechargez la page."
                )
            attendance.record_attendance(
                meeting_id=meeting.pk, marks=marks, source=Source.PAPER, actor=request.user
            )
        except MeetingError as exc:
            error, errors, status = exc.message, exc.errors, 400
        else:
            messages.success(request, "Feuille de présence enregistrée.")
            return redirect("meetings_staff:register", pk=meeting.pk)
    submitted = request.POST if request.method == "POST" else {}
    rows = []
    for member, row in _register_rows(meeting):
        rows.append(
            {
                "member": member,
                "name": member_name(member),
                "row": row,
                "status": submitted.get(f"status-{member.pk}", row.status if row else ""),
                "proxy": submitted.get(
                    f"proxy-{member.pk}", str(row.proxy_to_id or "") if row else ""
                ),
            }
        )
    return staff_render(
        request,
        "meetings/staff/register.html",
        {
            "meeting": meeting,
            "rows": rows,
            "choices": forms.ATTENDANCE_CHOICES,
            "quorum": quorum_for(meeting),
            "error": error,
            "errors": errors if len(errors) > 1 else [],
        },
        status=status,
    )


@role_required(COORDINATOR)
@post_only
def register_close(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(pk)
    try:
        result = attendance.close_register(meeting_id=meeting.pk, actor=request.user)
    except MeetingError as exc:
        return _refused(request, meeting, exc)
    messages.success(request, f"Feuille de présence close. {result.quorum.sentence()}")
    for case in result.absence_cases:
        messages.warning(
            request,
            f"Alerte absences : {member_name(case.member)} a atteint la limite d'absences non "
            "excusées consécutives. Voir « Absences ».",
        )
    return redirect("meetings_staff:meeting", pk=meeting.pk)


@role_required(*STAFF)
def sign_in_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable sign-in sheet (PDF/UA): one line per expected member, a box to sign."""
    meeting = _meeting(pk)
    pdf = documents.sign_in_sheet_pdf(meeting)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="feuille-presence-{meeting.day:%Y-%m-%d}.pdf"'
    )
    return response


@role_required(COORDINATOR)
@post_only
def decision_new(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    meeting = _meeting(pk)
    agenda_item = get_object_or_404(AgendaItem, pk=item, meeting=meeting)
    form = forms.DecisionForm(request.POST)
    if not form.is_valid():
        lines = [
            f"{form.fields[f].label if f in form.fields else ''} : {e[0]}"
            for f, e in form.errors.items()
        ]
        return _detail(request, meeting, error=" ".join(lines), errors=lines, status=400)
    data = form.cleaned_data
    votes = None
    if data["method"] == "vote":
        votes = Votes(data["voters"], data["votes_for"], data["votes_against"], data["abstentions"])
    try:
        decision = decisions.record_decision(
            meeting_id=meeting.pk,
            agenda_item_id=agenda_item.pk,
            method=data["method"],
            votes=votes,
            present=data["present"],
            casting_vote=data["casting_vote"],
            title=data["title"],
            note=data["note"],
            source=Source.PAPER,
            actor=request.user,
        )
    except MeetingError as exc:
        return _refused(request, meeting, exc)
    messages.success(request, f"Décision enregistrée. {decision.result_sentence}")
    return redirect("meetings_staff:meeting", pk=meeting.pk)


# -- working groups -----------------------------------------------------------------


@role_required(COORDINATOR)
def group_list(request: HttpRequest) -> HttpResponse:
    call = _call()
    form = forms.GroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            group = groups.create_working_group(
                call_id=call.pk, actor=request.user, **form.cleaned_data
            )
        except MeetingError as exc:
            exc.add_to_form(form)
        else:
            messages.success(request, f"Groupe « {group.name} » créé : ajoutez ses membres.")
            return redirect("meetings_staff:group", pk=group.pk)
    return staff_render(
        request,
        "meetings/staff/group_list.html",
        {"call": call, "groups": WorkingGroup.objects.filter(call=call), "form": form},
        status=400 if form.errors else 200,
    )


@role_required(COORDINATOR)
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_object_or_404(WorkingGroup, pk=pk)
    day = timezone.localdate()
    error = ""
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            member_id = int(request.POST.get("member", ""))
        except ValueError:
            error = "Choisissez un membre dans la liste."
        else:
            actions = {
                "add": groups.add_group_member,
                "remove": groups.remove_group_member,
                "rapporteur": groups.set_rapporteur,
            }
            try:
                if action not in actions:
                    raise MeetingError("Action inconnue : rechargez la page.")
                actions[action](group_id=group.pk, member_id=member_id, actor=request.user)
            except MeetingError as exc:
                error = exc.message
            else:
                messages.success(request, "Groupe de travail mis à jour.")
                return redirect("meetings_staff:group", pk=group.pk)
    current = [m.member for m in group.memberships_on(day)]
    others = [m for m in members_in_office(group.call_id, day) if m not in current]
    group.refresh_from_db()
    return staff_render(
        request,
        "meetings/staff/group_detail.html",
        {
            "group": group,
            "current": [(m, member_name(m)) for m in current],
            "others": [(m, member_name(m)) for m in others],
            "error": error,
        },
        status=400 if error else 200,
    )


# -- absences -----------------------------------------------------------------------


@role_required(COORDINATOR)
def absence_list(request: HttpRequest) -> HttpResponse:
    call = _call()
    cases = (
        AbsenceCase.objects.filter(call=call)
        .select_related("member__application", "decision")
        .prefetch_related("meetings")
    )
    return staff_render(
        request,
        "meetings/staff/absences.html",
        {
            "call": call,
            "rules": Rules.for_call(call),
            "cases": [(c, member_name(c.member)) for c in cases],
            "decisions": Decision.objects.filter(
                meeting__call=call, outcome=Decision.Outcome.ADOPTED, absence_cases__isnull=True
            ).select_related("meeting"),
            "error": "",
        },
    )


def _absence_refused(request: HttpRequest, exc: MeetingError) -> HttpResponse:
    call = _call()
    cases = AbsenceCase.objects.filter(call=call).select_related("member__application", "decision")
    return staff_render(
        request,
        "meetings/staff/absences.html",
        {
            "call": call,
            "rules": Rules.for_call(call),
            "cases": [(c, member_name(c.member)) for c in cases],
            "decisions": Decision.objects.filter(
                meeting__call=call, outcome=Decision.Outcome.ADOPTED, absence_cases__isnull=True
            ).select_related("meeting"),
            "error": exc.message,
        },
        status=400,
    )


@role_required(COORDINATOR)
@post_only
def absence_action(request: HttpRequest, pk: int) -> HttpResponse:
    """``letter`` (the member is written to), ``vacant`` (the seat goes to the reserve), ``dismiss``."""
    case = get_object_or_404(AbsenceCase.objects.select_related("member__application"), pk=pk)
    action = request.POST.get("action", "")
    name = member_name(case.member)
    try:
        if action == "letter":
            absences.record_absence_letter(case_id=case.pk, actor=request.user)
            user_id = request.user.pk
            transaction.on_commit(
                lambda: tasks.send_absence_letter.enqueue(case_id=case.pk, actor_id=user_id)
            )
            messages.success(request, f"Lettre d'absences envoyée à {name}.")
        elif action == "vacant":
            raw = request.POST.get("decision", "")
            try:
                decision_id = int(raw) if raw else None
            except ValueError:
                decision_id = None
            offer = absences.declare_vacant(
                case_id=case.pk, decision_id=decision_id, actor=request.user
            )
            if offer is None:
                messages.warning(
                    request,
                    f"Siège de {name} déclaré vacant. Personne sur la liste complémentaire ne "
                    "respecte les quotas : le siège reste vide.",
                )
            else:
                messages.success(
                    request,
                    f"Siège de {name} déclaré vacant : proposé à {offer.receipt_code}, "
                    "le courrier de proposition part.",
                )
        elif action == "dismiss":
            case.dismiss(reason=request.POST.get("reason", ""), actor=request.user)
            messages.success(request, f"Procédure de {name} classée.")
        else:
            raise MeetingError("Action inconnue : rechargez la page.")
    except MeetingError as exc:
        return _absence_refused(request, exc)
    return redirect("meetings_staff:absences")


# -- minutes ------------------------------------------------------------------------


@role_required(COORDINATOR)
def minutes_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(pk)
    current = Minutes.objects.filter(meeting=meeting).first()
    initial = {"text": current.text, "summary": current.summary} if current else None
    form = forms.MinutesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if current is None:
                minutes.draft_minutes(
                    meeting_id=meeting.pk, actor=request.user, **form.cleaned_data
                )
            else:
                current.edit(actor=request.user, **form.cleaned_data)
        except MeetingError as exc:
            exc.add_to_form(form)
        else:
            messages.success(request, "Compte rendu enregistré.")
            return redirect("meetings_staff:meeting", pk=meeting.pk)
    amendments = current.amendments.select_related("member__application") if current else []
    return staff_render(
        request,
        "meetings/staff/minutes_form.html",
        {"meeting": meeting, "minutes": current, "form": form, "amendments": amendments},
        status=400 if form.errors else 200,
    )


@role_required(COORDINATOR)
@post_only
def minutes_action(request: HttpRequest, pk: int) -> HttpResponse:
    """``send`` to the members, ``publish`` once approved, or answer an ``amendment``."""
    meeting = _meeting(pk)
    current = get_object_or_404(Minutes, meeting=meeting)
    action = request.POST.get("action", "")
    try:
        if action == "send":
            minutes.send_minutes(minutes_id=current.pk, actor=request.user)
            messages.success(request, "Compte rendu envoyé aux membres pour relecture.")
        elif action == "publish":
            minutes.publish_minutes(minutes_id=current.pk, actor=request.user)
            messages.success(request, "Compte rendu publié sur le site.")
        elif action in ("accept", "decline"):
            amendment = Amendment.objects.filter(
                pk=_pk(request.POST.get("amendment")), minutes=current
            ).first()
            if amendment is None:
                raise MeetingError("Amendement introuvable : rechargez la page.")
            amendment.decide(
                accepted=action == "accept",
                response=request.POST.get("response", ""),
                actor=request.user,
            )
            messages.success(request, "Réponse à l'amendement enregistrée.")
        else:
            raise MeetingError("Action inconnue : rechargez la page.")
    except MeetingError as exc:
        return _refused(request, meeting, exc)
    return redirect("meetings_staff:meeting", pk=meeting.pk)


@role_required(COORDINATOR)
@post_only
def minutes_approve(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve earlier minutes in this plenary (``pk``): the vote is a decision of this meeting."""
    meeting = _meeting(pk)
    form = forms.DecisionForm(request.POST)
    target = Minutes.objects.filter(pk=_pk(request.POST.get("minutes"))).first()
    item = AgendaItem.objects.filter(pk=_pk(request.POST.get("item")), meeting=meeting).first()
    if target is None or item is None:
        return _detail(
            request,
            meeting,
            error="Choisissez le compte rendu à approuver et le point de l'ordre du jour du vote.",
            status=400,
        )
    if not form.is_valid():
        lines = [
            f"{form.fields[f].label} : {e[0]}" for f, e in form.errors.items() if f in form.fields
        ]
        return _detail(request, meeting, error=" ".join(lines), errors=lines, status=400)
    data = form.cleaned_data
    votes = None
    if data["method"] == "vote":
        votes = Votes(data["voters"], data["votes_for"], data["votes_against"], data["abstentions"])
    try:
        decision = minutes.approve_minutes(
            minutes_id=target.pk,
            meeting_id=meeting.pk,
            agenda_item_id=item.pk,
            method=data["method"],
            votes=votes,
            present=data["present"],
            casting_vote=data["casting_vote"],
            actor=request.user,
        )
    except MeetingError as exc:
        return _refused(request, meeting, exc)
    messages.success(request, f"Approbation du compte rendu : {decision.result_sentence}")
    return redirect("meetings_staff:meeting", pk=meeting.pk)


@role_required(*STAFF)
def minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(pk)
    current = get_object_or_404(Minutes, meeting=meeting)
    return documents.pdf_response(
        documents.minutes_pdf(current), f"compte-rendu-{meeting.day:%Y-%m-%d}.pdf"
    )
