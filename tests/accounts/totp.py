"""Real TOTP codes (RFC 6238) for the tests, computed like an authenticator app does."""

from __future__ import annotations

import base64
import time

from django_otp.oath import TOTP


def code_from_secret(secret: str, *, steps_ahead: int = 0) -> str:
    """The 6-digit code an app shows for the base32 ``secret`` (spaces allowed), now or later.

    ``steps_ahead=1``: the next 30-second code (a code is accepted once; the
    next one is also accepted, within the tolerance of one step).
    """
    key = base64.b32decode(
        secret.replace(" ", "").upper() + "=" * (-len(secret.replace(" ", "")) % 8)
    )
    totp = TOTP(key, step=30, t0=0, digits=6)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def code_for(device, *, steps_ahead: int = 0) -> str:
    """The code ``device`` (a ``TOTPDevice``) accepts now, or ``steps_ahead`` steps later."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    totp.time = time.time() + device.step * steps_ahead
    return f"{totp.token():0{device.digits}d}"
