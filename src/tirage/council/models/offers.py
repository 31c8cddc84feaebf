"""Seats offered after the draw, and the answers to them.

An ``Offer`` is a seat offered to one person (selected at the draw, or next
on the reserve list when someone leaves). It carries a single-use reply code
(only its SHA-256 is stored) valid until the reply deadline. Accepting it
makes a ``Member`` (``members.py``).
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone

from tirage.applications.models import Application
from tirage.calls.models import PARIS
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
