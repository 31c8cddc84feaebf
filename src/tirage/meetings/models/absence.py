"""Absence cases: a member reached the limit of unexcused absences in a row.

``open`` (the coordinator is alerted) → ``letter_sent`` (the member is told
and may answer until ``reply_until``) → ``vacant`` (the seat is declared
vacant, by a council decision or by the coordinator as ``Rules.vacancy_by``
says; the member's mandate ends and the seat goes to the reserve list) or
``dismissed`` (with a reason: the member explained, resigned…). A member
has at most one case in progress.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from tirage.audit.services import log_action
from tirage.calls.models import Call
from tirage.meetings.errors import MeetingError
from tirage.meetings.models.decision import Decision
from tirage.meetings.models.meeting import Meeting


class AbsenceCase(models.Model):
    class State(models.TextChoices):
        OPEN = "open", "alerte : limite d'absences atteinte"
        LETTER_SENT = "letter_sent", "lettre envoyée au membre"
        VACANT = "vacant", "siège déclaré vacant"
        DISMISSED = "dismissed", "classée sans suite"

    IN_PROGRESS = (State.OPEN, State.LETTER_SENT)

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="absence_cases")
    member = models.ForeignKey(
        "council.Member", on_delete=models.PROTECT, related_name="absence_cases"
    )
    meetings = models.ManyToManyField(
        Meeting, related_name="absence_cases", verbose_name="réunions manquées"
    )
    state = models.CharField(
        "état", max_length=12, choices=State.choices, default=State.OPEN, db_index=True
    )
    opened_at = models.DateTimeField("ouverte le", default=timezone.now)
    letter_sent_at = models.DateTimeField("lettre envoyée le", null=True, blank=True)
    reply_until = models.DateField("le membre peut répondre jusqu'au", null=True, blank=True)
    decision = models.ForeignKey(
        Decision,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="absence_cases",
        verbose_name="décision du conseil",
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField("motif (classement)", max_length=500, blank=True)

    class Meta:
        ordering = ["-opened_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(state__in=["open", "letter_sent"]),
                name="one_absence_case_in_progress_per_member",
            ),
        ]
        verbose_name = "procédure d'absences"
        verbose_name_plural = "procédures d'absences"

    def __str__(self) -> str:
        return f"{self.member} — {self.get_state_display()}"

    @property
    def in_progress(self) -> bool:
        return self.state in self.IN_PROGRESS

    def dismiss(self, *, reason: str, actor=None, now: dt.datetime | None = None) -> None:
        """Close the case without a vacancy (the member explained their absences…); audited."""
        reason = (reason or "").strip()
        if not reason:
            raise MeetingError("Indiquez pourquoi la procédure est classée.", field="reason")
        with transaction.atomic():
            # Lock: dismissing while the seat is being declared vacant must leave one outcome.
            locked = AbsenceCase.objects.select_for_update().get(pk=self.pk)
            if not locked.in_progress:
                raise MeetingError(f"Cette procédure est close ({locked.get_state_display()}).")
            locked.state = self.State.DISMISSED
            locked.reason = reason
            locked.closed_at = now or timezone.now()
            locked.closed_by = actor if getattr(actor, "is_authenticated", False) else None
            locked.save(update_fields=["state", "reason", "closed_at", "closed_by"])
            log_action(
                locked,
                "absence.dismissed",
                actor=actor,
                reason=reason,
                data={"member": locked.member_id},
            )
        self.state, self.reason, self.closed_at = locked.state, locked.reason, locked.closed_at
