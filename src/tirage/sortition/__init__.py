"""Tirage's sortition engine: fair stratified selection and a transparent lottery.

Usable without Django. See ``docs/sortition.md`` for the methods and the
papers they implement.
"""

from tirage.sortition.model import Feature, Instance, Person, Quota, normalise_key

__all__ = ["Feature", "Instance", "Person", "Quota", "normalise_key"]
