"""The blank paper application form, as an A4 PDF (WeasyPrint, from an HTML template).

Staff print it for the mairies de quartier; applicants who prefer paper fill it
in by hand. It carries the same fields as the online form, the information
notice (RGPD), the addresses where to hand it in and the deadline. The layout
is ``applications/paper_form.html`` (HTML + CSS: editable without Python); see
docs/adr/0001-pdf-rendering.md for the choice of WeasyPrint.
"""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.template.loader import render_to_string

from tirage.calls.models import Call


def render_paper_form(call: Call) -> bytes:
    """The PDF bytes of ``call``'s blank paper form (A4, two pages)."""
    from weasyprint import HTML  # heavy import: only when a PDF is asked for

    html = render_to_string(
        "applications/paper_form.html",
        {
            "call": call,
            "offices": call.offices.all(),
            "genders": ["Femme", "Homme", "Autre / je préfère me décrire autrement"],
        },
    )
    return HTML(string=html).write_pdf()


def paper_form_pdf(request):
    """``GET /candidater/formulaire-papier.pdf``: the current call's blank form (public)."""
    call = Call.objects.current()
    if call is None:
        raise Http404("Aucun appel à candidatures en cours.")
    response = HttpResponse(render_paper_form(call), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="formulaire-candidature-{call.slug}.pdf"'
    return response
