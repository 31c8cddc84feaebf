"""The staff overview: who may see and act, the progress bar, the charts and the failure message."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone

from tests.conftest import queued
from tests.draws.conftest import AFTER_DEADLINE
from tests.roles import make_staff
from tirage.audit.models import AuditEntry
from tirage.calls.models import FeatureValue
from tirage.draws import services
from tirage.draws.models import Draw, FrozenPool
from tirage.draws.pool import freeze_pool
from tirage.draws.tasks import prepare

OVERVIEW = "/gestion/tirage/"


def test_anonymous_is_sent_to_login(client, db):
    # Logged out, nothing is looked up: the draw need not exist.
    for url in [
        OVERVIEW,
        "/gestion/tirage/1/ceremonie/",
        "/gestion/tirage/1/proces-verbal/",
        "/gestion/tirage/1/proces-verbal.pdf",
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/gestion/connexion/?next=/gestion/tirage/")


def test_counter_agent_without_draw_role_is_refused(client, call):
    from tirage.backoffice.roles import COUNTER_AGENT

    client.force_login(make_staff("agent", COUNTER_AGENT))
    assert client.get(OVERVIEW).status_code == 403


def test_observer_reads_but_cannot_act(client, observer, call, pool_apps):
    client.force_login(observer)
    page = client.get(OVERVIEW).content.decode()
    assert "lecture seule" in page
    assert "Geler le vivier</button>" not in page

    assert client.post("/gestion/tirage/geler/").status_code == 403
    assert not FrozenPool.objects.exists()
    pool = freeze_pool(call, now=AFTER_DEADLINE)
    assert (
        client.post(
            "/gestion/tirage/calculer/", {"panels": "1000", "objective": "leximin"}
        ).status_code
        == 403
    )
    assert not Draw.objects.exists()

    draw = services.prepare_draw(services.create_draw(pool).pk)
    page = client.get(OVERVIEW).content.decode()
    assert "Publier l'engagement</button>" not in page
    assert client.post(f"/gestion/tirage/{draw.pk}/publier/").status_code == 403
    draw.refresh_from_db()
    assert draw.status == Draw.Status.PREPARED

    services.commit_draw(draw)
    assert client.get(f"/gestion/tirage/{draw.pk}/ceremonie/").status_code == 403
    assert (
        client.post(
            f"/gestion/tirage/{draw.pk}/ceremonie/", {"die_0": "4", "die_1": "2", "die_2": "7"}
        ).status_code
        == 403
    )
    assert (
        client.post(f"/gestion/tirage/{draw.pk}/nouveau-tirage/", {"reason": "essai"}).status_code
        == 403
    )
    draw.refresh_from_db()
    assert draw.status == Draw.Status.COMMITTED and not hasattr(draw, "result")


def test_coordinator_freezes_from_the_page(client, coordinator, call, pool_apps):

    client.force_login(coordinator)
    response = client.post("/gestion/tirage/geler/", follow=True)
    page = response.content.decode()
    assert "Vivier gelé : 30 candidatures" in page
    assert FrozenPool.objects.get().size == 30
    # Next step offered: the lottery's size and objective, as radio groups with a legend.
    assert "<legend>Nombre de panels de la loterie</legend>" in page
    assert re.search(r'<input type="radio" name="panels" value="1000"[^>]*checked', page)
    assert (
        "<legend>Objectif d&#x27;équité</legend>" in page
        or "<legend>Objectif d'équité</legend>" in page
    )
    assert AuditEntry.objects.filter(action="pool.frozen").count() == 1


def test_prepared_draw_shows_summary_charts_and_the_same_figures_in_a_table(
    client, coordinator, call, pool_apps
):
    pool = freeze_pool(call, now=AFTER_DEADLINE)
    draw = services.prepare_draw(services.create_draw(pool).pk)
    assert draw.progress_stage == "done" and draw.status == Draw.Status.PREPARED
    client.force_login(coordinator)
    page = client.get(OVERVIEW, {"suivi": "auto"}).content.decode()
    assert "loterie calculée" in page
    assert 'http-equiv="refresh"' not in page  # nothing left to follow
    assert "<progress" not in page
    assert "Publier l'engagement</button>" in page
    # 6 applicants per secteur, 4 seats each: every secteur has a mean chance of 4/6.
    svg = re.search(
        r'<svg role="img" aria-label="([^"]+)"[^>]*>', page[page.index('id="chance-secteur"') :]
    )
    assert svg.group(1).startswith("Chance moyenne d&#x27;être tiré·e au sort, par secteur")
    for secteur in ["Nord", "Sud", "Est", "Ouest", "Centre"]:
        assert f"{secteur} : 66,7 %" in svg.group(1)
    table = page[page.index("Les mêmes chiffres en tableau") :]
    assert re.search(
        r'<th scope="row">Nord</th><td class="num">6</td>\s*<td class="num">4</td>\s*'
        r'<td class="num">4[,.]00</td><td class="num">66,7 %</td>',
        table,
    )
    # Gender: the INSEE share of women aged 15+ in Roubaix (RP2021) is shown and said to be known only for gender.
    shares = re.search(r'id="parts-genre".*?aria-label="([^"]+)"', page, re.S).group(1)
    assert "Femme : Vivier : 50,0 %" in shares and "Population : 52,1 %" in shares
    assert "Autre : Vivier : 0,0 %, Sièges : 0,0 %, Population : inconnue" in shares
    assert "La population par secteur n'est pas connue" in page
    assert 'id="parts-secteur"' in page and "Nord : Vivier : 20,0 %, Sièges : 20,0 % ;" in page


def test_running_draw_shows_a_progress_bar_that_refreshes(client, observer, call, pool_apps):
    pool = freeze_pool(call, now=AFTER_DEADLINE)
    draw = services.create_draw(pool)
    Draw.objects.filter(pk=draw.pk).update(
        status=Draw.Status.RUNNING,
        progress_stage="leximin",
        progress_done=12,
        progress_total=30,
        progress_message="round 2",
        started_at=timezone.now(),
        heartbeat_at=timezone.now(),
    )
    client.force_login(observer)
    page = client.get(OVERVIEW).content.decode()
    # Refreshing is the user's choice, with a way to stop it (RGAA 13.1.1).
    assert "http-equiv" not in page
    assert f'<a href="{OVERVIEW}?suivi=auto">Suivre le calcul' in page
    followed = client.get(OVERVIEW, {"suivi": "auto"}).content.decode()
    # No <meta http-equiv="refresh"> (axe-core « meta-refresh »: each reload sent the focus
    # back to the top): a script updates the box in place, and says how to stop it.
    assert "http-equiv" not in followed
    assert '<script type="module" src="/static/backoffice/follow.js"></script>' in followed
    assert 'id="suivi-calcul" data-suivi="auto" data-page="/gestion/tirage/"' in followed
    assert f'<a href="{OVERVIEW}">Arrêter la mise à jour automatique</a>' in followed
    # Without JavaScript the page says so, with the link to refresh it.
    assert (
        "Sans JavaScript, cette page ne se met pas à jour toute seule. "
        f'<a href="{OVERVIEW}">Actualiser la page</a>' in followed
    )
    assert "follow.js" not in page and "data-suivi" not in page  # only when asked for
    assert '<progress id="avancement" max="30" value="12">40 %</progress>' in page
    assert (
        '<span id="avancement-etape" aria-live="polite">Calcul des probabilités (LEXIMIN)</span>'
        '<span id="avancement-pourcent"> (40 %)</span>' in page
    )
    assert "12 personne(s) sur 30 ont déjà leur probabilité fixée." in page

    # Peeling: nobody is settled before the walk ends; the bar says how far it is.
    Draw.objects.filter(pk=draw.pk).update(
        progress_stage="peeling", progress_done=37, progress_total=100
    )
    page = client.get(OVERVIEW).content.decode()
    assert '<progress id="avancement" max="100" value="37">37 %</progress>' in page
    assert "Calcul des probabilités (LEXIMIN) : construction des panels</span>" in page
    assert '<span id="avancement-pourcent"> (37 %)</span>' in page
    assert "Les probabilités de tous sont fixées ensemble, à la fin de cette étape." in page
    assert "ont déjà leur probabilité fixée" not in page

    # Stage without a known total: an indeterminate bar.
    Draw.objects.filter(pk=draw.pk).update(
        progress_stage="goldilocks", progress_done=3, progress_total=None
    )
    page = client.get(OVERVIEW).content.decode()
    assert '<progress id="avancement">en cours</progress>' in page


def test_prepare_writes_progress_while_it_runs(call, pool_apps, monkeypatch):
    """The engine's Progress calls reach the Draw row during the computation (what the page polls)."""
    seen = []
    original = services._StoredProgress.update

    def spy(self, stage, done, total=None, message=""):
        original(self, stage, done, total, message)
        seen.append(
            Draw.objects.values_list(
                "status", "progress_stage", "progress_done", "progress_total"
            ).get(pk=self.draw_id)
        )

    monkeypatch.setattr(services._StoredProgress, "update", spy)
    pool = freeze_pool(call, now=AFTER_DEADLINE)
    draw = services.prepare_draw(services.create_draw(pool).pk)
    assert draw.progress_stage == "done"
    leximin = [row for row in seen if row[1] == "leximin"]
    assert leximin and all(row[0] == Draw.Status.RUNNING and row[3] == 30 for row in leximin)
    assert leximin[-1][2] == 30  # everyone's probability fixed at the end
    assert seen[-1][1] == "rounding"


