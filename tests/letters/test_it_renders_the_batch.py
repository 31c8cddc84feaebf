"""The batch after the draw: merged PDF for the print room, one file per person, e-mail copies."""

import hashlib
import io
from pathlib import Path

import pypdf
from django.conf import settings
from django.core import mail

from tests.aftermath import AFTER_DRAW
from tests.pdftext import text_runs
from tirage.council.models import CouncilLetter, Offer
from tirage.council.services.seat_letters import run_letters
from tirage.letters.models import Batch, Kind, Letter
from tirage.letters.rendering import WINDOW_MM


def _helene(drawn):
    app = drawn.apps[drawn.result.selected[0]]
    app.given_name, app.family_name, app.email = "Hélène", "Lefèvre-Dupré", ""
    app.address_complement = "Résidence « Les Érables », bât. B"
    app.save()
    return app


def test_merged_pdf_has_every_letter_on_an_odd_page(drawn):
    path = run_letters(drawn.call, now=AFTER_DRAW)
    reader = pypdf.PdfReader(path)
    letters = list(Letter.objects.order_by("first_page"))
    # 20 selected, then the 10 people of the reserve in the draw's order (all get the reserve letter).
    assert [lt.kind for lt in letters] == [Kind.SELECTED] * 20 + [Kind.RESERVE] * 10
    assert [lt.receipt_code for lt in letters[20:]] == drawn.result.reserve
    assert all(lt.first_page % 2 == 1 for lt in letters)
    assert len(reader.pages) == Batch.objects.get().pages
    for letter in letters:
        first = reader.pages[letter.first_page - 1].extract_text()
        assert f"candidature n° {letter.receipt_code}" in first
        assert "Objet :" in first
    # Pages between two letters (duplex padding) are blank.
    for before, after in zip(letters, letters[1:], strict=False):
        for number in range(before.first_page + before.pages, after.first_page):
            assert reader.pages[number - 1].extract_text().strip() == ""


def test_address_sits_in_the_envelope_window_and_accents_survive(drawn):
    app = _helene(drawn)
    run_letters(drawn.call, now=AFTER_DRAW)
    letter = Letter.objects.get(application=app)
    page = pypdf.PdfReader(Path(settings.DOCUMENTS_DIR) / letter.file_path).pages[0]
    runs = text_runs(page)
    left, top, width, height = WINDOW_MM
    street = app.address_lines[0]
    address = ["Hélène LEFÈVRE-DUPRÉ", "Résidence « Les Érables », bât. B", street, "59100 ROUBAIX"]
    found = {text: (x, y) for x, y, text in runs if text in address}
    assert set(found) == set(address), runs
    # French postal order: name, complement, street, postcode and city, one below the other.
    assert sorted(address, key=lambda t: found[t][1]) == address
    for text, (x, y) in found.items():
        assert left + 2 <= x <= left + width - 20, (text, x)
        # Baselines: below the top of the window by at least one line, above its bottom.
        assert top + 4 <= y <= top + height - 2, (text, y)
    # Nothing else is printed in the window (it would show through the envelope).
    others = [
        (x, y, t)
        for x, y, t in runs
        if left <= x <= left + width and top <= y <= top + height + 3 and t not in address
    ]
    assert others == []
    text = page.extract_text()
    assert "Bonjour Hélène Lefèvre-Dupré," in text
    assert "Le Maire" in text and "Maire de Roubaix" in text


def test_each_letter_is_stored_with_its_hash_and_template_version(drawn):
    run_letters(drawn.call, now=AFTER_DRAW)
    batch = Batch.objects.get()
    merged = Path(settings.DOCUMENTS_DIR) / batch.merged_path
    assert merged.parent == Path(settings.DOCUMENTS_DIR) / "letters" / str(batch.pk)
    assert hashlib.sha256(merged.read_bytes()).hexdigest() == batch.merged_sha256
    for letter in Letter.objects.select_related("template"):
        data = (Path(settings.DOCUMENTS_DIR) / letter.file_path).read_bytes()
        assert hashlib.sha256(data).hexdigest() == letter.sha256
        assert len(pypdf.PdfReader(io.BytesIO(data)).pages) == letter.pages
        assert letter.template.kind == letter.kind and letter.template.version == 1
    # The council knows which letter carries which offer; the letters app does not.
    links = CouncilLetter.objects.select_related("letter", "offer")
    assert {link.letter.kind for link in links} == {Kind.SELECTED}
    assert links.count() == 20 and all(link.offer.status == Offer.Status.PENDING for link in links)


def test_email_copy_goes_only_to_people_with_an_address(drawn):
    paper = _helene(drawn)
    run_letters(drawn.call, now=AFTER_DRAW)
    assert len(mail.outbox) == 29
    assert paper.email == "" and not any(paper.email in m.to for m in mail.outbox if paper.email)
    assert Letter.objects.get(application=paper).emailed_at is None
    selected = drawn.apps[drawn.result.selected[1]]
    message = next(m for m in mail.outbox if m.to == [selected.email])
    name, content, mimetype = message.attachments[0]
    assert mimetype == "application/pdf" and name == f"courrier-{selected.receipt_code}.pdf"
    letter = Letter.objects.get(application=selected)
    assert hashlib.sha256(content).hexdigest() == letter.sha256 and letter.emailed_at is not None
    # The e-mail carries the personal reply link, valid until the deadline.
    assert "https://tirage.ville-roubaix.fr/reponse/" in message.body
    assert "une seule fois" in message.body


def test_a_second_run_makes_no_second_batch(drawn):
    first = run_letters(drawn.call, now=AFTER_DRAW)
    second = run_letters(drawn.call, now=AFTER_DRAW)
    assert first == second and Batch.objects.count() == 1 and Offer.objects.count() == 20


def test_reserve_letter_count_limits_the_reserve_letters(drawn):
    from tirage.letters.services import settings_for

    conf = settings_for(drawn.call)
    conf.reserve_letter_count = 3
    conf.save()
    run_letters(drawn.call, now=AFTER_DRAW)
    kinds = list(
        Letter.objects.filter(kind__in=[Kind.RESERVE, Kind.NOT_SELECTED])
        .order_by("first_page")
        .values_list("receipt_code", "kind")
    )
    assert kinds == [(c, Kind.RESERVE) for c in drawn.result.reserve[:3]] + [
        (c, Kind.NOT_SELECTED) for c in drawn.result.reserve[3:]
    ]


def test_an_interrupted_run_is_redone_with_new_codes(drawn):
    from tirage.council.services.offers import find_offer, open_offers

    # A first run created the offers, then stopped before its batch was stored.
    lost = open_offers(drawn.result, now=AFTER_DRAW)
    run_letters(drawn.call, now=AFTER_DRAW)
    assert Offer.objects.count() == 20
    assert (
        CouncilLetter.objects.filter(letter__kind=Kind.SELECTED, offer__isnull=False).count() == 20
    )
    assert all(find_offer(code) is None for _, code in lost)  # codes never printed are dead
