"""Staff pages of open data, in the staff shell (``/gestion/donnees-ouvertes/``).

Coordination records everything; observers read the overview and each request. Every
change goes through :mod:`tirage.opendata.services` or :mod:`tirage.opendata.editing`
(audited, under a row lock); a refusal is shown as the service's French message and
nothing is saved.

* overview: the requests, the services, the last imports;
* a request: its page (decision, publication, verifications), create and edit;
* a service: create and edit, its targets, its members' evaluations (one can start a draft
  opinion);
* indicators: upload a file, dry run first (every row error in French), then import;
* an evaluation typed from paper.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone

from tirage.backoffice.roles import COORDINATOR, OBSERVER, has_role, role_required
from tirage.backoffice.shell import post_only, staff_render
from tirage.calls.models import Call
from tirage.council.models import Member
from tirage.council.services.offers import sitting_call
from tirage.opendata import editing, fetch, importer, services
from tirage.opendata.forms import (
    DecisionForm,
    DraftOpinionForm,
    EvaluationForm,
    ImportForm,
    PublicationForm,
    RequestForm,
    ServiceForm,
    TargetForm,
    UploadForm,
)
from tirage.opendata.models import (
    DataRequest,
    DigitalService,
    Evaluation,
    IndicatorImport,
    Source,
)

READERS = (COORDINATOR, OBSERVER)
MAX_UPLOAD = importer.MAX_BYTES


@role_required(*READERS)
def overview(request: HttpRequest) -> HttpResponse:
    return staff_render(
        request,
        "opendata/staff/overview.html",
        {
            "requests": DataRequest.objects.order_by("-requested_on", "-id"),
            "services": DigitalService.objects.all(),
            "imports": IndicatorImport.objects.select_related("created_by")[:10],
            "fetch_allowed": fetch_configured(),
        },
    )


def fetch_configured() -> bool:
    return bool(settings.OPENDATA_FETCH_ALLOWED_PREFIXES)


def _call_or_error(request: HttpRequest) -> Call | None:
    call = sitting_call()  # the council that sits today, not a next call being opened
    if call is None:
        messages.error(request, "Aucun appel n'est chargé : le conseil n'a pas encore de mandat.")
    return call


@role_required(COORDINATOR)
def request_create(request: HttpRequest) -> HttpResponse:
    call = _call_or_error(request)
    if call is None:
        return redirect("opendata_staff:overview")
    form = RequestForm(request.POST or None, call_id=call.pk)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.create_request(
                call_id=call.pk,
                title=data["title"],
                description=data["description"],
                reason=data["reason"],
                producer=data["producer"],
                priority=data["priority"],
                expected_format=data["expected_format"],
                expected_columns=data["expected_columns"],
                actor=request.user,
            )
            if data["opinion"] is not None:
                editing.link_opinion(
                    request_id=created.pk, opinion_id=data["opinion"].pk, actor=request.user
                )
        except services.OpendataError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Demande « {created.title} » enregistrée.")
            return redirect("opendata_staff:request", created.pk)
    return staff_render(request, "opendata/staff/request_form.html", {"form": form, "item": None})


@role_required(COORDINATOR)
def request_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(DataRequest, pk=pk)
    initial = {
        "title": item.title,
        "description": item.description,
        "reason": item.reason,
        "producer": item.producer,
        "priority": item.priority,
        "expected_format": item.expected_format,
        "expected_columns": "\n".join(item.expected_columns),
        "opinion": item.opinion_id,
    }
    form = RequestForm(request.POST or None, initial=initial, call_id=item.call_id)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        opinion = data.pop("opinion")
        try:
            editing.update_request(
                request_id=item.pk,
                actor=request.user,
                opinion_id=opinion.pk if opinion else None,
                **data,
            )
        except services.OpendataError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Demande modifiée.")
            return redirect("opendata_staff:request", item.pk)
    return staff_render(request, "opendata/staff/request_form.html", {"form": form, "item": item})


def _request_page(
    request: HttpRequest, item: DataRequest, status: int = 200, **forms
) -> HttpResponse:
    publication_initial = {
        name: getattr(item, name)
        for name in (
            "portal",
            "dataset_id",
            "dataset_url",
            "resource_url",
            "licence",
            "schema_name",
            "schema_version",
        )
    }
    if not item.licence:
        publication_initial["licence"] = "Licence Ouverte 2.0"
    context = {
        "item": item,
        "verifications": item.verifications.select_related("checked_by"),
        "decision_form": forms.get("decision_form") or DecisionForm(),
        "publication_form": forms.get("publication_form")
        or PublicationForm(initial=publication_initial),
        "upload_form": forms.get("upload_form") or UploadForm(),
        "fetch_allowed": fetch_configured() and bool(item.resource_url),
        "fetch_url_allowed": bool(item.resource_url) and fetch.is_allowed(item.resource_url),
        "statuses": DataRequest.Status,
        "error": forms.get("error", ""),
    }
    return staff_render(request, "opendata/staff/request.html", context, status=status)


@role_required(*READERS)
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _request_page(request, get_object_or_404(DataRequest, pk=pk))


@role_required(COORDINATOR)
@post_only
def request_decide(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    item = get_object_or_404(DataRequest, pk=pk)
    form = DecisionForm(request.POST)
    form.is_valid()
    reason = form.cleaned_data.get("reason", "")
    try:
        if decision == "accept":
            services.accept_request(request_id=pk, reason=reason, actor=request.user)
            messages.success(request, "Demande acceptée.")
        else:
            services.refuse_request(request_id=pk, reason=reason, actor=request.user)
            messages.success(request, "Demande refusée ; les motifs sont publiés.")
    except services.OpendataError as exc:
        return _request_page(request, item, status=400, decision_form=form, error=str(exc))
    return redirect("opendata_staff:request", pk)


@role_required(COORDINATOR)
@post_only
def request_publish(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(DataRequest, pk=pk)
    form = PublicationForm(request.POST)
    if not form.is_valid():
        return _request_page(request, item, status=400, publication_form=form)
    try:
        services.publish_request(request_id=pk, actor=request.user, **form.cleaned_data)
    except services.OpendataError as exc:
        return _request_page(request, item, status=400, publication_form=form, error=str(exc))
    messages.success(request, "Publication enregistrée : la demande est « publiée ».")
    return redirect("opendata_staff:request", pk)


@role_required(COORDINATOR)
@post_only
def request_verify(request: HttpRequest, pk: int) -> HttpResponse:
    """Fetch the file from its URL (configured sites only), or check an uploaded file."""
    item = get_object_or_404(DataRequest, pk=pk)
    upload = None
    if request.POST.get("origin") == "upload":
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return _request_page(request, item, status=400, upload_form=form)
        upload = form.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            form.add_error("file", f"Le fichier dépasse {MAX_UPLOAD // (1024 * 1024)} Mo.")
            return _request_page(request, item, status=400, upload_form=form)
    try:
        check = services.verify_request(
            request_id=pk,
            content=upload.read() if upload else None,
            file_name=upload.name if upload else "",
            actor=request.user,
        )
    except services.OpendataError as exc:
        return _request_page(request, item, status=400, error=str(exc))
    level = messages.SUCCESS if check.ok else messages.ERROR
    messages.add_message(
        request, level, f"{check.get_outcome_display().capitalize()} : {check.message}"
    )
    return redirect("opendata_staff:request", pk)


# -- services, targets, evaluations ---------------------------------------------------


@role_required(COORDINATOR)
def service_create(request: HttpRequest) -> HttpResponse:
    form = ServiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        slug = data.pop("slug")
        try:
            created = editing.save_service(slug=slug, actor=request.user, **data)
        except services.OpendataError as exc:
            form.add_error("slug", str(exc))
        else:
            messages.success(request, f"Service « {created.name} » ajouté.")
            return redirect("opendata_staff:service", created.pk)
    return staff_render(request, "opendata/staff/service_form.html", {"form": form, "item": None})


def _service_page(request, item, *, form=None, target_form=None, draft_forms=None, status=200):
    initial = {name: getattr(item, name) for name in ("slug", *editing.SERVICE_FIELDS)}
    evaluations = item.evaluations.select_related("member__application", "adopted_as").order_by(
        "-period", "created_at"
    )
    draft_forms = draft_forms or {}
    return staff_render(
        request,
        "opendata/staff/service.html",
        {
            "item": item,
            "form": form or ServiceForm(initial=initial),
            "targets": item.targets.all(),
            "target_form": target_form or TargetForm(secteurs=services.secteur_labels()),
            "evaluations": [
                (
                    evaluation,
                    draft_forms.get(evaluation.pk) or DraftOpinionForm(prefix=f"e{evaluation.pk}"),
                )
                for evaluation in evaluations
            ],
        },
        status=status,
    )


@role_required(*READERS)
def service_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(DigitalService, pk=pk)
    if request.method != "POST":
        return _service_page(request, item)
    if not has_role(request.user, COORDINATOR):
        raise PermissionDenied
    form = ServiceForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("slug")  # the code never changes: it names the service in files
        try:
            editing.save_service(service_id=item.pk, actor=request.user, **data)
        except services.OpendataError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Service modifié.")
            return redirect("opendata_staff:service", item.pk)
    return _service_page(request, item, form=form, status=400)


@role_required(COORDINATOR)
@post_only
def target_set(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(DigitalService, pk=pk)
    form = TargetForm(request.POST, secteurs=services.secteur_labels())
    if form.is_valid():
        try:
            services.set_target(service_id=item.pk, actor=request.user, **form.cleaned_data)
        except services.OpendataError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Objectif enregistré.")
            return redirect("opendata_staff:service", item.pk)
    return _service_page(request, item, target_form=form, status=400)


@role_required(COORDINATOR)
@post_only
def evaluation_draft_opinion(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = get_object_or_404(Evaluation, pk=pk)
    form = DraftOpinionForm(request.POST, prefix=f"e{pk}")
    if form.is_valid():
        try:
            opinion = editing.draft_opinion_from_evaluation(
                evaluation_id=pk, actor=request.user, **form.cleaned_data
            )
        except services.OpendataError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                f"Avis « {opinion.title} » créé en préparation : le conseil l'adoptera par son vote.",
            )
            return redirect("opendata_staff:service", evaluation.service_id)
    return _service_page(request, evaluation.service, draft_forms={pk: form}, status=400)


@role_required(COORDINATOR)
def evaluation_paper(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    members = Member.objects.in_office(today).select_related("application")
    form = EvaluationForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_evaluation(
                member_id=data["member"].pk,
                service_id=data["service"].pk,
                period=data["period"],
                rating=data["rating"],
                text=data["text"],
                source=Source.PAPER,
                actor=request.user,
            )
        except services.OpendataError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Évaluation enregistrée.")
            return redirect("opendata_staff:evaluation_paper")
    return staff_render(request, "opendata/staff/evaluation_form.html", {"form": form})


# -- indicators ------------------------------------------------------------------------


@role_required(COORDINATOR)
def indicators_import(request: HttpRequest) -> HttpResponse:
    """Upload an indicator file: « Vérifier » runs every check and saves nothing;
    « Importer » saves the whole file or nothing."""
    form = ImportForm(request.POST or None, request.FILES or None)
    context: dict = {"form": form, "errors": [], "preview": None, "imported": None}
    status = 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        replace = form.cleaned_data["replace"]
        dry_run = request.POST.get("action") != "import"
        context["dry_run"] = dry_run
        if upload.size > MAX_UPLOAD:
            context["errors"] = [
                f"Le fichier fait plus de {MAX_UPLOAD // (1024 * 1024)} Mo : découpez-le par année."
            ]
            status = 400
        else:
            content = upload.read()
            try:
                if dry_run:
                    context["preview"] = editing.preview_import(content=content, replace=replace)
                else:
                    batch = services.import_indicators(
                        content=content, file_name=upload.name, replace=replace, actor=request.user
                    )
                    messages.success(
                        request,
                        f"{batch.row_count} valeurs importées depuis « {batch.file_name} »"
                        + (
                            f", dont {batch.replaced_count} remplacées"
                            if batch.replaced_count
                            else ""
                        )
                        + ".",
                    )
                    return redirect("opendata_staff:overview")
            except importer.ImportRefused as exc:
                context["errors"] = exc.errors
                status = 400
    elif request.method == "POST":
        status = 400
    return staff_render(request, "opendata/staff/import.html", context, status=status)
