"""Minutes: draft → sent → amendments → approved by a later plenary with quorum → published; locked once approved."""

import datetime as dt

import pytest

from tests.meetings.helpers import at, hold, plenary
from tirage.audit.models import AuditEntry
from tirage.meetings.errors import MeetingError
from tirage.meetings.models import Decision, Meeting, Minutes, Presence, Source
from tirage.meetings.services.attendance import Mark, record_attendance
from tirage.meetings.services.decisions import record_decision
from tirage.meetings.services.minutes import (
    approve_minutes,
    draft_minutes,
    propose_amendment,
    publish_minutes,
    send_minutes,
)
from tirage.meetings.voting import Votes

ITEMS = (("Approbation du compte rendu de la séance précédente", "decision"),)


@pytest.fixture
def october(council):
    meeting = plenary(council, at(2025, 10, 6), items=ITEMS, now=at(2025, 9, 10))
    hold(meeting, everyone=council.members, excused=council.members[15:])
    record_decision(
        meeting_id=meeting.pk,
        agenda_item_id=meeting.agenda_items.get().pk,
        method="consensus",
        title="Calendrier des séances",
        now=at(2025, 10, 6, 19),
    )
    return meeting


@pytest.fixture
def november(council, october):
    return plenary(council, at(2025, 11, 10), items=ITEMS, now=at(2025, 10, 10))


UNANIMOUS = Votes(12, 12, 0, 0)


def approve(minutes, meeting, votes=UNANIMOUS, **kwargs):
    return approve_minutes(
        minutes_id=minutes.pk,
        meeting_id=meeting.pk,
        agenda_item_id=meeting.agenda_items.get().pk,
        votes=votes,
        now=meeting.starts_at + dt.timedelta(minutes=30),
        **kwargs,
    )


def test_the_whole_lifecycle(council, october, november, coordinator):
    minutes = draft_minutes(
        meeting_id=october.pk,
        text="Étaient présents : 15 membres…",
        actor=coordinator,
        now=at(2025, 10, 8),
    )
    assert [d.title for d in minutes.decisions] == ["Calendrier des séances"]
    with pytest.raises(MeetingError, match="doivent pouvoir le lire avant de l'approuver"):
        approve(minutes, november)
    send_minutes(minutes_id=minutes.pk, actor=coordinator, now=at(2025, 10, 9))
    amendment, created = propose_amendment(
        minutes_id=minutes.pk,
        member_id=council.members[2].pk,
        text="Ajouter que la séance a commencé avec 10 minutes de retard.",
        source=Source.PAPER,
        actor=coordinator,
        now=at(2025, 10, 15),
    )
    assert created
    assert propose_amendment(
        minutes_id=minutes.pk,
        member_id=council.members[2].pk,
        text="Ajouter que la séance a commencé avec 10 minutes de retard.",
        source=Source.ONLINE,
        now=at(2025, 10, 15),
    ) == (amendment, False)

    hold(november, everyone=council.members, excused=council.members[12:])
    with pytest.raises(MeetingError, match="1 amendement reste à examiner avant l'approbation"):
        approve(minutes, november)
    amendment.decide(accepted=True, actor=coordinator, now=at(2025, 11, 10, 18, 5))
    minutes.edit(
        text="Étaient présents : 15 membres. La séance a commencé avec 10 minutes de retard.",
        summary="",
        actor=coordinator,
    )
    decision = approve(minutes, november)
    assert decision.title == "Approbation du compte rendu de la réunion du 6 octobre 2025"
    minutes.refresh_from_db()
    assert (minutes.state, minutes.approved_by) == ("approved", decision)
    assert Meeting.objects.get(pk=october.pk).state == "minutes_approved"

    with pytest.raises(MeetingError, match="approuvé : il ne se modifie plus"):
        minutes.edit(text="Autre texte", summary="")
    with pytest.raises(MeetingError, match="feuille de présence ne se modifie plus"):
        record_attendance(
            meeting_id=october.pk,
            marks=[Mark(council.members[0].pk, Presence.EXCUSED)],
            now=at(2025, 11, 11),
        )
    with pytest.raises(MeetingError, match="Ajoutez le résumé facile à lire"):
        publish_minutes(minutes_id=minutes.pk, now=at(2025, 11, 12))
    Minutes.objects.filter(pk=minutes.pk).update(summary="Le conseil a fixé ses dates de réunion.")
    publish_minutes(minutes_id=minutes.pk, actor=coordinator, now=at(2025, 11, 12))
    assert Meeting.objects.get(pk=october.pk).state == "published"
    assert list(
        AuditEntry.objects.filter(object_type="meetings.minutes").values_list("action", flat=True)
    ) == [
        "minutes.drafted",
        "minutes.sent",
        "minutes.edited",
        "minutes.approved",
        "minutes.published",
    ]


