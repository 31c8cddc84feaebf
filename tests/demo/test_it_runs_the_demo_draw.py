"""`tirage demo --until results --dice 4 2 7 --no-serve` on a fresh database."""

import io
import json
import subprocess
import sys

import pytest
from django.core.management import call_command

from tirage.draws.models import Draw


@pytest.mark.django_db(transaction=True)
def test_demo_runs_the_draw_unattended_and_prints_the_files():
    out = io.StringIO()
    call_command("demo", "--no-serve", "--until", "results", "--dice", "4", "2", "7", stdout=out)
    lines = out.getvalue().strip().splitlines()
    assert lines[-2].startswith("bundle: ") and lines[-1].startswith("result: ")
    bundle_path, result_path = lines[-2][len("bundle: ") :], lines[-1][len("result: ") :]
    result = json.loads(open(result_path, encoding="utf-8").read())
    assert result["index"] == 427 and len(result["selected"]) == 20
    # The demo's council in office comes from the previous call, drawn too: this is the open call's draw.
    draw = Draw.objects.get(pool__call__slug="roubaix-cln-2025")
    assert draw.status == Draw.Status.DRAWN and draw.result.panel_index == 427
    verified = subprocess.run(
        [sys.executable, "-m", "tirage", "sortition", "verify", bundle_path, result_path],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert verified.returncode == 0, verified.stderr

    # A second run changes nothing: same draw, same files.
    again = io.StringIO()
    call_command("demo", "--no-serve", "--until", "results", "--dice", "1", "1", "1", stdout=again)
    assert again.getvalue().strip().splitlines()[-2:] == lines[-2:]
    assert Draw.objects.filter(pool__call__slug="roubaix-cln-2025").count() == 1
