"""Render letters to PDF with WeasyPrint (HTML + CSS → PDF).

Each letter is laid out on its own (``render_letter``), which keeps the cost
linear in the number of letters; ``merge`` then puts the pages of many
letters into one document for the print room, adding a blank page after
any letter with an odd number of pages so that every letter starts on a
recto when printed double-sided.

The recipient's address sits in the window of a DL/C5 window envelope:
``WINDOW_MM`` = (left, top, width, height) in millimetres from the top-left
corner of the A4 sheet.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from typing import TYPE_CHECKING

from django.template.loader import render_to_string

if TYPE_CHECKING:  # WeasyPrint is imported only when a PDF is made (slow to load)
    from weasyprint import Document
    from weasyprint.layout.page import Page

# French window envelope (DL 110 × 220 and C5/6 window 45 × 100 at 20 mm from the right, 15 mm from the
# bottom): on an A4 sheet folded in three, the visible zone is 110 mm from the left, 45 mm from the top.
WINDOW_MM = (110.0, 45.0, 90.0, 45.0)
A4_MM = (210.0, 297.0)


@dataclass
class LetterContent:
    """Everything printed on one letter (already filled: no placeholders left)."""

    anchor: str
    receipt_code: str
    recipient_lines: list[str]
    subject: str
    paragraphs: list[list[str]]
    place_date: str
    sender_name: str
    sender_service: str
    sender_lines: list[str]
    signatory_name: str
    signatory_title: str
    footer: str
    council: str
    reply: dict[str, str] | None = None
    extra: dict = field(default_factory=dict)


def paragraphs_of(text: str) -> list[list[str]]:
    """Split text into paragraphs (blank line) of lines (line break)."""
    blocks = [b.strip("\n") for b in text.replace("\r\n", "\n").split("\n\n")]
    return [[line.rstrip() for line in b.split("\n")] for b in blocks if b.strip()]


@functools.cache
def _fetcher():
    # No network, no local files: letters only use the embedded stylesheet and system fonts.
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols=["data"])


@functools.cache
def _font_config():
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


@functools.cache
def _stylesheet():
    from weasyprint import CSS

    text = (
        resources.files("tirage.letters")
        .joinpath("templates", "letters", "letter.css")
        .read_text("utf-8")
    )
    return CSS(string=text, font_config=_font_config(), url_fetcher=_fetcher())


def letter_html(content: LetterContent) -> str:
    return render_to_string(
        "letters/letter.html", {"letters": [content], "subject": content.subject}
    )


def render_letter(content: LetterContent):
    """Lay out one letter; returns a ``weasyprint.Document`` (one or more A4 pages)."""
    from weasyprint import HTML

    html = HTML(string=letter_html(content), url_fetcher=_fetcher())
    return html.render(stylesheets=[_stylesheet()], font_config=_font_config())


@functools.cache
def _blank_page():
    from weasyprint import CSS, HTML

    css = CSS(string="@page { size: A4; margin: 0 }", url_fetcher=_fetcher())
    return (
        HTML(string="<html lang='fr'><body></body></html>", url_fetcher=_fetcher())
        .render(stylesheets=[css])
        .pages[0]
    )


def merge(documents: list[Document]) -> tuple[Document, list[int]]:
    """One document with the pages of ``documents``, each starting on an odd page.

    Returns the merged ``weasyprint.Document`` and the first page number
    (1-based) of each input document in it.
    """
    if not documents:
        raise ValueError("nothing to merge")
    pages: list[Page] = []
    firsts = []
    for document in documents:
        if len(pages) % 2:
            pages.append(_blank_page())
        firsts.append(len(pages) + 1)
        pages.extend(document.pages)
    return documents[0].copy(pages), firsts


def to_pdf(document) -> bytes:
    return document.write_pdf()


@dataclass
class RenderedBatch:
    """PDFs of a batch: ``letters[i]`` = (PDF bytes, page count) of letter i; ``merged`` for the print room."""

    letters: list[tuple[bytes, int]]
    merged: bytes
    firsts: list[int]
    pages: int


def first_pages(page_counts: list[int]) -> tuple[list[int], int]:
    """First page (1-based) of each letter when each starts on an odd page; and the total page count."""
    firsts, total = [], 0
    for count in page_counts:
        total += total % 2
        firsts.append(total + 1)
        total += count
    return firsts, total


def split(pdf: bytes, firsts: list[int], counts: list[int]) -> list[bytes]:
    """One PDF per letter, cut out of the merged ``pdf`` (pages ``first … first + count - 1``).

    Cutting with pypdf is about five times cheaper than having WeasyPrint
    write each letter again (no new font subsetting).
    """
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(io.BytesIO(pdf))
    parts = []
    for first, count in zip(firsts, counts, strict=True):
        writer = PdfWriter()
        for number in range(first - 1, first - 1 + count):
            writer.add_page(reader.pages[number])
        buffer = io.BytesIO()
        writer.write(buffer)
        parts.append(buffer.getvalue())
    return parts


def _render_chunk(
    contents: list[LetterContent],
    pad_end: bool,
    progress: Callable[[int, int], object] | None = None,
) -> tuple[list[tuple[bytes, int]], bytes]:
    documents = []
    for content in contents:
        documents.append(render_letter(content))
        if progress is not None:
            progress(len(documents), len(contents))
    counts = [len(d.pages) for d in documents]
    merged, firsts = merge(documents)
    if pad_end and len(merged.pages) % 2:
        merged = merged.copy([*merged.pages, _blank_page()])
    merged_pdf = to_pdf(merged)
    return list(zip(split(merged_pdf, firsts, counts), counts, strict=True)), merged_pdf


def _init_worker() -> None:
    import django

    django.setup()


def workers_for(count: int) -> int:
    """Processes to use for ``count`` letters: one below 200 letters, else up to the CPUs (max 4).

    ``TIRAGE_LETTER_WORKERS`` overrides (1 = in process).
    """
    import os

    explicit = os.environ.get("TIRAGE_LETTER_WORKERS")
    if explicit:
        return max(1, int(explicit))
    if count < 200:
        return 1
    return max(1, min(4, os.cpu_count() or 1))


def render_batch(
    contents: list[LetterContent],
    *,
    workers: int | None = None,
    progress: Callable[[int, int], object] | None = None,
) -> RenderedBatch:
    """Render every letter (one PDF each) and the merged PDF (each letter on an odd page).

    With several workers, chunks of letters are laid out in parallel
    processes (``forkserver``: no database connection is shared) and the
    chunk PDFs are concatenated with pypdf. ``progress(done, total)`` is called
    as letters are laid out (each letter in one process, each chunk with several).
    Raises ``ValueError`` when empty.
    """
    if not contents:
        raise ValueError("nothing to render")
    workers = workers or workers_for(len(contents))
    if workers <= 1:
        letters, merged = _render_chunk(contents, pad_end=False, progress=progress)
        firsts, total = first_pages([p for _, p in letters])
        return RenderedBatch(letters, merged, firsts, total)
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from pypdf import PdfWriter

    size = -(-len(contents) // (workers * 4))  # a few chunks per worker evens out the load
    chunks = [contents[i : i + size] for i in range(0, len(contents), size)]
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_init_worker
    ) as pool:
        parts = []
        done = 0
        for chunk, part in zip(
            chunks,
            pool.map(_render_chunk, chunks, [i < len(chunks) - 1 for i in range(len(chunks))]),
            strict=True,
        ):
            parts.append(part)
            done += len(chunk)
            if progress is not None:
                progress(done, len(contents))
    letters = [letter for part_letters, _ in parts for letter in part_letters]
    writer = PdfWriter()
    for _, chunk_pdf in parts:
        writer.append(io.BytesIO(chunk_pdf))
    buffer = io.BytesIO()
    writer.write(buffer)
    firsts, total = first_pages([p for _, p in letters])
    return RenderedBatch(letters, buffer.getvalue(), firsts, total)
