"""PDFs of the opinions app (WeasyPrint): the opinion for the post, the consultation booklet, the voting sheet.

Both are tagged PDF/UA-1 (``pdf_variant="pdf/ua-1"``: structure tree,
language, title) so that a screen reader reads them; no network access
while rendering (the stylesheet is in the page).
"""

from __future__ import annotations

import functools

from django.template.loader import render_to_string

from tirage.opinions import pages
from tirage.opinions.models import Opinion
from tirage.opinions.services.consultations import Booklet
from tirage.opinions.services.opinions import VotingSheet


@functools.cache
def _fetcher():
    # Nothing is fetched: the stylesheet is inline and the fonts are the system's.
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols=["data"])


def _pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, url_fetcher=_fetcher()).write_pdf(pdf_variant="pdf/ua-1")


def opinion_pdf(opinion: Opinion) -> bytes:
    """A4 PDF/UA of ``opinion``: text, FALC summary, minority view, recommendations and answers, path."""
    day = pages.public_today()
    context = pages.opinion_context(opinion, today=day)
    context["printed_on"] = day
    return _pdf(render_to_string("opinions/opinion_pdf.html", context))


def booklet_pdf(booklet: Booklet) -> bytes:
    """A4 PDF/UA of the consultation booklet: the project sheet, each question with ruled lines to write on."""
    return _pdf(
        render_to_string(
            "opinions/booklet_pdf.html",
            {"b": booklet, "ruled": range(max((q.lines for q in booklet.questions), default=0))},
        )
    )


def voting_sheet_pdf(sheet: VotingSheet) -> bytes:
    """A4 PDF/UA of the voting sheet: the text put to the vote, the rules, boxes to fill by hand."""
    return _pdf(render_to_string("opinions/voting_sheet_pdf.html", {"s": sheet}))
