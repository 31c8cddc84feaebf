"""The draw's result: public randomness → panel index → selected panel and reserve.

A **result** (JSON) is written by the draw: the commitment, the randomness
(dice or seed), the panel index, the selected ids and the reserve list. It is
published next to the bundle; ``verify`` recomputes every field of it. The
format is specified in ``docs/draw-protocol.md``. Pure Python (hashlib), no solver.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import tirage
from tirage.sortition.bundle import Bundle, read_json, write_json
from tirage.sortition.draw import Draw, draw, randomness_label
from tirage.sortition.errors import BundleError
from tirage.sortition.reserve import Reserve, build_reserve
from tirage.sortition.schema import result_shape_problems

__all__ = ["RESULT_FORMAT", "DrawResult", "make_result", "load_result"]

RESULT_FORMAT = "tirage-draw-result/1"


@dataclass(frozen=True)
class DrawResult:
    """The outcome of a draw from a bundle.

    * ``commitment``: the bundle's commitment (64 hex digits); ``m``: its number of panels;
    * ``randomness``: the dice or the seed and the index they give (``draw.Draw``);
    * ``selected``: the panel at that index (sorted ids);
    * ``reserve``: the global reserve order and each seat's replacements (``reserve.Reserve``);
    * ``software_version``: the version of Tirage that drew.
    """

    commitment: str
    m: int
    randomness: Draw
    selected: tuple[str, ...]
    reserve: Reserve
    software_version: str = tirage.__version__

    @property
    def index(self) -> int:
        """Index of the selected panel in the bundle, ``0 .. m-1``."""
        return self.randomness.index

    def to_json(self) -> dict[str, Any]:
        """The result file's JSON object (``docs/draw-protocol.md``, section 6)."""
        return {
            "format": RESULT_FORMAT,
            "software": {"name": "tirage", "version": self.software_version},
            "commitment": self.commitment,
            "m": self.m,
            "randomness": self.randomness.to_json(),
            "index": self.index,
            "selected": list(self.selected),
            "reserve": self.reserve.to_json(),
        }

    def write(self, path: str | os.PathLike[str]) -> None:
        """Write the result in canonical JSON (as the bundle). ``OSError`` on I/O failure."""
        write_json(path, self.to_json())

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> DrawResult:
        """The result read from its JSON object; ``BundleError`` when it is malformed.

        Only the shape is checked: run ``verify`` to check the content.
        """
        problems = result_shape_problems(data)
        if problems:
            raise BundleError("bad_result", "malformed draw result: " + problems[0])
        try:
            randomness = data["randomness"]
            reserve = data["reserve"]
            version = data.get("software", {}).get("version", "")
            return cls(
                commitment=data["commitment"],
                m=int(data.get("m", 0)),
                randomness=Draw(
                    method=randomness["method"],
                    m=int(randomness["m"]),
                    index=int(randomness["index"]),
                    attempts=int(randomness["attempts"]),
                    dice=tuple(int(d) for d in randomness.get("dice", ())),
                    seed=randomness.get("seed"),
                ),
                selected=tuple(data["selected"]),
                reserve=Reserve(
                    order=tuple(reserve["order"]),
                    seats={member: tuple(ids) for member, ids in reserve["seats"].items()},
                ),
                software_version=str(version),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise BundleError("bad_result", f"malformed draw result: {exc!r}") from None


def make_result(
    bundle: Bundle, *, dice: Sequence[int] | None = None, seed: str | None = None
) -> DrawResult:
    """Draw from ``bundle`` with the dice or the seed (exactly one).

    Raises ``InputError`` for bad dice/seed and ``BundleError`` for an
    inconsistent bundle. Run ``verify`` on the bundle first: drawing does not
    check its commitment.
    """
    instance = bundle.instance()
    randomness = draw(bundle.commitment, bundle.m, dice=dice, seed=seed)
    panels = bundle.panels
    if len(panels) != bundle.m:
        raise BundleError("bad_bundle", f"bundle lists {len(panels)} panels, m = {bundle.m}")
    selected = tuple(panels[randomness.index])
    reserve = build_reserve(instance, selected, bundle.commitment, randomness_label(randomness))
    return DrawResult(bundle.commitment, bundle.m, randomness, selected, reserve)


def load_result(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The JSON object of a result file, unchecked: give it to ``verify``, then to
    ``DrawResult.from_json``. ``BundleError`` if it is not a result JSON object, ``OSError``."""
    data = read_json(path, "draw result")
    if data.get("format") != RESULT_FORMAT:
        raise BundleError(
            "bad_format", f"{path}: format {data.get('format')!r} is not {RESULT_FORMAT!r}"
        )
    return data
