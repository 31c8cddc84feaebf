"""Shape checks of the bundle and result JSON (see ``docs/draw-protocol.md``).

``verify`` runs these first so that mangled files give a sentence naming the
field (``pool[3].values.genre: expected a string, got 5``) instead of an
exception. Pure Python, no dependency.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["bundle_shape_problems", "result_shape_problems"]

Check = Callable[[Any, str, list[str]], None]


def _int(minimum: int | None = None) -> Check:
    def check(value: Any, where: str, problems: list[str]) -> None:
        if isinstance(value, bool) or not isinstance(value, int):
            problems.append(f"{where}: expected a whole number, got {value!r}")
        elif minimum is not None and value < minimum:
            problems.append(f"{where}: expected a whole number >= {minimum}, got {value}")

    return check


def _str(value: Any, where: str, problems: list[str]) -> None:
    if not isinstance(value, str):
        problems.append(f"{where}: expected a string, got {value!r}")


def _opt_str(value: Any, where: str, problems: list[str]) -> None:
    if value is not None:
        _str(value, where, problems)


def _list(item: Check) -> Check:
    def check(value: Any, where: str, problems: list[str]) -> None:
        if not isinstance(value, list):
            problems.append(f"{where}: expected a list, got {type(value).__name__}")
            return
        if item is _str and all(type(v) is str for v in value):  # fast path: id lists
            return
        for i, v in enumerate(value):
            item(v, f"{where}[{i}]", problems)

    return check


def _map(item: Check) -> Check:
    def check(value: Any, where: str, problems: list[str]) -> None:
        if not isinstance(value, dict):
            problems.append(f"{where}: expected an object, got {type(value).__name__}")
            return
        for k, v in value.items():
            item(v, f"{where}.{k}", problems)

    return check


def _obj(fields: dict[str, Check], optional: dict[str, Check] | None = None) -> Check:
    def check(value: Any, where: str, problems: list[str]) -> None:
        if not isinstance(value, dict):
            problems.append(f"{where}: expected an object, got {type(value).__name__}")
            return
        for name, item in fields.items():
            if name not in value:
                problems.append(f"{where}.{name}: missing")
            else:
                item(value[name], f"{where}.{name}", problems)
        for name, item in (optional or {}).items():
            if name in value:
                item(value[name], f"{where}.{name}", problems)

    return check


def _any(value: Any, where: str, problems: list[str]) -> None:
    return None


_BUNDLE = _obj(
    {
        "format": _str,
        "commitment": _str,
        "seats": _int(1),
        "m": _int(1),
        "features": _list(
            _obj(
                {"name": _str, "values": _list(_obj({"value": _str, "min": _int(0),
                                                     "max": _int(0)}, {"label": _str}))},
                {"label": _str},
            )
        ),  # fmt: skip
        "pool": _list(_obj({"id": _str, "values": _map(_str)}, {"household": _opt_str})),
        "panels": _list(_list(_str)),
        "selections": _map(_int(0)),
    },
    {"rounding": _obj({}, {"method": _str, "max_change": _str, "bound": _str,
                           "original_probabilities": _map(_str)}), "metadata": _any},
)  # fmt: skip

_RESULT = _obj(
    {
        "format": _str,
        "commitment": _str,
        "randomness": _obj({"method": _str}, {"dice": _list(_any), "seed": _any}),
        "index": _int(0),
        "selected": _list(_str),
        "reserve": _obj({"order": _list(_str), "seats": _map(_list(_str))}),
    }
)

MAX_PROBLEMS = 50


def bundle_shape_problems(data: Any) -> list[str]:
    """Problems with the shape of a bundle (empty list when well-formed)."""
    problems: list[str] = []
    _BUNDLE(data, "bundle", problems)
    return problems[:MAX_PROBLEMS]


def result_shape_problems(data: Any) -> list[str]:
    """Problems with the shape of a draw result (empty list when well-formed)."""
    problems: list[str] = []
    _RESULT(data, "result", problems)
    return problems[:MAX_PROBLEMS]
