"""Opinions (*avis*) and proposals: one model with a kind, versions, numbered recommendations.

An opinion answers a consultation (or is the council's own initiative); a
proposal is an idea a member or a working group brings at any time. Both
are adopted the same way — a ``meetings`` decision (vote or consensus) on a
version — sent to the City, answered recommendation by recommendation,
followed through commitments, and rated by the council (see
``docs/adr/0023-consultations-opinions-and-proposals.md``).

A version is drafted (its text, easy-to-read summary, minority view and
recommendations may change), then put to the vote: adopted or rejected, it
never changes again. Changing an adopted text means drafting version n + 1
and adopting it; both are kept (the earlier one is *superseded*). Once sent
to the City, the opinion no longer changes.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from tirage.audit.services import log_action
from tirage.calls.models import Call
from tirage.meetings.models import Decision, Source, WorkingGroup
from tirage.opinions.errors import OpinionError
from tirage.opinions.models.consultation import Consultation
from tirage.site.dates import french_date as fr_day


class Opinion(models.Model):
    class Kind(models.TextChoices):
        OPINION = "opinion", "avis"
        PROPOSAL = "proposal", "proposition"

    class State(models.TextChoices):
        DRAFT = "draft", "en préparation"
        ADOPTED = "adopted", "adopté par le conseil"
        SENT = "sent", "transmis à la Ville"
        WITHDRAWN = "withdrawn", "retiré"

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="opinions")
    kind = models.CharField("nature", max_length=10, choices=Kind.choices)
    # « Avis n° 3 », « Proposition n° 2 »: numbered per council term and kind at the first adoption.
    number = models.PositiveSmallIntegerField("numéro", null=True, blank=True)
    title = models.CharField("titre", max_length=300)
    state = models.CharField(
        "état", max_length=10, choices=State.choices, default=State.DRAFT, db_index=True
    )
    consultation = models.ForeignKey(
        Consultation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="opinions",
        verbose_name="consultation",
    )
    working_group = models.ForeignKey(
        WorkingGroup,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="opinions",
        verbose_name="porté par le groupe de travail",
    )
    proposed_by = models.ForeignKey(
        "council.Member",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposals",
        verbose_name="proposé par",
    )
    source = models.CharField(
        "origine", max_length=10, choices=Source.choices, default=Source.STAFF
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The City's clock starts on ``sent_on`` (``tirage.opinions.clock``).
    sent_version = models.OneToOneField(
        "opinions.OpinionVersion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="version transmise",
    )
    sent_on = models.DateField("transmis à la Ville le", null=True, blank=True)
    sent_to = models.CharField("destinataire", max_length=200, blank=True)
    # The day the last recommendation still without an answer got one (the clock stops).
    answered_on = models.DateField("réponse complète reçue le", null=True, blank=True)
    withdrawn_at = models.DateTimeField("retiré le", null=True, blank=True)
    withdrawn_reason = models.CharField("motif du retrait", max_length=500, blank=True)

    class Meta:
        ordering = ["call", "kind", "number", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "kind", "number"], name="one_opinion_number_per_call_and_kind"
            ),
            models.CheckConstraint(
                condition=Q(kind="opinion")
                | Q(proposed_by__isnull=False)
                | Q(working_group__isnull=False),
                name="a_proposal_has_a_proposer",
            ),
            models.CheckConstraint(
                condition=Q(state="draft") | Q(state="withdrawn") | Q(number__isnull=False),
                name="an_adopted_opinion_has_a_number",
            ),
            models.CheckConstraint(
                condition=~Q(state="sent") | Q(sent_on__isnull=False, sent_version__isnull=False),
                name="a_sent_opinion_has_a_date_and_a_version",
            ),
        ]
        verbose_name = "avis ou proposition"
        verbose_name_plural = "avis et propositions"

    def __str__(self) -> str:
        return f"{self.label} — {self.title}"

    @property
    def label(self) -> str:
        """« Avis n° 3 », « Proposition n° 2 », or « Projet d'avis » before adoption."""
        if self.number is None:
            return "Projet d'avis" if self.kind == self.Kind.OPINION else "Projet de proposition"
        return f"{self.get_kind_display().capitalize()} n° {self.number}"

    @property
    def of_label(self) -> str:
        """« de l'avis n° 3 », « de la proposition n° 2 », « du projet d'avis »: ``label`` after « de »."""
        if self.number is None:
            return "du " + self.label[0].lower() + self.label[1:]
        return ("de l'" if self.kind == self.Kind.OPINION else "de la ") + self.label.lower()

    @property
    def e(self) -> str:
        """« e » when the label is feminine (« Proposition n° 2 … adoptée »; « Projet de … » is masculine)."""
        return "e" if self.number is not None and self.kind == self.Kind.PROPOSAL else ""

    @property
    def pronoun(self) -> str:
        """« il » or « elle », agreeing with ``label``."""
        return "elle" if self.e else "il"

    @property
    def is_sent(self) -> bool:
        return self.state == self.State.SENT

    def current_version(self) -> OpinionVersion | None:
        """The adopted version in force (``None`` before the first adoption)."""
        return self.versions.filter(state=OpinionVersion.State.ADOPTED).first()

    def draft_version(self) -> OpinionVersion | None:
        """The version being prepared, if any (at most one at a time)."""
        return self.versions.filter(state=OpinionVersion.State.DRAFT).first()

    def withdraw(self, *, reason: str, actor=None, now: dt.datetime | None = None) -> None:
        """Withdraw a proposal (or abandon a draft opinion) before its adoption; the reason is public. Audited."""
        reason = (reason or "").strip()
        if not reason:
            raise OpinionError("Indiquez le motif du retrait (il sera affiché).", field="reason")
        now = now or timezone.now()
        with transaction.atomic():
            # Lock: an adoption and a withdrawal at once must not both succeed.
            locked = Opinion.objects.select_for_update().get(pk=self.pk)
            if locked.state == self.State.WITHDRAWN:
                raise OpinionError(f"{locked.label} « {locked.title} » est déjà retiré{locked.e}.")
            if locked.state != self.State.DRAFT:
                raise OpinionError(
                    f"{locked.label} « {locked.title} » a été adopté{locked.e} par le conseil : "
                    f"{locked.pronoun} ne peut plus être retiré{locked.e}."
                )
            locked.state = self.State.WITHDRAWN
            locked.withdrawn_at = now
            locked.withdrawn_reason = reason
            locked.save(update_fields=["state", "withdrawn_at", "withdrawn_reason"])
            log_action(
                locked, "opinion.withdrawn", actor=actor, reason=reason, data={"kind": locked.kind}
            )
        self.state, self.withdrawn_at, self.withdrawn_reason = (
            locked.state,
            locked.withdrawn_at,
            locked.withdrawn_reason,
        )


