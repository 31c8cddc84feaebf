"""Background task of the letters: the e-mail copy of a letter, retried when the relay fails."""

from __future__ import annotations

import logging

from django.tasks import task
from django.utils import timezone

from tirage.letters.models import Letter
from tirage.letters.services import copy_message, settings_for
from tirage.ops.retry import is_permanent_mail_error, retry_later

logger = logging.getLogger(__name__)


@task()
def send_copy(*, letter_id: int, attempt: int = 1) -> str:
    """E-mail the copy of letter ``letter_id``; returns ``"sent"``, ``"retry"`` or ``"nothing"``.

    Sent once (``emailed_at``); a failed send is recorded on the letter
    (``email_error``) and enqueued again later; the last attempt, or a refusal
    by the server (5xx), fails the task.
    """
    letter = (
        Letter.objects.select_related("application", "batch__call").filter(pk=letter_id).first()
    )
    if letter is None or letter.emailed_at is not None or not letter.application.email:
        return "nothing"
    try:
        copy_message(letter, settings_for(letter.batch.call)).send()
    except OSError as exc:  # smtplib's errors, refused connections and timeouts alike
        Letter.objects.filter(pk=letter_id).update(email_error=str(exc)[:300])
        again = (
            None
            if is_permanent_mail_error(exc)
            else retry_later(send_copy, attempt=attempt, letter_id=letter_id)
        )
        if again is None:
            logger.error("e-mail copy of letter %s failed for good: %s", letter_id, exc)
            raise
        return "retry"
    Letter.objects.filter(pk=letter_id).update(emailed_at=timezone.now(), email_error="")
    return "sent"
