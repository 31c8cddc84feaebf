"""``/health/``: is this web process able to serve? For a load balancer or a monitor.

200 ``{"status": "ok", "database": "ok", "tasks_waiting": N, "oldest_task_waiting_seconds": S}``
when the database answers; 503 ``{"status": "error", "database": "error"}`` when it
does not. The task figures say whether a worker keeps up (a queue that only
grows means no worker is running); they do not change the status.
No session, no personal data; plain HTTP allowed (``SECURE_REDIRECT_EXEMPT``).
"""

from __future__ import annotations

import logging

from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_safe
from django_tasks_db.models import DBTaskResult, get_date_max

logger = logging.getLogger(__name__)


@require_safe
def health(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        ready = DBTaskResult.objects.ready()
        waiting = ready.count()
        oldest = ready.order_by("enqueued_at").values_list("enqueued_at", "run_after").first()
    except DatabaseError as exc:
        logger.error("health: database unreachable: %s", exc)
        return JsonResponse({"status": "error", "database": "error"}, status=503)
    lag = 0
    if oldest is not None:
        since = oldest[0] if oldest[1] == get_date_max() else max(oldest)
        lag = max(0, int((timezone.now() - since).total_seconds()))
    return JsonResponse(
        {
            "status": "ok",
            "database": "ok",
            "tasks_waiting": waiting,
            "oldest_task_waiting_seconds": lag,
        }
    )
