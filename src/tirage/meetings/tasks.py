"""Background tasks of the council's life: the convocation and absence letters (and their e-mail copies).

Queued after the deciding transaction commits (Django's Tasks framework, run by
``tirage worker``): rendering twenty letters never holds a staff page.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.tasks import task

from tirage.meetings import documents


def _user(user_id: int | None):
    return get_user_model().objects.filter(pk=user_id).first() if user_id else None


@task()
def send_convocation_letters(*, meeting_id: int, actor_id: int | None = None) -> int:
    """Produce the undelivered convocations of ``meeting_id``; returns the number of letters."""
    return documents.send_convocations(meeting_id, actor=_user(actor_id))


@task()
def send_absence_letter(*, case_id: int, actor_id: int | None = None) -> str:
    """Produce the absence letter of case ``case_id``; returns ``"sent"``."""
    documents.send_absence_letter(case_id, actor=_user(actor_id))
    return "sent"
