"""Blank paper application form (PDF).

Placeholder so that the URL resolves: the staff helper replaces this module
with the real WeasyPrint rendering of ``paper_form_pdf``.
"""

from __future__ import annotations

from django.http import HttpResponse


def paper_form_pdf(request):
    """The blank paper form as a PDF download (not implemented yet: 501)."""
    return HttpResponse(
        "Le formulaire papier n'est pas encore disponible en ligne : "
        "demandez-le dans une mairie de quartier.",
        status=501,
        content_type="text/plain; charset=utf-8",
    )
