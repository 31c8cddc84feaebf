"""The members of the council and their mandates."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from tirage.applications.models import Application
from tirage.calls.models import Call
from tirage.council.models.offers import Offer


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
