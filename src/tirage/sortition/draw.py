"""Public randomness → panel index in ``0 .. m-1``, without modulo bias.

The protocol is specified in ``docs/draw-protocol.md`` (with test vectors) so
that anyone can re-implement it. Two sources of randomness:

* **dice** (``index_from_dice``): ten-sided dice (faces 0–9) read in order form
  a decimal number. With ``m = 10^d`` exactly ``d`` dice are thrown and the
  number *is* the index (4, 2, 7 → 427 for ``m = 1000``). Otherwise
  ``d = len(str(m - 1))`` dice form a throw ``v`` in ``0 .. 10^d - 1``; the
  throw is accepted when ``v < L = floor(10^d / m) * m`` and the index is
  ``v mod m``; a rejected throw is thrown again (``d`` more dice).
* **seed** (``index_from_seed``): ``x = SHA-256(commitment + ":" + seed + ":" + counter)``
  (UTF-8, counter in decimal from 0) read as a big-endian 256-bit integer; accepted
  when ``x < L = floor(2^256 / m) * m`` and the index is ``x mod m``; otherwise the
  counter is incremented.

No pseudo-random generator is involved: the result is a pure function of the
inputs. Only ``hashlib`` is used (no solver import, so verifying is cheap).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from tirage.sortition.errors import InputError

__all__ = [
    "Draw",
    "dice_count",
    "index_from_dice",
    "index_from_seed",
    "draw",
    "randomness_label",
    "sha256_int",
]

_HEX64 = re.compile(r"^[0-9a-f]{64}$")
MAX_SEED_ATTEMPTS = 1_000_000


@dataclass(frozen=True)
class Draw:
    """The outcome of mapping public randomness to a panel index.

    ``method`` is ``"dice"`` or ``"seed"``; ``dice`` (tuple of ints 0–9, every die
    read, in order) or ``seed`` (text) holds the randomness; ``index`` is in
    ``0 .. m-1``; ``attempts`` counts throws (dice) or hashes (seed) used,
    ``attempts - 1`` of them rejected.
    """

    method: str
    m: int
    index: int
    attempts: int
    dice: tuple[int, ...] = ()
    seed: str | None = None

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {
            "method": self.method,
            "m": self.m,
            "index": self.index,
            "attempts": self.attempts,
        }
        if self.method == "dice":
            data["dice"] = list(self.dice)
        else:
            data["seed"] = self.seed
        return data


def _check_m(m: int) -> None:
    if not isinstance(m, int) or isinstance(m, bool) or m < 1:
        raise InputError("bad_m", f"the number of panels m must be a positive integer, got {m!r}")


def dice_count(m: int) -> int:
    """Number of ten-sided dice in one throw for a lottery of ``m`` panels: digits of ``m - 1``.

    ``dice_count(1000) == 3``, ``dice_count(10000) == 4``, ``dice_count(1) == 1``.
    """
    _check_m(m)
    return len(str(m - 1))


def index_from_dice(dice: Sequence[int], m: int) -> Draw:
    """Panel index from ten-sided dice read in order (see module doc).

    ``dice`` holds one or more throws of ``dice_count(m)`` dice each, concatenated
    in the order thrown. The first accepted throw gives the index; all throws
    before it must have been rejected and no die may follow it.

    Raises ``InputError`` (code ``bad_die``, ``dice_count``, ``rethrow`` or
    ``extra_dice``) with an English message naming the problem.
    """
    _check_m(m)
    d = dice_count(m)
    values = []
    for position, die in enumerate(dice, start=1):
        if isinstance(die, bool) or not isinstance(die, int) or not 0 <= die <= 9:
            raise InputError(
                "bad_die",
                f"die {position} is {die!r}: each die must be a whole number from 0 to 9",
                position=position,
                value=die,
            )
        values.append(die)
    if not values or len(values) % d:
        raise InputError(
            "dice_count",
            f"a lottery of {m} panels needs {d} dice per throw, got {len(values)} dice",
            expected=d,
            got=len(values),
        )
    limit = (10**d // m) * m
    for t in range(len(values) // d):
        throw = values[t * d : (t + 1) * d]
        v = int("".join(map(str, throw)))
        if v < limit:
            used = (t + 1) * d
            if used != len(values):
                raise InputError(
                    "extra_dice",
                    f"throw {t + 1} ({v}) was accepted; the {len(values) - used} dice after it "
                    "are not part of the draw",
                    accepted=t + 1,
                )
            return Draw("dice", m, v % m, t + 1, dice=tuple(values))
    raise InputError(
        "rethrow",
        f"throw {len(values) // d} gives {v}, which is >= {limit} (the largest multiple of {m} "
        f"up to 10^{d}): it is rejected to avoid bias; throw {d} more dice and add them",
        limit=limit,
    )


def sha256_int(text: str) -> int:
    """SHA-256 of the UTF-8 encoding of ``text``, as a big-endian integer in ``0 .. 2^256-1``."""
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest(), "big")


def index_from_seed(commitment: str, seed: str, m: int) -> Draw:
    """Panel index from a public seed text and the bundle's commitment (see module doc).

    ``commitment`` is the 64-character lowercase hex SHA-256 of the bundle;
    ``seed`` any text (used exactly as given, UTF-8, no normalisation).
    Raises ``InputError`` for a malformed commitment or ``m``.
    """
    _check_m(m)
    if not isinstance(commitment, str) or not _HEX64.match(commitment):
        raise InputError(
            "bad_commitment", f"commitment must be 64 lowercase hex digits, got {commitment!r}"
        )
    if not isinstance(seed, str) or seed == "":
        raise InputError("bad_seed", "the seed must be a non-empty text")
    limit = (2**256 // m) * m
    for counter in range(MAX_SEED_ATTEMPTS):
        x = sha256_int(f"{commitment}:{seed}:{counter}")
        if x < limit:
            return Draw("seed", m, x % m, counter + 1, seed=seed)
    raise InputError("seed_exhausted", "no accepted hash (impossible unless m is close to 2^256)")


def draw(
    commitment: str, m: int, *, dice: Sequence[int] | None = None, seed: str | None = None
) -> Draw:
    """Dispatch to ``index_from_dice`` or ``index_from_seed``; exactly one of ``dice``/``seed``."""
    if dice is not None and seed is None:
        return index_from_dice(dice, m)
    if seed is not None and dice is None:
        return index_from_seed(commitment, seed, m)
    raise InputError("randomness", "give either dice or a seed (exactly one)")


def randomness_label(result: Draw) -> str:
    """The text standing for the randomness in derived hashes (reserve order).

    ``"dice=" + all dice digits concatenated`` (e.g. ``"dice=427"``) or ``"seed=" + seed``.
    """
    if result.method == "dice":
        return "dice=" + "".join(map(str, result.dice))
    return "seed=" + str(result.seed)
