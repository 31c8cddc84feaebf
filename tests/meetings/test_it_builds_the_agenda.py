"""The agenda: ordered items; no item for decision after the convocation nor outside a plenary; members' suggestions."""

import pytest

from tests.meetings.helpers import at, plenary
from tirage.audit.models import AuditEntry
from tirage.council.models import Member
from tirage.meetings.errors import MeetingError
from tirage.meetings.models import AgendaItem, AgendaSuggestion, Meeting, Source
from tirage.meetings.services.groups import create_working_group
from tirage.meetings.services.schedule import (
    accept_suggestion,
    add_agenda_item,
    move_agenda_item,
    plan_meeting,
    remove_agenda_item,
    suggest_agenda_item,
)

KIND = AgendaItem.Kind


def titles(meeting):
    return list(meeting.agenda_items.order_by("order").values_list("order", "title"))


def test_items_are_ordered_moved_and_removed_before_the_convocation(council):
    meeting = plenary(council, at(2025, 10, 6), items=(), convened=False, now=at(2025, 9, 1))
    for title in ("Accueil", "Portail des démarches", "Questions diverses"):
        add_agenda_item(meeting_id=meeting.pk, title=title, now=at(2025, 9, 1))
    last = meeting.agenda_items.get(title="Questions diverses")
    move_agenda_item(item_id=last.pk, position=1)
    assert titles(meeting) == [
        (1, "Questions diverses"),
        (2, "Accueil"),
        (3, "Portail des démarches"),
    ]
    with pytest.raises(
        MeetingError, match="Position 4 impossible : l'ordre du jour compte 3 points"
    ):
        move_agenda_item(item_id=last.pk, position=4)
    remove_agenda_item(item_id=meeting.agenda_items.get(title="Accueil").pk)
    assert titles(meeting) == [(1, "Questions diverses"), (2, "Portail des démarches")]
    assert AuditEntry.objects.filter(action__startswith="agenda.item_").count() == 5


def test_no_item_for_decision_after_the_convocation(council):
    meeting = plenary(council, at(2025, 10, 6), now=at(2025, 9, 10))
    with pytest.raises(MeetingError) as info:
        add_agenda_item(
            meeting_id=meeting.pk,
            title="Avis sur le portail",
            kind=KIND.DECISION,
            now=at(2025, 9, 20),
        )
    assert info.value.message == (
        "La convocation est partie le 10 septembre 2025 : un point soumis à décision ne peut plus "
        "être ajouté (les membres doivent le connaître 15 jours avant). Inscrivez-le en débat, ou à "
        "la réunion suivante."
    )
    item = add_agenda_item(
        meeting_id=meeting.pk, title="Avis sur le portail", kind=KIND.DEBATE, now=at(2025, 9, 20)
    )
    assert item.order == 2
    with pytest.raises(MeetingError, match="un point ne se retire plus"):
        remove_agenda_item(item_id=item.pk)


def test_only_a_plenary_has_items_for_decision(council):
    group = create_working_group(
        call_id=council.call.pk,
        name="Open data",
        member_ids=[council.members[0].pk],
        now=at(2025, 9, 5),
    )
    meeting = plan_meeting(
        call_id=council.call.pk,
        title="Groupe open data",
        kind=Meeting.Kind.WORKING_GROUP,
        working_group_id=group.pk,
        starts_at=at(2025, 10, 8),
        place="Médiathèque",
        now=at(2025, 9, 10),
    )
    with pytest.raises(
        MeetingError,
        match="un point « décision » n'a pas sa place dans une réunion « groupe de travail »",
    ):
        add_agenda_item(
            meeting_id=meeting.pk, title="Vote", kind=KIND.DECISION, now=at(2025, 9, 10)
        )


def test_a_member_suggests_an_item_and_staff_accept_or_decline(council, coordinator):
    meeting = plenary(council, at(2025, 10, 6), convened=False, now=at(2025, 9, 1))
    member = council.members[3]
    suggestion, created = suggest_agenda_item(
        meeting_id=meeting.pk,
        member_id=member.pk,
        title="Wifi public dans les mairies de quartier",
        source=Source.ONLINE,
        now=at(2025, 9, 2),
    )
    again, created_again = suggest_agenda_item(
        meeting_id=meeting.pk,
        member_id=member.pk,
        title="Wifi public dans les mairies de quartier",
        source=Source.ONLINE,
        now=at(2025, 9, 2),
    )
    assert created and not created_again and again.pk == suggestion.pk
    assert AuditEntry.objects.get(action="agenda.suggested").actor_label == "membre (en ligne)"
    item = accept_suggestion(
        suggestion_id=suggestion.pk, kind=KIND.DECISION, actor=coordinator, now=at(2025, 9, 3)
    )
    assert (item.order, item.kind, item.title) == (2, "decision", suggestion.title)
    assert AgendaSuggestion.objects.get(pk=suggestion.pk).item == item

    other, _ = suggest_agenda_item(
        meeting_id=meeting.pk,
        member_id=council.members[4].pk,
        title="Un sujet hors du champ du conseil",
        source=Source.PAPER,
        actor=coordinator,
        now=at(2025, 9, 3),
    )
    with pytest.raises(MeetingError, match="Indiquez pourquoi la proposition n'est pas retenue"):
        other.decline(reason="")
    other.decline(reason="Ce sujet relève du conseil municipal.", actor=coordinator)
    with pytest.raises(MeetingError, match="déjà une réponse \\(non retenue\\)"):
        accept_suggestion(suggestion_id=other.pk, now=at(2025, 9, 4))
    # Removing an accepted suggestion's item needs a reason, which the member reads.
    with pytest.raises(MeetingError, match="vient de la proposition d'un membre"):
        remove_agenda_item(item_id=item.pk)
    remove_agenda_item(item_id=item.pk, reason="Reporté à novembre.")
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.reason, suggestion.item) == (
        "declined",
        "Reporté à novembre.",
        None,
    )


def test_suggestions_from_former_members_or_for_past_meetings_are_refused(council):
    meeting = plenary(council, at(2025, 10, 6), now=at(2025, 9, 10))
    member = council.members[5]
    Member.objects.filter(pk=member.pk).update(ended_on=at(2025, 9, 15).date(), end_reason="moved")
    with pytest.raises(MeetingError) as info:
        suggest_agenda_item(
            meeting_id=meeting.pk,
            member_id=member.pk,
            title="X",
            source=Source.ONLINE,
            now=at(2025, 9, 20),
        )
    assert info.value.message == (
        f"{council.named(member)} n'est pas membre en exercice le 6 octobre 2025 "
        "(a quitté le conseil le 15 septembre 2025)."
    )
    with pytest.raises(MeetingError, match="proposez votre point pour une réunion à venir"):
        suggest_agenda_item(
            meeting_id=meeting.pk,
            member_id=council.members[0].pk,
            title="X",
            source=Source.ONLINE,
            now=at(2025, 10, 6, 19),
        )
    assert not AgendaSuggestion.objects.exists()
