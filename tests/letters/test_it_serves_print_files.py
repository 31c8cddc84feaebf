"""Coordinators produce the letters (council page) and download the print file; downloads are
audited; others are refused."""

import hashlib

import pytest

from tests.conftest import queued
from tests.roles import make_staff
from tirage.audit.models import AuditEntry
from tirage.backoffice.roles import COORDINATOR, COUNTER_AGENT
from tirage.council.tasks import draw_letters
from tirage.letters.models import Batch, BatchRun, Letter
from tirage.letters.tasks import send_copy


def _login(client, role):
    user = make_staff(f"u-{len(role)}", role)
    client.force_login(user)
    return user


@pytest.mark.django_db(transaction=True)
def test_coordinator_produces_and_downloads_the_batch(client, drawn, run_tasks, mailoutbox):
    user = _login(client, COORDINATOR)
    assert "Produire les courriers du tirage" in client.get("/gestion/conseil/").content.decode()
    response = client.post("/gestion/conseil/courriers/")
    assert response["Location"] == "/gestion/conseil/?suivi=auto#courriers"
    page = client.get(response["Location"]).text
    assert "Production des courriers lancée." in page
    # No <meta http-equiv="refresh"> (axe-core « meta-refresh », the focus sent back to the top
    # every 3 s): the shared script updates the progress box in place, and says how to stop it.
    assert "http-equiv" not in page
    assert '<script type="module" src="/static/backoffice/follow.js"></script>' in page
    assert (
        'id="suivi-courriers" data-suivi="auto" data-page="/gestion/conseil/#courriers" '
        'data-suivi-ids="courriers-etape courriers-pourcent avancement-courriers courriers-texte courriers-attente"'
    ) in page
    assert (
        "Production des courriers : "
        '<span id="courriers-etape" aria-live="polite">en attente de démarrage</span>' in page
    )
    assert '<progress id="avancement-courriers">en cours</progress>' in page
    assert '<p id="courriers-texte" hidden></p>' in page
    assert (
        "Sans JavaScript, cette page ne se met pas à jour toute seule. "
        '<a href="/gestion/conseil/#courriers">Actualiser la page</a>' in page
    )
    assert '<a href="/gestion/conseil/#courriers">Arrêter la mise à jour automatique</a>' in page
    # Not followed unless asked for.
    plain = client.get("/gestion/conseil/").text
    assert "follow.js" not in plain and "data-suivi" not in plain
    assert '<a href="/gestion/conseil/?suivi=auto#courriers">Suivre la production' in plain
    # A double click queues one run.
    client.post("/gestion/conseil/courriers/")
    assert BatchRun.objects.count() == 1 and queued(draw_letters) == 1
    results = run_tasks()
    run = BatchRun.objects.get()
    assert run.status == BatchRun.Status.DONE and run.done == run.total == 30
    batch = Batch.objects.get()
    assert run.batch == batch
    # The e-mail copies went through the queue, one task per letter with an address.
    copies = [r for r in results if r.task_path == send_copy.module_path]
    assert len(copies) == len(mailoutbox) == 30 and all(r.status == "SUCCESSFUL" for r in copies)
    assert "code de réponse imprimé sur le coupon-réponse" in "".join(m.body for m in mailoutbox)
    download = client.get(f"/gestion/courriers/lots/{batch.pk}.pdf")
    data = b"".join(download.streaming_content)
    assert download.status_code == 200 and hashlib.sha256(data).hexdigest() == batch.merged_sha256
    letter = Letter.objects.first()
    one = b"".join(client.get(f"/gestion/courriers/lettres/{letter.pk}.pdf").streaming_content)
    assert hashlib.sha256(one).hexdigest() == letter.sha256
    assert AuditEntry.objects.filter(action="letters.batch_downloaded", actor=user).count() == 1
    assert (
        AuditEntry.objects.filter(action="letter.downloaded", object_id=str(letter.pk)).count() == 1
    )
    # Producing again makes no second batch.
    client.post("/gestion/conseil/courriers/")
    run_tasks()
    assert Batch.objects.count() == 1
    assert "Les courriers du tirage sont produits" in client.get("/gestion/conseil/").text


@pytest.mark.parametrize("role", [COUNTER_AGENT, "observateur"])
def test_other_roles_are_refused(client, drawn, role):
    _login(client, role)
    assert client.get("/gestion/courriers/").status_code == 403
    assert client.post("/gestion/conseil/courriers/").status_code == 403
    assert not Batch.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_production_no_worker_takes_says_so(client, drawn, settings):
    """Queued and never claimed (``tirage serve --no-worker``): the council page said
    « en attente de démarrage » for ever; it now says, like the draw overview, that no
    worker took it, in the element the follow script copies."""
    import datetime as dt

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    settings.TASK_STALE_SECONDS = 120
    _login(client, COORDINATOR)
    client.post("/gestion/conseil/courriers/")
    page = client.get("/gestion/conseil/?suivi=auto").text
    assert '<div id="courriers-attente"></div>' in page  # just queued
    DBTaskResult.objects.update(enqueued_at=timezone.now() - dt.timedelta(minutes=5))
    page = client.get("/gestion/conseil/?suivi=auto").text
    assert '<div id="courriers-attente"><p class="msg msg-error" role="alert">' in page
    assert "Aucun worker n'a pris cette production" in page
    assert "La production démarrera dès qu'un worker tourne." in page
