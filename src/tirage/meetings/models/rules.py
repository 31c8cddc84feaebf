"""The council's rules of procedure as data, and the *règlement intérieur* members acknowledge.

``Rules`` holds one row per council term (``calls.Call``): quorum, majority,
casting vote, absence limit, notice period, deadlines. Defaults follow the
usual formulas of French public bodies (quorum: half the members in office;
majority of votes cast; the chair's vote decides a tie; three unexcused
absences in a row) — see ``docs/adr/0014-council-rules-as-data.md``. Every
change is audited with its before and after values.

``RulesDocument`` is a version of the *règlement intérieur* (text, FALC
summary, adoption date); ``Acknowledgement`` records that a member read and
accepted one version, online, on paper or through staff.
"""

from __future__ import annotations

import math
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.utils import timezone

from tirage.audit.services import log_action
from tirage.calls.models import Call


class Source(models.TextChoices):
    """Who typed a member's action: the member online, staff from a paper slip, or staff directly."""

    ONLINE = "online", "en ligne (par le membre)"
    PAPER = "paper", "sur papier (saisi par les services)"
    STAFF = "staff", "par les services"


FRACTION_WORDS = {(1, 2): "la moitié", (1, 3): "le tiers", (2, 3): "les deux tiers"}
FRACTION_WORDS |= {(1, 4): "le quart", (3, 4): "les trois quarts", (3, 5): "les trois cinquièmes"}


class Rules(models.Model):
    """The rules of procedure of one council term (one row per call)."""

    class MajorityBase(models.TextChoices):
        CAST = "cast", "majorité des suffrages exprimés (pour et contre ; abstentions non comptées)"
        PRESENT = "present", "majorité des membres présents ou représentés"

    class VacancyBy(models.TextChoices):
        DECISION = "decision", "par une décision du conseil en séance plénière"
        COORDINATOR = "coordinator", "par la coordination"

    call = models.OneToOneField(Call, on_delete=models.CASCADE, related_name="rules")
    quorum_numerator = models.PositiveSmallIntegerField(
        "quorum : numérateur", default=1, validators=[MinValueValidator(1)]
    )
    quorum_denominator = models.PositiveSmallIntegerField(
        "quorum : dénominateur", default=2, validators=[MinValueValidator(1)]
    )
    quorum_more_than = models.BooleanField(
        "quorum : strictement plus que cette fraction",
        default=False,
        help_text="Coché : « plus de la moitié » (11 sur 20) ; décoché : « au moins la moitié » (10 sur 20).",
    )
    quorum_counts_proxies = models.BooleanField(
        "les procurations comptent pour le quorum",
        default=False,
        help_text="Par défaut, seuls les membres présents (sur place ou à distance) font le quorum.",
    )
    second_convocation_without_quorum = models.BooleanField(
        "sans quorum, une seconde convocation délibère valablement",
        default=True,
        help_text="Une réunion convoquée à nouveau faute de quorum décide sans condition de quorum.",
    )
    majority_base = models.CharField(
        "majorité", max_length=10, choices=MajorityBase.choices, default=MajorityBase.CAST
    )
    casting_vote = models.BooleanField(
        "voix prépondérante du président de séance en cas d'égalité", default=True
    )
    absence_limit = models.PositiveSmallIntegerField(
        "absences non excusées consécutives avant la procédure d'absence",
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    vacancy_by = models.CharField(
        "le siège est déclaré vacant",
        max_length=12,
        choices=VacancyBy.choices,
        default=VacancyBy.DECISION,
    )
    absence_reply_days = models.PositiveSmallIntegerField(
        "délai de réponse à la lettre d'absences (jours)",
        default=15,
        validators=[MaxValueValidator(90)],
    )
    notice_days = models.PositiveSmallIntegerField(
        "préavis de convocation (jours)",
        default=15,
        validators=[MaxValueValidator(90)],
        help_text="La convocation part au moins ce nombre de jours avant la réunion.",
    )
    reminder_days = models.PositiveSmallIntegerField(
        "rappel avant la réunion (jours)", default=3, validators=[MaxValueValidator(30)]
    )
    answer_deadline_days = models.PositiveSmallIntegerField(
        "délai de réponse de la Ville à un avis (jours)",
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(730)],
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "règles de fonctionnement"
        verbose_name_plural = "règles de fonctionnement"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quorum_numerator__gte=1)
                & models.Q(quorum_denominator__gte=1)
                & models.Q(quorum_numerator__lte=models.F("quorum_denominator")),
                name="rules_quorum_fraction_at_most_one",
            ),
        ]

    # Fields staff may change through ``update`` (and the admin); the call never moves.
    EDITABLE = (
        "quorum_numerator",
        "quorum_denominator",
        "quorum_more_than",
        "quorum_counts_proxies",
        "second_convocation_without_quorum",
        "majority_base",
        "casting_vote",
        "absence_limit",
        "vacancy_by",
        "absence_reply_days",
        "notice_days",
        "reminder_days",
        "answer_deadline_days",
    )

    def __str__(self) -> str:
        return f"Règles — {self.call.council_name}"

    @classmethod
    def for_call(cls, call: Call | int) -> Rules:
        """The rules of ``call`` (instance or pk), created with the defaults on first use."""
        call_id = call if isinstance(call, int) else call.pk
        rules, _ = cls.objects.get_or_create(call_id=call_id)
        return rules

    def clean(self) -> None:
        if self.quorum_numerator and self.quorum_denominator:
            if self.quorum_numerator > self.quorum_denominator:
                raise ValidationError(
                    {
                        "quorum_numerator": f"Le quorum ne peut dépasser la totalité des membres : "
                        f"{self.quorum_numerator}/{self.quorum_denominator} est plus grand que 1."
                    }
                )

    # -- quorum ---------------------------------------------------------------
    def quorum_required(self, in_office: int) -> int:
        """Members needed for the quorum when ``in_office`` members sit (20 → 10 with « au moins la moitié »)."""
        num, den = self.quorum_numerator, self.quorum_denominator
        if self.quorum_more_than:
            return in_office * num // den + 1
        return math.ceil(in_office * num / den)

    @property
    def quorum_label(self) -> str:
        """« au moins la moitié des membres en exercice », « plus des deux tiers … »."""
        words = FRACTION_WORDS.get(
            (self.quorum_numerator, self.quorum_denominator),
            f"{self.quorum_numerator}/{self.quorum_denominator}",
        )
        if (self.quorum_numerator, self.quorum_denominator) == (1, 1):
            words = "la totalité"
        prefix = "plus de" if self.quorum_more_than else "au moins"
        # « plus de la moitié », « au moins le tiers » → « plus du tiers ».
        text = f"{prefix} {words}"
        text = text.replace("de le ", "du ").replace("de les ", "des ")
        return f"{text} des membres en exercice"

    # -- changes ------------------------------------------------------------
    def update(self, *, actor=None, **values: Any) -> list[dict[str, Any]]:
        """Change some rules (validated, all or nothing); returns the changes, audited as ``rules.changed``.

        ``values`` are field names of ``EDITABLE``; an unknown name is a
        ``ValueError`` (a programming error), an invalid value a
        ``ValidationError`` with French messages per field. Changing nothing
        writes nothing.
        """
        unknown = set(values) - set(self.EDITABLE)
        if unknown:
            raise ValueError(f"not editable rules: {sorted(unknown)}")
        with transaction.atomic():
            # Lock: two coordinators editing at once must not lose one change in the audit trail.
            locked = Rules.objects.select_for_update().get(pk=self.pk)
            changes = []
            for name, value in values.items():
                before = getattr(locked, name)
                if before != value:
                    changes.append({"field": name, "before": before, "after": value})
                    setattr(locked, name, value)
            if not changes:
                return []
            locked.full_clean()
            locked.updated_at = timezone.now()
            locked.save()
            log_action(locked, "rules.changed", actor=actor, data={"changes": changes})
        for name in values:
            setattr(self, name, getattr(locked, name))
        self.updated_at = locked.updated_at
        return changes


