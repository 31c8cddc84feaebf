"""Meetings are planned in the future with a place (or a group); changes after convocation respect the notice; cancellations give a reason."""

import datetime as dt

import pytest

from tests.meetings.helpers import at, plenary
from tirage.audit.models import AuditEntry
from tirage.meetings.errors import MeetingError
from tirage.meetings.models import Meeting
from tirage.meetings.services.groups import create_working_group
from tirage.meetings.services.schedule import change_meeting, plan_meeting


def test_a_meeting_in_the_past_is_refused_and_nothing_is_saved(council):
    with pytest.raises(MeetingError) as info:
        plan_meeting(
            call_id=council.call.pk,
            title="Séance plénière",
            starts_at=at(2025, 10, 6, 18, 30),
            place="Hôtel de ville",
            now=at(2025, 10, 7, 9),
        )
    assert info.value.message == (
        "La réunion ne peut pas avoir lieu dans le passé : le 6 octobre 2025 à 18 h 30 est déjà "
        "passé (nous sommes le 7 octobre 2025 à 9 h 00)."
    )
    assert info.value.field == "starts_at"
    assert not Meeting.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="meeting.").exists()


def test_a_meeting_is_planned_with_its_place_and_audited(council, coordinator):
    meeting = plan_meeting(
        call_id=council.call.pk,
        title="Séance plénière d'octobre",
        starts_at=dt.datetime(2025, 10, 6, 18, 30),  # naive: read in Europe/Paris
        place="Hôtel de ville, salle du conseil",
        address="Grand'Place, 59100 Roubaix",
        access_info="Entrée accessible en fauteuil par la rue du Château ; métro Grand'Place.",
        actor=coordinator,
        now=at(2025, 9, 10),
    )
    assert meeting.state == Meeting.State.PLANNED
    assert meeting.ends_at - meeting.starts_at == dt.timedelta(hours=2)
    assert meeting.starts_at.utcoffset() == dt.timedelta(hours=2)
    entry = AuditEntry.objects.get(action="meeting.planned")
    assert entry.actor == coordinator and entry.data["starts_at"] == "2025-10-06T18:30:00+02:00"


@pytest.mark.parametrize(
    "kwargs, field, message",
    [
        ({"place": ""}, "place", "Indiquez le lieu de la réunion (elle se tient sur place)."),
        ({"title": " "}, "title", "Donnez un titre à la réunion."),
        (
            {"ends_at": at(2025, 10, 6, 17)},
            "ends_at",
            "La fin (6 octobre 2025 à 17 h 00) doit suivre le début (6 octobre 2025 à 18 h 00).",
        ),
        (
            {"kind": Meeting.Kind.WORKING_GROUP},
            "working_group",
            "Choisissez le groupe de travail qui se réunit.",
        ),
        ({"remote_url": "pas une adresse"}, "remote_url", "Saisissez une URL valide."),
    ],
)
def test_incomplete_meetings_are_refused(council, kwargs, field, message):
    data = dict(
        call_id=council.call.pk,
        title="Séance",
        starts_at=at(2025, 10, 6),
        place="Hôtel de ville",
        now=at(2025, 9, 10),
    )
    data.update(kwargs)
    with pytest.raises(MeetingError) as info:
        plan_meeting(**data)
    assert (info.value.field, info.value.message) == (field, message)
    assert not Meeting.objects.exists()


def test_a_remote_meeting_needs_no_place(council):
    meeting = plan_meeting(
        call_id=council.call.pk,
        title="Point d'étape à distance",
        starts_at=at(2025, 10, 6),
        format=Meeting.Format.REMOTE,
        remote_url="https://visio.example.org/cln",
        now=at(2025, 9, 10),
    )
    assert meeting.place == "" and meeting.format == "remote"


def test_a_working_group_meeting_names_a_group_of_the_same_council(council):
    group = create_working_group(
        call_id=council.call.pk,
        name="Démarches en ligne",
        member_ids=[m.pk for m in council.members[:5]],
        now=at(2025, 9, 10),
    )
    meeting = plan_meeting(
        call_id=council.call.pk,
        title="Groupe démarches en ligne",
        kind=Meeting.Kind.WORKING_GROUP,
        working_group_id=group.pk,
        starts_at=at(2025, 10, 8),
        place="Médiathèque",
        now=at(2025, 9, 10),
    )
    assert meeting.working_group == group
    with pytest.raises(MeetingError, match="Seule une réunion de groupe de travail se rattache"):
        plan_meeting(
            call_id=council.call.pk,
            title="Plénière",
            working_group_id=group.pk,
            starts_at=at(2025, 10, 9),
            place="Hôtel de ville",
            now=at(2025, 9, 10),
        )


def test_moving_a_convened_meeting_needs_a_reason_and_the_notice_period(council):
    meeting = plenary(council, at(2025, 10, 6), now=at(2025, 9, 10))
    with pytest.raises(MeetingError, match="indiquez le motif du changement"):
        change_meeting(meeting_id=meeting.pk, starts_at=at(2025, 10, 13), now=at(2025, 9, 20))
    with pytest.raises(MeetingError) as info:
        change_meeting(
            meeting_id=meeting.pk,
            starts_at=at(2025, 9, 29),
            reason="Salle indisponible",
            now=at(2025, 9, 20),
        )
    assert info.value.message == (
        "Convocation trop tardive : la réunion du 29 septembre 2025 est dans 9 jours, le règlement "
        "impose 15 jours de préavis (il fallait convoquer au plus tard le 14 septembre 2025). "
        "Déplacez la réunion au 5 octobre 2025 ou plus tard."
    )
    stored = Meeting.objects.get(pk=meeting.pk)
    assert stored.starts_at == at(2025, 10, 6) and stored.sequence == 0
    moved = change_meeting(
        meeting_id=meeting.pk,
        starts_at=at(2025, 10, 13),
        reason="Salle indisponible le 6",
        now=at(2025, 9, 20),
    )
    assert moved.ends_at == at(2025, 10, 13, 20) and moved.sequence == 1
    assert not moved.convocations.filter(delivered_at__isnull=False).exists()
    entry = AuditEntry.objects.get(action="meeting.changed")
    assert entry.reason == "Salle indisponible le 6"
    assert entry.data["before"]["starts_at"] == "2025-10-06T16:00:00+00:00"


def test_a_cancellation_gives_a_reason_and_is_final(council, coordinator):
    meeting = plenary(council, at(2025, 10, 6), now=at(2025, 9, 10))
    with pytest.raises(MeetingError, match="Indiquez le motif de l'annulation"):
        meeting.cancel(reason=" ", now=at(2025, 9, 20))
    meeting.cancel(reason="Grève des transports", actor=coordinator, now=at(2025, 9, 20))
    stored = Meeting.objects.get(pk=meeting.pk)
    assert (stored.state, stored.cancelled_reason, stored.sequence) == (
        "cancelled",
        "Grève des transports",
        1,
    )
    with pytest.raises(MeetingError, match="déjà annulée"):
        meeting.cancel(reason="encore", now=at(2025, 9, 21))
    with pytest.raises(MeetingError, match="« annulée » : elle ne se modifie plus"):
        change_meeting(meeting_id=meeting.pk, title="Autre", now=at(2025, 9, 21))
    entry = AuditEntry.objects.get(action="meeting.cancelled")
    assert entry.data["from"] == "convened" and entry.actor == coordinator
