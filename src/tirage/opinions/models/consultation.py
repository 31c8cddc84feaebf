"""Consultations (co-design): the City asks the council about one of its digital projects.

A consultation is a project sheet (context, service in charge, stage of the
project, documents) with numbered questions and a deadline for the
council's contributions. Members answer each question or comment in
general, online or on the printed booklet that staff type back in. After
the deadline a contribution is recorded only when staff mark it late
(with the reason). A working group may take the consultation in hand.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from tirage.audit.services import log_action
from tirage.calls.models import Call
from tirage.meetings.models import Source, WorkingGroup
from tirage.opinions.errors import OpinionError
from tirage.site.dates import french_date as fr_day


class Consultation(models.Model):
    class Stage(models.TextChoices):
        IDEA = "idea", "idée"
        DESIGN = "design", "conception"
        PILOT = "pilot", "expérimentation"
        IN_SERVICE = "in_service", "en service"

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="consultations")
    title = models.CharField("projet", max_length=200)
    context = models.TextField("contexte du projet")
    summary = models.TextField("résumé facile à lire et à comprendre (FALC)")
    service = models.CharField("service de la Ville en charge", max_length=200)
    stage = models.CharField("étape du projet", max_length=12, choices=Stage.choices)
    opened_on = models.DateField("ouverte le")
    deadline = models.DateField(
        "date limite des contributions",
        help_text="Les contributions sont reçues jusqu'à ce jour inclus.",
    )
    working_group = models.ForeignKey(
        WorkingGroup,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consultations",
        verbose_name="groupe de travail qui la prend en charge",
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-opened_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("opened_on")),
                name="consultation_deadline_after_opening",
            ),
        ]
        verbose_name = "consultation"
        verbose_name_plural = "consultations"

    def __str__(self) -> str:
        return self.title

    def is_open(self, day: dt.date | None = None) -> bool:
        """Contributions are received on ``day`` (default today) without being late."""
        day = day or timezone.localdate()
        return self.opened_on <= day <= self.deadline

    def deadline_sentence(self, day: dt.date | None = None) -> str:
        """« Contributions jusqu'au 15 mars 2026 inclus » or « Close depuis le 16 mars 2026 »."""
        day = day or timezone.localdate()
        if day <= self.deadline:
            return f"Contributions jusqu'au {fr_day(self.deadline)} inclus"
        return f"Close depuis le {fr_day(self.deadline + dt.timedelta(days=1))}"

    def move_to_stage(self, *, stage: str, actor=None) -> bool:
        """The project moved on (idée → conception → expérimentation → en service); audited.

        Returns whether anything changed. A stage may go back (a pilot
        stopped returns to design); the audit trail keeps every move.
        """
        if stage not in self.Stage.values:
            raise OpinionError(
                "Étape inconnue : idée, conception, expérimentation ou en service.",
                field="stage",
            )
        with transaction.atomic():
            # Lock: two staff moving the stage at once must leave one audited history.
            locked = Consultation.objects.select_for_update().get(pk=self.pk)
            if locked.stage == stage:
                return False
            before = locked.stage
            locked.stage = stage
            locked.save(update_fields=["stage"])
            log_action(
                locked,
                "consultation.stage_changed",
                actor=actor,
                data={"from": before, "to": stage},
            )
        self.stage = stage
        return True

    def extend_deadline(self, *, deadline: dt.date, reason: str, actor=None) -> None:
        """Give the council more time (a later deadline, with a reason); audited.

        Refused when the new date is not later than the current deadline
        (a deadline is never shortened: members plan on it).
        """
        reason = (reason or "").strip()
        if not reason:
            raise OpinionError("Indiquez pourquoi le délai est prolongé.", field="reason")
        with transaction.atomic():
            # Lock: a contribution checked against the old deadline must not race the change.
            locked = Consultation.objects.select_for_update().get(pk=self.pk)
            if deadline <= locked.deadline:
                raise OpinionError(
                    f"La nouvelle date limite ({fr_day(deadline)}) doit suivre l'actuelle "
                    f"({fr_day(locked.deadline)}) : un délai se prolonge, il ne se raccourcit pas.",
                    field="deadline",
                )
            before = locked.deadline
            locked.deadline = deadline
            locked.save(update_fields=["deadline"])
            log_action(
                locked,
                "consultation.deadline_extended",
                actor=actor,
                reason=reason,
                data={"from": before.isoformat(), "to": deadline.isoformat()},
            )
        self.deadline = deadline


class Question(models.Model):
    consultation = models.ForeignKey(
        Consultation, on_delete=models.PROTECT, related_name="questions"
    )
    number = models.PositiveSmallIntegerField("numéro")
    text = models.TextField("question")
    help_text = models.TextField("précisions", blank=True)

    class Meta:
        ordering = ["consultation", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "number"], name="one_question_number_per_consultation"
            ),
        ]
        verbose_name = "question"
        verbose_name_plural = "questions"

    def __str__(self) -> str:
        return f"Question {self.number} : {self.text[:80]}"


class ConsultationDocument(models.Model):
    """A document of the project sheet: a link or a file staff uploaded."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.PROTECT, related_name="documents"
    )
    title = models.CharField("titre", max_length=200)
    url = models.URLField("adresse", blank=True)
    file = models.FileField("fichier", upload_to="consultations/", blank=True)
    added_at = models.DateTimeField(default=timezone.now)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["consultation", "added_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(url="") & ~Q(file="")) | (~Q(url="") & Q(file="")),
                name="document_is_a_link_or_a_file",
            ),
        ]
        verbose_name = "document de la consultation"
        verbose_name_plural = "documents des consultations"

    def __str__(self) -> str:
        return self.title


class Contribution(models.Model):
    """A member's answer to one question, or a general comment (``question`` empty)."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.PROTECT, related_name="contributions"
    )
    question = models.ForeignKey(
        Question,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contributions",
        verbose_name="question (vide : commentaire général)",
    )
    member = models.ForeignKey(
        "council.Member", on_delete=models.PROTECT, related_name="contributions"
    )
    text = models.TextField("contribution")
    consent_to_quote = models.BooleanField(
        "accepte d'être cité·e (sans son nom)",
        default=False,
        help_text="La phrase peut être citée sur les pages publiques, jamais le nom.",
    )
    source = models.CharField("origine", max_length=10, choices=Source.choices)
    received_on = models.DateField("reçue le")
    late = models.BooleanField(
        "reçue après la date limite (acceptée par les services)", default=False
    )
    late_reason = models.CharField("motif de l'acceptation tardive", max_length=300, blank=True)
    submitted_at = models.DateTimeField("enregistrée le", default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["consultation", "question__number", "submitted_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(late=False, late_reason="") | (Q(late=True) & ~Q(late_reason="")),
                name="late_contribution_has_a_reason",
            ),
            models.CheckConstraint(
                condition=Q(late=False) | ~Q(source="online"),
                name="only_staff_accept_late_contributions",
            ),
        ]
        verbose_name = "contribution"
        verbose_name_plural = "contributions"

    def __str__(self) -> str:
        where = f"question {self.question.number}" if self.question else "commentaire"
        return f"{self.consultation} — {where} ({self.get_source_display()})"
