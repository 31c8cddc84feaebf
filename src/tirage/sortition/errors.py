"""Errors raised by the engine.

Every error carries a stable ``code`` and its ``params`` so that the web app
can word it in French, plus an English ``message`` for the CLI and logs.
"""

from __future__ import annotations

from typing import Any

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
    """No panel satisfies the quotas. ``params["reasons"]`` lists why in words;
    ``params.get("relaxation")`` holds the smallest relaxation found, if any."""


class BundleError(SortitionError):
    """A lottery bundle or result failed verification; the message names what differs."""
