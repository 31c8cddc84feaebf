"""Single-use reply codes, printed on the letter and typed on the reply page.

Ten symbols of the receipt-code alphabet (no 0/O, 1/I/L, U: about 49 bits),
shown as ``XXXXX-XXXXX``. Only the SHA-256 is stored (``Offer.token_hash``).
"""

from __future__ import annotations

import secrets

from tirage.applications.codes import ALPHABET

LENGTH = 10


def new_reply_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


def normalise_reply_code(text: str) -> str:
    """Case, spaces and dashes forgiven: ``k7pm3 qxr2h`` → ``K7PM3-QXR2H``."""
    cleaned = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    return f"{cleaned[:5]}-{cleaned[5:]}" if len(cleaned) == LENGTH else cleaned
