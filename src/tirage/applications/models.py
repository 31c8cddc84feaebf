"""Applications to a call, with their receipt code, status and derived secteur."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from tirage.applications.eligibility import age_on
from tirage.audit.services import log_action
from tirage.backoffice import roles
from tirage.calls.models import Call, Office


class DecisionError(ValueError):
    """A staff decision cannot be applied (message in French, for the staff member)."""


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
    # A paper form received after the deadline, or typed after the pool was frozen:
    # kept, never in the pool unless staff decide otherwise and freeze a new pool.
    LATE = "late", "hors délai"


class Channel(models.TextChoices):
    ONLINE = "online", "en ligne"
    PAPER = "paper", "formulaire papier"
    IMPORT = "import", "import de fichier"


#: A staff decision's word → the status it gives.
DECISIONS = {
    "eligible": Status.ELIGIBLE,
    "ineligible": Status.INELIGIBLE,
    "duplicate": Status.DUPLICATE,
    "withdrawn": Status.WITHDRAWN,
}


class AreaSource(models.TextChoices):
    ADDRESS = "address", "déduit de l'adresse"
    APPLICANT = "applicant", "déclaré par le candidat"
    STAFF = "staff", "fixé par les services"
    NONE = "", "inconnu"


class ApplicationQuerySet(models.QuerySet["Application"]):
    def visible_to(self, user: Any) -> ApplicationQuerySet:
        """The applications ``user`` may see with names and addresses.

        Coordinators: all. Counter agents: the paper applications of their mairie
        and the ones they typed themselves. Anyone else (observers): none.
        """
        if roles.has_role(user, roles.COORDINATOR):
            return self
        if roles.has_role(user, roles.COUNTER_AGENT):
            mine = Q(received_by=user)
            office = roles.office_of(user)
            if office is not None:
                mine |= Q(channel=Channel.PAPER, office=office)
            return self.filter(mine)
        return self.none()


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

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "candidature"
        verbose_name_plural = "candidatures"
        indexes = [models.Index(fields=["call", "status"])]

    def __str__(self) -> str:
        return self.receipt_code

    @property
    def may_be_drawn(self) -> bool:
        """False once it is out of the draw (ineligible, late, duplicate, withdrawn): its
        receipt must not promise the draw."""
        return self.status in (Status.RECEIVED, Status.ELIGIBLE)

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
        return age_on(self.birth_date, day)

    def change_status(self, status: str, *, actor=None, actor_label: str = "", reason: str = ""):
        """Set ``status`` with ``reason``, writing the audit trail; no-op if unchanged."""
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

    # -- staff decisions ------------------------------------------------------------
    def _locked(self) -> Application:
        # Lock the row: two staff members deciding at the same moment are applied one
        # after the other, each on the other's result, instead of the last save winning.
        return Application.objects.select_for_update().get(pk=self.pk)

    def decide(
        self, decision: str, *, actor, reason: str, duplicate_of: Application | None = None
    ) -> Application:
        """A staff decision (``decision`` a key of ``DECISIONS``) with a mandatory ``reason``; audited.

        ``duplicate`` needs ``duplicate_of``, another application of the same call. A
        reviewed application leaves the « à vérifier » list, unless it is declared
        eligible while its secteur is still unknown (then the secteur must be set).
        Returns the application as saved (read after the lock); raises ``DecisionError``.
        """
        reason = (reason or "").strip()
        if not reason:
            raise DecisionError("Indiquez le motif de la décision.")
        if decision not in DECISIONS:
            raise DecisionError("Décision inconnue.")
        status = DECISIONS[decision]
        with transaction.atomic():
            application = self._locked()
            fields = []
            if status == Status.DUPLICATE:
                if duplicate_of is None:
                    raise DecisionError("Indiquez la candidature dont celle-ci est le doublon.")
                if duplicate_of.pk == application.pk:
                    raise DecisionError(
                        "Une candidature ne peut pas être le doublon d'elle-même : "
                        "indiquez le numéro de l'autre candidature."
                    )
                if duplicate_of.call_id != application.call_id:
                    raise DecisionError("Candidature d'origine introuvable dans cet appel.")
                application.duplicate_of = duplicate_of
                fields.append("duplicate_of")
            elif application.duplicate_of_id is not None and status == Status.ELIGIBLE:
                # Staff judged it is not a duplicate after all.
                application.duplicate_of = None
                fields.append("duplicate_of")
            if application.needs_review and not (
                status == Status.ELIGIBLE and not application.secteur
            ):
                application.needs_review = False
                fields.append("needs_review")
            if fields:
                application.save(update_fields=fields)
            application.change_status(status, actor=actor, reason=reason)
            if "duplicate_of" in fields:
                original = application.duplicate_of
                log_action(
                    application,
                    "application.duplicate_link_changed",
                    actor=actor,
                    reason=reason,
                    data={"duplicate_of": original.receipt_code if original else None},
                )
        return application

    def set_area(
        self, *, secteur: str, quartier: str = "", actor, reason: str, actor_label: str = ""
    ) -> Application:
        """Staff set the secteur (and quartier): ``area_source`` staff, off the review list;
        audited (``application.area_set``). Returns the application as saved; raises
        ``DecisionError`` without a reason or a secteur."""
        reason = (reason or "").strip()
        if not reason:
            raise DecisionError("Indiquez le motif de la décision.")
        if not secteur:
            raise DecisionError("Choisissez un secteur.")
        with transaction.atomic():
            application = self._locked()
            before = {
                "secteur": application.secteur,
                "quartier": application.quartier,
                "area_source": application.area_source,
            }
            application.secteur = secteur
            application.quartier = quartier
            application.area_source = AreaSource.STAFF
            application.needs_review = False
            application.save(update_fields=["secteur", "quartier", "area_source", "needs_review"])
            log_action(
                application,
                "application.area_set",
                actor=actor,
                actor_label=actor_label,
                reason=reason,
                data={
                    "from": before,
                    "to": {"secteur": secteur, "quartier": quartier, "area_source": "staff"},
                },
            )
        return application


class FormCounter(models.Model):
    """How often one hashed source used the public form in one 10-minute window.

    ``key`` is a keyed hash (HMAC-SHA256 with the secret key, truncated) of the
    visitor's address or e-mail: no raw address is stored, and rows are deleted
    after ``flood.KEEP_DAYS`` days. Read by the rate limits and the staff page
    of bursts (``tirage.applications.flood``).
    """

    scope = models.CharField(max_length=10)  # "ip" or "email"
    key = models.CharField(max_length=32)
    event = models.CharField(max_length=20)  # flood.Event
    window = models.DateTimeField(db_index=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "key", "event", "window"], name="form_counter_one_row"
            )
        ]
        verbose_name = "compteur du formulaire"

    def __str__(self) -> str:
        return (
            f"{self.scope} {self.key[:8]} {self.event} {self.window:%Y-%m-%d %H:%M}: {self.count}"
        )
