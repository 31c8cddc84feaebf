"""The data model of a sortition instance: pool, features, quotas, seats.

Vocabulary follows the field (Flanigan et al., Nature 2021; the Sortition
Foundation's ``sortition-algorithms``):

* a **pool** of people, each with an id and one **value** for every **feature**
  (feature = category such as ``secteur``; value such as ``nord``);
* **quotas**: for every (feature, value), a minimum and maximum number of seats;
* **seats** ``k``: the size of a **panel**;
* optional **households**: at most one person per household on a panel.

Everything here is plain Python (no Django, no solver) so that readers,
solvers, the bundle writer and the verifier share one representation.
Feature names and values are stored *normalised* (``normalise_key``: trimmed,
case-folded), and their display labels are kept separately.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

__all__ = [
    "Quota",
    "Feature",
    "Person",
    "Instance",
    "PanelRules",
    "normalise_key",
    "Distribution",
    "Progress",
    "NO_PROGRESS",
]


def normalise_key(text: str) -> str:
    """Normalise a feature name or value for comparison: trim, collapse spaces, casefold."""
    return " ".join(str(text).split()).casefold()


@dataclass(frozen=True, slots=True)
class Quota:
    """Bounds on the number of panel members having ``feature = value``.

    ``min`` and ``max`` are seat counts (integers, ``0 <= min <= max``).

    ``min_flex`` / ``max_flex`` (optional, Sortition Foundation format) are the
    hard limits a relaxation may move the bounds to: ``0 <= min_flex <= min``
    and ``max_flex >= max``. ``None`` means "no limit" (down to 0, up to any
    number).
    """

    min: int
    max: int
    min_flex: int | None = None
    max_flex: int | None = None

    def __post_init__(self) -> None:
        if self.min < 0 or self.max < self.min:
            raise ValueError(f"invalid quota [{self.min}, {self.max}]")
        if self.min_flex is not None and not 0 <= self.min_flex <= self.min:
            raise ValueError(f"invalid min_flex {self.min_flex} for min {self.min}")
        if self.max_flex is not None and self.max_flex < self.max:
            raise ValueError(f"invalid max_flex {self.max_flex} for max {self.max}")


@dataclass(frozen=True, slots=True)
class Feature:
    """A feature (category) with its values, in display order, and their quotas.

    ``name`` and the keys of ``quotas`` are normalised (see ``normalise_key``);
    ``labels`` maps normalised names to the spelling found in the input.
    """

    name: str
    quotas: Mapping[str, Quota]
    label: str = ""
    value_labels: Mapping[str, str] = field(default_factory=dict)

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(self.quotas)


@dataclass(frozen=True, slots=True)
class Person:
    """One member of the pool: a unique ``id`` and one normalised value per feature.

    ``household`` is an opaque key: two people with the same non-empty key may
    not sit on the same panel. ``None`` means no household constraint.
    """

    id: str
    values: Mapping[str, str]
    household: str | None = None


@dataclass(frozen=True)
class Instance:
    """A sortition instance: ``people`` (the pool), ``features`` and ``seats`` (k).

    Invariants (checked by ``__post_init__``, raising ``ValueError``): ids are
    unique, every person has a value for every feature and that value has a
    quota, ``seats >= 1``.
    """

    people: tuple[Person, ...]
    features: tuple[Feature, ...]
    seats: int

    def __post_init__(self) -> None:
        if self.seats < 1:
            raise ValueError("seats must be at least 1")
        seen: set[str] = set()
        for person in self.people:
            if person.id in seen:
                raise ValueError(f"duplicate id {person.id!r}")
            seen.add(person.id)
            for feature in self.features:
                value = person.values.get(feature.name)
                if value is None or value not in feature.quotas:
                    raise ValueError(
                        f"person {person.id!r}: value {value!r} of feature {feature.name!r} has no quota"
                    )

    # -- convenience accessors -------------------------------------------------
    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.people)

    @property
    def n(self) -> int:
        """Size of the pool."""
        return len(self.people)

    def feature(self, name: str) -> Feature:
        for feature in self.features:
            if feature.name == name:
                return feature
        raise KeyError(name)

    def quota_items(self) -> Iterable[tuple[str, str, Quota]]:
        """All (feature, value, quota) triples, in feature then value order."""
        for feature in self.features:
            for value, quota in feature.quotas.items():
                yield feature.name, value, quota

    def counts(self, member_ids: Sequence[str] | None = None) -> dict[tuple[str, str], int]:
        """Number of people (of the pool, or of ``member_ids``) per (feature, value)."""
        wanted = None if member_ids is None else set(member_ids)
        counts = {(f, v): 0 for f, v, _ in self.quota_items()}
        for person in self.people:
            if wanted is not None and person.id not in wanted:
                continue
            for feature in self.features:
                counts[(feature.name, person.values[feature.name])] += 1
        return counts

    @cached_property
    def rules(self) -> PanelRules:
        """The panel rules of this instance, built once (see ``PanelRules``)."""
        return PanelRules(self)

    def panel_violations(self, member_ids: Sequence[str]) -> list[str]:
        """Why ``member_ids`` is not a valid panel (empty list when it is).

        Checks size, unknown or repeated ids, every quota and households.
        Messages are English sentences naming the quota and the count.
        O(k * features) per panel (the rules are built once per instance).
        """
        return self.rules.violations(member_ids)


class PanelRules:
    """What makes a panel valid, checked in one place for the whole engine.

    A panel of an ``Instance`` has ``seats`` distinct members of the pool, meets
    the minimum and maximum of every (feature, value) and holds at most one
    person per household. The solvers' invariants, the verifier of a published
    bundle and the type model check panels through ``violations``; the seat
    reserves check the quotas of a swapped panel through ``quota_violations``.
    Pure Python (the verifier needs neither numpy nor a solver).
    """

    def __init__(self, instance: Instance) -> None:
        self._seats = instance.seats
        self._people = {p.id: p for p in instance.people}
        self._names = [f.name for f in instance.features]
        self._quotas = list(instance.quota_items())

    def violations(self, member_ids: Sequence[str]) -> list[str]:
        """English sentences, in this order: size, repeated member, unknown ids, each
        quota outside its bounds (``"secteur=nord: 3 > max 2"``), each household shared.
        A repeated member counts once in the quotas. Empty when the panel is valid."""
        problems: list[str] = []
        people = self._people
        if len(member_ids) != self._seats:
            problems.append(f"panel has {len(member_ids)} members, {self._seats} seats")
        if len(set(member_ids)) != len(member_ids):
            problems.append("panel repeats a member")
        unknown = [m for m in member_ids if m not in people]
        if unknown:
            problems.append(f"unknown ids in panel: {', '.join(map(str, unknown[:5]))}")
        counts: dict[tuple[str, str], int] = {}
        for m in dict.fromkeys(member_ids):
            person = people.get(m)
            if person is not None:
                for name in self._names:
                    key = (name, person.values[name])
                    counts[key] = counts.get(key, 0) + 1
        problems += self.quota_violations(counts)
        households: dict[str, str] = {}
        for m in member_ids:
            person = people.get(m)
            if person is not None and person.household:
                if person.household in households:
                    problems.append(f"{households[person.household]} and {m} share a household")
                households[person.household] = m
        return problems

    def quota_violations(self, counts: Mapping[tuple[str, str], int]) -> list[str]:
        """Each quota that members counted per (feature, value) miss, in quota order
        (``"secteur=nord: 3 > max 2"``); a missing count is 0."""
        problems: list[str] = []
        for name, value, quota in self._quotas:
            c = counts.get((name, value), 0)
            if c < quota.min:
                problems.append(f"{name}={value}: {c} < min {quota.min}")
            elif c > quota.max:
                problems.append(f"{name}={value}: {c} > max {quota.max}")
        return problems


@dataclass(frozen=True)
class Distribution:
    """A probability distribution over panels.

    ``panels[i]`` is a tuple of person ids (sorted, length = seats) drawn with
    probability ``weights[i]`` (floats summing to 1). A person's **selection
    probability** (marginal) is the sum of the weights of the panels holding them.
    """

    panels: tuple[tuple[str, ...], ...]
    weights: tuple[float, ...]

    def marginals(self, ids: Iterable[str] = ()) -> dict[str, float]:
        """Selection probability of each person (``ids`` listed first with 0.0 if never selected)."""
        result: dict[str, float] = {i: 0.0 for i in ids}
        for panel, weight in zip(self.panels, self.weights, strict=True):
            for member in panel:
                result[member] = result.get(member, 0.0) + weight
        return result


class Progress:
    """The small protocol the engine calls on long computations.

    The CLI draws a progress bar from it; the web app stores it in the database.
    ``stage`` is a short English code (``"leximin"``), ``done``/``total`` are
    counts in that stage (``total`` may be ``None`` when unknown). The default
    implementation does nothing.
    """

    def update(self, stage: str, done: int, total: int | None = None, message: str = "") -> None:
        return None


NO_PROGRESS = Progress()
