"""Working groups (*groupes de travail*): a few members of the council, a mission, a rapporteur.

Membership is dated (``joined_on``, ``left_on``) so that a past meeting of a
group still knows who belonged to it; a member is in a group at most once
at a time. The rapporteur is one of the group's current members.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils import timezone

from tirage.calls.models import Call


class WorkingGroup(models.Model):
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="working_groups")
    name = models.CharField("nom", max_length=200)
    mission = models.TextField("mission", blank=True)
    rapporteur = models.ForeignKey(
        "council.Member",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="rapporteur ou rapporteuse",
    )
    created_on = models.DateField("créé le", default=timezone.localdate)
    closed_on = models.DateField("clos le", null=True, blank=True)

    class Meta:
        ordering = ["call", "name"]
        constraints = [
            models.UniqueConstraint(fields=["call", "name"], name="working_group_name_per_call"),
        ]
        verbose_name = "groupe de travail"
        verbose_name_plural = "groupes de travail"

    def __str__(self) -> str:
        return self.name

    def memberships_on(self, day: dt.date):
        """The group's memberships on ``day`` (joined on or before, not left yet)."""
        return self.memberships.filter(
            Q(left_on__isnull=True) | Q(left_on__gt=day), joined_on__lte=day
        ).select_related("member__application")

    def is_member(self, member_id: int, day: dt.date) -> bool:
        return self.memberships_on(day).filter(member_id=member_id).exists()


class GroupMembership(models.Model):
    group = models.ForeignKey(WorkingGroup, on_delete=models.PROTECT, related_name="memberships")
    member = models.ForeignKey(
        "council.Member", on_delete=models.PROTECT, related_name="group_memberships"
    )
    joined_on = models.DateField("depuis le")
    left_on = models.DateField("jusqu'au (exclu)", null=True, blank=True)

    class Meta:
        ordering = ["group", "joined_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "member"],
                condition=Q(left_on__isnull=True),
                name="one_open_membership_per_group",
            ),
        ]
        verbose_name = "membre d'un groupe de travail"
        verbose_name_plural = "membres des groupes de travail"

    def __str__(self) -> str:
        return f"{self.group} — {self.member}"
