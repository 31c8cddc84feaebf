"""Convocations and attendance: who was called, what they answered before, what the sign-in sheet says after.

One ``Attendance`` row per member and meeting holds both the member's
*reply* before the meeting (present, remote, excused, proxy to a member)
and the *status* recorded from the signed sheet after it (the same values
plus absent). A proxy (*procuration*) goes to another member in office who
attends; a member holds at most one proxy per meeting (a unique constraint
backs the service's check).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from tirage.meetings.models.meeting import Meeting
from tirage.meetings.models.rules import Source


class Presence(models.TextChoices):
    PRESENT = "present", "présent·e"
    REMOTE = "remote", "à distance"
    EXCUSED = "excused", "excusé·e"
    PROXY = "proxy", "procuration"
    ABSENT = "absent", "absent·e (non excusé·e)"


# What a member may answer before the meeting (absence is only recorded after).
REPLIES = (Presence.PRESENT, Presence.REMOTE, Presence.EXCUSED, Presence.PROXY)
# Statuses that make a member count as attending (and able to hold a proxy).
ATTENDING = (Presence.PRESENT, Presence.REMOTE)


class Convocation(models.Model):
    """A member called to a meeting. ``late``: called after the notice period (joined the council since)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="convocations")
    member = models.ForeignKey(
        "council.Member", on_delete=models.PROTECT, related_name="convocations"
    )
    created_at = models.DateTimeField("convoqué·e le", default=timezone.now)
    late = models.BooleanField("convocation tardive (nouveau membre)", default=False)
    # Set when the letter / e-mail has been handed to ``letters`` (after the transaction commits).
    delivered_at = models.DateTimeField("courrier produit le", null=True, blank=True)

    class Meta:
        ordering = ["meeting", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "member"], name="one_convocation_per_member"
            ),
        ]
        verbose_name = "convocation"
        verbose_name_plural = "convocations"

    def __str__(self) -> str:
        return f"{self.meeting} — {self.member}"


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="attendances")
    member = models.ForeignKey(
        "council.Member", on_delete=models.PROTECT, related_name="attendances"
    )
    # Before: the member's reply.
    reply = models.CharField(
        "réponse à la convocation",
        max_length=10,
        choices=[(p.value, p.label) for p in REPLIES],
        blank=True,
    )
    reply_proxy_to = models.ForeignKey(
        "council.Member",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="procuration annoncée à",
    )
    reply_note = models.CharField("précision", max_length=300, blank=True)
    reply_source = models.CharField(
        "réponse donnée", max_length=10, choices=Source.choices, blank=True
    )
    replied_at = models.DateTimeField(null=True, blank=True)
    reply_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # After: the sign-in sheet.
    status = models.CharField("présence", max_length=10, choices=Presence.choices, blank=True)
    proxy_to = models.ForeignKey(
        "council.Member",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="procuration donnée à",
    )
    status_source = models.CharField(
        "présence saisie", max_length=10, choices=Source.choices, blank=True
    )
    recorded_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["meeting", "member"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="one_attendance_per_member"),
            models.UniqueConstraint(
                fields=["meeting", "proxy_to"],
                condition=Q(proxy_to__isnull=False),
                name="one_proxy_held_per_member",
            ),
            models.UniqueConstraint(
                fields=["meeting", "reply_proxy_to"],
                condition=Q(reply_proxy_to__isnull=False),
                name="one_announced_proxy_held_per_member",
            ),
            models.CheckConstraint(
                condition=Q(status="proxy", proxy_to__isnull=False)
                | (~Q(status="proxy") & Q(proxy_to__isnull=True)),
                name="proxy_status_names_a_holder",
            ),
            models.CheckConstraint(
                condition=Q(reply="proxy", reply_proxy_to__isnull=False)
                | (~Q(reply="proxy") & Q(reply_proxy_to__isnull=True)),
                name="proxy_reply_names_a_holder",
            ),
            models.CheckConstraint(
                condition=~Q(proxy_to=F("member")) & ~Q(reply_proxy_to=F("member")),
                name="no_proxy_to_oneself",
            ),
            models.CheckConstraint(condition=~Q(reply="absent"), name="reply_is_never_absent"),
        ]
        verbose_name = "présence"
        verbose_name_plural = "présences"

    def __str__(self) -> str:
        return f"{self.meeting} — {self.member}: {self.get_status_display() or '—'}"
