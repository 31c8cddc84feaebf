"""Staff pages (coordination): the batches of letters and their print files (downloads audited).

The letters themselves are produced by the apps that write them (the council: after
the draw, replacements, ends of mandate).
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from tirage.audit.services import log_action
from tirage.backoffice.roles import COORDINATOR, role_required
from tirage.backoffice.shell import staff_render
from tirage.calls.models import Call
from tirage.letters.models import Batch, Letter


@role_required(COORDINATOR)
def batches(request):
    call = Call.objects.current_or_404()
    rows = call.letter_batches.prefetch_related("letters")
    return staff_render(request, "letters/staff/batches.html", {"call": call, "batches": rows})


def _send(path: Path, filename: str, request, obj, action: str):
    if not path.exists():
        raise Http404("Fichier supprimé (durée de conservation écoulée)")
    log_action(obj, action, actor=request.user)  # who downloaded personal data, and when
    return FileResponse(
        path.open("rb"), as_attachment=True, filename=filename, content_type="application/pdf"
    )


@role_required(COORDINATOR)
def batch_pdf(request, pk: int):
    batch = get_object_or_404(Batch, pk=pk)
    if not batch.merged_path:
        raise Http404("Pas de fichier")
    return _send(
        Path(settings.DOCUMENTS_DIR) / batch.merged_path,
        f"courriers-lot-{batch.pk}.pdf",
        request,
        batch,
        "letters.batch_downloaded",
    )


@role_required(COORDINATOR)
def letter_pdf(request, pk: int):
    letter = get_object_or_404(Letter, pk=pk)
    return _send(
        Path(settings.DOCUMENTS_DIR) / letter.file_path,
        f"courrier-{letter.receipt_code}.pdf",
        request,
        letter,
        "letter.downloaded",
    )
