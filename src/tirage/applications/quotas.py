"""Live counts of a call's applications against its quotas (the dashboard).

Like pretix's ``QuotaAvailability``: a small class that runs a few aggregate
queries (one for the statuses, one for every feature value at once) instead of
looping over applications. The per-value rules are those of
``tirage.applications.services.feature_values``, written as SQL conditions:

* secteur / quartier / gender: the application's field equals the value key;
* age band: the birth date lies in the interval that gives an age within
  ``[age_min, age_max]`` on ``call.age_date`` (see ``birth_date_bounds``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q

from tirage.applications.eligibility import age_on
from tirage.applications.models import Application, Status
from tirage.calls.models import Call, Feature

# Application fields holding the value of a feature, by Feature.source.
FIELD_OF_SOURCE: dict[str, str] = {
    Feature.Source.SECTEUR: "secteur",
    Feature.Source.QUARTIER: "quartier",
    Feature.Source.GENDER: "gender",
}


def latest_birth_date_for_age(age: int, day: dt.date) -> dt.date:
    """The latest birth date of someone aged at least ``age`` on ``day`` (``age_on`` rules)."""
    try:
        guess = day.replace(year=day.year - age)
    except ValueError:  # day is 29 February, target year is common
        guess = dt.date(day.year - age, 2, 28)
    # age_on is monotone in the birth date: walk a day or two to the exact bound
    # (29 February birthdays count on 1 March in common years).
    while age_on(guess + dt.timedelta(days=1), day) >= age:
        guess += dt.timedelta(days=1)
    while age_on(guess, day) < age:
        guess -= dt.timedelta(days=1)
    return guess


def birth_date_bounds(age_min: int | None, age_max: int | None, day: dt.date) -> Q:
    """A ``Q`` on ``birth_date``: true iff ``age_min <= age_on(birth_date, day) <= age_max``.

    ``None`` bounds are open. Same rule as ``applications.eligibility.age_on``.
    """
    condition = Q()
    if age_min is not None:
        condition &= Q(birth_date__lte=latest_birth_date_for_age(age_min, day))
    if age_max is not None:
        condition &= Q(birth_date__gt=latest_birth_date_for_age(age_max + 1, day))
    return condition


@dataclass(frozen=True)
class ValueCount:
    """One feature value: its quota and how many eligible applications have it."""

    key: str
    label: str
    min: int
    max: int
    eligible: int
    pending: int  # received, not yet decided (may still become eligible)

    @property
    def per_seat(self) -> float | None:
        """Eligible applicants per seat of the quota's maximum (``None`` when the quota is 0)."""
        return self.eligible / self.max if self.max else None

    @property
    def short(self) -> bool:
        """Fewer eligible applicants than the quota's minimum: the quota cannot be met."""
        return self.eligible < self.min


@dataclass(frozen=True)
class FeatureCount:
    key: str
    label: str
    values: list[ValueCount]
    eligible_without_value: int  # eligible applications with no value (e.g. secteur unknown)


class QuotaAvailability:
    """Counts for one call, computed on first access.

    ``by_status``: {status: count} for every status (0 included);
    ``features``: a ``FeatureCount`` per feature, in the call's order;
    ``needs_review``: applications flagged for a staff check, whatever their status
    (an address outside the territory is refused *and* flagged: it may be a typo);
    the same set as the list's « À vérifier seulement » filter.
    """

    def __init__(self, call: Call):
        self.call = call
        self.queryset = Application.objects.filter(call=call)
        self._computed = False

    def compute(self) -> QuotaAvailability:
        if self._computed:
            return self
        rows = self.queryset.values("status").annotate(n=Count("id")).order_by()
        found = {row["status"]: row["n"] for row in rows}
        self.by_status = {status: found.get(status, 0) for status in Status.values}
        self.total = sum(self.by_status.values())
        self.needs_review = self.queryset.filter(needs_review=True).count()
        self.features = self._feature_counts()
        self._computed = True
        return self

    def _condition(self, feature: Feature, value) -> Q:
        if feature.source == Feature.Source.AGE_BAND:
            return birth_date_bounds(value.age_min, value.age_max, self.call.age_date)
        return Q(**{FIELD_OF_SOURCE[feature.source]: value.key})

    def _feature_counts(self) -> list[FeatureCount]:
        features = list(self.call.features.prefetch_related("values"))
        eligible = Q(status=Status.ELIGIBLE)
        pending = Q(status=Status.RECEIVED)
        aggregates = {}
        for f_index, feature in enumerate(features):
            any_value = None
            for v_index, value in enumerate(feature.values.all()):
                condition = self._condition(feature, value)
                any_value = condition if any_value is None else any_value | condition
                aggregates[f"e_{f_index}_{v_index}"] = Count("id", filter=eligible & condition)
                aggregates[f"p_{f_index}_{v_index}"] = Count("id", filter=pending & condition)
            without = eligible if any_value is None else eligible & ~any_value
            aggregates[f"none_{f_index}"] = Count("id", filter=without)
        # One query for every value of every feature.
        counts = self.queryset.aggregate(**aggregates) if aggregates else {}
        result = []
        for f_index, feature in enumerate(features):
            values = [
                ValueCount(
                    key=value.key,
                    label=value.label,
                    min=value.min,
                    max=value.max,
                    eligible=counts[f"e_{f_index}_{v_index}"],
                    pending=counts[f"p_{f_index}_{v_index}"],
                )
                for v_index, value in enumerate(feature.values.all())
            ]
            result.append(
                FeatureCount(feature.key, feature.label, values, counts[f"none_{f_index}"])
            )
        return result
