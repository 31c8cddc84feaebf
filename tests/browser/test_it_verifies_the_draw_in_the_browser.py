"""The browser verifier (/tirage/verifier/), in Chromium: shared vectors, the demo's draw, a phone.

The page's JavaScript (``static/draws/verifier/``) is written from
``docs/draw-protocol.md``; on every vector of ``tests/vectors/draw`` it must
reach the outcome the Python verifier reaches (recorded in the manifest).
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from tests.browser.conftest import assert_no_axe_violations
from tests.browser.test_it_applies_with_keyboard import focused_matches, tab_to
from tirage.draws import services
from tirage.draws.models import Draw

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VECTORS = Path(__file__).resolve().parent.parent / "vectors" / "draw"
MANIFEST = json.loads((VECTORS / "manifest.json").read_text(encoding="utf-8"))
DONE = "Vérification terminée"


def outcome(page) -> dict[str, str]:
    """{check id: "pass" | "fail" | "skip"} as shown by the page."""
    return dict(
        page.eval_on_selector_all(
            "li[data-check]", "items => items.map(i => [i.dataset.check, i.dataset.status])"
        )
    )


def run_files(page, bundle: Path, result: Path | None, announced: str = "", dice: str = ""):
    page.fill("#verifier-announced", announced)
    page.fill("#verifier-dice", dice)
    page.set_input_files("#verifier-bundle", str(bundle))
    page.set_input_files("#verifier-result", str(result) if result else [])
    page.get_by_role("button", name="Vérifier ces fichiers").click()
    status = page.get_by_role("status")
    status.filter(has_text=DONE).wait_for()
    return outcome(page)


def check_item(page, check: str):
    return page.locator(f"li[data-check='{check}']")


def test_the_page_agrees_with_the_python_verifier_on_every_vector(page, live_server):
    page.goto(live_server.url + "/tirage/verifier/")
    for case in MANIFEST["cases"]:
        result = VECTORS / case["result"] if case["result"] else None
        shown = run_files(page, VECTORS / case["bundle"], result, case["announced"] or "")
        failing = sorted(c for c, s in shown.items() if s == "fail")
        assert failing == sorted(case["failing"]), (case["name"], shown)
        # What Python checked and found right, the page checked and found right
        # (the page skips "rounding" and "announced commitment" when there is nothing to compare).
        passing = {c for c, s in shown.items() if s == "pass"}
        assert passing <= set(case["passing"]), (case["name"], shown)
        assert set(case["passing"]) - passing <= {"rounding"}, (case["name"], shown)
        status = page.get_by_role("status").inner_text()
        if case["failing"]:
            # The summary names every failing check by its French label.
            for check in case["must_fail"]:
                label = check_item(page, check).locator("h3").inner_text()
                assert label.split(" : ")[0].strip("✗ ") in status, (case["name"], status)
        else:
            assert "contrôles effectués sont justes" in status, (case["name"], status)


def test_tampered_cases_are_named_in_plain_french(page, live_server, axe):
    page.goto(live_server.url + "/tirage/verifier/")
    bundle = VECTORS / "valid-dice.bundle.json"
    announced = MANIFEST["cases"][0]["announced"]

    run_files(
        page,
        VECTORS / "pool-receipt-changed.bundle.json",
        VECTORS / "valid-dice.result.json",
        announced,
    )
    commitment = check_item(page, "commitment")
    assert "faux" in commitment.locator("h3").inner_text()
    assert "Le fichier a été modifié après le calcul de son empreinte" in commitment.inner_text()
    assert "ZZZZ-ZZZZ" in check_item(page, "panels").inner_text() or "ZZZZ-ZZZZ" in (
        check_item(page, "probabilities").inner_text()
    )
    assert_no_axe_violations(axe, page)

    run_files(
        page,
        VECTORS / "panel-swapped.bundle.json",
        VECTORS / "panel-swapped.result.json",
        announced,
    )
    assert "ne sont pas dans l'ordre convenu" in check_item(page, "panels").inner_text()

    run_files(page, bundle, VECTORS / "result-other-index.result.json", announced)
    index = check_item(page, "index").inner_text()
    assert (
        "les dés 4 2 7 donnent le panel n° 427" in index
        and "Le résultat annonce le panel n° " in index
    )

    run_files(
        page, VECTORS / "quota-changed.bundle.json", VECTORS / "valid-dice.result.json", announced
    )
    panels = check_item(page, "panels").inner_text()
    # One sentence per broken rule, naming the first panels and how many break it.
    data = json.loads(bundle.read_text(encoding="utf-8"))
    nord = {p["id"] for p in data["pool"] if p["values"]["secteur"] == "nord"}
    broken = [j for j, panel in enumerate(data["panels"]) if len(nord & set(panel)) == 2]
    first = ", ".join(map(str, broken[:5]))
    assert (
        f"Panels n° {first} et {len(broken) - 5} autres ({len(broken)} panels) : "
        "secteur = nord compte 2 membres, plus que le maximum 1." in panels
    ), panels

    run_files(
        page, VECTORS / "recommitted.bundle.json", VECTORS / "recommitted.result.json", announced
    )
    text = check_item(page, "announced commitment").inner_text()
    assert f"Vous avez noté {announced}" in text and "ce n'est pas la loterie annoncée" in text
    status = page.get_by_role("status").inner_text()
    assert "1 contrôle sur 15 échoue : Empreinte annoncée avant le tirage." in status

    run_files(page, VECTORS / "float-in-metadata.bundle.json", None, announced)
    assert (
        "1.0 est écrit avec une virgule ou un exposant"
        in check_item(page, "commitment").inner_text()
    )
    assert_no_axe_violations(axe, page)


def test_typed_dice_and_commitment(page, live_server):
    page.goto(live_server.url + "/tirage/verifier/")
    bundle, result = VECTORS / "valid-dice.bundle.json", VECTORS / "valid-dice.result.json"
    announced = MANIFEST["cases"][0]["announced"]
    # Noted in groups of four, in capitals: spaces and case do not count.
    grouped = " ".join(announced[i : i + 4] for i in range(0, 64, 4)).upper()
    shown = run_files(page, bundle, result, grouped, "4, 2, 7")
    assert shown["announced commitment"] == "pass" and shown["noted dice"] == "pass"
    assert (
        "Le résultat publié découle de la loterie annoncée"
        in page.get_by_role("status").inner_text()
    )

    shown = run_files(page, bundle, result, announced, "4 2 8")
    assert shown["noted dice"] == "fail"
    assert (
        "Vous avez noté 4 2 8 ; le résultat enregistre 4 2 7."
        in check_item(page, "noted dice").inner_text()
    )

    shown = run_files(page, bundle, result, announced[:-1], "")
    assert shown["announced commitment"] == "fail" and "noted dice" not in shown
    assert "vous avez saisi 63 caractères" in check_item(page, "announced commitment").inner_text()

    # Before the draw: the dice a person imagines give the panel they would draw.
    run_files(page, bundle, None, announced, "0 0 0")
    panel0 = json.loads(bundle.read_text(encoding="utf-8"))["panels"][0]
    assert f"Les dés 0 0 0 désignent le panel n° 0 : {', '.join(panel0)}." in (
        check_item(page, "noted dice").inner_text()
    )
    run_files(page, bundle, None, "", "4 2")
    assert (
        "une loterie de 1000 panels demande 3 dés par lancer"
        in check_item(page, "noted dice").inner_text()
    )


def test_a_missing_bundle_file_is_an_error_on_the_field(page, live_server):
    page.goto(live_server.url + "/tirage/verifier/")
    page.get_by_role("button", name="Vérifier ces fichiers").click()
    page.get_by_role("status").filter(
        has_text="choisissez d'abord le fichier de la loterie"
    ).wait_for()
    assert focused_matches(page, "#verifier-bundle")
    assert page.get_attribute("#verifier-bundle", "aria-invalid") == "true"
    assert "Choisissez le fichier de la loterie" in page.inner_text("#verifier-bundle-error")


def test_a_file_that_is_not_a_bundle_is_described_in_words(page, live_server, tmp_path):
    """No « undefined », no JSON quotes: a JSON object without format or commitment, a result."""
    page.goto(live_server.url + "/tirage/verifier/")
    other = tmp_path / "autre.json"
    other.write_text('{"x": "a"}', encoding="utf-8")
    run_files(page, other, None)
    text = page.inner_text("main")
    assert "undefined" not in text and '""' not in text, text
    assert (
        "Le fichier de la loterie ne dit pas son format" in check_item(page, "format").inner_text()
    )
    assert "la loterie publie (aucune)" in check_item(page, "commitment").inner_text()
    assert "la loterie n'en publie aucune" in check_item(page, "announced commitment").inner_text()

    run_files(page, VECTORS / "valid-dice.result.json", None)
    assert (
        "Le format de la loterie est « tirage-draw-result/1 » ;"
        in check_item(page, "format").inner_text()
    )


def test_demo_draw_verifies_by_keyboard_offline_and_on_a_phone(page, live_server, axe):
    call_command(
        "demo", "--no-serve", "--until", "results", "--dice", "4", "2", "7", stdout=io.StringIO()
    )
    # The open call's draw, not the one of the council in office.
    draw = Draw.objects.get(pool__call__slug="roubaix-cln-2025")
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.url + "/tirage/resultats/")
    tab_to(page, "a[href='/tirage/verifier/']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert_no_axe_violations(axe, page)

    # Everything the page needs is loaded: the check itself needs no network
    # beyond the two published files, which we let through.
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    tab_to(page, "#verifier-announced")
    page.keyboard.type(draw.commitment)
    tab_to(page, "#verifier-dice")
    page.keyboard.type("4 2 7")
    tab_to(page, "button[value='published']")
    page.keyboard.press("Enter")
    status = page.get_by_role("status")
    status.filter(has_text=DONE).wait_for(timeout=30_000)
    shown = outcome(page)
    assert set(shown.values()) == {"pass"}, shown
    # 16 checks of the protocol (the rotation of people within types among them: the web
    # app's lotteries are rounded over types) and the typed dice
    assert len(shown) == 17 and shown["rotation"] == "pass"
    assert "les 17 contrôles effectués sont justes" in status.inner_text()
    assert sorted(u.split(live_server.url)[-1] for u in requests) == [
        f"/tirage/{draw.pk}/loterie.json",
        f"/tirage/{draw.pk}/resultat.json",
    ]
    selection = check_item(page, "selection").inner_text()
    assert all(code in selection for code in draw.result.selected)
    assert "panel n° 427" in selection
    # Readable on a 360 px phone: nothing wider than the screen.
    wide = page.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 361)"
        ".map(e => e.tagName + '.' + e.className + ' ' + e.textContent.slice(0, 40))"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, wide
    assert_no_axe_violations(axe, page)

    # Offline, the loaded page verifies the same files chosen on the device.
    page.context.set_offline(True)
    bundle = services.bundle_file(draw)
    result = settings.DOCUMENTS_DIR / draw.result.result_path
    shown = run_files(page, bundle, result, draw.commitment, "4 2 7")
    assert set(shown.values()) == {"pass"}, shown


STRICT_POLICY = (
    "default-src 'self'; script-src 'self'; worker-src 'self'; style-src 'self'; "
    "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def test_it_runs_under_a_strict_content_security_policy(page, live_server):
    """No inline script or style, no eval: the page works under a strict policy."""

    def with_policy(route):
        response = route.fetch()
        headers = {**response.headers, "content-security-policy": STRICT_POLICY}
        route.fulfill(response=response, headers=headers)

    page.route("**/tirage/verifier/", with_policy)
    page.add_init_script(
        "window.violations = [];"
        "document.addEventListener('securitypolicyviolation',"
        " e => window.violations.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    page.goto(live_server.url + "/tirage/verifier/")
    case = MANIFEST["cases"][0]
    shown = run_files(
        page, VECTORS / case["bundle"], VECTORS / case["result"], case["announced"], "4 2 7"
    )
    assert set(shown.values()) == {"pass"}, shown
    assert page.evaluate("window.violations") == []
