"""Applications to a call, with their receipt code, status and derived secteur."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from tirage.calls.models import Call, Office


class Gender(models.TextChoices):
    FEMME = "femme", "Femme"
    HOMME = "homme", "Homme"
    AUTRE = "autre", "Autre / je préfère me décrire autrement"


class Status(models.TextChoices):
    RECEIVED = "received", "reçue"
    ELIGIBLE = "eligible", "recevable"
    INELIGIBLE = "ineligible", "irrecevable"
    DUPLICATE = "duplicate", "doublon"
    WITHDRAWN = "withdrawn", "retirée"


class Channel(models.TextChoices):
    ONLINE = "online", "en ligne"
    PAPER = "paper", "formulaire papier"
    IMPORT = "import", "import de fichier"


class AreaSource(models.TextChoices):
    ADDRESS = "address", "déduit de l'adresse"
    APPLICANT = "applicant", "déclaré par le candidat"
    STAFF = "staff", "fixé par les services"
    NONE = "", "inconnu"


class Application(models.Model):
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications")
    receipt_code = models.CharField("numéro de récépissé", max_length=12, unique=True)
    status = models.CharField(
        "statut", max_length=20, choices=Status.choices, default=Status.RECEIVED, db_index=True
    )
    status_reason = models.CharField("motif", max_length=300, blank=True)

    gender = models.CharField("genre", max_length=10, choices=Gender.choices)
    family_name = models.CharField("nom", max_length=150)
    given_name = models.CharField("prénom", max_length=150)
    birth_date = models.DateField("date de naissance")

    street_number = models.CharField("numéro", max_length=20, blank=True)
    street_name = models.CharField("voie", max_length=200)
    address_complement = models.CharField("complément d'adresse", max_length=200, blank=True)
    postcode = models.CharField("code postal", max_length=10)
    commune = models.CharField("commune", max_length=120)

    # Derived from the address (tirage.geo) or declared; codes from tirage.geo.
    street_id = models.CharField("identifiant de voie", max_length=64, blank=True)
    quartier = models.CharField("quartier", max_length=10, blank=True)
    secteur = models.CharField("secteur", max_length=20, blank=True, db_index=True)
    area_source = models.CharField(
        "origine du secteur", max_length=10, choices=AreaSource.choices, blank=True
    )
    needs_review = models.BooleanField("à vérifier", default=False)
    review_note = models.CharField("à vérifier : pourquoi", max_length=300, blank=True)

    email = models.EmailField("courriel", blank=True)
    phone = models.CharField("téléphone", max_length=30, blank=True)
    motivation = models.TextField("motivation", blank=True)
    consent_notice = models.BooleanField("a lu la notice d'information", default=False)
    attests_residence = models.BooleanField("atteste résider dans la commune", default=False)

    channel = models.CharField("canal", max_length=10, choices=Channel.choices)
    office = models.ForeignKey(
        Office, null=True, blank=True, on_delete=models.PROTECT, verbose_name="lieu de dépôt"
    )
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="agent",
    )
    received_on = models.DateField("date de réception (papier)", null=True, blank=True)
    created_at = models.DateTimeField("saisie le", default=timezone.now)

    # Idempotency: one submission key (issued with the review page) gives one application.
    submission_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    # Normalised "family|given|birth" for probable-duplicate detection.
    identity_key = models.CharField(max_length=400, db_index=True, editable=False)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "candidature"
        verbose_name_plural = "candidatures"
        indexes = [models.Index(fields=["call", "status"])]

    def __str__(self) -> str:
        return self.receipt_code

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def address_lines(self) -> list[str]:
        first = " ".join(p for p in [self.street_number, self.street_name] if p)
        lines = [first]
        if self.address_complement:
            lines.append(self.address_complement)
        lines.append(f"{self.postcode} {self.commune.upper()}")
        return lines

    def age_on(self, day: dt.date) -> int:
        from tirage.applications.eligibility import age_on

        return age_on(self.birth_date, day)

    def change_status(self, status: str, *, actor=None, actor_label: str = "", reason: str = ""):
        """Set ``status`` with ``reason``, writing the audit trail; no-op if unchanged."""
        from tirage.audit.services import log_action

        if status == self.status and reason == self.status_reason:
            return
        with transaction.atomic():
            old = self.status
            self.status = status
            self.status_reason = reason
            self.save(update_fields=["status", "status_reason"])
            log_action(
                self,
                "application.status_changed",
                actor=actor,
                actor_label=actor_label,
                reason=reason,
                data={"from": old, "to": status},
            )
