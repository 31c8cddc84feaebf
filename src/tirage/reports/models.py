"""One annual activity report per council and period: the coordinator's text, adopted once, then public."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from tirage.audit.services import log_action
from tirage.calls.models import Call


class ReportError(Exception):
    """A refused change of a report (French ``message``); nothing was saved."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class AnnualReport(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", "en préparation"
        ADOPTED = "adopted", "adopté et publié"

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="annual_reports")
    period_start = models.DateField("du")
    period_end = models.DateField("au")
    text = models.TextField("texte de présentation", blank=True)
    state = models.CharField("état", max_length=10, choices=State.choices, default=State.DRAFT)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    adopted_at = models.DateTimeField("adopté le", null=True, blank=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["call", "-period_start"]
        constraints = [
            models.UniqueConstraint(fields=["call", "period_start"], name="one_report_per_period"),
            models.CheckConstraint(
                condition=models.Q(period_end__gt=models.F("period_start")),
                name="report_period_ends_after_start",
            ),
        ]
        verbose_name = "rapport d'activité"
        verbose_name_plural = "rapports d'activité"

    def __str__(self) -> str:
        return f"Rapport d'activité {self.period_label}"

    @property
    def period_label(self) -> str:
        """« 2025-2026 » (or « 2026 » for a calendar year)."""
        first, last = self.period_start.year, self.period_end.year
        return str(first) if first == last else f"{first}-{last}"

    @property
    def is_adopted(self) -> bool:
        return self.state == self.State.ADOPTED

    def edit(self, *, text: str, actor=None, now: dt.datetime | None = None) -> None:
        """Replace the coordinator's text (draft only); audited ``annual_report.edited``."""
        with transaction.atomic():
            # Lock: an edit racing the adoption must not change an adopted text.
            locked = AnnualReport.objects.select_for_update().get(pk=self.pk)
            if locked.is_adopted:
                raise ReportError("Ce rapport est adopté et publié : son texte ne change plus.")
            text = (text or "").strip()
            if text == locked.text:
                return
            locked.text, locked.updated_at = text, now or timezone.now()
            locked.save(update_fields=["text", "updated_at"])
            log_action(
                locked, "annual_report.edited", actor=actor, data={"chars": len(locked.text)}
            )
        self.text, self.updated_at = locked.text, locked.updated_at

    def adopt(self, *, actor=None, now: dt.datetime | None = None) -> None:
        """Adopt the report, which publishes it; audited ``annual_report.adopted``. Once only."""
        with transaction.atomic():
            # Lock: a double click adopts once.
            locked = AnnualReport.objects.select_for_update().get(pk=self.pk)
            if locked.is_adopted:
                raise ReportError("Ce rapport est déjà adopté et publié.")
            if not locked.text.strip():
                raise ReportError(
                    "Écrivez d'abord le texte de présentation : un rapport sans texte ne s'adopte pas."
                )
            locked.state = self.State.ADOPTED
            locked.adopted_at = now or timezone.now()
            locked.adopted_by = actor if getattr(actor, "is_authenticated", False) else None
            locked.save(update_fields=["state", "adopted_at", "adopted_by"])
            log_action(
                locked,
                "annual_report.adopted",
                actor=actor,
                data={"from": self.period_start.isoformat(), "to": self.period_end.isoformat()},
            )
        self.state, self.adopted_at = locked.state, locked.adopted_at


def open_report(
    *, call: Call, period_start: dt.date, period_end: dt.date, actor=None
) -> tuple[AnnualReport, bool]:
    """The report of ``call`` starting on ``period_start`` (created, audited, if new): ``(report, created)``.

    Raises ``ReportError`` when the period ends before it starts or lasts more than a year.
    """
    if period_end <= period_start:
        raise ReportError(
            f"La période doit finir après son début (du {period_start:%d/%m/%Y} au {period_end:%d/%m/%Y})."
        )
    if (period_end - period_start).days > 366:
        raise ReportError(
            f"Un rapport annuel couvre au plus un an : cette période compte "
            f"{(period_end - period_start).days + 1} jours."
        )
    with transaction.atomic():
        report, created = AnnualReport.objects.get_or_create(
            call=call, period_start=period_start, defaults={"period_end": period_end}
        )
        if created:
            log_action(
                report,
                "annual_report.created",
                actor=actor,
                data={"from": period_start.isoformat(), "to": period_end.isoformat()},
            )
    return report, created