class OpinionVersion(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", "en préparation"
        ADOPTED = "adopted", "adoptée"
        REJECTED = "rejected", "rejetée"
        SUPERSEDED = "superseded", "remplacée par une version adoptée plus tard"

    opinion = models.ForeignKey(Opinion, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField("version")
    text = models.TextField("texte intégral")
    summary = models.TextField("résumé facile à lire et à comprendre (FALC)", blank=True)
    minority_view = models.TextField(
        "opinion minoritaire",
        blank=True,
        help_text="Le point de vue des membres qui n'ont pas approuvé le texte, s'ils le souhaitent.",
    )
    state = models.CharField("état", max_length=12, choices=State.choices, default=State.DRAFT)
    # The vote that adopted or rejected this version (``meetings``' one vote mechanism).
    decision = models.OneToOneField(
        Decision,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="opinion_version",
        verbose_name="décision",
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["opinion", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["opinion", "number"], name="one_version_number_per_opinion"
            ),
            models.UniqueConstraint(
                fields=["opinion"], condition=Q(state="draft"), name="one_draft_version_at_a_time"
            ),
            models.UniqueConstraint(
                fields=["opinion"], condition=Q(state="adopted"), name="one_version_in_force"
            ),
            models.CheckConstraint(
                condition=Q(state="draft", decision__isnull=True)
                | (~Q(state="draft") & Q(decision__isnull=False)),
                name="a_voted_version_has_its_decision",
            ),
        ]
        verbose_name = "version d'un avis"
        verbose_name_plural = "versions des avis"

    def __str__(self) -> str:
        return f"{self.opinion} — version {self.number} ({self.get_state_display()})"

    @property
    def is_draft(self) -> bool:
        return self.state == self.State.DRAFT

    @property
    def voted_on(self) -> dt.date | None:
        """The day of the meeting that voted this version."""
        return self.decision.meeting.day if self.decision else None

    def edit(
        self,
        *,
        text: str,
        summary: str = "",
        minority_view: str = "",
        recommendations: list[str] | None = None,
        actor=None,
        now: dt.datetime | None = None,
    ) -> bool:
        """Replace the text, FALC summary, minority view and (when given) the recommendations of a draft.

        ``recommendations`` is the full ordered list of their texts (numbered
        1, 2, …). Refused once the version was voted — adopted, rejected or
        superseded: the text of a vote never changes; draft version n + 1
        instead (``services.opinions.new_version``). Audited
        ``opinion.version_edited``; returns whether anything changed.
        """
        with transaction.atomic():
            # Lock: an edit racing the vote must not change a text once it is adopted.
            locked = (
                OpinionVersion.objects.select_for_update(of=("self",))
                .select_related("opinion")
                .get(pk=self.pk)
            )
            if not locked.is_draft:
                raise OpinionError(locked.frozen_message(), field="text")
            text = (text or "").strip()
            if not text:
                raise OpinionError("Le texte de l'avis est vide.", field="text")
            items = None if recommendations is None else clean_recommendations(recommendations)
            before = [r.text for r in locked.recommendations.order_by("number")]
            values = {
                "text": text,
                "summary": (summary or "").strip(),
                "minority_view": (minority_view or "").strip(),
            }
            changed = [k for k, v in values.items() if getattr(locked, k) != v]
            if items is not None and items != before:
                changed.append("recommendations")
                locked.recommendations.all().delete()
                Recommendation.objects.bulk_create(
                    [
                        Recommendation(version=locked, number=i, text=t)
                        for i, t in enumerate(items, start=1)
                    ]
                )
            if not changed:
                return False
            for key, value in values.items():
                setattr(locked, key, value)
            locked.updated_at = now or timezone.now()
            locked.save(update_fields=[*values, "updated_at"])
            log_action(
                locked,
                "opinion.version_edited",
                actor=actor,
                data={"opinion": locked.opinion_id, "version": locked.number, "changed": changed},
            )
        for key, value in values.items():
            setattr(self, key, value)
        return True

    def frozen_message(self) -> str:
        """Why this voted version cannot change, in French, and what to do instead."""
        opinion = self.opinion
        when = f" le {fr_day(self.voted_on)}" if self.voted_on else ""
        what = {
            self.State.ADOPTED: f"a été adoptée{when}",
            self.State.REJECTED: f"a été rejetée{when}",
            self.State.SUPERSEDED: "a été remplacée par une version adoptée plus tard",
        }.get(self.State(self.state), "a été votée")
        if opinion.sent_on is not None:
            return (
                f"{opinion.label}, version {self.number}, {what} et transmise à la Ville le "
                f"{fr_day(opinion.sent_on)} : son texte ne change plus."
            )
        return (
            f"{opinion.label}, version {self.number}, {what} : son texte ne change plus. Rédigez "
            "une nouvelle version et soumettez-la au vote ; les deux versions sont conservées."
        )


def clean_recommendations(texts: list[str]) -> list[str]:
    """The recommendations' texts stripped; raises ``OpinionError`` naming the first empty one."""
    items = [(t or "").strip() for t in texts]
    empty = [i for i, t in enumerate(items, start=1) if not t]
    if empty:
        raise OpinionError(
            f"La recommandation n° {empty[0]} est vide : écrivez-la ou retirez-la.",
            field="recommendations",
        )
    return items


class Recommendation(models.Model):
    """One numbered item of a version, answered and followed on its own."""

    version = models.ForeignKey(
        OpinionVersion, on_delete=models.PROTECT, related_name="recommendations"
    )
    number = models.PositiveSmallIntegerField("numéro")
    text = models.TextField("recommandation")

    class Meta:
        ordering = ["version", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "number"], name="one_recommendation_number_per_version"
            ),
        ]
        verbose_name = "recommandation"
        verbose_name_plural = "recommandations"

    def __str__(self) -> str:
        return f"Recommandation {self.number} : {self.text[:80]}"
