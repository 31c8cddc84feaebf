"""The report as files: a tagged PDF (WeasyPrint, PDF/UA-1) and a CSV of the figures (UTF-8, « ; »).

Both hold aggregated figures and the coordinator's text only: no member's name.
"""

from __future__ import annotations

import csv
import io

from django.template.loader import render_to_string
from django.utils import timezone

from tirage.reports.figures import Figures, figures_for
from tirage.reports.models import AnnualReport


def report_figures(report: AnnualReport) -> Figures:
    return figures_for(report.call, report.period_start, report.period_end)


def report_pdf(report: AnnualReport, figures: Figures | None = None) -> bytes:
    """A4 PDF, tagged (PDF/UA-1): title, period, the coordinator's text, the table of figures."""
    # Imported here: WeasyPrint loads its fonts and Pango at import, only when a PDF is made.
    from weasyprint import HTML

    html = render_to_string(
        "reports/report_pdf.html",
        {
            "report": report,
            "call": report.call,
            "figures": figures or report_figures(report),
            "paragraphs": [p.strip() for p in report.text.split("\n\n") if p.strip()],
            "now": timezone.localtime(),
        },
    )
    return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")


def report_csv(report: AnnualReport, figures: Figures | None = None) -> bytes:
    """``indicateur;valeur`` rows, UTF-8 with BOM (opens right in a spreadsheet)."""
    figures = figures or report_figures(report)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(["indicateur", "valeur"])
    writer.writerow(["période", f"{figures.start.isoformat()}/{figures.end.isoformat()}"])
    writer.writerows(figures.rows())
    return ("\ufeff" + out.getvalue()).encode("utf-8")
