"""Text of a PDF page with positions, in millimetres from the top-left corner of the sheet (pypdf)."""

from __future__ import annotations

MM_PER_PT = 25.4 / 72


def text_runs(page) -> list[tuple[float, float, str]]:
    """``(x, y, text)`` for each text run of ``page``: x from the left edge, y (baseline) from the top edge, in mm."""
    height_pt = float(page.mediabox.height)
    runs: list[tuple[float, float, str]] = []

    def visitor(text, cm, tm, font_dict, font_size):
        if not text.strip():
            return
        # Device position of the text origin: the text matrix (tm) composed with the current matrix (cm).
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        runs.append((x * MM_PER_PT, (height_pt - y) * MM_PER_PT, text.strip()))

    page.extract_text(visitor_text=visitor)
    return runs


def pdf_ua_marks(reader) -> dict[str, object]:
    """What makes a PDF tagged and PDF/UA (pypdf ``PdfReader``): ``{"marked", "structure", "lang", "pdfua"}``.

    ``marked``: ``/MarkInfo /Marked true``; ``structure``: a ``/StructTreeRoot``; ``lang``: the
    catalog's ``/Lang``; ``pdfua``: the XMP metadata's ``pdfuaid:part`` (``"1"`` for PDF/UA-1).
    """
    import re

    root = reader.trailer["/Root"]
    metadata = root.get("/Metadata")
    xmp = metadata.get_object().get_data().decode("utf-8", "replace") if metadata else ""
    part = re.search(r"pdfuaid:part(?:>|=\")(\d)", xmp)
    return {
        "marked": bool(root.get("/MarkInfo", {}).get("/Marked", False)),
        "structure": "/StructTreeRoot" in root,
        "lang": str(root.get("/Lang", "")),
        "pdfua": part.group(1) if part else "",
    }


PDF_UA_1 = {"marked": True, "structure": True, "lang": "fr", "pdfua": "1"}
