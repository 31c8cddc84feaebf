"""Minutes (*compte rendu*) of a held meeting and the amendments members propose.

``draft`` (staff write) → ``sent`` (to the members, who may propose
amendments) → ``approved`` (by a ``Decision`` adopted at a later plenary
with quorum) → ``published`` (with its easy-to-read summary). An approved
text is never edited again.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from tirage.audit.services import log_action
from tirage.meetings.errors import MeetingError
from tirage.meetings.models.decision import Decision
from tirage.meetings.models.meeting import Meeting
from tirage.meetings.models.rules import Source


class Minutes(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", "brouillon"
        SENT = "sent", "envoyé aux membres"
        APPROVED = "approved", "approuvé"
        PUBLISHED = "published", "publié"

    meeting = models.OneToOneField(Meeting, on_delete=models.PROTECT, related_name="minutes")
    state = models.CharField("état", max_length=10, choices=State.choices, default=State.DRAFT)
    text = models.TextField("texte intégral")
    summary = models.TextField("résumé facile à lire et à comprendre (FALC)", blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField("envoyé le", null=True, blank=True)
    approved_by = models.OneToOneField(
        Decision,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="approved_minutes",
        verbose_name="approuvé par la décision",
    )
    approved_at = models.DateTimeField("approuvé le", null=True, blank=True)
    published_at = models.DateTimeField("publié le", null=True, blank=True)

    class Meta:
        verbose_name = "compte rendu"
        verbose_name_plural = "comptes rendus"

    def __str__(self) -> str:
        return f"Compte rendu — {self.meeting}"

    @property
    def is_locked(self) -> bool:
        """Approved or published: the text no longer changes."""
        return self.state in (self.State.APPROVED, self.State.PUBLISHED)

    @property
    def decisions(self):
        """The decisions taken at the meeting, in agenda order (listed in the minutes)."""
        return self.meeting.decisions.select_related("agenda_item").all()

    def edit(self, *, text: str, summary: str, actor=None, now: dt.datetime | None = None) -> bool:
        """Replace the text and FALC summary of draft or sent minutes; audited. Returns whether anything changed."""
        text = (text or "").strip()
        if not text:
            raise MeetingError("Le texte du compte rendu est vide.", field="text")
        with transaction.atomic():
            # Lock: an edit racing the approval must not change an approved text.
            locked = Minutes.objects.select_for_update().get(pk=self.pk)
            if locked.is_locked:
                raise MeetingError(
                    f"Ce compte rendu est {locked.get_state_display()} : il ne se modifie plus."
                )
            summary = (summary or "").strip()
            if (locked.text, locked.summary) == (text, summary):
                return False
            before = {"text_chars": len(locked.text), "summary_chars": len(locked.summary)}
            locked.text, locked.summary = text, summary
            locked.updated_at = now or timezone.now()
            locked.save(update_fields=["text", "summary", "updated_at"])
            log_action(
                locked,
                "minutes.edited",
                actor=actor,
                data={
                    "state": locked.state,
                    "before": before,
                    "after": {"text_chars": len(text), "summary_chars": len(summary)},
                },
            )
        self.text, self.summary, self.updated_at = locked.text, locked.summary, locked.updated_at
        return True


class Amendment(models.Model):
    """A change to sent minutes proposed by a member (online, on paper or through staff)."""

    class Status(models.TextChoices):
        PENDING = "pending", "à examiner"
        ACCEPTED = "accepted", "intégré"
        DECLINED = "declined", "non retenu"

    minutes = models.ForeignKey(Minutes, on_delete=models.PROTECT, related_name="amendments")
    member = models.ForeignKey(
        "council.Member", on_delete=models.PROTECT, related_name="minutes_amendments"
    )
    text = models.TextField("modification demandée")
    source = models.CharField("origine", max_length=10, choices=Source.choices)
    submitted_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        "suite donnée", max_length=10, choices=Status.choices, default=Status.PENDING
    )
    response = models.CharField("réponse", max_length=500, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["minutes", "submitted_at", "id"]
        verbose_name = "amendement au compte rendu"
        verbose_name_plural = "amendements aux comptes rendus"

    def __str__(self) -> str:
        return f"Amendement de {self.member} ({self.get_status_display()})"

    def decide(
        self, *, accepted: bool, response: str = "", actor=None, now: dt.datetime | None = None
    ) -> None:
        """Accept (staff then edit the text) or decline (a response is required) a pending amendment; audited."""
        response = (response or "").strip()
        if not accepted and not response:
            raise MeetingError(
                "Indiquez pourquoi l'amendement n'est pas retenu (le membre le lira).",
                field="response",
            )
        with transaction.atomic():
            # Lock: two staff members answering at once record one answer.
            locked = Amendment.objects.select_for_update().get(pk=self.pk)
            if locked.status != self.Status.PENDING:
                raise MeetingError(
                    f"Cet amendement a déjà une réponse ({locked.get_status_display()})."
                )
            if locked.minutes.is_locked:
                raise MeetingError("Le compte rendu est déjà approuvé.")
            locked.status = self.Status.ACCEPTED if accepted else self.Status.DECLINED
            locked.response = response
            locked.decided_at = now or timezone.now()
            locked.decided_by = actor if getattr(actor, "is_authenticated", False) else None
            locked.save(update_fields=["status", "response", "decided_at", "decided_by"])
            log_action(
                locked,
                "minutes.amendment_accepted" if accepted else "minutes.amendment_declined",
                actor=actor,
                reason=response,
                data={"minutes": locked.minutes_id, "member": locked.member_id},
            )
        self.status, self.response, self.decided_at = (
            locked.status,
            locked.response,
            locked.decided_at,
        )
