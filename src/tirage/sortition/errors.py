"""Errors raised by the engine.

Every error carries a stable ``code`` and its ``params`` so that the web app
can word it in French, plus an English ``message`` for the CLI and logs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the feasibility check needs the solver; raising this error does not
    from tirage.sortition.feasibility import FeasibilityReport

__all__ = ["SortitionError", "InputError", "InfeasibleError", "BundleError"]


class SortitionError(Exception):
    """Base class: ``code`` (e.g. ``"unknown_value"``), ``params`` and an English message."""

    def __init__(self, code: str, message: str, **params: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.params = params

    def __str__(self) -> str:
        return self.message


class InputError(SortitionError):
    """Bad input file: ``params`` name ``file``, ``row``, ``column`` and ``value`` where known."""


class InfeasibleError(SortitionError):
    """No panel (or no replacement) satisfies the quotas. ``params["reasons"]`` lists
    why in words; ``params.get("relaxation")`` holds the smallest relaxation found, if
    any, as a dict. ``report`` is the whole ``FeasibilityReport`` when the quotas
    themselves are infeasible (``None`` for a failed replacement)."""

    def __init__(
        self, code: str, message: str, *, report: FeasibilityReport | None = None, **params: Any
    ) -> None:
        super().__init__(code, message, **params)
        self.report = report


class BundleError(SortitionError):
    """A lottery bundle or result failed verification; the message names what differs."""
