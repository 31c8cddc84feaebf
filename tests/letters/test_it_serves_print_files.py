"""Coordinators produce the letters (council page) and download the print file; downloads are
audited; others are refused."""

import hashlib

import pytest

from tests.roles import make_staff
from tirage.audit.models import AuditEntry
from tirage.backoffice.roles import COORDINATOR, COUNTER_AGENT
from tirage.letters.models import Batch, Letter


def _login(client, role):
    user = make_staff(f"u-{len(role)}", role)
    client.force_login(user)
    return user


def test_coordinator_produces_and_downloads_the_batch(client, drawn):
    user = _login(client, COORDINATOR)
    assert "Produire les courriers du tirage" in client.get("/gestion/conseil/").content.decode()
    response = client.post("/gestion/conseil/courriers/", follow=True)
    assert "Les courriers sont prêts" in response.content.decode()
    batch = Batch.objects.get()
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
    assert Batch.objects.count() == 1
    assert "Les courriers du tirage sont produits" in client.get("/gestion/conseil/").text


@pytest.mark.parametrize("role", [COUNTER_AGENT, "observateur"])
def test_other_roles_are_refused(client, drawn, role):
    _login(client, role)
    assert client.get("/gestion/courriers/").status_code == 403
    assert client.post("/gestion/conseil/courriers/").status_code == 403
    assert not Batch.objects.exists()
