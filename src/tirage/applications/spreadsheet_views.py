"""Staff pages: import a spreadsheet of applications, export them, anonymous statistics.

* import: coordinators (any office, import or paper channel) and counter agents
  (paper forms of their own mairie de quartier only);
* export with personal data: coordinators only; every export is audited;
* statistics (no personal data): coordinators, counter agents and observers.
"""

from __future__ import annotations

import os
import re
import time
from typing import cast

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone

from tirage.applications import exports, imports
from tirage.applications.models import Channel, Status
from tirage.audit.services import log_action
from tirage.backoffice.roles import (
    COORDINATOR,
    COUNTER_AGENT,
    OBSERVER,
    has_role,
    office_of,
    role_required,
)
from tirage.backoffice.shell import staff_render
from tirage.calls.models import Call, Office

SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
PENDING_SECONDS = 3600  # then deleted by the worker's housekeeping


def _call(slug: str | None) -> Call:
    if slug:
        return get_object_or_404(Call, slug=slug)
    return Call.objects.current_or_404()


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Fichier (.csv ou .xlsx)",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    mode = forms.ChoiceField(
        label="Si des lignes contiennent des erreurs",
        choices=[
            (imports.ALL_OR_NOTHING, "Ne rien importer (corriger le fichier puis recommencer)"),
            (imports.VALID_ROWS, "Importer les lignes valides et lister les autres"),
        ],
        initial=imports.ALL_OR_NOTHING,
        widget=forms.RadioSelect,
    )
    channel = forms.ChoiceField(
        label="Origine des candidatures",
        choices=[
            (Channel.PAPER, "Formulaires papier saisis dans le fichier"),
            (Channel.IMPORT, "Autre fichier de candidatures"),
        ],
        initial=Channel.PAPER,
        widget=forms.RadioSelect,
    )
    office = forms.ModelChoiceField(
        label="Lieu de dépôt (si la colonne « lieu_de_dépôt » est vide)",
        queryset=Office.objects.none(),
        required=False,
        empty_label="— aucun —",
    )
    # Re-use of a file already sent (the "Importer les lignes valides" button).
    pending = forms.CharField(required=False, widget=forms.HiddenInput)
    pending_name = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, call: Call, agent_office: Office | None, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["office"]).queryset = call.offices.all()
        if agent_office is not None:
            cast(forms.ModelChoiceField, self.fields["office"]).queryset = Office.objects.filter(
                pk=agent_office.pk
            )
            self.fields["office"].initial = agent_office.pk
            self.fields["office"].disabled = True
            cast(forms.ChoiceField, self.fields["channel"]).choices = [
                (Channel.PAPER, "Formulaires papier saisis dans le fichier")
            ]
            self.fields["channel"].initial = Channel.PAPER
            self.fields["channel"].disabled = True

    def clean_pending(self) -> str:
        value = self.cleaned_data["pending"]
        if value and not SHA256_RE.match(value):
            raise forms.ValidationError("Fichier en attente inconnu : envoyez-le à nouveau.")
        return value

    def clean(self):
        super().clean()
        data = self.cleaned_data
        upload = data.get("file")
        if not upload and not data.get("pending"):
            self.add_error("file", "Choisissez un fichier .csv ou .xlsx.")
        elif upload and upload.size > MAX_UPLOAD_BYTES:
            self.add_error("file", "Ce fichier est trop gros (10 Mo au plus).")
        return data


def _pending_path(digest: str):
    return settings.DATA_DIR / "imports" / digest


def forget_old_pending() -> int:
    """Delete files kept for « Importer les lignes valides » for over ``PENDING_SECONDS``
    (personal data); returns how many went. Run at each import and by the housekeeping."""
    folder = settings.DATA_DIR / "imports"
    if not folder.is_dir():
        return 0
    limit = time.time() - PENDING_SECONDS
    deleted = 0
    for path in folder.iterdir():
        if SHA256_RE.match(path.name) and path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)
            deleted += 1
    return deleted