class RulesDocument(models.Model):
    """One version of the *règlement intérieur* (versions are never edited: a new one is published)."""

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="rules_documents")
    version = models.PositiveSmallIntegerField("version")
    title = models.CharField("titre", max_length=200, default="Règlement intérieur")
    adopted_on = models.DateField("adopté le")
    text = models.TextField("texte intégral")
    summary = models.TextField("résumé facile à lire et à comprendre (FALC)", blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["call", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["call", "version"], name="one_rules_version_per_call"),
        ]
        verbose_name = "règlement intérieur"
        verbose_name_plural = "règlements intérieurs"

    def __str__(self) -> str:
        return f"{self.title} — version {self.version} du {self.adopted_on:%d/%m/%Y}"

    @classmethod
    def current(cls, call: Call | int) -> RulesDocument | None:
        """The latest version for ``call``, or ``None`` when none was published."""
        call_id = call if isinstance(call, int) else call.pk
        return cls.objects.filter(call_id=call_id).order_by("-version").first()


class Acknowledgement(models.Model):
    """A member read and accepted one version of the *règlement intérieur* (once per version)."""

    document = models.ForeignKey(
        RulesDocument, on_delete=models.PROTECT, related_name="acknowledgements"
    )
    member = models.ForeignKey(
        "council.Member", on_delete=models.PROTECT, related_name="rules_acknowledgements"
    )
    acknowledged_at = models.DateTimeField("le", default=timezone.now)
    source = models.CharField("origine", max_length=10, choices=Source.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["document", "acknowledged_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "member"], name="one_acknowledgement_per_version"
            ),
        ]
        verbose_name = "approbation du règlement"
        verbose_name_plural = "approbations du règlement"

    def __str__(self) -> str:
        return f"{self.member} — v{self.document.version} ({self.get_source_display()})"
