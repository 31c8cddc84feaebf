"""The procès-verbal of the draw, as a PDF (WeasyPrint) for signing."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

import tirage
from tirage.draws.models import Draw
from tirage.draws.views import result_context


def render_minutes(draw: Draw, *, with_names: bool) -> bytes:
    """A4 PDF: date, place, witnesses, commitment, dice, panel index, selected codes, reserve list, version.

    ``with_names`` adds the names of the selected (staff copy only).
    """
    from weasyprint import HTML

    context = result_context(draw)
    names = {}
    if with_names:
        for member in draw.pool.members.select_related("application"):
            names[member.receipt_code] = member.application.full_name
    for row in context["selected"]:
        row["name"] = names.get(row["code"], "")
    html = render_to_string(
        "draws/minutes_pdf.html",
        {
            "draw": draw,
            "call": draw.call,
            "version": tirage.__version__,
            "now": timezone.localtime(),
            "with_names": with_names,
            "witnesses": [w for w in draw.result.witnesses.splitlines() if w.strip()],
            **context,
        },
    )
    return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")  # tagged: an accessible public PDF
