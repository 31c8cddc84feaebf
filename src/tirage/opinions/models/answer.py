"""The City's answers: one response (a letter, a date) answering some recommendations of a sent opinion.

``CityResponse`` is what the City sent on a day; each ``Answer`` in it
answers one recommendation (accepted, partly accepted, rejected, deferred),
with the reasons and the service in charge. A recommendation may be
answered again later (a deferred one, typically): every answer is kept,
the latest counts. Members are told once per response (``AnswerNotice``,
one row per member and channel). The council rates each answer through a
decision adopted in a meeting (``Rating``, the « response to the response »).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from tirage.meetings.models import Decision
from tirage.opinions.models.opinion import Opinion, Recommendation


class CityResponse(models.Model):
    opinion = models.ForeignKey(Opinion, on_delete=models.PROTECT, related_name="responses")
    received_on = models.DateField("reçue le")
    reference = models.CharField(
        "référence du courrier",
        max_length=200,
        blank=True,
        help_text="« Courrier du maire n° 2026-114 »",
    )
    summary = models.TextField("résumé facile à lire et à comprendre (FALC)", blank=True)
    document_url = models.URLField("adresse du courrier publié", blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["opinion", "received_on", "id"]
        verbose_name = "réponse de la Ville"
        verbose_name_plural = "réponses de la Ville"

    def __str__(self) -> str:
        return f"Réponse du {self.received_on:%d/%m/%Y} — {self.opinion}"


class Answer(models.Model):
    class Status(models.TextChoices):
        ACCEPTED = "accepted", "acceptée"
        PARTLY = "partly", "acceptée en partie"
        REJECTED = "rejected", "refusée"
        DEFERRED = "deferred", "reportée"

    response = models.ForeignKey(CityResponse, on_delete=models.PROTECT, related_name="answers")
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.PROTECT, related_name="answers"
    )
    status = models.CharField("réponse", max_length=10, choices=Status.choices)
    reasons = models.TextField("motifs", blank=True)
    service = models.CharField("service en charge", max_length=200, blank=True)

    class Meta:
        ordering = ["response", "recommendation__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "recommendation"],
                name="one_answer_per_recommendation_and_response",
            ),
        ]
        verbose_name = "réponse à une recommandation"
        verbose_name_plural = "réponses aux recommandations"

    def __str__(self) -> str:
        return f"Recommandation {self.recommendation.number} : {self.get_status_display()}"

    @property
    def commits(self) -> bool:
        """Accepted, even in part: the City commits to something (a ``Commitment``)."""
        return self.status in (self.Status.ACCEPTED, self.Status.PARTLY)


class AnswerNotice(models.Model):
    """A member is told that the City answered (once per response and channel; sent by ``letters``)."""

    class Channel(models.TextChoices):
        LETTER = "letter", "courrier"
        EMAIL = "email", "courriel"

    response = models.ForeignKey(CityResponse, on_delete=models.PROTECT, related_name="notices")
    member = models.ForeignKey(
        "council.Member", on_delete=models.PROTECT, related_name="answer_notices"
    )
    channel = models.CharField("canal", max_length=10, choices=Channel.choices)
    created_at = models.DateTimeField(default=timezone.now)
    # Set when the letter / e-mail has been handed to ``letters`` (after the transaction commits).
    delivered_at = models.DateTimeField("courrier produit le", null=True, blank=True)

    class Meta:
        ordering = ["response", "member", "channel"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "member", "channel"],
                name="one_notice_per_response_member_channel",
            ),
        ]
        verbose_name = "information d'un membre"
        verbose_name_plural = "informations des membres"

    def __str__(self) -> str:
        return f"{self.response} → {self.member} ({self.get_channel_display()})"


class Rating(models.Model):
    """The council's rating of one answer, adopted by a decision (one decision may rate several)."""

    class Verdict(models.TextChoices):
        SATISFYING = "satisfying", "satisfaisante"
        PARTLY = "partly", "en partie satisfaisante"
        UNSATISFYING = "unsatisfying", "pas satisfaisante"

    answer = models.OneToOneField(Answer, on_delete=models.PROTECT, related_name="rating")
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="answer_ratings")
    verdict = models.CharField("appréciation du conseil", max_length=12, choices=Verdict.choices)
    comment = models.TextField("commentaire du conseil", blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["answer"]
        verbose_name = "évaluation d'une réponse"
        verbose_name_plural = "évaluations des réponses"

    def __str__(self) -> str:
        return f"{self.answer} — {self.get_verdict_display()}"
