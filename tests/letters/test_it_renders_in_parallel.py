"""Large batches are laid out in worker processes: same letters, same odd-page starts as in process."""

import io

import pypdf

from tirage.letters import rendering
from tirage.letters.defaults import DEFAULT_TEXTS


def _content(i, kind):
    subject, body = DEFAULT_TEXTS[kind]
    return rendering.LetterContent(
        anchor=f"l{i}",
        receipt_code=f"AB{i:02d}-CDEF",
        recipient_lines=[f"Élise N{i}", "1 rue X", "59100 ROUBAIX"],
        subject=subject,
        paragraphs=rendering.paragraphs_of(body),
        place_date="Roubaix, le 16 juin 2025",
        sender_name="Ville de Roubaix",
        sender_service="Service",
        sender_lines=["Hôtel de Ville"],
        signatory_name="Le Maire",
        signatory_title="Maire",
        footer="Pied",
        council="CLN",
        reply={"code": "K7PM3-QXR2H", "deadline": "7 juillet 2025", "url": "https://x/reponse"}
        if kind == "selected"
        else None,
    )


def test_workers_give_the_same_batch(db):
    contents = [_content(i, "selected" if i % 3 == 0 else "reserve") for i in range(7)]
    alone = rendering.render_batch(contents, workers=1)
    parallel = rendering.render_batch(contents, workers=2)
    assert (
        [p for _, p in parallel.letters] == [p for _, p in alone.letters] == [2, 1, 1, 2, 1, 1, 2]
    )
    assert parallel.firsts == alone.firsts == [1, 3, 5, 7, 9, 11, 13]
    reader = pypdf.PdfReader(io.BytesIO(parallel.merged))
    assert len(reader.pages) == parallel.pages == 14
    for i, first in enumerate(parallel.firsts):
        assert f"Élise N{i}" in reader.pages[first - 1].extract_text()
