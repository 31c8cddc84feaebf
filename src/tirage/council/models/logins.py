"""Members' sign-in tickets: a link sent by e-mail or a code printed on a letter.

One ``MemberLogin`` row per link or code issued. The row holds the state that
makes a ticket single-use and short-lived (``expires_at``, ``used_at``), so that a
refused ticket gets a precise reason; the link's token itself is signed by
django-sesame (``tirage.council.space.links``), a printed code is stored as its
SHA-256 only. ``MemberLoginFailure`` rows count wrong codes for the rate limit.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils import timezone


class MemberLogin(models.Model):
    class Kind(models.TextChoices):
        LINK = "link", "lien envoyé par courriel"
        CODE = "code", "code imprimé sur un courrier"

    member = models.ForeignKey(
        "council.Member", on_delete=models.CASCADE, related_name="logins", verbose_name="membre"
    )
    kind = models.CharField("type", max_length=4, choices=Kind.choices)
    # SHA-256 of a printed code (empty for a link: its token is signed, not stored).
    code_hash = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField("émis le", default=timezone.now)
    expires_at = models.DateTimeField("valable jusqu'au")
    used_at = models.DateTimeField("utilisé le", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "connexion de membre"
        verbose_name_plural = "connexions de membres"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — membre {self.member_id}"

    def is_expired(self, now: dt.datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.expires_at


class MemberLoginFailure(models.Model):
    """A wrong sign-in code (or an e-mail asked for), for the rate limit: by address and by receipt code."""

    ip = models.GenericIPAddressField(null=True, blank=True)
    receipt_code = models.CharField(max_length=12, blank=True, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "échec de connexion de membre"
        verbose_name_plural = "échecs de connexion de membres"

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.ip or ''} {self.receipt_code}".strip()
