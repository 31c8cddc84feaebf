"""Write to the audit trail (see ``tirage.audit.models.AuditEntry``)."""

from __future__ import annotations

from typing import Any

from django.db import models

from tirage.audit.models import AuditEntry


def log_action(
    obj: models.Model,
    action: str,
    *,
    actor=None,
    actor_label: str = "",
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry for ``obj`` (any saved model instance).

    ``action`` is a dotted code (``"application.created"``); ``actor`` a user or
    ``None`` (then ``actor_label`` says who: applicant, system, import).
    ``data`` must be JSON-serialisable. Returns the saved entry.
    """
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEntry.objects.create(
        actor=actor,
        actor_label=actor_label,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        reason=reason,
        data=data or {},
    )


def history(obj: models.Model):
    """The entries of ``obj``, oldest first."""
    return AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
