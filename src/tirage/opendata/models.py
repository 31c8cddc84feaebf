"""Open data: data requests, followed digital services, their indicators and evaluations.

* :class:`DataRequest` — a dataset the council asks the City to open (*demande
  d'ouverture*): requested → accepted / refused (with reasons) → published (with its
  catalogue reference) → verified (Tirage fetched or received the file and checked it).
  Each check is a :class:`Verification`, kept even when it fails.
* :class:`DigitalService` — a digital service of the City the council follows, with
  monthly :class:`IndicatorValue` rows (loaded by an :class:`IndicatorImport`, all or
  nothing) and :class:`Target` values set by the City.
* :class:`Evaluation` — a member's evaluation (text, rating) of a service for a month.

Everything hangs on the council's term, i.e. its ``calls.Call`` (see docs/adr), except
the services and their figures, which outlive a term. State changes go through
:mod:`tirage.opendata.services` and are audited.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from tirage.calls.models import Call
from tirage.council.models import Member
from tirage.opendata.indicators import Code
from tirage.opinions.models import Opinion


class Source(models.TextChoices):
    """Who typed a member's action in (see the council design: every member action has one)."""

    ONLINE = "online", "en ligne (le membre)"
    PAPER = "paper", "papier (saisi par les services)"
    STAFF = "staff", "services de la Ville"


