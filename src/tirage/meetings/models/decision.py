"""Decisions: the council's one vote mechanism (minutes approval, vacancies, opinions, ratings…).

A decision is taken in a held plenary, on an agenda item for decision, by
vote (present, for, against, abstentions) or by consensus. The figures that
made it valid are kept with it, as they stood at the vote: members in
office, quorum required, members present and represented, the majority
rule applied. A decision is never edited (the database refuses inconsistent
counts as a last line of defence; ``tirage.meetings.voting`` words the
errors in French before that).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from tirage.meetings.models.meeting import AgendaItem, Meeting
from tirage.meetings.models.rules import Rules, Source


class Decision(models.Model):
    class Method(models.TextChoices):
        VOTE = "vote", "vote"
        CONSENSUS = "consensus", "consensus"

    class Outcome(models.TextChoices):
        ADOPTED = "adopted", "adoptée"
        REJECTED = "rejected", "rejetée"

    class CastingVote(models.TextChoices):
        FOR = "for", "pour"
        AGAINST = "against", "contre"

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="decisions")
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.PROTECT, related_name="decisions", verbose_name="point"
    )
    title = models.CharField("objet", max_length=300)
    method = models.CharField("mode", max_length=10, choices=Method.choices)
    # As they stood at the vote.
    in_office = models.PositiveSmallIntegerField("membres en exercice")
    quorum_required = models.PositiveSmallIntegerField("quorum requis")
    present = models.PositiveSmallIntegerField("présents (sur place ou à distance)")
    represented = models.PositiveSmallIntegerField("représentés (procurations)", default=0)
    majority_base = models.CharField(
        "majorité appliquée", max_length=10, choices=Rules.MajorityBase.choices
    )
    voters = models.PositiveSmallIntegerField("votants", null=True, blank=True)
    votes_for = models.PositiveSmallIntegerField("pour", null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField("contre", null=True, blank=True)
    abstentions = models.PositiveSmallIntegerField("abstentions", null=True, blank=True)
    casting_vote = models.CharField(
        "voix prépondérante du président de séance",
        max_length=10,
        choices=CastingVote.choices,
        blank=True,
    )
    outcome = models.CharField("résultat", max_length=10, choices=Outcome.choices)
    note = models.TextField("observations", blank=True)
    source = models.CharField("saisie", max_length=10, choices=Source.choices, default=Source.PAPER)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["meeting", "agenda_item__order", "recorded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        method="vote",
                        voters__isnull=False,
                        votes_for__isnull=False,
                        votes_against__isnull=False,
                        abstentions__isnull=False,
                        voters=F("votes_for") + F("votes_against") + F("abstentions"),
                        voters__lte=F("present") + F("represented"),
                    )
                    | Q(
                        method="consensus",
                        voters__isnull=True,
                        votes_for__isnull=True,
                        votes_against__isnull=True,
                        abstentions__isnull=True,
                    )
                ),
                name="decision_counts_add_up",
            ),
        ]
        verbose_name = "décision"
        verbose_name_plural = "décisions"

    def __str__(self) -> str:
        return f"{self.title} ({self.get_outcome_display()})"

    @property
    def adopted(self) -> bool:
        return self.outcome == self.Outcome.ADOPTED

    @property
    def result_sentence(self) -> str:
        """« Adoptée par 12 voix pour, 3 contre et 2 abstentions (17 votants). » / « Adoptée par consensus. »."""
        outcome = self.get_outcome_display().capitalize()
        if self.method == self.Method.CONSENSUS:
            return f"{outcome} par consensus."
        text = (
            f"{outcome} : {self.votes_for} pour, {self.votes_against} contre, "
            f"{self.abstentions} abstention{'s' if (self.abstentions or 0) > 1 else ''} "
            f"({self.voters} votant{'s' if (self.voters or 0) > 1 else ''})"
        )
        if self.casting_vote:
            text += f", voix prépondérante du président de séance {self.get_casting_vote_display()}"
        return text + "."
