"""Receipt codes: short, unambiguous, unguessable public identifiers.

Eight symbols from a 31-letter alphabet without 0/O, 1/I/L or U (about 39.6
bits), drawn with ``secrets``, shown as ``XXXX-XXXX``. The code is the
applicant's only public identifier at the draw.
"""

from __future__ import annotations

import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 8


def new_receipt_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


def normalise_receipt_code(text: str) -> str:
    """Read a code typed by a person: case, spaces and dashes are forgiven (``ab cd2345`` → ``ABCD-2345``)."""
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum())
    if len(cleaned) != LENGTH:
        return cleaned
    return f"{cleaned[:4]}-{cleaned[4:]}"
