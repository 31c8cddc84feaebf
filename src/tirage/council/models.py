"""Seats offered after the draw, answers, and the members' mandates.

An ``Offer`` is a seat offered to one person (selected at the draw, or next
on the reserve list when someone leaves). It carries a single-use reply code
(only its SHA-256 is stored) valid until the reply deadline. Accepting it
makes a ``Member`` with a mandate.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from tirage.applications.models import Application
from tirage.calls.models import PARIS, Call
from tirage.draws.models import Draw


def hash_reply_code(code: str) -> str:
    """SHA-256 (hex) of a reply code in its normal form (upper case, no separators)."""
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(cleaned.encode("ascii", "ignore")).hexdigest()


class Offer(models.Model):
    class Kind(models.TextChoices):
        SELECTED = "selected", "tiré au sort"
        REPLACEMENT = "replacement", "remplacement"

    class Status(models.TextChoices):
        PENDING = "pending", "en attente de réponse"
        ACCEPTED = "accepted", "accepté"
        DECLINED = "declined", "refusé"
        EXPIRED = "expired", "sans réponse dans le délai"
        LEFT = "left", "a quitté le conseil"

    class Via(models.TextChoices):
        LINK = "link", "réponse en ligne (code)"
        STAFF = "staff", "saisie par les services"
        SYSTEM = "system", "automatique (délai dépassé)"

    draw = models.ForeignKey(Draw, on_delete=models.PROTECT, related_name="offers")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="offers")
    receipt_code = models.CharField(max_length=12, db_index=True)
    kind = models.CharField("type", max_length=20, choices=Kind.choices)
    status = models.CharField(
        "statut", max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    deadline = models.DateField("date limite de réponse")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField("répondu le", null=True, blank=True)
    answered_via = models.CharField("réponse", max_length=10, choices=Via.choices, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    public_consent = models.BooleanField("accepte de figurer sur la liste publique", default=False)
    # The offer (seat) this one fills after a departure, and why that person left.
    replaces = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by"
    )

    class Meta:
        ordering = ["draw", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["draw", "application"], name="one_offer_per_person_and_draw"
            ),
        ]
        verbose_name = "proposition de siège"
        verbose_name_plural = "propositions de sièges"

    def __str__(self) -> str:
        return f"{self.receipt_code} ({self.get_status_display()})"

    @property
    def deadline_end(self) -> dt.datetime:
        """The end of the deadline day in Europe/Paris (aware)."""
        return dt.datetime.combine(self.deadline, dt.time(23, 59, 59), tzinfo=PARIS)

    def is_past_deadline(self, now: dt.datetime | None = None) -> bool:
        return (now or timezone.now()) > self.deadline_end

    @property
    def holds_seat(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.ACCEPTED)


class MemberQuerySet(models.QuerySet["Member"]):
    def in_office(self, day: dt.date) -> MemberQuerySet:
        """The members in office on ``day`` (the rule of :meth:`Member.is_active`)."""
        return self.filter(start_date__lte=day, end_date__gte=day).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gt=day) | Q(ended_on__gte=F("end_date"))
        )


class Member(models.Model):
    """A member of the council, with the dates of the mandate.

    ``ended_on`` is the day the member left: from that day on they no longer sit —
    except when the mandate simply ran out (``close_ended_mandates`` records the
    mandate's last day), a day on which they still sit.
    """

    class EndReason(models.TextChoices):
        MANDATE_ENDED = "mandate_ended", "fin du mandat"
        RESIGNED = "resigned", "démission"
        MOVED = "moved", "départ de la commune"
        REMOVED = "removed", "fin décidée par le conseil"
        DECEASED = "deceased", "décès"

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="members")
    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="member")
    offer = models.OneToOneField(
        Offer, null=True, blank=True, on_delete=models.PROTECT, related_name="member"
    )
    start_date = models.DateField("début du mandat (installation)")
    end_date = models.DateField("fin du mandat")
    renewals = models.PositiveSmallIntegerField("renouvellements effectués", default=0)
    ended_on = models.DateField("a quitté le conseil le", null=True, blank=True)
    end_reason = models.CharField(
        "motif de départ", max_length=20, choices=EndReason.choices, blank=True
    )
    end_note = models.CharField("précision", max_length=300, blank=True)
    replaces = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
        verbose_name="remplace",
    )
    public_consent = models.BooleanField("accepte de figurer sur la liste publique", default=False)
    created_at = models.DateTimeField(default=timezone.now)

    objects = MemberQuerySet.as_manager()

    class Meta:
        ordering = ["start_date", "id"]
        verbose_name = "membre"
        verbose_name_plural = "membres"

    def __str__(self) -> str:
        return f"{self.application.receipt_code} ({self.start_date:%d/%m/%Y} → {self.end_date:%d/%m/%Y})"

    def is_active(self, day: dt.date | None = None) -> bool:
        """Whether the member sits on ``day`` (default: today, Europe/Paris): within the
        mandate, and not left before (see the class docstring). Same rule as
        ``Member.objects.in_office(day)``; right for past days too (a member who has
        since left did sit at the meetings before)."""
        day = day or timezone.localdate()
        if not self.start_date <= day <= self.end_date:
            return False
        return self.ended_on is None or self.ended_on > day or self.ended_on >= self.end_date

    @property
    def can_renew(self) -> bool:
        return self.ended_on is None and self.renewals < self.call.renewals_allowed
