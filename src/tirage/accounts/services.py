"""Second factors of a staff account: TOTP app, recovery codes, reset. Every change audited.

A staff member sets up one authenticator app (TOTP, RFC 6238: 6 digits every
30 s) and gets ``RECOVERY_CODES`` single-use recovery codes (django-otp static
tokens: 8 characters, shown ``abcd-efgh``) for the day the phone is lost.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass

import segno
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tirage.audit.services import log_action

RECOVERY_CODES = 10
APP_DEVICE_NAME = "Application d'authentification"
RECOVERY_DEVICE_NAME = "Codes de secours"
TOTP_PATTERN = re.compile(r"\d{6}")
RECOVERY_PATTERN = re.compile(r"[a-z2-7]{8}")


@dataclass(frozen=True)
class Verification:
    """The outcome of a code: ``device`` when accepted; else ``wait_seconds`` when throttled."""

    device: TOTPDevice | StaticDevice | None
    wait_seconds: int = 0
    recovery_codes_left: int | None = None  # after a recovery code was used


def normalise_code(text: str) -> str:
    """What the person typed, without spaces or hyphens, lower case (``ABCD-EFGH`` → ``abcdefgh``).

    Recovery codes have no 0 nor 1 (base32): a typed ``0`` or ``1`` is read as ``o`` or ``l``.
    """
    code = re.sub(r"[\s\-]", "", text).lower()
    if not TOTP_PATTERN.fullmatch(code):
        code = code.translate(str.maketrans("01", "ol"))
    return code


def format_recovery_code(token: str) -> str:
    return f"{token[:4]}-{token[4:]}"


def app_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def device_to_confirm(user) -> TOTPDevice:
    """The not yet confirmed app device of ``user`` (the same one until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The key in base32, as apps ask for it when typed by hand, in groups of four."""
    key = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The ``otpauth://`` link as an inline SVG QR code (drawn here: no external service)."""
    return segno.make(device.config_url, error="m").svg_inline(
        scale=5, title="QR code à scanner avec l'application d'authentification"
    )


def wait_seconds(device: TOTPDevice | StaticDevice) -> int:
    """Seconds before ``device`` accepts another try (django-otp doubles it after each failure)."""
    allowed, details = device.verify_is_allowed()
    until = None if allowed else (details or {}).get("locked_until")
    if until is None:
        return 0
    return max(1, int((until - timezone.now()).total_seconds()) + 1)


def _renew_recovery_codes(user) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(
        user=user, defaults={"name": RECOVERY_DEVICE_NAME, "confirmed": True}
    )
    device.token_set.all().delete()
    tokens = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=t) for t in tokens)
    return [format_recovery_code(t) for t in tokens]


def confirm_app(device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm ``device`` with the first code the app shows; returns new recovery codes.

    ``None`` (nothing changed) when the code is wrong.
    """
    with transaction.atomic():
        # Locked: two submits of the same code confirm once and issue one set of codes.
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if device.confirmed or not device.verify_token(normalise_code(code)):
            return None
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
        codes = _renew_recovery_codes(device.user)
        log_action(
            device.user,
            "staff.two_factor_enabled",
            actor=device.user,
            data={"recovery_codes": len(codes)},
        )
    return codes


def renew_recovery_codes(user, *, actor_label: str = "") -> list[str]:
    """Replace ``user``'s recovery codes (the old ones stop working); returns the new ones.

    Done by ``user`` themselves, or by a command named in ``actor_label``.
    """
    with transaction.atomic():
        codes = _renew_recovery_codes(user)
        log_action(
            user,
            "staff.recovery_codes_renewed",
            actor=None if actor_label else user,
            actor_label=actor_label,
            data={"count": len(codes)},
        )
    return codes


def ensure_app_device(user, *, actor_label: str) -> TOTPDevice:
    """``user``'s confirmed app, created (audited, by ``actor_label``) when missing.

    For accounts made by a command (the demo): the key is then given to the
    person, who adds it to an app instead of scanning the QR code at sign-in.
    """
    with transaction.atomic():
        device = app_device(user)
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=True)
            log_action(user, "staff.two_factor_enabled", actor_label=actor_label)
    return device


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def verify(user, code: str) -> Verification:
    """Check a code from the app (6 digits) or a recovery code (8 characters).

    Each device throttles its own failures (django-otp: 1 s, 2 s, 4 s… after
    each wrong code); ``wait_seconds`` says how long before the next try.
    """
    code = normalise_code(code)
    devices: list[TOTPDevice | StaticDevice]
    if TOTP_PATTERN.fullmatch(code):
        devices = list(TOTPDevice.objects.filter(user=user, confirmed=True))
    elif RECOVERY_PATTERN.fullmatch(code):
        devices = list(StaticDevice.objects.filter(user=user, confirmed=True))
    else:
        return Verification(None)
    wait = 0
    for device in devices:
        with transaction.atomic():
            # Locked: one code, two tabs: accepted once (TOTP refuses a replay, a static token is deleted).
            device = type(device).objects.select_for_update().get(pk=device.pk)
            throttled = wait_seconds(device)
            if throttled:
                wait = max(wait, throttled)
                continue
            if device.verify_token(code):
                if isinstance(device, StaticDevice):
                    left = device.token_set.count()
                    log_action(user, "staff.recovery_code_used", actor=user, data={"left": left})
                    return Verification(device, recovery_codes_left=left)
                return Verification(device)
    return Verification(None, wait_seconds=wait)


def reset_two_factor(user, *, actor=None, actor_label: str = "") -> int:
    """Remove ``user``'s app and recovery codes (lost phone); returns how many devices went.

    At the next sign-in, someone whose role needs a second factor sets up an app again.
    """
    with transaction.atomic():
        removed = TOTPDevice.objects.filter(user=user).delete()[1].get(TOTPDevice._meta.label, 0)
        removed += (
            StaticDevice.objects.filter(user=user).delete()[1].get(StaticDevice._meta.label, 0)
        )
        log_action(
            user,
            "staff.two_factor_reset",
            actor=actor,
            actor_label=actor_label,
            data={"devices": removed},
        )
    return removed
