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
