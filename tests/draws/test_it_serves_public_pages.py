"""Public draw pages: the lookup's errors, the home page block, French dates, table headers."""

from __future__ import annotations

from tirage.draws import services


def test_unknown_code_is_an_error_on_the_field_with_a_summary(client, committed):
    response = client.get("/tirage/ma-probabilite/", {"code": "zzzz-zzzz"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Erreur : " in page
    assert 'class="error-summary"' in page
    assert '<a href="#id_code">Le numéro ZZZZ-ZZZZ ne figure pas dans le vivier du tirage.' in page
    assert 'class="field has-error"' in page and 'id="id_code_error"' in page
    assert 'aria-invalid="true"' in page


def test_malformed_code_says_how_it_looks(client, committed):
    page = client.get("/tirage/ma-probabilite/", {"code": "ABC"}).content.decode()
    assert "Un numéro de récépissé a 8 lettres ou chiffres, par exemple ABCD-2345." in page
    page = client.get("/tirage/ma-probabilite/", {"code": ""}).content.decode()
    assert "Indiquez votre numéro de récépissé" in page


def test_announcement_before_commitment_gives_the_date_in_french(client, call, pool_apps):
    page = client.get("/tirage/").content.decode()
    assert "vendredi 13 juin 2025" in page
    assert "Voir ma chance" not in page  # nothing to look up yet
    assert "/tirage/ma-probabilite/" not in page


def test_announcement_after_commitment(client, committed):
    page = client.get("/tirage/").content.decode()
    assert committed.commitment in page and "vendredi 13 juin 2025" in page
    assert (
        "<caption>Candidatures, quotas et sièges attendus : secteur (mairie de quartier)</caption>"
        in page
    )
    assert "<caption>Candidatures, quotas et sièges attendus : genre</caption>" in page
    assert '<th scope="col" class="num">Candidatures</th>' in page
    assert '<th scope="row">Nord</th><td class="num">6</td>' in page
    # the lottery was rounded over types: the announcement says how people share panels
    assert committed.summary["rounding"].startswith("type-rotation/1")
    assert "se relaient dans les panels selon une rotation publiée" in page
    # … and in plain French, naming what « the same profile » is for this call
    assert "<h2>Qui est dans chaque panel ?</h2>" in page
    assert (
        "Deux personnes ont le même profil quand elles ont les mêmes réponses pour : "
        "secteur (mairie de quartier), genre." in page
    )
    assert "elles prennent leur tour dans les panels, l'une après l'autre" in page


def test_home_page_links_to_the_draw_once_public(client, call, pool_apps):
    home = client.get("/").content.decode()
    assert "home-draw-title" not in home
    assert '<a href="/tirage/">Le tirage au sort</a>' in home  # footer, always


def test_home_page_block_when_committed_then_drawn(client, committed):
    home = client.get("/").content.decode()
    assert '<h2 id="home-draw-title">Le tirage au sort</h2>' in home
    assert "vendredi 13 juin 2025" in home
    assert 'href="/tirage/">Le tirage au sort : comment il se passe et votre chance</a>' in home
    services.perform_draw(committed, dice=[4, 2, 7])
    home = client.get("/").content.decode()
    assert '<a href="/tirage/resultats/">Voir les résultats du tirage au sort</a>' in home


def test_results_table_headers(client, committed):
    services.perform_draw(committed, dice=[4, 2, 7])
    page = client.get("/tirage/resultats/").content.decode()
    assert "<caption>Les 20 membres tirés au sort (numéros de récépissé)</caption>" in page
    assert '<th scope="col">Secteur (mairie de quartier)</th>' in page
    assert page.count('<th scope="row"><code>') == 30


def test_public_draw_pages_name_the_council_once_in_the_title(client, committed):
    services.perform_draw(committed, dice=[4, 2, 7])
    code = committed.result.selected[0]
    for url in (
        "/tirage/",
        "/tirage/resultats/",
        "/tirage/verifier/",
        f"/tirage/ma-probabilite/?code={code}",
    ):
        page = client.get(url).content.decode()
        title = page.split("<title>", 1)[1].split("</title>", 1)[0]
        assert title.count(committed.pool.call.council_name) == 1, (url, title)


def test_a_result_cancelled_by_a_redraw_stays_public(client, committed):
    services.perform_draw(committed, dice=[4, 2, 7])
    services.redraw(committed, reason="Dés mal lus")
    page = client.get("/tirage/").content.decode()
    # Used to say only « Engagement … annulé » and 404 on the cancelled result file.
    assert "annulé après le tirage (dés 4 2 7, panel n° 427). Motif : Dés mal lus" in page
    assert f'href="/tirage/{committed.pk}/resultat.json"' in page
    assert f'href="/tirage/{committed.pk}/loterie.json"' in page
    response = client.get(f"/tirage/{committed.pk}/resultat.json")
    assert response.status_code == 200
    assert b'"index":427' in b"".join(response.streaming_content).replace(b" ", b"")
    results = client.get("/tirage/resultats/").content.decode()
    assert "Le tirage a eu lieu mais son résultat a été annulé" in results
    assert "pas encore eu lieu" not in results  # used to say the draw had not taken place


def test_a_commitment_cancelled_before_the_ceremony_has_no_result_link(client, committed):
    services.redraw(committed, reason="Quotas à corriger")
    page = client.get("/tirage/").content.decode()
    assert "annulé. Motif : Quotas à corriger" in page
    assert "resultat.json" not in page
    assert client.get(f"/tirage/{committed.pk}/resultat.json").status_code == 404


def test_results_page_links_to_the_browser_verifier(client, committed):
    services.perform_draw(committed, dice=[4, 2, 7])
    page = client.get("/tirage/resultats/").content.decode()
    assert '<a href="/tirage/verifier/">vérifier ce tirage dans votre navigateur</a>' in page


def test_verifier_page_offers_the_published_files(client, call, committed):
    page = client.get("/tirage/verifier/").content.decode()
    assert f'data-bundle-url="/tirage/{committed.pk}/loterie.json"' in page
    assert "data-result-url" not in page  # not drawn yet: the bundle alone
    assert "le tirage n'a pas encore eu lieu" in page
    assert "les personnes de même profil prennent leur tour dans les panels" in page
    services.perform_draw(committed, dice=[4, 2, 7])
    page = client.get("/tirage/verifier/").content.decode()
    assert f'data-result-url="/tirage/{committed.pk}/resultat.json"' in page
    assert '<script type="module" src="/static/draws/verifier/page.js"></script>' in page
    assert "<script>" not in page  # no inline script (Content-Security-Policy)


def test_the_downloaded_files_have_the_names_the_verify_command_uses(client, committed):
    """French file names, the same in the download and in the command shown on the page."""
    services.perform_draw(committed, dice=[4, 2, 7])
    pk = committed.pk
    bundle = client.get(f"/tirage/{pk}/loterie.json")
    result = client.get(f"/tirage/{pk}/resultat.json")
    assert f'filename="tirage-{pk}-loterie.json"' in bundle["Content-Disposition"]
    assert f'filename="tirage-{pk}-resultat.json"' in result["Content-Disposition"]
    page = client.get("/tirage/verifier/").content.decode()
    assert (
        f"tirage sortition verify tirage-{pk}-loterie.json tirage-{pk}-resultat.json --commitment"
        in page
    )


def test_verifier_page_works_without_any_call(client, db):
    response = client.get("/tirage/verifier/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "data-bundle-url" not in page and "Vérifier ces fichiers" in page


def test_a_lottery_not_proven_optimal_says_so_to_staff_and_public(client, coordinator, committed):
    assert committed.summary["proven"] is True and committed.summary["gap"] == 0.0
    assert "non prouvé" not in client.get("/tirage/").content.decode()
    # An exact pricing stopped by its own time limit on a very large pool (engine tests):
    committed.summary.update(proven=False, gap=0.00042)
    committed.save(update_fields=["summary"])
    page = client.get("/tirage/").content.decode()
    assert "<strong>Optimum non prouvé :</strong>" in page and "au plus 0,0004" in page
    client.force_login(coordinator)
    staff = client.get("/gestion/tirage/").content.decode()
    assert "<strong>Optimum non prouvé.</strong>" in staff
    assert (
        "Chaque panel respecte les quotas" in staff or "chaque panel respecte les quotas" in staff
    )
