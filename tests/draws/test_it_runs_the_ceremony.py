"""The ceremony page: the coordinator types the dice; the result is recorded once and shown on reload."""

from __future__ import annotations

import json
import re

import pytest

from tirage.audit.models import AuditEntry
from tirage.draws import services
from tirage.draws.models import Draw, DrawResult


def url(draw) -> str:
    return f"/gestion/tirage/{draw.pk}/ceremonie/"


def test_the_form_has_one_large_input_per_die(client, coordinator, committed):
    client.force_login(coordinator)
    page = client.get(url(committed)).content.decode()
    assert page.count('inputmode="numeric"') == 3
    for i in range(3):
        assert f'<label for="id_die_{i}">Dé n° {i + 1}</label>' in page
    assert 'name="die_0"' in page and "autofocus" in page
    assert committed.commitment in page
    # Offline: no external resource.
    assert not re.search(r'(src|href)="(https?:)?//', page)


def test_bad_dice_are_named_and_nothing_is_recorded(client, coordinator, committed):
    client.force_login(coordinator)
    response = client.post(url(committed), {"die_0": "4", "die_1": "12", "die_2": ""})
    page = response.content.decode()
    assert response.status_code == 200
    # The summary says which die is wrong (it used to read « Un dé à dix faces donne 0 à 9. »).
    assert '<a href="#id_die_1">Dé n° 2 : un dé à dix faces donne 0 à 9.</a>' in page
    assert '<a href="#id_die_2">Indiquez la valeur du dé n° 3 (0 à 9).</a>' in page
    assert page.startswith("<!doctype html>") and "<title>Erreur : " in page
    assert not DrawResult.objects.exists()
    committed.refresh_from_db()
    assert committed.status == Draw.Status.COMMITTED
    page = client.post(url(committed), {"die_0": "x", "die_1": "2", "die_2": "7"}).content.decode()
    assert '<a href="#id_die_0">Dé n° 1 : un dé à dix faces donne un chiffre de 0 à 9.</a>' in page


def test_a_wrong_die_has_its_message_and_the_focus(client, coordinator, committed):
    """Each field in error points (aria-describedby) at a message that exists, and the focus
    goes to the first wrong die: it went to die 1, and « id_die_1_error » was nowhere."""
    client.force_login(coordinator)
    page = client.post(url(committed), {"die_0": "4", "die_1": "x", "die_2": "7"}).content.decode()
    die_1 = re.search(r"<input[^>]*name=\"die_1\"[^>]*>", page)[0]
    assert 'aria-invalid="true"' in die_1 and 'aria-describedby="id_die_1_error"' in die_1
    assert re.search(r'<p class="error-message" id="id_die_1_error">Dé n° 2 : [^<]+</p>', page)
    assert "autofocus" in die_1
    assert "autofocus" not in re.search(r"<input[^>]*name=\"die_0\"[^>]*>", page)[0]
    for described in re.findall(r'aria-describedby="([^"]+)"', page):
        for target in described.split():
            assert f'id="{target}"' in page, target


def test_a_missing_early_reason_has_its_message_and_the_focus(client, coordinator, committed):
    import datetime as dt

    from django.utils import timezone

    call = committed.pool.call
    call.draw_date = timezone.localdate() + dt.timedelta(days=3)
    call.save(update_fields=["draw_date"])
    client.force_login(coordinator)
    page = client.post(url(committed), {"die_0": "4", "die_1": "2", "die_2": "7"}).content.decode()
    area = re.search(r"<textarea[^>]*>", page)[0]
    assert 'aria-invalid="true"' in area and "autofocus" in area
    assert 'aria-describedby="id_early_reason_aide id_early_reason_error"' in area
    assert re.search(r'<p class="error-message" id="id_early_reason_error">[^<]+indiquez', page)
    assert "autofocus" not in re.search(r"<input[^>]*name=\"die_0\"[^>]*>", page)[0]


def test_dice_show_digits_panel_codes_and_reserve_then_stay(client, coordinator, committed):
    client.force_login(coordinator)
    response = client.post(
        url(committed), {"die_0": "4", "die_1": "2", "die_2": "7", "confirmer": "1"}
    )
    assert response.status_code == 302 and response["Location"] == url(committed)
    record = DrawResult.objects.get(draw=committed)
    bundle = json.loads(services.bundle_file(committed).read_text("utf-8"))
    assert record.panel_index == 427 and sorted(record.selected) == sorted(bundle["panels"][427])

    page = client.get(url(committed)).content.decode()
    assert re.search(
        r'<span class="digit">4</span><span class="digit">2</span><span class="digit">7</span>',
        page,
    )
    assert "Panel n° <strong>427</strong>" in page
    members = {m.receipt_code: m.values for m in committed.pool.members.all()}
    labels = {
        "nord": "Nord",
        "sud": "Sud",
        "est": "Est",
        "ouest": "Ouest",
        "centre": "Centre",
        "femme": "Femme",
        "homme": "Homme",
    }
    selected_block = page[page.index('<ol class="selected">') : page.index('<ol class="reserve">')]
    items = re.findall(r"<li><code>([A-Z0-9-]+)</code> <span>([^<]+)</span></li>", selected_block)
    assert len(items) == 20
    for code, text in items:
        assert text == f"{labels[members[code]['secteur']]} · {labels[members[code]['genre']]}"
    assert sorted(code for code, _ in items) == sorted(record.selected)
    reserve_block = page[page.index('<ol class="reserve">') :]
    reserve = re.findall(r"<li><code>([A-Z0-9-]+)</code>", reserve_block)
    assert reserve == record.reserve[:20] and len(reserve) == 10  # 30 in the pool, 20 selected

    # A second POST (another operator, a reload that re-posts) changes nothing.
    again = client.post(
        url(committed), {"die_0": "1", "die_1": "1", "die_2": "1", "confirmer": "1"}
    )
    assert again.status_code == 200
    assert "Panel n° <strong>427</strong>" in again.content.decode()
    assert DrawResult.objects.filter(draw=committed).count() == 1
    assert DrawResult.objects.get(draw=committed).randomness["dice"] == [4, 2, 7]
    assert AuditEntry.objects.filter(action="draw.drawn").count() == 1


