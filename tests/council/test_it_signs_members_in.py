"""The members' space door: a link sent by e-mail or a code printed on a letter, single-use and short-lived."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.sessions.middleware import SessionMiddleware
from django.core import mail
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.applications.test_it_sends_the_receipt_from_the_queue import (  # noqa: F401 - fixture
    free_port,
    relay,
    use_mailer,
)
from tests.conftest import queued
from tests.meetings.helpers import installed_council
from tirage.council.models import MemberLogin, MemberLoginFailure
from tirage.council.space import member_required
from tirage.council.space.links import login_link, print_code
from tirage.council.space.session import SESSION_KEY
from tirage.council.space.tasks import send_login_link

pytestmark = pytest.mark.django_db


@pytest.fixture
def council():
    return installed_council()


def _signed_in_member(client):
    return client.session.get(SESSION_KEY, {}).get("member")


def test_a_link_opens_the_space_once(client, council):
    member = council.members[0]
    path = login_link(member)
    assert path.startswith("/espace-membre/connexion/lien/")
    page = client.get(path)  # a mail scanner opening the link spends nothing
    assert page.status_code == 200
    assert member.application.given_name in page.content.decode()
    answer = client.post(path)
    assert answer.status_code == 302 and answer["Location"] == "/espace-membre/"
    assert _signed_in_member(client) == member.pk
    ticket = MemberLogin.objects.get(member=member)
    assert ticket.used_at is not None

    again = client.post(path)
    text = again.content.decode()
    assert again.status_code == 410
    used = timezone.localtime(ticket.used_at)
    assert f"Ce lien de connexion a déjà servi, le {used.day}" in text
    assert "il ne sert qu&#x27;une fois" in text


def test_an_expired_link_is_refused_with_its_date(client, council):
    member = council.members[1]
    issued = timezone.now() - dt.timedelta(days=3, minutes=1)
    path = login_link(member, now=issued)
    answer = client.get(path)
    assert answer.status_code == 410
    text = answer.content.decode()
    assert "Ce lien de connexion a expiré le" in text and "valable 3 jours" in text
    assert client.post(path).status_code == 410
    assert _signed_in_member(client) is None
    assert MemberLogin.objects.get(member=member).used_at is None


def test_a_damaged_link_is_not_recognised(client, council):
    path = login_link(council.members[0])
    damaged = path[:-6] + "AAAAA/"
    answer = client.post(damaged)
    assert answer.status_code == 404
    assert "Ce lien de connexion n&#x27;est pas reconnu" in answer.content.decode()
    assert _signed_in_member(client) is None


def test_a_member_who_left_cannot_sign_in(client, council):
    member = council.members[2]
    path = login_link(member)
    member.ended_on = timezone.localdate()
    member.end_reason = "resigned"
    member.save()
    answer = client.post(path)
    assert answer.status_code == 403
    assert "ne siège plus au conseil" in answer.content.decode()


def test_a_printed_code_opens_the_space_once(client, council):
    member = council.members[3]
    code = print_code(member)
    receipt = member.application.receipt_code
    form = {"receipt_code": receipt.lower().replace("-", " "), "code": code.lower()}
    answer = client.post("/espace-membre/connexion/", form)
    assert answer.status_code == 302
    assert _signed_in_member(client) == member.pk

    client.post("/espace-membre/deconnexion/")
    assert _signed_in_member(client) is None
    again = client.post("/espace-membre/connexion/", form)
    assert again.status_code == 410
    assert "Ce code de connexion a déjà servi" in again.content.decode()


def test_an_expired_code_is_refused(client, council):
    member = council.members[4]
    code = print_code(member, now=timezone.now() - dt.timedelta(days=31))
    answer = client.post(
        "/espace-membre/connexion/",
        {"receipt_code": member.application.receipt_code, "code": code},
    )
    assert answer.status_code == 410
    assert "Ce code de connexion a expiré le" in answer.content.decode()
    assert "valable 30 jours" in answer.content.decode()


def test_wrong_codes_are_rate_limited(client, council):
    member = council.members[5]
    code = print_code(member)
    receipt = member.application.receipt_code
    for _ in range(5):
        wrong = client.post(
            "/espace-membre/connexion/", {"receipt_code": receipt, "code": "ZZZZZ-ZZZZZ"}
        )
        assert wrong.status_code == 404
        assert "ne correspond pas à ce numéro de récépissé" in wrong.content.decode()
    assert MemberLoginFailure.objects.filter(receipt_code=receipt).count() == 5
    # Even the right code waits now: guessing is not worth it.
    blocked = client.post("/espace-membre/connexion/", {"receipt_code": receipt, "code": code})
    assert blocked.status_code == 429
    assert "Trop d&#x27;essais de code en peu de temps : réessayez dans 15 minutes" in (
        blocked.content.decode()
    )
    assert _signed_in_member(client) is None


def test_a_mistyped_code_is_named(client, council):
    answer = client.post("/espace-membre/connexion/", {"receipt_code": "AB23", "code": "K7PM3"})
    assert answer.status_code == 400
    text = answer.content.decode()
    assert "Le numéro de récépissé compte 8 caractères" in text
    assert "<title>Erreur : Connexion à l'espace des membres" in text.replace("&#x27;", "'")
    assert "Le code de connexion compte 10 caractères (lettres et chiffres), il en a 5 ici." in text


@pytest.mark.django_db(transaction=True)
def test_a_link_is_sent_to_a_members_address_only(client, council, run_tasks):
    member = council.members[6]
    member.application.email = "membre@example.org"
    member.application.save()
    answer = client.post("/espace-membre/connexion/courriel/", {"email": "MEMBRE@example.org"})
    assert answer.status_code == 302
    # The request only queued the member's id: no link exists before the worker runs.
    assert not mail.outbox and not MemberLogin.objects.exists()
    assert queued(send_login_link) == 1
    [result] = run_tasks()
    assert (result.status, result.return_value) == ("SUCCESSFUL", "sent")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["membre@example.org"]
    link = re.search(r"http://testserver(/espace-membre/connexion/lien/\S+/)", mail.outbox[0].body)
    assert link is not None
    client.post(link.group(1))
    assert _signed_in_member(client) == member.pk
    # Someone else's address: the same answer, nothing queued, no e-mail.
    other = client.post("/espace-membre/connexion/courriel/", {"email": "x@example.org"})
    assert other["Location"] == answer["Location"]
    assert queued(send_login_link) == 0
    assert len(mail.outbox) == 1


def _request(session_data=None):
    request = RequestFactory().get("/espace-membre/reunions/3/")
    SessionMiddleware(lambda r: HttpResponse()).process_request(request)
    request.session.update(session_data or {})
    return request


def test_member_required_sets_the_member_or_redirects(council, coordinator):
    @member_required
    def view(request):
        return HttpResponse(str(request.member.pk))

    member = council.members[0]
    answer = view(_request({SESSION_KEY: {"member": member.pk, "ticket": 1}}))
    assert answer.content.decode() == str(member.pk)
    refused = view(_request())
    assert refused.status_code == 302
    assert (
        refused["Location"]
        == "/espace-membre/connexion/?suivant=%2Fespace-membre%2Freunions%2F3%2F"
    )
    # A member who has left is sent away too.
    member.ended_on = timezone.localdate()
    member.end_reason = "resigned"
    member.save()
    assert view(_request({SESSION_KEY: {"member": member.pk, "ticket": 1}})).status_code == 302


def test_a_staff_session_is_no_member_session(client, council, coordinator):
    client.force_login(coordinator)
    assert _signed_in_member(client) is None
    assert client.get("/espace-membre/connexion/").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_a_link_whose_relay_is_down_is_retried_with_a_new_link(
    client,
    council,
    settings,
    relay,  # noqa: F811
    run_tasks,
):
    member = council.members[2]
    member.application.email = "membre@example.org"
    member.application.save()
    use_mailer(settings, f"smtp://127.0.0.1:{free_port()}?timeout=5")
    client.post("/espace-membre/connexion/courriel/", {"email": "membre@example.org"})
    first, retry = run_tasks()
    assert (first.return_value, retry.status) == ("retry", "READY")
    # The queue holds the member's id and the site's address, never a link.
    assert retry.args_kwargs["kwargs"] == {
        "member_id": member.pk,
        "base_url": "http://testserver/",
        "attempt": 2,
    }
    use_mailer(settings, f"smtp://127.0.0.1:{relay.port}")
    DBTaskResult.objects.filter(pk=retry.pk).update(
        run_after=timezone.now() - dt.timedelta(seconds=1)
    )
    *_, last = run_tasks()
    assert last.return_value == "sent" and len(relay.messages) == 1
    body = relay.messages[0][2].decode("utf-8", "replace")
    link = re.search(r"http://testserver(/espace-membre/connexion/lien/\S+/)", body)
    assert link is not None
    client.post(link.group(1))
    assert _signed_in_member(client) == member.pk
    # Two links were made (the first never left); only the one sent was used.
    assert MemberLogin.objects.filter(member=member).count() == 2
