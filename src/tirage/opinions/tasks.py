"""Background task: tell the members by e-mail that the City answered (once per response and member).

``record_answers`` records one ``AnswerNotice`` per member in office and
channel; the answer page queues ``send_answer_emails`` after the
transaction commits. The task sends the e-mail notices not yet delivered,
under a row lock, and marks them delivered (``mark_notices_delivered``):
a second run — a double submit, a retry — finds nothing left to send.
The letter notices are printed by staff (``letters.notice_letters_pdf``).
"""

from __future__ import annotations

import logging

from django.core.mail import EmailMessage
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string

from tirage.opinions.models import AnswerNotice
from tirage.opinions.services.answers import answer_notices, mark_notices_delivered

logger = logging.getLogger(__name__)


@task()
def send_answer_emails(*, response_id: int) -> int:
    """E-mail every member with an undelivered e-mail notice of ``response_id``; returns how many were sent."""
    with transaction.atomic():
        # Lock: two workers (or a retried task) must not send the same notice twice.
        pending = list(
            AnswerNotice.objects.select_for_update()
            .filter(
                response_id=response_id,
                channel=AnswerNotice.Channel.EMAIL,
                delivered_at__isnull=True,
            )
            .select_related("member__application")
        )
        if not pending:
            return 0
        wanted = {n.pk: n for n in pending}
        sent = []
        for data in answer_notices(response_id=response_id):
            notice = wanted.get(data.notice_id)
            if notice is None or not notice.member.application.email:
                continue
            body = render_to_string(
                "opinions/answer_email.txt",
                {"n": data, "name": notice.member.application.given_name},
            )
            EmailMessage(
                f"{data.opinion_label} : la Ville a répondu au {data.council_name}",
                body,
                to=[notice.member.application.email],
            ).send()
            sent.append(notice.pk)
        mark_notices_delivered(notice_ids=sent)
    logger.info("answer %s: %s e-mail notices sent", response_id, len(sent))
    return len(sent)
