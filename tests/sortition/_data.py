"""The shipped instances of ``data/sortition``, read with ``io.read_instance``.

Used by the tests and the benchmarks.

Households: people sharing ``address`` + ``postcode`` (``civic_synth_400_k20``).
"""

from __future__ import annotations

from pathlib import Path

from tirage.sortition.io import read_instance
from tirage.sortition.model import Instance

DATA = Path(__file__).resolve().parents[2] / "data" / "sortition"

# name: (features file, people file, id column, seats, household columns)
INSTANCES = {
    "citizensassemblies_example_small_20": ("categories.csv", "respondents.csv", None, 20, ()),
    "citizensassemblies_example_large_200": ("categories.csv", "respondents.csv", None, 200, ()),
    "sortition_algorithms_fixture_150": (
        "features.csv",
        "candidates.csv",
        "nationbuilder_id",
        22,
        (),
    ),
    "civic_synth_400_k20": ("features.csv", "people.csv", "id", 20, ("address", "postcode")),
}


def load(name: str) -> Instance:
    """The instance ``data/sortition/<name>`` with its usual panel size."""
    features, people, id_column, seats, households = INSTANCES[name]
    folder = DATA / name
    return read_instance(
        folder / features,
        folder / people,
        seats=seats,
        id_column=id_column,
        household_columns=households,
    )
