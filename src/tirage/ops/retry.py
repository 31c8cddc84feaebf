"""Retrying a task later: Django's Tasks framework runs a task once, so a task
that meets a passing failure (a mail relay down) enqueues itself again, deferred.

Tasks take ``attempt`` (1 for the first run) among their keyword arguments; the
queue then shows every attempt as its own result, with its error.
"""

from __future__ import annotations

import datetime as dt
import smtplib

from django.tasks import Task, TaskResult
from django.utils import timezone

# Seconds to wait after attempt 1, 2, …: about nine hours of retries in all.
RETRY_DELAYS = (60, 5 * 60, 30 * 60, 2 * 3600, 6 * 3600)


def retry_later(
    task: Task, *, attempt: int, delays: tuple[int, ...] = RETRY_DELAYS, **kwargs
) -> TaskResult | None:
    """Enqueue ``task(attempt=attempt + 1, **kwargs)`` after ``delays[attempt - 1]`` seconds.

    Returns the new task result, or ``None`` when the attempts are exhausted
    (``attempt > len(delays)``): the caller then lets the error fail the task.
    """
    if attempt > len(delays):
        return None
    run_after = timezone.now() + dt.timedelta(seconds=delays[attempt - 1])
    return task.using(run_after=run_after).enqueue(attempt=attempt + 1, **kwargs)


def is_permanent_mail_error(exc: BaseException) -> bool:
    """True when sending again cannot help: the server refused the address or the message (5xx).

    A refused login (535) is not permanent: it works again once the password is fixed.
    """
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return False
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code >= 500
    return False
