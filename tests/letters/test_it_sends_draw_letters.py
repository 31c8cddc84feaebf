"""``tirage send_draw_letters``: the batch after the draw, from the command line."""

import pypdf
import pytest
from django.core.management import CommandError, call_command

from tests.factories import roubaix_call
from tirage.letters.models import Letter


def test_command_prints_the_merged_pdf(drawn, capsys):
    call_command("send_draw_letters", drawn.call.slug)
    path = capsys.readouterr().out.strip()
    assert path.endswith(".pdf") and len(pypdf.PdfReader(path).pages) >= 30
    assert Letter.objects.count() == 30


def test_before_the_draw_it_refuses(db):
    roubaix_call()
    with pytest.raises(CommandError, match="Le tirage n'a pas eu lieu"):
        call_command("send_draw_letters")
