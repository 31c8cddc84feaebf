"""Commitments: what the City undertook when it accepted a recommendation (even in part), and its progress.

One commitment per recommendation, created with the first answer that
accepts it: an owner service, a due date (``None``: the City gave none —
shown as such and raised in the staff alerts), a progress from 0 to 100 %
and dated updates (milestones with evidence links). The commitment keeps
the progress of its latest update.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from tirage.audit.services import log_action
from tirage.opinions.errors import OpinionError
from tirage.opinions.models.answer import Answer
from tirage.opinions.models.opinion import Recommendation
from tirage.site.dates import french_date as fr_day


class Commitment(models.Model):
    recommendation = models.OneToOneField(
        Recommendation, on_delete=models.PROTECT, related_name="commitment"
    )
    answer = models.ForeignKey(Answer, on_delete=models.PROTECT, related_name="commitments")
    service = models.CharField("service responsable", max_length=200)
    description = models.TextField("engagement de la Ville")
    due_on = models.DateField("échéance", null=True, blank=True)
    progress = models.PositiveSmallIntegerField("avancement (%)", default=0)
    completed_on = models.DateField("réalisé le", null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recommendation__version__opinion", "recommendation__number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0, progress__lte=100), name="commitment_progress_0_100"
            ),
            models.CheckConstraint(
                condition=Q(progress=100, completed_on__isnull=False)
                | (Q(progress__lt=100) & Q(completed_on__isnull=True)),
                name="commitment_completed_iff_100",
            ),
        ]
        verbose_name = "engagement de la Ville"
        verbose_name_plural = "engagements de la Ville"

    def __str__(self) -> str:
        return f"{self.recommendation} — {self.progress} %"

    @property
    def is_done(self) -> bool:
        return self.progress == 100

    def days_overdue(self, today: dt.date | None = None) -> int:
        """Days past the due date while not done (0 when on time, done or without a due date)."""
        today = today or timezone.localdate()
        if self.is_done or self.due_on is None or today <= self.due_on:
            return 0
        return (today - self.due_on).days

    def status_sentence(self, today: dt.date | None = None) -> str:
        """« Réalisé le 3 mars 2026 », « 50 % — échéance le 1er juin 2026 », « 50 % — en retard de 12 jours »."""
        if self.is_done:
            assert self.completed_on is not None
            return f"Réalisé le {fr_day(self.completed_on)}"
        if self.due_on is None:
            return f"{self.progress} % — échéance non communiquée par la Ville"
        late = self.days_overdue(today)
        if late:
            return f"{self.progress} % — en retard de {late} jour{'s' if late > 1 else ''}"
        return f"{self.progress} % — échéance le {fr_day(self.due_on)}"

    def reschedule(self, *, due_on: dt.date, reason: str, actor=None) -> None:
        """The City gave (or moved) the due date; the reason is public. Audited ``commitment.rescheduled``."""
        reason = (reason or "").strip()
        if not reason:
            raise OpinionError(
                "Indiquez pourquoi l'échéance change (elle est publique).", field="reason"
            )
        with transaction.atomic():
            # Lock: a progress update and a new due date at once must both land.
            locked = Commitment.objects.select_for_update().get(pk=self.pk)
            if locked.due_on == due_on:
                raise OpinionError(f"L'échéance est déjà le {fr_day(due_on)}.", field="due_on")
            before = locked.due_on
            locked.due_on = due_on
            locked.save(update_fields=["due_on"])
            log_action(
                locked,
                "commitment.rescheduled",
                actor=actor,
                reason=reason,
                data={"from": before.isoformat() if before else None, "to": due_on.isoformat()},
            )
        self.due_on = due_on


class CommitmentUpdate(models.Model):
    """A dated milestone of a commitment: progress, what was done, links to the evidence."""

    commitment = models.ForeignKey(Commitment, on_delete=models.PROTECT, related_name="updates")
    on = models.DateField("date")
    progress = models.PositiveSmallIntegerField("avancement (%)")
    text = models.TextField("ce qui a été fait")
    # [{"title": "Compte rendu du comité de pilotage", "url": "https://…"}]
    links = models.JSONField("preuves (liens)", default=list, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["commitment", "on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0, progress__lte=100), name="update_progress_0_100"
            ),
        ]
        verbose_name = "point d'avancement"
        verbose_name_plural = "points d'avancement"

    def __str__(self) -> str:
        return f"{self.commitment.recommendation} — {self.on:%d/%m/%Y} : {self.progress} %"