def test_infeasible_quotas_fail_in_french_and_change_nothing_else(
    client, coordinator, call, pool_apps
):
    FeatureValue.objects.filter(feature__key="secteur", key="nord").update(min=7, max=7)
    pool = freeze_pool(call, now=AFTER_DEADLINE)
    draw = services.create_draw(pool)
    draw = services.prepare_draw(draw.pk)
    assert draw.status == Draw.Status.FAILED
    assert (
        "Secteur (mairie de quartier) « Nord » : il faut au moins 7 membre(s), "
        "mais le vivier n'a que 6 candidature(s)" in draw.error
    )
    assert draw.commitment == "" and draw.bundle_path == "" and draw.summary == {}
    assert AuditEntry.objects.filter(action="draw.prepare_failed").count() == 1

    client.force_login(coordinator)
    page = client.get(OVERVIEW).content.decode()
    assert "Le calcul a échoué.</strong>" in page
    assert "il faut au moins 7 membre(s), mais le vivier n&#x27;a que 6 candidature(s)" in page
    assert "Calculer la loterie</button>" in page  # may be run again after correcting
    assert "Publier l" not in page and "<svg" not in page
    assert client.get("/tirage/").content.decode().count(pool.fingerprint) == 0


def test_engine_warnings_are_summed_up_in_french(client, observer, call, pool_apps):
    pool = freeze_pool(call, now=AFTER_DEADLINE)
    draw = services.prepare_draw(services.create_draw(pool).pk)
    # 6 per secteur for 4 seats: everyone has 2/3 > 1/2.
    assert len(draw.summary["warnings"]) == 30
    client.force_login(observer)
    page = client.get(OVERVIEW).content.decode()
    assert (
        "30 personne(s) ont plus d&#x27;une chance sur deux" in page
        or "30 personne(s) ont plus d'une chance sur deux" in page
    )
    assert '<ul lang="en">' in page


