"""French wording shared by messages and pages (counts); dates are in ``tirage.site.dates``."""

from __future__ import annotations


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """« 1 membre », « 3 membres » (French: 0 and 1 take the singular)."""
    word = singular if abs(count) <= 1 else (plural_form or singular + "s")
    return f"{count} {word}"
