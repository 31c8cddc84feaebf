"""Working groups: dated membership, one rapporteur from the group, former members refused."""

import datetime as dt

import pytest

from tests.meetings.helpers import at
from tirage.audit.models import AuditEntry
from tirage.council.models import Member
from tirage.meetings.errors import MeetingError
from tirage.meetings.models import WorkingGroup
from tirage.meetings.services.groups import (
    add_group_member,
    create_working_group,
    remove_group_member,
    set_rapporteur,
)


def test_membership_is_dated_and_the_rapporteur_belongs_to_the_group(council):
    a, b, c = council.members[:3]
    group = create_working_group(
        call_id=council.call.pk,
        name="Aide numérique en mairie de quartier",
        mission="Proposer un accueil numérique dans les cinq mairies de quartier.",
        member_ids=[a.pk, b.pk],
        now=at(2025, 9, 15),
    )
    with pytest.raises(MeetingError, match="seul un membre du groupe peut en être rapporteur"):
        set_rapporteur(group_id=group.pk, member_id=c.pk, now=at(2025, 9, 15))
    set_rapporteur(group_id=group.pk, member_id=a.pk, now=at(2025, 9, 15))
    with pytest.raises(MeetingError, match="fait déjà partie du groupe"):
        add_group_member(group_id=group.pk, member_id=b.pk, now=at(2025, 9, 16))
    remove_group_member(group_id=group.pk, member_id=a.pk, now=at(2025, 11, 2))
    group.refresh_from_db()
    assert group.rapporteur is None
    assert [m.member for m in group.memberships_on(dt.date(2025, 11, 1))] == [a, b]
    assert [m.member for m in group.memberships_on(dt.date(2025, 11, 2))] == [b]
    # Rejoining later opens a new dated membership.
    add_group_member(group_id=group.pk, member_id=a.pk, now=at(2026, 1, 5))
    assert group.is_member(a.pk, dt.date(2026, 1, 5)) and not group.is_member(
        a.pk, dt.date(2025, 12, 1)
    )
    assert [e.action for e in AuditEntry.objects.filter(object_type="meetings.workinggroup")] == [
        "working_group.created",
        "working_group.member_added",
        "working_group.member_added",
        "working_group.rapporteur_set",
        "working_group.member_removed",
        "working_group.member_added",
    ]


def test_a_group_with_a_former_member_or_a_taken_name_is_not_created(council):
    create_working_group(call_id=council.call.pk, name="Open data", now=at(2025, 9, 15))
    with pytest.raises(MeetingError, match="Un groupe de travail s'appelle déjà « open DATA »"):
        create_working_group(call_id=council.call.pk, name="open DATA", now=at(2025, 9, 15))
    former = council.members[4]
    Member.objects.filter(pk=former.pk).update(ended_on=dt.date(2025, 9, 10), end_reason="moved")
    with pytest.raises(MeetingError, match="n'est pas membre en exercice du conseil"):
        create_working_group(
            call_id=council.call.pk,
            name="Services en ligne",
            member_ids=[council.members[0].pk, former.pk],
            now=at(2025, 9, 15),
        )
    assert list(WorkingGroup.objects.values_list("name", flat=True)) == ["Open data"]