def test_launching_the_computation_follows_it(client, coordinator, call, pool_apps):
    """The coordinator's click creates the draw, queues its computation and lands on the followed page."""
    freeze_pool(call, now=AFTER_DEADLINE)
    client.force_login(coordinator)
    response = client.post("/gestion/tirage/calculer/", {"panels": "10000", "objective": "leximin"})
    assert response.status_code == 302 and response["Location"] == f"{OVERVIEW}?suivi=auto"
    draw = Draw.objects.get()
    assert queued(prepare) == 1 and draw.task_id
    assert draw.panels == 10000 and draw.status == Draw.Status.PENDING
    page = client.get(response["Location"]).content.decode()
    assert "http-equiv" not in page and "Calcul de la loterie lancé." in page
    assert 'src="/static/backoffice/follow.js"' in page and 'data-suivi="auto"' in page
    assert "En attente de démarrage" in page or "Démarrage" in page


def test_the_follow_checks_leave_the_flash_messages_for_the_next_page(
    client, coordinator, call, pool_apps
):
    """follow.js fetches the page every 3 s: those fetches must not consume a message that
    another tab's action left for the page it is about to show."""
    freeze_pool(call, now=AFTER_DEADLINE)
    client.force_login(coordinator)
    followed = client.post("/gestion/tirage/calculer/", {"panels": "1000", "objective": "leximin"})
    check = client.get(followed["Location"], headers={"X-Tirage-Follow": "1"}).content.decode()
    assert "Calcul de la loterie lancé." not in check and 'data-suivi="auto"' in check
    page = client.get(followed["Location"]).content.decode()
    assert "Calcul de la loterie lancé." in page  # still there for the page the person sees
    assert "Calcul de la loterie lancé." not in client.get(OVERVIEW).content.decode()