def _keep_pending(path, content: bytes) -> None:
    """Write the pending file readable by Tirage's user only (0600: personal data)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(content)
    os.chmod(path, 0o600)  # an older file of the same content kept its mode


@role_required(COORDINATOR, COUNTER_AGENT)
def import_view(request, slug: str | None = None):
    call = _call(slug)
    is_coordinator = has_role(request.user, COORDINATOR)
    agent_office = None if is_coordinator else office_of(request.user)
    if not is_coordinator and agent_office is None:
        raise PermissionDenied("Aucun lieu de dépôt n'est associé à votre compte.")

    report = pending = None
    if request.method == "POST":
        forget_old_pending()
        form = ImportForm(request.POST, request.FILES, call=call, agent_office=agent_office)
        if form.is_valid():
            data = form.cleaned_data
            if data["file"]:
                content = data["file"].read()
                filename = data["file"].name
            else:
                path = _pending_path(data["pending"])
                if not path.exists():
                    form.add_error(
                        "file", "Le fichier n'est plus disponible : envoyez-le à nouveau."
                    )
                    return staff_render(
                        request, "applications/staff/import.html", {"call": call, "form": form}
                    )
                content = path.read_bytes()
                filename = data["pending_name"] or "fichier"
            office = agent_office or data["office"]
            channel = Channel.PAPER if agent_office else data["channel"]
            report = imports.import_applications(
                call,
                content,
                filename=filename,
                agent=request.user,
                mode=data["mode"],
                channel=channel,
                office=office,
                restrict_office=agent_office is not None,
                dry_run="verify" in request.POST,
            )
            path = _pending_path(report.sha256)
            if report.imported or report.file_errors or not report.valid_count:
                path.unlink(missing_ok=True)
            else:
                # Kept so that the next button ("Importer…") does not ask for the file again.
                _keep_pending(path, content)
                pending = {
                    "pending": report.sha256,
                    "pending_name": filename,
                    "mode": imports.VALID_ROWS if report.errors else imports.ALL_OR_NOTHING,
                    "channel": channel,
                    "office": office.pk if office else "",
                }
            form = ImportForm(call=call, agent_office=agent_office)
    else:
        form = ImportForm(call=call, agent_office=agent_office)
    context = {
        "call": call,
        "form": form,
        "report": report,
        "pending": pending,
        "columns": imports.COLUMNS,
        "required_columns": imports.REQUIRED_COLUMNS,
    }
    return staff_render(request, "applications/staff/import.html", context)


class ExportFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Statut", choices=[("", "tous")] + list(Status.choices), required=False
    )
    secteur = forms.CharField(label="Secteur", required=False)
    channel = forms.ChoiceField(
        label="Canal", choices=[("", "tous")] + list(Channel.choices), required=False
    )
    needs_review = forms.ChoiceField(
        label="À vérifier",
        choices=[("", "toutes"), ("oui", "à vérifier seulement"), ("non", "sans vérification")],
        required=False,
    )


@role_required(COORDINATOR)
def export_view(request, slug: str | None = None):
    call = _call(slug)
    form = ExportFilterForm(request.GET or None)
    fmt = request.GET.get("format", "")
    if fmt not in ("csv", "xlsx") or not form.is_valid():
        secteurs = [v for f in call.features.filter(source="secteur") for v in f.values.all()]
        return staff_render(
            request,
            "applications/staff/export.html",
            {
                "call": call,
                "form": form if form.is_bound else ExportFilterForm(),
                "secteurs": secteurs,
            },
        )
    filters = {k: v for k, v in form.cleaned_data.items() if v}
    review = {"oui": True, "non": False}.get(filters.pop("needs_review", ""), None)
    applications = list(exports.filter_applications(call, needs_review=review, **filters))
    log_action(
        call,
        "call.applications_exported",
        actor=request.user,
        data={"format": fmt, "filters": form.cleaned_data, "count": len(applications)},
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if fmt == "csv":
        response = HttpResponse(
            exports.applications_csv(applications), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(
            exports.applications_xlsx(applications),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = (
        f'attachment; filename="candidatures-{call.slug}-{stamp}.{fmt}"'
    )
    return response


@role_required(COORDINATOR, COUNTER_AGENT, OBSERVER)
def export_stats_view(request, slug: str | None = None):
    call = _call(slug)
    response = HttpResponse(exports.statistics_csv(call), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="statistiques-{call.slug}.csv"'
    return response


@role_required(COORDINATOR, COUNTER_AGENT)
def import_template_view(request):
    """An empty spreadsheet with the expected column headers (CSV, UTF-8 with BOM, ``;``)."""
    response = HttpResponse(imports.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="modele-import-candidatures.csv"'
    return response
