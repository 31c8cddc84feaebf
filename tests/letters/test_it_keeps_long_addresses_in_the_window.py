"""A very long name or address line must not push the postcode and city out of the envelope window."""

import io

import pypdf

from tests.pdftext import text_runs
from tirage.letters import rendering
from tirage.letters.rendering import WINDOW_MM


def _letter(lines):
    return rendering.LetterContent(
        anchor="l1",
        receipt_code="ABCD-2345",
        recipient_lines=lines,
        subject="Objet",
        paragraphs=[["Bonjour"]],
        place_date="Roubaix, le 1er janvier 2026",
        sender_name="Ville de Roubaix",
        sender_service="Service",
        sender_lines=["Grand'Place"],
        signatory_name="Le Maire",
        signatory_title="Maire de Roubaix",
        footer="pied",
        council="Conseil",
    )


def test_long_lines_are_cut_and_the_city_line_stays_in_the_window():
    lines = [
        "Marie-Bernadette-Gwendoline-Anne-Sophie DE LA ROCHEFOUCAULD-MONTMORENCY-LAVAL",
        "Résidence « Les Grands Érables du Parc de la Teinturerie », bâtiment B, escalier 4, appt 1207",
        "123 bis boulevard du Général de Gaulle prolongé jusqu'au canal",
        "59100 ROUBAIX",
    ]
    pdf = rendering.to_pdf(rendering.render_letter(_letter(lines)))
    page = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]
    left, top, width, height = WINDOW_MM
    in_window = [
        (x, y, t)
        for x, y, t in text_runs(page)
        if left <= x <= left + width and y <= top + height + 10
    ]
    city = [y for _, y, t in in_window if t == "59100 ROUBAIX"]
    assert city, in_window
    # Before the fix the lines wrapped and the postcode line fell below the window (hidden by overflow).
    assert city[0] <= top + height - 2, in_window
    # One printed line per address line: four baselines, no wrapping.
    assert len({round(y, 1) for _, y, _ in in_window}) == 4, in_window
