"""Staff pages of the annual report (coordination): open a period, write, preview, adopt."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_http_methods

from tirage.backoffice.roles import COORDINATOR, role_required
from tirage.backoffice.shell import post_only, staff_render
from tirage.calls.models import Call
from tirage.council.models import Member
from tirage.council.services.offers import sitting_call
from tirage.reports.documents import report_figures, report_pdf
from tirage.reports.forms import PeriodForm, TextForm
from tirage.reports.models import AnnualReport, ReportError, open_report


def _first_year(call: Call) -> tuple[dt.date, dt.date] | None:
    first = Member.objects.filter(call=call).order_by("start_date").first()
    if first is None:
        return None
    start = first.start_date
    try:
        end = start.replace(year=start.year + 1) - dt.timedelta(days=1)
    except ValueError:  # 29 February
        end = start.replace(year=start.year + 1, day=28)
    return start, end


def council_call() -> Call:
    """The call whose council sits today (``council.services.offers.sitting_call``), or 404."""
    call = sitting_call()
    if call is None:
        raise Http404("Aucun appel à candidatures n'est chargé (tirage load_call).")
    return call


@role_required(COORDINATOR)
@require_http_methods(["GET", "POST"])
def report_list(request):
    call = council_call()
    default = _first_year(call)
    initial = {"period_start": default[0], "period_end": default[1]} if default else {}
    form = PeriodForm(request.POST or None, initial=initial)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            report, _created = open_report(call=call, actor=request.user, **form.cleaned_data)
        except ReportError as exc:
            error = exc.message
        else:
            return redirect("reports_staff:detail", pk=report.pk)
    return staff_render(
        request,
        "reports/staff_list.html",
        {
            "call": call,
            "reports": AnnualReport.objects.filter(call=call),
            "form": form,
            "error": error,
        },
        status=400 if (error or form.errors) else 200,
    )


@role_required(COORDINATOR)
@require_http_methods(["GET", "POST"])
def report_detail(request, pk: int):
    report = get_object_or_404(AnnualReport.objects.select_related("call"), pk=pk)
    form = TextForm(request.POST or None, initial={"text": report.text})
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            report.edit(text=form.cleaned_data["text"], actor=request.user)
        except ReportError as exc:
            error = exc.message
        else:
            messages.success(request, "Texte enregistré.")
            return redirect("reports_staff:detail", pk=report.pk)
    return staff_render(
        request,
        "reports/staff_detail.html",
        {"report": report, "figures": report_figures(report), "form": form, "error": error},
        status=409 if error else 200,
    )


@role_required(COORDINATOR)
def report_preview(request, pk: int):
    report = get_object_or_404(AnnualReport.objects.select_related("call"), pk=pk)
    response = HttpResponse(report_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="rapport-activite-{report.period_label}-projet.pdf"'
    )
    return response


@role_required(COORDINATOR)
@post_only
def report_adopt(request, pk: int):
    report = get_object_or_404(AnnualReport, pk=pk)
    try:
        report.adopt(actor=request.user)
    except ReportError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Le rapport est adopté : il est publié sur le site.")
    return redirect("reports_staff:detail", pk=report.pk)
