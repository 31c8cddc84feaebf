"""No template served to a browser holds inline script, inline style or event attributes.

The CSP (``script-src 'self'; style-src 'self'``) would block them: this test
names the file and line instead of a blank page. Templates rendered to PDF by
WeasyPrint (never sent to a browser) may carry their own ``<style>``.
"""

from __future__ import annotations

import re
from pathlib import Path

import tirage

PDF_ONLY = {
    "applications/paper_form.html",
    "draws/minutes_pdf.html",
    "letters/letter.html",
    "reports/report_pdf.html",
    "meetings/pdf/minutes.html",
    "meetings/pdf/sign_in_sheet.html",
    "opinions/_pdf_style.html",
    "opinions/voting_sheet_pdf.html",
}
INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>|<style\b|\sstyle=|\son[a-z]+=",
    re.IGNORECASE,
)


def templates() -> list[tuple[str, Path]]:
    root = Path(tirage.__file__).parent
    found = []
    for path in root.glob("*/templates/**/*.html"):
        name = path.as_posix().split("/templates/", 1)[1]
        found.append((name, path))
    return found


def test_templates_have_no_inline_code():
    names = {name for name, _ in templates()}
    assert "site/base.html" in names and PDF_ONLY <= names
    problems = [
        f"{name}:{number}: {line.strip()[:80]}"
        for name, path in templates()
        if name not in PDF_ONLY
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if INLINE.search(line)
    ]
    assert problems == []
