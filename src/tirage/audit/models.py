"""The append-only audit trail.

Every state change of a call, an application or a draw writes one entry: a
dotted action code (``application.status_changed``), who, when, the object it
concerns and JSON data. Entries are never updated nor deleted: ``save`` refuses
an update, ``delete`` refuses outright, and so do the bulk ``update()`` and
``delete()`` of a queryset (the draw relies on this history). The database
itself is not locked: a backup restore or a database administrator can still
change rows, which is what backups and their checksums are for.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class AppendOnlyQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs):
        raise ValueError("audit entries are append-only")

    def delete(self):
        raise ValueError("audit entries are append-only")


class AuditEntry(models.Model):
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Who acted when there is no user account: "candidat (en ligne)", "système", "import".
    actor_label = models.CharField(max_length=100, blank=True)
    action = models.CharField(max_length=100, db_index=True)
    object_type = models.CharField(max_length=100, db_index=True)
    object_id = models.CharField(max_length=64, db_index=True)
    reason = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "entrée du journal"
        verbose_name_plural = "journal d'audit"

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("audit entries are append-only")

    @property
    def who(self) -> str:
        if self.actor is not None:
            return self.actor.get_username()
        return self.actor_label or "système"
