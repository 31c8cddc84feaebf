"""Public pages: the adopted annual reports, in PDF (tagged) and CSV."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from tirage.calls.models import Call
from tirage.reports.documents import report_csv, report_pdf
from tirage.reports.models import AnnualReport


def _adopted(pk: int) -> AnnualReport:
    return get_object_or_404(
        AnnualReport.objects.select_related("call"), pk=pk, state=AnnualReport.State.ADOPTED
    )


def report_list(request):
    call = Call.objects.current_or_404()
    reports = AnnualReport.objects.filter(
        call__council_name=call.council_name, state=AnnualReport.State.ADOPTED
    )
    return render(request, "reports/public_list.html", {"call": call, "reports": reports})


def report_pdf_file(request, pk: int):
    report = _adopted(pk)
    response = HttpResponse(report_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="rapport-activite-{report.period_label}.pdf"'
    )
    return response


def report_csv_file(request, pk: int):
    report = _adopted(pk)
    response = HttpResponse(report_csv(report), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="rapport-activite-{report.period_label}.csv"'
    )
    return response