def test_minutes_approved_in_a_meeting_without_quorum_are_refused_and_nothing_is_saved(
    council, october, november
):
    minutes = draft_minutes(meeting_id=october.pk, text="Texte.", now=at(2025, 10, 8))
    send_minutes(minutes_id=minutes.pk, now=at(2025, 10, 9))
    hold(november, everyone=council.members, absent=council.members[8:])  # 8 present of 20
    with pytest.raises(MeetingError) as info:
        approve(minutes, november, votes=Votes(8, 8, 0, 0))
    assert info.value.message.startswith(
        "Quorum non atteint : 8 membres présents sur 20 en exercice, il en faut 10"
    )
    minutes.refresh_from_db()
    assert minutes.state == "sent" and minutes.approved_by is None
    assert not Decision.objects.filter(meeting=november).exists()
    assert Meeting.objects.get(pk=october.pk).state == "held"
    assert not AuditEntry.objects.filter(action="minutes.approved").exists()
    assert AuditEntry.objects.filter(action="decision.recorded").count() == 1  # October's own


def test_minutes_are_approved_at_a_later_meeting_only(council, october):
    minutes = draft_minutes(meeting_id=october.pk, text="Texte.", now=at(2025, 10, 6, 22))
    send_minutes(minutes_id=minutes.pk, now=at(2025, 10, 6, 22))
    with pytest.raises(MeetingError) as info:
        approve(minutes, october)
    assert info.value.message == (
        "Un compte rendu s'approuve lors d'une réunion ultérieure : la réunion du 6 octobre 2025 ne "
        "suit pas celle du 6 octobre 2025."
    )


def test_a_rejected_approval_keeps_the_minutes_open(council, october, november):
    minutes = draft_minutes(meeting_id=october.pk, text="Texte.", now=at(2025, 10, 8))
    send_minutes(minutes_id=minutes.pk, now=at(2025, 10, 9))
    hold(november, everyone=council.members)
    decision = approve(minutes, november, votes=Votes(20, 5, 12, 3))
    assert decision.outcome == "rejected"
    minutes.refresh_from_db()
    assert minutes.state == "sent"
    assert AuditEntry.objects.filter(action="minutes.not_approved").count() == 1
    assert minutes.edit(text="Texte corrigé.", summary="Résumé.")


def test_minutes_wait_for_the_sheet_and_exist_once(council):
    meeting = plenary(council, at(2025, 10, 6), items=ITEMS, now=at(2025, 9, 10))
    with pytest.raises(MeetingError, match="une fois la feuille de présence close"):
        draft_minutes(meeting_id=meeting.pk, text="Texte.", now=at(2025, 10, 7))
    hold(meeting, everyone=council.members)
    draft_minutes(meeting_id=meeting.pk, text="Texte.", now=at(2025, 10, 7))
    with pytest.raises(MeetingError, match="déjà un compte rendu"):
        draft_minutes(meeting_id=meeting.pk, text="Autre.", now=at(2025, 10, 7))


def test_a_declined_amendment_says_why_and_approved_minutes_are_not_sent_again(
    council, october, november
):
    minutes = draft_minutes(meeting_id=october.pk, text="Texte.", now=at(2025, 10, 8))
    send_minutes(minutes_id=minutes.pk, now=at(2025, 10, 9))
    amendment, _ = propose_amendment(
        minutes_id=minutes.pk,
        member_id=council.members[0].pk,
        text="Retirer le paragraphe 2.",
        source=Source.ONLINE,
        now=at(2025, 10, 10),
    )
    with pytest.raises(MeetingError, match="Indiquez pourquoi l'amendement n'est pas retenu"):
        amendment.decide(accepted=False)
    amendment.decide(accepted=False, response="Le paragraphe reprend une décision votée.")
    with pytest.raises(MeetingError, match="déjà une réponse \\(non retenu\\)"):
        amendment.decide(accepted=True)
    hold(november, everyone=council.members)
    approve(minutes, november)
    with pytest.raises(MeetingError, match="approuvé : il n'est plus à relire"):
        send_minutes(minutes_id=minutes.pk, now=at(2025, 11, 11))
    with pytest.raises(MeetingError, match="n'est pas \\(ou plus\\) soumis à la relecture"):
        propose_amendment(
            minutes_id=minutes.pk,
            member_id=council.members[1].pk,
            text="Trop tard.",
            source=Source.ONLINE,
            now=at(2025, 11, 11),
        )
    with pytest.raises(MeetingError, match="déjà approuvé \\(réunion du 10 novembre 2025\\)"):
        approve(minutes, november)