def test_ceremony_page_shows_no_personal_data(client, coordinator, committed, pool_apps):
    client.force_login(coordinator)
    before = client.get(url(committed)).content.decode()
    client.post(url(committed), {"die_0": "0", "die_1": "0", "die_2": "9", "confirmer": "1"})
    after = client.get(url(committed)).content.decode()
    assert "Panel n° <strong>9</strong>" in after
    for app in pool_apps:
        for secret in [
            app.family_name,
            app.given_name,
            app.street_name,
            app.email,
            app.birth_date.isoformat(),
            app.birth_date.strftime("%d/%m/%Y"),
        ]:
            assert secret not in before and secret not in after, secret


def test_ceremony_of_a_draw_not_committed_refuses_the_dice(client, coordinator, call, pool_apps):
    from tests.draws.conftest import AFTER_DEADLINE
    from tirage.draws.pool import freeze_pool

    draw = services.prepare_draw(services.create_draw(freeze_pool(call, now=AFTER_DEADLINE)).pk)
    client.force_login(coordinator)
    page = client.get(url(draw)).content.decode()
    assert "son engagement n&#x27;est pas publié (statut : loterie calculée)" in page
    assert 'name="die_0"' not in page
    page = client.post(url(draw), {"die_0": "4", "die_1": "2", "die_2": "7"}).content.decode()
    assert "son engagement n&#x27;est pas publié" in page
    assert not DrawResult.objects.exists()


def test_the_dice_are_recorded_only_after_a_confirmation_that_says_what_is_final(
    client, coordinator, committed
):
    """Enter after the third die posts the dice: a check screen, nothing recorded; « Corriger »
    gives the form back with the dice typed; only « Enregistrer » records."""
    client.force_login(coordinator)
    dice = {"die_0": "4", "die_1": "2", "die_2": "7"}
    page = client.post(url(committed), dice).content.decode()
    assert not DrawResult.objects.exists()
    assert "Vérifiez avant d&#x27;enregistrer" in page or "Vérifiez avant d'enregistrer" in page
    assert "<strong>4 · 2 · 7</strong>" in page
    assert "une fois enregistré, le résultat est définitif" in page
    assert "427" not in page  # the panel is not shown before it is recorded
    assert '<input type="hidden" name="die_1" value="2"' in page
    assert '<input type="hidden" name="confirmer" value="1">' in page

    corrected = client.post(url(committed), {**dice, "confirmer": "1", "corriger": "1"})
    assert not DrawResult.objects.exists()
    corrected = corrected.content.decode()
    assert 'name="die_2" value="7"' in corrected and "Vérifiez avant" not in corrected

    client.post(url(committed), {**dice, "confirmer": "1"})
    assert DrawResult.objects.get().panel_index == 427


def test_the_ceremony_before_the_announced_date_needs_a_recorded_reason(
    client, coordinator, committed
):
    import datetime as dt

    from django.utils import timezone

    call = committed.pool.call
    call.draw_date = timezone.localdate() + dt.timedelta(days=3)
    call.save(update_fields=["draw_date"])
    client.force_login(coordinator)
    page = client.get(url(committed)).content.decode()
    assert "Motif du tirage avant la date annoncée (" in page
    dice = {"die_0": "4", "die_1": "2", "die_2": "7", "confirmer": "1"}
    page = client.post(url(committed), dice).content.decode()
    assert "le tirage est annoncé pour le" in page and '<a href="#id_early_reason">' in page
    assert not DrawResult.objects.exists()
    with pytest.raises(services.DrawError, match="indiquez le motif"):
        services.perform_draw(committed, dice=[4, 2, 7])

    reason = "Salle réservée le jour annoncé indisponible ; tirage avancé, annoncé le 2 juin."
    checked = client.post(url(committed), {**dice, "early_reason": reason, "confirmer": ""})
    assert reason.replace("'", "&#x27;") in checked.content.decode()
    assert not DrawResult.objects.exists()
    client.post(url(committed), {**dice, "early_reason": reason})
    assert DrawResult.objects.get().panel_index == 427
    entry = AuditEntry.objects.get(action="draw.drawn")
    assert entry.reason == reason and entry.actor == coordinator and entry.data["early"] is True


def test_publishing_the_commitment_asks_for_a_confirmation_first(
    client, coordinator, call, pool_apps
):
    from tests.draws.conftest import AFTER_DEADLINE
    from tirage.draws.pool import freeze_pool

    draw = services.prepare_draw(services.create_draw(freeze_pool(call, now=AFTER_DEADLINE)).pk)
    client.force_login(coordinator)
    first = client.post(f"/gestion/tirage/{draw.pk}/publier/")
    page = first.content.decode()
    assert first.status_code == 200 and "Ce qui ne pourra pas être défait" in page
    assert draw.commitment in page and "ne pourront plus être retirées ni changées" in page
    draw.refresh_from_db()
    assert draw.status == Draw.Status.PREPARED and not AuditEntry.objects.filter(
        action="draw.committed"
    )
    done = client.post(f"/gestion/tirage/{draw.pk}/publier/", {"confirmer": "1"})
    assert done.status_code == 302
    draw.refresh_from_db()
    assert draw.status == Draw.Status.COMMITTED
    assert AuditEntry.objects.get(action="draw.committed").actor == coordinator
