"""The probability lookup once results are out says whether the code was drawn; a too-long
code is named in French with its length, once."""

from __future__ import annotations

from tirage.draws import services


def test_after_the_draw_the_lookup_says_drawn_or_reserve_rank(client, committed):
    result = services.perform_draw(committed, dice=[4, 2, 7])
    chosen, waiting = result.selected[0], result.reserve[2]
    page = client.get("/tirage/ma-probabilite/", {"code": chosen}).text
    assert "ce numéro <strong>a été tiré au sort</strong>" in page
    page = client.get("/tirage/ma-probabilite/", {"code": waiting}).text
    assert "ce numéro <strong>n'a pas été tiré au sort</strong>" in page
    assert "Il est en position 3 de la liste complémentaire" in page


def test_before_the_draw_the_lookup_gives_the_chance_only(client, committed):
    code = committed.pool.members.first().receipt_code
    page = client.get("/tirage/ma-probabilite/", {"code": code}).text
    assert "Votre chance d'être tiré·e au sort" in page and "a été tiré au sort" not in page


def test_a_too_long_code_is_named_with_its_length_once(client, committed):
    page = client.get("/tirage/ma-probabilite/", {"code": "A" * 25}).text
    message = "Le numéro de récépissé doit comporter au plus 20 caractères (25 saisis)."
    assert f'<a href="#id_code">{message}</a>' in page
    assert page.count(message) == 2  # the summary's link and the message by the field
    assert "Assurez-vous" not in page and "trop long" not in page
