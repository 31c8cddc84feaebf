"""The draw protocol end to end, with the real solver, files and CLI."""

import json
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
from django.conf import settings

from tirage.draws import services
from tirage.draws.models import Draw, DrawResult


def _bundle(draw):
    return json.loads(services.bundle_file(draw).read_text("utf-8"))


def test_dice_select_the_panel_they_name_and_quotas_hold(committed):
    record = services.perform_draw(committed, dice=[4, 2, 7])
    bundle = _bundle(committed)
    assert record.panel_index == 427
    assert sorted(record.selected) == sorted(bundle["panels"][427])
    members = {m.receipt_code: m.values for m in committed.pool.members.all()}
    secteurs = [members[c]["secteur"] for c in record.selected]
    genders = [members[c]["genre"] for c in record.selected]
    assert {s: secteurs.count(s) for s in set(secteurs)} == {
        s: 4 for s in ["nord", "sud", "est", "ouest", "centre"]
    }
    assert 9 <= genders.count("femme") <= 11 and 9 <= genders.count("homme") <= 11
    # The reserve is everyone else, each once.
    assert sorted(record.reserve + record.selected) == sorted(members)


def test_second_draw_on_the_same_commitment_is_refused(committed):
    services.perform_draw(committed, dice=[4, 2, 7])
    with pytest.raises(services.DrawError, match="déjà eu lieu"):
        services.perform_draw(committed, dice=[1, 1, 1])
    assert DrawResult.objects.filter(draw=committed).count() == 1
    assert DrawResult.objects.get(draw=committed).panel_index == 427


def test_bad_dice_are_refused_and_nothing_is_recorded(committed):
    with pytest.raises(services.DrawError):
        services.perform_draw(committed, dice=[4, 2])
    committed.refresh_from_db()
    assert committed.status == Draw.Status.COMMITTED and not DrawResult.objects.exists()


def test_redraw_needs_a_reason_and_a_new_commitment(committed):
    services.perform_draw(committed, dice=[4, 2, 7])
    with pytest.raises(services.DrawError, match="motivé"):
        services.redraw(committed, reason=" ")
    new = services.redraw(committed, reason="Erreur de saisie des dés constatée par l'huissier")
    assert new.status == Draw.Status.PENDING and new.redraw_of == committed
    committed.refresh_from_db()
    assert committed.status == Draw.Status.CANCELLED


def _run_cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "tirage", "sortition", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_downloaded_bundle_verifies_and_tampering_is_named(client, committed, tmp_path):
    services.perform_draw(committed, dice=[4, 2, 7])
    bundle_bytes = b"".join(client.get(f"/tirage/{committed.pk}/loterie.json").streaming_content)
    result_bytes = b"".join(client.get(f"/tirage/{committed.pk}/resultat.json").streaming_content)
    bundle_path, result_path = tmp_path / "loterie.json", tmp_path / "resultat.json"
    bundle_path.write_bytes(bundle_bytes)
    result_path.write_bytes(result_bytes)
    ok = _run_cli("verify", bundle_path, result_path)
    assert ok.returncode == 0, ok.stderr

    data = json.loads(bundle_bytes)
    person = data["pool"][0]
    person["values"]["secteur"] = "sud" if person["values"]["secteur"] != "sud" else "nord"
    tampered = tmp_path / "tampered-value.json"
    tampered.write_text(json.dumps(data), "utf-8")
    bad = _run_cli("verify", tampered, result_path)
    assert bad.returncode == 2
    assert "commitment" in bad.stderr and "Traceback" not in bad.stderr

    data = json.loads(bundle_bytes)
    data["panels"][17] = data["panels"][17][:-1] + [data["panels"][17][0]]
    tampered = tmp_path / "tampered-panel.json"
    tampered.write_text(json.dumps(data), "utf-8")
    bad = _run_cli("verify", tampered, result_path)
    assert bad.returncode == 2
    assert "panel 17" in bad.stderr


def test_applicant_sees_the_engine_probability(client, committed):
    bundle = _bundle(committed)
    code = bundle["pool"][3]["id"]
    # Independent count: panels of the published lottery holding this code.
    count = sum(code in panel for panel in bundle["panels"])
    expected = Fraction(count, 1000)
    page = client.get(
        "/tirage/ma-probabilite/", {"code": code.lower().replace("-", " ")}
    ).content.decode()
    assert f"<strong>{count}</strong> panel" in page
    assert f"{float(expected) * 100:.1f} %".replace(".", ",") in page


def test_no_personal_data_in_public_pages_or_files(client, committed, pool_apps):
    services.perform_draw(committed, dice=[4, 2, 7])
    texts = [
        client.get(url).content.decode()
        for url in [
            "/tirage/",
            "/tirage/resultats/",
            "/tirage/verifier/",
            f"/tirage/ma-probabilite/?code={pool_apps[0].receipt_code}",
        ]
    ]
    texts.append(services.bundle_file(committed).read_text("utf-8"))
    texts.append((Path(settings.DOCUMENTS_DIR) / committed.result.result_path).read_text("utf-8"))
    for app in pool_apps:
        for secret in [
            app.family_name,
            app.given_name,
            app.street_name,
            app.email,
            app.birth_date.isoformat(),
        ]:
            for text in texts:
                assert secret not in text, secret
    assert pool_apps[0].receipt_code in texts[0] or pool_apps[0].receipt_code in texts[4]
