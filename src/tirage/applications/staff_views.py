"""Staff pages of the applications: dashboard, list, detail, decisions (in the staff shell).

Short function views (healthchecks style): authorise, fetch, call the model or
service, answer. Personal data only through ``Application.objects.visible_to``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect

from tirage.applications import flood
from tirage.applications.codes import normalise_receipt_code
from tirage.applications.eligibility import fold
from tirage.applications.models import Application, DecisionError, Status
from tirage.applications.quotas import QuotaAvailability
from tirage.applications.staff_forms import AreaForm, DecisionForm, FilterForm
from tirage.audit.services import history
from tirage.backoffice import roles
from tirage.backoffice.shell import post_only, staff_render
from tirage.calls.models import Call
from tirage.geo.address import quartier_choices

PAGE_SIZE = 50
REVIEW_PREVIEW = 10


def visible_or_403(request, pk: int) -> Application:
    """The application ``pk`` if the user may see it with personal data, else 403 (404 if none)."""
    application = get_object_or_404(Application.objects.select_related("call", "office"), pk=pk)
    if not Application.objects.visible_to(request.user).filter(pk=pk).exists():
        raise PermissionDenied("Cette candidature relève d'une autre mairie de quartier.")
    return application


@roles.role_required(*roles.ALL_STAFF)
def dashboard(request):
    call = Call.objects.current_or_404()
    counts = QuotaAvailability(call).compute()
    status_rows = [(label, counts.by_status[value]) for value, label in Status.choices]
    # The first flagged applications this user may open (observers: none, counts only).
    to_review = (
        call.applications.visible_to(request.user)
        .filter(needs_review=True)
        .order_by("created_at", "id")[:REVIEW_PREVIEW]
    )
    return staff_render(
        request,
        "applications/staff/dashboard.html",
        {"call": call, "counts": counts, "status_rows": status_rows, "to_review": to_review},
    )


def search_filter(text: str) -> Q:
    """Every word must match a receipt code, a name (accents and case ignored) or a postcode."""
    condition = Q()
    for word in text.split():
        folded = fold(word).replace(" ", "")
        code = normalise_receipt_code(word)
        word_q = Q(receipt_code__contains=code) | Q(postcode__startswith=word)
        if folded:
            # identity_key holds the folded names: the same folding makes the search
            # accent- and case-insensitive on SQLite and PostgreSQL alike.
            word_q |= Q(identity_key__contains=folded)
        condition &= word_q
    return condition


@roles.role_required(*roles.PERSONAL_DATA)
def application_list(request):
    call = Call.objects.current_or_404()
    form = FilterForm(request.GET or None, call=call)
    qs = call.applications.visible_to(request.user).select_related("office")
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            qs = qs.filter(search_filter(data["q"]))
        if data["status"]:
            qs = qs.filter(status=data["status"])
        if data["secteur"]:
            qs = qs.filter(secteur="" if data["secteur"] == "-" else data["secteur"])
        if data["channel"]:
            qs = qs.filter(channel=data["channel"])
        if data["office"]:
            qs = qs.filter(office=data["office"])
        if data["needs_review"]:
            qs = qs.filter(needs_review=True)
    page = Paginator(qs.order_by("-created_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    return staff_render(
        request,
        "applications/staff/list.html",
        {"call": call, "form": form, "page": page, "secteurs": dict(call.secteur_choices)},
    )


# The audit trail's action codes, in words.
ACTION_LABELS = {
    "application.created": "Candidature enregistrée",
    "application.status_changed": "Statut modifié",
    "application.duplicate_suspected": "Doublon probable détecté",
    "application.duplicate_link_changed": "Lien de doublon modifié",
    "application.area_set": "Secteur fixé par les services",
}


def _detail(request, application, *, decision_form=None, area_form=None, status=200):
    call = application.call
    for form in (decision_form, area_form):
        if form is not None:
            form.mark_errors()
    visible = set(
        Application.objects.visible_to(request.user)
        .filter(Q(identity_key=application.identity_key) | Q(pk=application.duplicate_of_id or 0))
        .values_list("pk", flat=True)
    )
    twins = (
        Application.objects.filter(call=call, identity_key=application.identity_key)
        .exclude(pk=application.pk)
        .order_by("created_at", "id")
    )
    secteurs = dict(call.secteur_choices)
    return staff_render(
        request,
        "applications/staff/detail.html",
        {
            "app": application,
            "call": call,
            "age": application.age_on(call.age_date),
            "secteur_label": secteurs.get(application.secteur, application.secteur),
            "quartier_label": dict(quartier_choices()).get(
                application.quartier, application.quartier
            ),
            "history": [
                (entry, ACTION_LABELS.get(entry.action, entry.action))
                for entry in history(application).select_related("actor")
            ],
            "twins": [(twin, twin.pk in visible) for twin in twins],
            "original_visible": application.duplicate_of_id in visible,
            "decision_form": decision_form
            or DecisionForm(
                initial={"duplicate_of": getattr(application.duplicate_of, "receipt_code", "")}
            ),
            "area_form": area_form
            or AreaForm(
                call=call,
                initial={"secteur": application.secteur, "quartier": application.quartier},
            ),
        },
        status=status,
    )


@roles.role_required(*roles.PERSONAL_DATA)
def application_detail(request, pk: int):
    return _detail(request, visible_or_403(request, pk))


@roles.role_required(roles.COORDINATOR)
@post_only
def application_decide(request, pk: int):
    application = visible_or_403(request, pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        original = None
        if data["decision"] == "duplicate":
            code = normalise_receipt_code(data["duplicate_of"])
            original = Application.objects.filter(call=application.call, receipt_code=code).first()
            if original is None:
                form.add_error("duplicate_of", f"Aucune candidature n° {code} dans cet appel.")
        if form.is_valid():
            try:
                application.decide(
                    data["decision"],
                    actor=request.user,
                    reason=data["reason"],
                    duplicate_of=original,
                )
            except DecisionError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "Décision enregistrée.")
                return redirect("applications_staff:detail", pk=application.pk)
    return _detail(request, application, decision_form=form, status=400)


@roles.role_required(roles.COORDINATOR)
@post_only
def application_set_area(request, pk: int):
    application = visible_or_403(request, pk)
    form = AreaForm(request.POST, call=application.call)
    if form.is_valid():
        data = form.cleaned_data
        application.set_area(
            secteur=data["secteur"],
            quartier=data["quartier"],
            actor=request.user,
            reason=data["reason"],
        )
        messages.success(request, "Secteur enregistré.")
        return redirect("applications_staff:detail", pk=application.pk)
    return _detail(request, application, area_form=form, status=400)


@roles.role_required(roles.COORDINATOR)
def form_bursts(request):
    """Bursts of the public form: counts per hashed address and 10-minute window."""
    return staff_render(
        request,
        "applications/staff/bursts.html",
        {
            "bursts": flood.bursts(hours=48, threshold=BURST_THRESHOLD),
            "threshold": BURST_THRESHOLD,
            "keep_days": flood.KEEP_DAYS,
            "limits": {
                "ip": settings.FORM_IP_LIMIT,
                "email": settings.FORM_EMAIL_LIMIT,
                "receipt": settings.FORM_RECEIPT_LIMIT,
                "session": settings.FORM_SESSION_LIMIT,
                "seconds": settings.FORM_MIN_SECONDS,
                "trusted": ", ".join(settings.FORM_TRUSTED_NETWORKS),
            },
        },
    )


BURST_THRESHOLD = 10
