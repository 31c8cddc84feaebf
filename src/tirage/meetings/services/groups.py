"""Working groups: create one, add and remove members (dated), name the rapporteur."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from tirage.audit.services import log_action
from tirage.council.models import Member
from tirage.meetings.errors import MeetingError
from tirage.meetings.models import GroupMembership, WorkingGroup
from tirage.meetings.office import in_office, member_name
from tirage.meetings.services.common import validated
from tirage.site.dates import french_date as fr_day


@transaction.atomic
def create_working_group(
    *,
    call_id: int,
    name: str,
    mission: str = "",
    member_ids: list[int] | None = None,
    actor=None,
    now: dt.datetime | None = None,
) -> WorkingGroup:
    """A new working group of ``call_id`` with its first members (joining today); audited.

    Refused (``MeetingError``) for an empty or already used name, or a member
    not in office today (nothing is saved).
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    name = (name or "").strip()
    if not name:
        raise MeetingError("Donnez un nom au groupe de travail.", field="name")
    if WorkingGroup.objects.filter(call_id=call_id, name__iexact=name).exists():
        raise MeetingError(f"Un groupe de travail s'appelle déjà « {name} ».", field="name")
    group = WorkingGroup(
        call_id=call_id, name=name, mission=(mission or "").strip(), created_on=today
    )
    validated(group)
    group.save()
    log_action(group, "working_group.created", actor=actor, data={"name": name})
    for member_id in member_ids or []:
        add_group_member(group_id=group.pk, member_id=member_id, actor=actor, now=now)
    return group


@transaction.atomic
def add_group_member(
    *, group_id: int, member_id: int, actor=None, now: dt.datetime | None = None
) -> GroupMembership:
    """``member_id`` joins the group today; audited. Refused when already in it or not in office."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    # Lock: two staff members adding the same person at once make one membership.
    group = WorkingGroup.objects.select_for_update().get(pk=group_id)
    member = Member.objects.select_related("application").get(pk=member_id)
    if group.closed_on is not None:
        raise MeetingError(
            f"Le groupe « {group.name} » est clos depuis le {fr_day(group.closed_on)}."
        )
    if member.call_id != group.call_id or not in_office(member, today):
        raise MeetingError(
            f"{member_name(member)} n'est pas membre en exercice du conseil : il ou elle ne peut "
            "pas rejoindre un groupe de travail.",
            field="member",
        )
    if group.memberships.filter(member=member, left_on__isnull=True).exists():
        raise MeetingError(
            f"{member_name(member)} fait déjà partie du groupe « {group.name} ».", field="member"
        )
    membership = GroupMembership.objects.create(group=group, member=member, joined_on=today)
    log_action(
        group,
        "working_group.member_added",
        actor=actor,
        data={"member": member.pk, "on": today.isoformat()},
    )
    return membership


@transaction.atomic
def remove_group_member(
    *, group_id: int, member_id: int, actor=None, now: dt.datetime | None = None
) -> GroupMembership:
    """``member_id`` leaves the group today (no longer its rapporteur if they were); audited."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    group = WorkingGroup.objects.select_for_update().get(pk=group_id)
    membership = (
        group.memberships.select_for_update()
        .select_related("member__application")
        .filter(member_id=member_id, left_on__isnull=True)
        .first()
    )
    if membership is None:
        raise MeetingError("Cette personne ne fait pas partie du groupe.", field="member")
    membership.left_on = today
    membership.save(update_fields=["left_on"])
    if group.rapporteur_id == member_id:
        group.rapporteur = None
        group.save(update_fields=["rapporteur"])
    log_action(
        group,
        "working_group.member_removed",
        actor=actor,
        data={"member": member_id, "on": today.isoformat()},
    )
    return membership


@transaction.atomic
def set_rapporteur(
    *, group_id: int, member_id: int | None, actor=None, now: dt.datetime | None = None
) -> WorkingGroup:
    """Name the group's rapporteur (one of its current members), or none; audited."""
    today = timezone.localdate(now or timezone.now())
    # Lock: the rapporteur and the membership change together.
    group = WorkingGroup.objects.select_for_update().get(pk=group_id)
    if member_id is not None and not group.is_member(member_id, today):
        member = Member.objects.select_related("application").get(pk=member_id)
        raise MeetingError(
            f"{member_name(member)} ne fait pas partie du groupe « {group.name} » : seul un membre du "
            "groupe peut en être rapporteur ou rapporteuse.",
            field="rapporteur",
        )
    before = group.rapporteur_id
    group.rapporteur_id = member_id
    group.save(update_fields=["rapporteur"])
    log_action(
        group, "working_group.rapporteur_set", actor=actor, data={"from": before, "to": member_id}
    )
    return group
