"""A call for applications: the council, its seats, dates, eligibility and features.

A *feature* (category) such as ``secteur`` or ``genre`` has *values*, each with a
quota (min/max seats). Each feature says where an application's value comes
from (``source``): the secteur derived from the address, the declared gender,
or the age band computed from the birth date.
"""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from contextvars import ContextVar
from functools import cached_property
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.utils import timezone

from tirage.geo.reference import secteurs as geo_secteurs

PARIS = ZoneInfo("Europe/Paris")


class Office(models.Model):
    """A place where paper forms are handed in (for Roubaix: a *mairie de quartier*)."""

    code = models.SlugField(max_length=50, unique=True)
    name = models.CharField("nom", max_length=200)
    address = models.CharField("adresse", max_length=300, blank=True)
    secteur = models.CharField("secteur", max_length=50, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = "lieu de dépôt"
        verbose_name_plural = "lieux de dépôt"

    def __str__(self) -> str:
        return self.name


_REQUEST_MEMO: ContextVar[dict[str, Call | None] | None] = ContextVar(
    "tirage_current_call", default=None
)


def remember_current_call() -> object:
    """Start remembering :meth:`CallQuerySet.current` for one request (this thread or task).

    Returns the token for :func:`forget_current_call`; used by
    ``tirage.calls.middleware.current_call_once``. A form step asked for the current call
    up to three times (view, header, helpers): one query instead (benchmarks/load.py)."""
    return _REQUEST_MEMO.set({})


def forget_current_call(token: object | None = None) -> None:
    """End the request's memory (``token`` from :func:`remember_current_call`), or, without
    a token, empty it: a call, feature, value or office saved meanwhile is read again."""
    if token is not None:
        _REQUEST_MEMO.reset(token)  # type: ignore[arg-type]
        return
    memo = _REQUEST_MEMO.get()
    if memo is not None:
        memo.clear()


# The structure of a call (features with their values, offices) across requests, by
# ``(call id, structure_version)``: a form step read it with three queries on every
# request (benchmarks/flow_cpu.py). A new version (signals in ``CallsConfig.ready``) is
# read again; a few versions are kept (several calls, a version just replaced).
_STRUCTURES: dict[tuple[int, uuid.UUID], tuple[tuple[Feature, ...], tuple[Office, ...]]] = {}
_STRUCTURES_LOCK = threading.Lock()
STRUCTURES_KEPT = 8


def _with_cached_structure(call: Call) -> Call:
    """``call`` with its ``feature_list`` and ``office_list`` from the cross-request cache
    (read and cached when its version is new). The features, values and offices are
    shared by the requests of this process: read them, never change them."""
    key = (call.pk, call.structure_version)
    cached = _STRUCTURES.get(key)
    if cached is None:
        cached = (tuple(call.feature_list), tuple(call.office_list))
        with _STRUCTURES_LOCK:
            while len(_STRUCTURES) >= STRUCTURES_KEPT:
                del _STRUCTURES[next(iter(_STRUCTURES))]  # the oldest
            _STRUCTURES[key] = cached
    else:
        call.__dict__["feature_list"] = list(cached[0])
        call.__dict__["office_list"] = list(cached[1])
    return call


def structure_changed(*, call_id: int | None = None) -> None:
    """A feature, value or office of ``call_id`` (``None``: of any call) changed: give the
    call(s) a new ``structure_version``, so every process reads the structure again."""
    calls = Call.objects.all() if call_id is None else Call.objects.filter(pk=call_id)
    calls.update(structure_version=uuid.uuid4())


class CallQuerySet(models.QuerySet["Call"]):
    def current(self) -> Call | None:
        """The call the site and the staff work on: the one opened most recently (latest
        ``opens_at``, then the latest created), or ``None`` before any call is loaded.

        Inside a request (:func:`remember_current_call`) an unfiltered ``current()`` is
        read once and the same instance is returned; saving a call, feature, value or
        office empties that memory (signals in ``CallsConfig.ready``). Inside a request
        the call's features, values and offices come from the process's cache of call
        structures while its ``structure_version`` is unchanged."""
        memo = _REQUEST_MEMO.get()
        if memo is None or self.query.where:
            return self.order_by("-opens_at", "-id").first()
        if "call" not in memo:
            call = self.order_by("-opens_at", "-id").first()
            memo["call"] = _with_cached_structure(call) if call is not None else None
        return memo["call"]

    def current_or_404(self) -> Call:
        """:meth:`current`, or ``Http404`` (« aucun appel ») for a page that needs a call."""
        call = self.current()
        if call is None:
            raise Http404("Aucun appel à candidatures n'est chargé (tirage load_call).")
        return call


class Call(models.Model):
    """One call for applications to a council drawn by lot."""

    slug = models.SlugField(max_length=80, unique=True)
    council_name = models.CharField("nom du conseil", max_length=200)
    city_name = models.CharField("ville", max_length=120)
    seats = models.PositiveSmallIntegerField("sièges")
    opens_at = models.DateTimeField("ouverture des candidatures")
    closes_at = models.DateTimeField("clôture des candidatures")
    draw_date = models.DateField("date du tirage au sort")
    draw_place = models.CharField("lieu du tirage", max_length=300, blank=True)
    min_age = models.PositiveSmallIntegerField("âge minimum", default=16)
    age_reference_date = models.DateField(
        "date d'appréciation de l'âge",
        null=True,
        blank=True,
        help_text="Par défaut : le jour de la clôture.",
    )
    communes = models.JSONField("communes éligibles", default=list)
    postcodes = models.JSONField("codes postaux éligibles", default=list)
    mandate_months = models.PositiveSmallIntegerField("durée du mandat (mois)", default=24)
    renewals_allowed = models.PositiveSmallIntegerField("renouvellements possibles", default=1)
    contact_email = models.EmailField("courriel de contact", blank=True)
    data_controller = models.CharField("responsable de traitement", max_length=300, blank=True)
    retention_months = models.PositiveSmallIntegerField(
        "conservation des données des non-tirés (mois)", default=24
    )
    offices = models.ManyToManyField(Office, blank=True, verbose_name="lieux de dépôt")
    # The demo shifts a call's dates to today; the home page says so.
    redated_from = models.DateField("dates d'origine (démo)", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # A new random value whenever a feature, value or office of the call changes
    # (``structure_changed``): the key of the cross-request cache of the structure.
    structure_version = models.UUIDField(default=uuid.uuid4, editable=False)

    objects = CallQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at"]
        verbose_name = "appel à candidatures"
        verbose_name_plural = "appels à candidatures"

    def __str__(self) -> str:
        return f"{self.council_name} ({self.opens_at:%Y})"

    def clean(self) -> None:
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": "La clôture doit suivre l'ouverture."})
        if (
            self.closes_at
            and self.draw_date
            and self.draw_date < self.closes_at.astimezone(PARIS).date()
        ):
            raise ValidationError({"draw_date": "Le tirage ne peut précéder la clôture."})

    # -- dates ------------------------------------------------------------------
    def is_open(self, now: dt.datetime | None = None) -> bool:
        """Whether applications are accepted at ``now`` (aware datetime; default: now)."""
        now = now or timezone.now()
        # The deadline is a whole second: 23:59:59.5 is still "23:59:59".
        return self.opens_at <= now and now.replace(microsecond=0) <= self.closes_at

    def is_closed(self, now: dt.datetime | None = None) -> bool:
        return (now or timezone.now()).replace(microsecond=0) > self.closes_at

    @property
    def closing_date(self) -> dt.date:
        """The last day applications are accepted, in Europe/Paris."""
        return self.closes_at.astimezone(PARIS).date()

    @property
    def age_date(self) -> dt.date:
        """The date at which age is assessed (default: the closing date)."""
        return self.age_reference_date or self.closing_date

    @property
    def mandate_years(self) -> float:
        return self.mandate_months / 12

    def feature_for(self, source: str) -> Feature | None:
        """The call's first feature fed by ``source`` (values prefetched), or ``None``."""
        return next((f for f in self.feature_list if f.source == source), None)

    @cached_property
    def feature_list(self) -> list[Feature]:
        """The call's features in order, with their values: read once per instance."""
        return list(self.features.order_by("order", "id").prefetch_related("values"))

    @cached_property
    def office_list(self) -> list[Office]:
        """The call's offices (mairies de quartier) in order: read once per instance."""
        return list(self.offices.all())

    # -- secteurs (the quota keys of the address) ----------------------------------
    @cached_property
    def secteur_choices(self) -> list[tuple[str, str]]:
        """``[(code, label)]`` of the call's secteur feature, else the shipped secteurs
        (Roubaix's five). Read once per instance (an import asks for every row)."""
        feature = self.feature_for(Feature.Source.SECTEUR)
        if feature is not None:
            return [(v.key, v.label) for v in feature.values.all()]
        return [(s.code, s.label) for s in geo_secteurs()]

    @property
    def secteur_codes(self) -> tuple[str, ...]:
        """The codes of :attr:`secteur_choices`, in order."""
        return tuple(code for code, _label in self.secteur_choices)


class Feature(models.Model):
    """A feature (category) of the call, e.g. ``secteur`` or ``genre``."""

    class Source(models.TextChoices):
        SECTEUR = "secteur", "secteur (dérivé de l'adresse)"
        QUARTIER = "quartier", "quartier (dérivé de l'adresse)"
        GENDER = "gender", "genre déclaré"
        AGE_BAND = "age_band", "tranche d'âge (calculée)"

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="features")
    key = models.SlugField("clé", max_length=50)
    label = models.CharField("libellé", max_length=100)
    source = models.CharField("origine de la valeur", max_length=20, choices=Source.choices)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["call", "key"], name="feature_key_unique_per_call"),
        ]
        verbose_name = "critère"
        verbose_name_plural = "critères"

    def __str__(self) -> str:
        return self.label


class FeatureValue(models.Model):
    """A value of a feature with its quota: between ``min`` and ``max`` seats."""

    feature = models.ForeignKey(Feature, on_delete=models.CASCADE, related_name="values")
    key = models.SlugField("clé", max_length=50)
    label = models.CharField("libellé", max_length=100)
    min = models.PositiveSmallIntegerField("minimum")
    max = models.PositiveSmallIntegerField("maximum")
    # For age bands: inclusive bounds in years (None = open-ended).
    age_min = models.PositiveSmallIntegerField(null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["feature", "key"], name="value_key_unique_per_feature"),
            models.CheckConstraint(
                condition=models.Q(min__lte=models.F("max")), name="quota_min_le_max"
            ),
        ]
        verbose_name = "valeur et quota"
        verbose_name_plural = "valeurs et quotas"

    def __str__(self) -> str:
        return f"{self.feature.label} = {self.label} [{self.min}–{self.max}]"

    def clean(self) -> None:
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValidationError(
                {"max": f"Le maximum ({self.max}) est inférieur au minimum ({self.min})."}
            )
