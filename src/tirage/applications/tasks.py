"""Background tasks of the applications: the receipt e-mail.

Queued (Django's Tasks framework, run by ``tirage worker``) so that a slow or
unreachable mail relay never slows the form down, and retried when the relay
fails (``tirage.ops.retry``).
"""

from __future__ import annotations

import logging

from django.core.mail import EmailMessage
from django.tasks import task
from django.template.loader import render_to_string

from tirage.applications.models import Application
from tirage.ops.retry import is_permanent_mail_error, retry_later
from tirage.site.dates import french_date

logger = logging.getLogger(__name__)


def receipt_message(application: Application) -> EmailMessage:
    """The receipt e-mail in French: the receipt code and the date of the draw."""
    call = application.call
    context = {"application": application, "call": call, "draw_date": french_date(call.draw_date)}
    return EmailMessage(
        f"Votre candidature au {call.council_name} : récépissé {application.receipt_code}",
        render_to_string("applications/receipt_email.txt", context),
        to=[application.email],
        reply_to=[call.contact_email] if call.contact_email else None,
    )


@task()
def send_receipt(*, application_id: int, attempt: int = 1) -> str:
    """Send the receipt of application ``application_id``; returns ``"sent"``, ``"retry"`` or ``"nothing"``.

    A failed send is enqueued again later (``retry_later``); the last attempt,
    or a refusal by the server (5xx), raises: the task is then marked failed.
    """
    application = Application.objects.select_related("call").filter(pk=application_id).first()
    if application is None or not application.email:
        return "nothing"  # withdrawn or purged meanwhile
    try:
        receipt_message(application).send()
    except OSError as exc:  # smtplib's errors, refused connections and timeouts alike
        again = (
            None
            if is_permanent_mail_error(exc)
            else retry_later(send_receipt, attempt=attempt, application_id=application_id)
        )
        if again is None:
            logger.error(
                "receipt e-mail for application %s failed for good (attempt %s): %s",
                application_id, attempt, exc,
            )  # fmt: skip
            raise
        logger.warning(
            "receipt e-mail for application %s failed (attempt %s), retried after %s: %s",
            application_id, attempt, again.task.run_after, exc,
        )  # fmt: skip
        return "retry"
    return "sent"
