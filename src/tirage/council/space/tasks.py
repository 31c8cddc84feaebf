"""Background task of the members' space: the sign-in link asked for by e-mail.

The web request only queues the member's id: the link (a single-use secret) is
made by the worker when it writes the e-mail, so it never enters the queue's
table, and the page answers at once and in the same time whether or not the
address belongs to a member.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task
from django.utils import timezone

from tirage.council.models import Member
from tirage.council.space import links
from tirage.ops.retry import is_permanent_mail_error, retry_later
from tirage.site.dates import french_moment

logger = logging.getLogger(__name__)

EMAIL_BODY = """Bonjour {name},

Pour entrer dans l'espace des membres du {council}, ouvrez ce lien :

{link}

Il est valable jusqu'au {until} et ne sert qu'une fois. Si vous n'avez rien demandé,
ignorez ce message : personne ne peut entrer sans ce lien.
"""


@task()
def send_login_link(*, member_id: int, base_url: str, attempt: int = 1) -> str:
    """E-mail a new sign-in link to member ``member_id``; ``base_url``: the site's address as
    the member typed it (``https://host``). Returns ``"sent"``, ``"retry"`` or ``"nothing"``
    (no longer in office, or no address).

    A failed send is enqueued again later (``ops.retry``); the link of a failed
    attempt was never sent and expires unused. The last attempt, or a refusal by
    the server (5xx), fails the task.
    """
    now = timezone.now()
    member = (
        Member.objects.in_office(timezone.localdate(now))
        .select_related("application", "call")
        .filter(pk=member_id)
        .first()
    )
    if member is None or not member.application.email:
        return "nothing"
    message = EmailMessage(
        subject=f"{member.call.council_name} : votre lien vers l'espace des membres",
        body=EMAIL_BODY.format(
            name=member.application.given_name,
            council=member.call.council_name,
            link=base_url.rstrip("/") + links.login_link(member, now=now),
            until=french_moment(now + links.LINK_VALIDITY),
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[member.application.email],
    )
    try:
        message.send()
    except OSError as exc:  # smtplib's errors, refused connections and timeouts alike
        again = (
            None
            if is_permanent_mail_error(exc)
            else retry_later(
                send_login_link, attempt=attempt, member_id=member_id, base_url=base_url
            )
        )
        if again is None:
            logger.error("sign-in link of member %s failed for good: %s", member_id, exc)
            raise
        return "retry"
    return "sent"