def test_lowest_and_highest_chance_are_those_of_the_published_lottery(
    client, coordinator, committed
):
    """They used to be the engine's unrounded optimum (3,8 %) next to tables of the rounded one (3,7 %)."""
    from tirage.draws.charts import percent

    counts = committed.summary["probabilities"].values()
    committed.summary["min_probability"] = 0.001234  # engine optimum: not what the public sees
    committed.summary["max_probability"] = 0.987654
    committed.save(update_fields=["summary"])
    client.force_login(coordinator)
    page = client.get(OVERVIEW).content.decode()
    lowest, highest = percent(min(counts) / 1000), percent(max(counts) / 1000)
    assert (
        f"Chance la plus basse : {lowest} ; la plus haute : {highest} (loterie en 1000 panels)."
        in page
    )
    assert percent(0.987654) not in page


def test_a_draw_whose_worker_died_is_shown_interrupted_and_restarted_once(
    client, coordinator, observer, call, pool_apps, settings
):
    """No heartbeat for TASK_STALE_SECONDS: « interrompu », a restart button, audited; a second
    restart (or one of a draw still beating) is refused."""
    settings.TASK_STALE_SECONDS = 120
    pool = freeze_pool(call, now=AFTER_DEADLINE)
    draw = services.create_draw(pool)
    old = timezone.now() - dt.timedelta(seconds=121)
    Draw.objects.filter(pk=draw.pk).update(
        status=Draw.Status.RUNNING,
        progress_stage="leximin",
        progress_done=7,
        progress_total=30,
        started_at=old - dt.timedelta(minutes=3),
        heartbeat_at=old,
    )
    client.force_login(observer)
    page = client.get(OVERVIEW, {"suivi": "auto"}).content.decode()
    assert "calcul interrompu" in page and "Le calcul est interrompu." in page
    assert "http-equiv" not in page  # nothing to follow any more
    assert "Relancer le calcul</button>" not in page  # read-only role
    assert client.post(f"/gestion/tirage/{draw.pk}/relancer/").status_code == 403

    client.force_login(coordinator)
    page = client.get(OVERVIEW).content.decode()
    assert "(23 %)" in page and "Relancer le calcul</button>" in page
    response = client.post(f"/gestion/tirage/{draw.pk}/relancer/")
    assert response.status_code == 302 and response["Location"] == f"{OVERVIEW}?suivi=auto"
    draw.refresh_from_db()
    assert draw.status == Draw.Status.PENDING and draw.run_number == 1
    assert draw.progress_done == 0 and draw.heartbeat_at is None
    assert queued(prepare) == 1
    entry = AuditEntry.objects.get(action="draw.prepare_restarted")
    assert entry.actor == coordinator and entry.data["interrupted_run"] == 0
    assert entry.data["run"] == 1
    # Pending again (not interrupted): a second click is refused, nothing more is queued.
    client.post(f"/gestion/tirage/{draw.pk}/relancer/")
    assert queued(prepare) == 1
    assert AuditEntry.objects.filter(action="draw.prepare_restarted").count() == 1
    # A task of the abandoned run, if its worker came back, does nothing.
    assert services.prepare_draw(draw.pk, run=0).status == Draw.Status.PENDING


def test_a_computation_no_worker_takes_says_so(client, observer, call, pool_apps, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASK_STALE_SECONDS = 120
    pool = freeze_pool(call, now=AFTER_DEADLINE)
    draw = services.create_draw(pool)
    services.start_preparation(draw)
    client.force_login(observer)
    assert "Aucun worker n" not in client.get(OVERVIEW).text  # just queued
    DBTaskResult.objects.update(enqueued_at=timezone.now() - dt.timedelta(minutes=5))
    page = client.get(OVERVIEW).text
    assert (
        "Aucun worker n&#x27;a pris ce calcul" in page or "Aucun worker n'a pris ce calcul" in page
    )
