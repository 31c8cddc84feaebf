"""The receipt goes through the queue to a real SMTP server; a failed send is retried later.

A real SMTP server (aiosmtpd on 127.0.0.1, with a login) and a real worker;
the failure is a real refused connection (a port nobody listens on).
"""

from __future__ import annotations

import datetime as dt
import socket

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.applications.online import open_call
from tests.factories import applicant
from tirage.applications.services import submit_application
from tirage.applications.tasks import send_receipt
from tirage.ops.config import mailer_from_url
from tirage.ops.retry import RETRY_DELAYS

pytestmark = pytest.mark.django_db(transaction=True)


class Relay:
    """What the SMTP server received, and who logged in."""

    def __init__(self):
        self.messages: list[tuple[str, list[str], bytes]] = []
        self.logins: list[tuple[bytes, bytes]] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("inconnu@"):
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.mail_from, envelope.rcpt_tos, envelope.content))
        return "250 Message accepted"

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.password == b"s3cret"
        if ok:
            self.logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=ok)


@pytest.fixture
def relay():
    relay = Relay()
    relay.port = free_port()
    controller = Controller(
        relay,
        hostname="127.0.0.1",
        port=relay.port,
        authenticator=relay.authenticate,
        auth_require_tls=False,
    )
    controller.start()
    yield relay
    controller.stop()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def use_mailer(settings, url: str) -> None:
    settings.MAILERS = {"default": mailer_from_url(url)}


def application(email="amelie@example.org"):
    return submit_application(open_call(), applicant(email=email)).application


def test_the_worker_sends_the_receipt_through_the_configured_relay(settings, relay, run_tasks):
    use_mailer(settings, f"smtp://cln%40ville.fr:s3cret@127.0.0.1:{relay.port}?timeout=5")
    settings.DEFAULT_FROM_EMAIL = "conseil-numerique@roubaix.fr"
    app = application()
    send_receipt.enqueue(application_id=app.pk)
    (result,) = run_tasks()
    assert result.status == "SUCCESSFUL" and result.return_value == "sent"
    assert relay.logins == [(b"cln@ville.fr", b"s3cret")]
    ((sender, recipients, content),) = relay.messages
    assert sender == "conseil-numerique@roubaix.fr" and recipients == ["amelie@example.org"]
    assert app.receipt_code.encode() in content


def test_a_relay_down_is_retried_later_then_the_receipt_goes(settings, relay, run_tasks):
    use_mailer(settings, f"smtp://127.0.0.1:{free_port()}?timeout=5")
    app = application()
    send_receipt.enqueue(application_id=app.pk)
    before = timezone.now()
    first, retry = run_tasks()
    assert first.return_value == "retry" and first.status == "SUCCESSFUL"
    assert retry.status == "READY" and retry.args_kwargs["kwargs"] == {
        "application_id": app.pk,
        "attempt": 2,
    }
    wait = (retry.run_after - before).total_seconds()
    assert RETRY_DELAYS[0] - 1 <= wait <= RETRY_DELAYS[0] + 5
    assert relay.messages == []

    # The relay is back; the retry's time has come.
    use_mailer(settings, f"smtp://127.0.0.1:{relay.port}")
    DBTaskResult.objects.filter(pk=retry.pk).update(
        run_after=timezone.now() - dt.timedelta(seconds=1)
    )
    *_, last = run_tasks()
    assert last.pk == retry.pk and last.return_value == "sent"
    assert len(relay.messages) == 1


def test_the_last_attempt_fails_the_task(settings, run_tasks):
    use_mailer(settings, f"smtp://127.0.0.1:{free_port()}?timeout=5")
    app = application()
    send_receipt.enqueue(application_id=app.pk, attempt=len(RETRY_DELAYS) + 1)
    (result,) = run_tasks()
    assert result.status == "FAILED"
    assert result.exception_class_path == "builtins.ConnectionRefusedError"


def test_an_address_the_server_refuses_is_not_retried(settings, relay, run_tasks):
    use_mailer(settings, f"smtp://127.0.0.1:{relay.port}")
    app = application(email="inconnu@example.org")
    send_receipt.enqueue(application_id=app.pk)
    (result,) = run_tasks()
    assert result.status == "FAILED"
    assert result.exception_class_path == "smtplib.SMTPRecipientsRefused"