class DataRequest(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", "demandée"
        ACCEPTED = "accepted", "acceptée"
        REFUSED = "refused", "refusée"
        PUBLISHED = "published", "publiée"
        VERIFIED = "verified", "publiée et vérifiée"

    class Priority(models.TextChoices):
        HIGH = "high", "haute"
        NORMAL = "normal", "normale"
        LOW = "low", "basse"

    class Portal(models.TextChoices):
        DATA_GOUV = "datagouv", "data.gouv.fr"
        OPENDATASOFT = "opendatasoft", "portail Opendatasoft"
        CKAN = "ckan", "portail CKAN"
        OTHER = "other", "autre site"

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        JSON = "json", "JSON"
        XLSX = "xlsx", "tableur XLSX"
        GEOJSON = "geojson", "GeoJSON"

    call = models.ForeignKey(
        Call, on_delete=models.PROTECT, related_name="data_requests", verbose_name="mandat"
    )
    title = models.CharField("données demandées", max_length=200)
    description = models.TextField("ce que contiennent les données, en mots simples")
    reason = models.TextField("pourquoi le conseil les demande")
    producer = models.CharField("service producteur", max_length=200, blank=True)
    priority = models.CharField(
        "priorité", max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    source = models.CharField("saisie", max_length=10, choices=Source.choices, default=Source.STAFF)
    opinion = models.ForeignKey(
        Opinion,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="data_requests",
        verbose_name="avis ou proposition d'origine",
    )
    status = models.CharField(
        "état", max_length=12, choices=Status.choices, default=Status.REQUESTED, db_index=True
    )
    requested_on = models.DateField("demandée le", default=timezone.localdate)
    decided_at = models.DateTimeField("décision le", null=True, blank=True)
    decision_reason = models.TextField("motifs de la décision", blank=True)
    # What the City promised: checked by a verification.
    expected_format = models.CharField(
        "format promis", max_length=10, choices=Format.choices, default=Format.CSV
    )
    expected_columns = models.JSONField("colonnes promises", default=list, blank=True)
    # Catalogue reference, filled when published.
    portal = models.CharField("portail", max_length=20, choices=Portal.choices, blank=True)
    dataset_id = models.CharField("identifiant du jeu de données", max_length=200, blank=True)
    dataset_url = models.URLField("page du jeu de données", max_length=500, blank=True)
    resource_url = models.URLField("adresse du fichier", max_length=500, blank=True)
    licence = models.CharField("licence", max_length=100, blank=True)
    schema_name = models.CharField(
        "schéma (schema.data.gouv.fr)",
        max_length=200,
        blank=True,
        help_text="Par exemple « LaMednum/standard-mediation-num ».",
    )
    schema_version = models.CharField("version du schéma", max_length=20, blank=True)
    published_at = models.DateTimeField("publiée le", null=True, blank=True)
    verified_at = models.DateTimeField("vérifiée le", null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-requested_on", "-id"]
        verbose_name = "demande d'ouverture de données"
        verbose_name_plural = "demandes d'ouverture de données"

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    @property
    def is_published(self) -> bool:
        return self.status in (self.Status.PUBLISHED, self.Status.VERIFIED)

    def last_verification(self) -> Verification | None:
        return self.verifications.order_by("-checked_at", "-id").first()


class Verification(models.Model):
    """One check of a published dataset: fetched from its URL or uploaded, then inspected."""

    class Origin(models.TextChoices):
        URL = "url", "téléchargé depuis l'adresse du fichier"
        UPLOAD = "upload", "fichier déposé"

    class Outcome(models.TextChoices):
        OK = "ok", "conforme"
        FETCH_FAILED = "fetch_failed", "fichier inaccessible"
        WRONG_FORMAT = "wrong_format", "format différent de celui promis"
        MISSING_COLUMNS = "missing_columns", "colonnes promises absentes"
        SCHEMA_INVALID = "schema_invalid", "non conforme au schéma"

    request = models.ForeignKey(DataRequest, on_delete=models.CASCADE, related_name="verifications")
    checked_at = models.DateTimeField("vérifiée le", default=timezone.now)
    origin = models.CharField("origine", max_length=10, choices=Origin.choices)
    url = models.URLField("adresse", max_length=500, blank=True)
    file_name = models.CharField("fichier", max_length=255, blank=True)
    outcome = models.CharField("résultat", max_length=20, choices=Outcome.choices)
    message = models.TextField("résumé")
    errors = models.JSONField("erreurs", default=list, blank=True)
    detected_format = models.CharField("format constaté", max_length=10, blank=True)
    columns = models.JSONField("colonnes constatées", default=list, blank=True)
    row_count = models.PositiveIntegerField("lignes", null=True, blank=True)
    byte_count = models.PositiveBigIntegerField("octets lus", default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    schema_name = models.CharField("schéma appliqué", max_length=200, blank=True)
    schema_version = models.CharField("version du schéma", max_length=20, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-checked_at", "-id"]
        verbose_name = "vérification"
        verbose_name_plural = "vérifications"

    def __str__(self) -> str:
        return f"{self.request_id} {self.checked_at:%Y-%m-%d} {self.outcome}"

    @property
    def ok(self) -> bool:
        return self.outcome == self.Outcome.OK


class DigitalService(models.Model):
    class Kind(models.TextChoices):
        ONLINE_PROCEDURE = "demarche", "démarche en ligne"
        HELP_DESK = "guichet", "guichet d'aide numérique"
        KIOSK = "borne", "borne en libre-service"
        WEBSITE = "site", "site internet"
        APP = "application", "application mobile"
        OTHER = "autre", "autre service"

    slug = models.SlugField("code", max_length=80, unique=True)
    name = models.CharField("nom", max_length=200)
    kind = models.CharField("type", max_length=20, choices=Kind.choices)
    description = models.TextField("description", blank=True)
    url = models.URLField("adresse", max_length=500, blank=True)
    owner = models.CharField("service responsable", max_length=200, blank=True)
    followed_since = models.DateField("suivi depuis", null=True, blank=True)
    active = models.BooleanField("suivi en cours", default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = "service numérique suivi"
        verbose_name_plural = "services numériques suivis"

    def __str__(self) -> str:
        return self.name


class IndicatorImport(models.Model):
    """One accepted indicator file (a refused file leaves no row: nothing is half-imported)."""

    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    file_name = models.CharField("fichier", max_length=255)
    file_format = models.CharField("format", max_length=10)
    encoding = models.CharField("encodage", max_length=20, blank=True)
    delimiter = models.CharField("séparateur", max_length=1, blank=True)
    sha256 = models.CharField(max_length=64)
    row_count = models.PositiveIntegerField("valeurs importées")
    replaced_count = models.PositiveIntegerField("valeurs remplacées", default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "import d'indicateurs"
        verbose_name_plural = "imports d'indicateurs"

    def __str__(self) -> str:
        return f"{self.file_name} ({self.row_count})"


class IndicatorValue(models.Model):
    """The value of one indicator of a service for one month, whole city or one secteur."""

    service = models.ForeignKey(
        DigitalService, on_delete=models.CASCADE, related_name="values", verbose_name="service"
    )
    indicator = models.CharField("indicateur", max_length=40, choices=Code.choices)
    period = models.DateField("mois", help_text="Le premier jour du mois.")
    # Blank: the whole city. Otherwise a secteur code (tirage.geo.reference.SECTEUR_CODES).
    secteur = models.CharField("secteur", max_length=50, blank=True, default="")
    value = models.DecimalField("valeur", max_digits=14, decimal_places=2)
    batch = models.ForeignKey(
        IndicatorImport, null=True, blank=True, on_delete=models.PROTECT, related_name="values"
    )

    class Meta:
        ordering = ["service", "indicator", "period", "secteur"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "indicator", "period", "secteur"],
                name="one_value_per_service_indicator_period_secteur",
            ),
        ]
        verbose_name = "valeur d'indicateur"
        verbose_name_plural = "valeurs d'indicateurs"

    def __str__(self) -> str:
        return (
            f"{self.service_id} {self.indicator} {self.period:%Y-%m} {self.secteur} = {self.value}"
        )


class Target(models.Model):
    """A target the City set for an indicator of a service, from a month on."""

    service = models.ForeignKey(DigitalService, on_delete=models.CASCADE, related_name="targets")
    indicator = models.CharField("indicateur", max_length=40, choices=Code.choices)
    secteur = models.CharField("secteur", max_length=50, blank=True, default="")
    value = models.DecimalField("objectif", max_digits=14, decimal_places=2)
    valid_from = models.DateField("à partir du mois")
    valid_until = models.DateField("jusqu'au mois", null=True, blank=True)
    note = models.CharField("source de l'objectif", max_length=300, blank=True)

    class Meta:
        ordering = ["service", "indicator", "secteur", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "indicator", "secteur", "valid_from"],
                name="one_target_per_service_indicator_secteur_start",
            ),
        ]
        verbose_name = "objectif"
        verbose_name_plural = "objectifs"

    def __str__(self) -> str:
        return f"{self.service_id} {self.indicator} ≥ {self.value}"


class Evaluation(models.Model):
    """A member's evaluation of a service for one month: a rating (1–5) and a text."""

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="service_evaluations")
    service = models.ForeignKey(
        DigitalService, on_delete=models.PROTECT, related_name="evaluations"
    )
    period = models.DateField("mois évalué")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="evaluations")
    rating = models.PositiveSmallIntegerField(
        "note (1 à 5)", validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    text = models.TextField("évaluation")
    source = models.CharField("saisie", max_length=10, choices=Source.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # The opinion drafted from this evaluation (the council then adopts it by its own vote).
    adopted_as = models.ForeignKey(
        Opinion,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evaluations",
        verbose_name="avis rédigé à partir de l'évaluation",
    )

    class Meta:
        ordering = ["service", "-period", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "service", "period"], name="one_evaluation_per_member_and_month"
            ),
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5), name="evaluation_rating_1_to_5"
            ),
        ]
        verbose_name = "évaluation d'un service"
        verbose_name_plural = "évaluations de services"

    def __str__(self) -> str:
        return f"{self.service_id} {self.period:%Y-%m} {self.rating}/5"
