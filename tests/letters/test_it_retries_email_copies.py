"""E-mail copies of letters go through the queue by letter id: a relay that refuses the
connection is retried later, then the copy is sent once (real worker, real SMTP server)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.aftermath import drawn_call
from tests.applications.test_it_sends_the_receipt_from_the_queue import (  # noqa: F401 - fixture
    free_port,
    relay,
    use_mailer,
)
from tirage.council.services.seat_letters import run_letters
from tirage.letters.models import Letter
from tirage.letters.tasks import send_copy

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_refused_copy_is_retried_then_sent_once(settings, relay, run_tasks):  # noqa: F811
    drawn = drawn_call(per_secteur=4)  # 20 people, all drawn
    use_mailer(settings, f"smtp://127.0.0.1:{free_port()}?timeout=5")
    run_letters(drawn.call, queue_email=True)
    letter = Letter.objects.order_by("id").first()
    queued = DBTaskResult.objects.filter(task_path=send_copy.module_path)
    assert queued.count() == Letter.objects.count() == 20
    # The queue holds letter ids only: never the clear reply code.
    assert all(set(r.args_kwargs["kwargs"]) == {"letter_id"} for r in queued)
    DBTaskResult.objects.exclude(args_kwargs__kwargs__letter_id=letter.pk).delete()

    (first, retry) = run_tasks()
    assert first.return_value == "retry" and retry.status == "READY"
    assert retry.args_kwargs["kwargs"] == {"letter_id": letter.pk, "attempt": 2}
    letter.refresh_from_db()
    assert letter.emailed_at is None and "refused" in letter.email_error.lower()

    use_mailer(settings, f"smtp://127.0.0.1:{relay.port}")
    DBTaskResult.objects.filter(pk=retry.pk).update(
        run_after=timezone.now() - dt.timedelta(seconds=1)
    )
    *_, last = run_tasks()
    assert last.return_value == "sent" and len(relay.messages) == 1
    letter.refresh_from_db()
    assert letter.emailed_at is not None and letter.email_error == ""
    body = relay.messages[0][2].decode("utf-8", "replace")
    assert letter.application.email in relay.messages[0][1]
    assert f"courrier-{letter.receipt_code}.pdf" in body
    # Sent once: running the same letter's task again sends nothing.
    send_copy.enqueue(letter_id=letter.pk)
    *_, again = run_tasks()
    assert again.return_value == "nothing" and len(relay.messages) == 1
