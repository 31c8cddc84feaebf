"""The selection letter says where the reply slip is (on the back) and the slip is there, with
room for the date and the signature."""

from __future__ import annotations

import io

from pypdf import PdfReader

from tests.factories import roubaix_call
from tirage.letters.models import Kind
from tirage.letters.services import current_template, sample_pdf


def test_the_slip_is_on_the_back_page_as_the_letter_says(db):
    call = roubaix_call()
    for kind in (Kind.SELECTED, Kind.REPLACEMENT):
        template = current_template(call, kind)
        assert "coupon-réponse imprimé au verso de cette lettre" in template.body
        assert "ci-dessous" not in template.body
        pages = PdfReader(io.BytesIO(sample_pdf(template))).pages
        assert len(pages) == 2, kind
        front, back = (" ".join(p.extract_text().split()) for p in pages)
        assert "au verso de cette lettre" in front and "Coupon-réponse" not in front
        assert back.startswith("Coupon-réponse") or "Coupon-réponse —" in back
        assert "Date :" in back and "Signature :" in back
