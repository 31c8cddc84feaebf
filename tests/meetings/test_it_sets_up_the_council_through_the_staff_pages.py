"""The coordinator's setup pages: rules (audited, refused when impossible), the règlement and a paper
acknowledgement, working groups and their rapporteur, the agenda and the members' suggestions."""

import datetime as dt

import pytest

from tests.meetings.helpers import at, plenary
from tests.meetings.staff import Clock, text, url
from tirage.audit.models import AuditEntry
from tirage.meetings.models import (
    Acknowledgement,
    AgendaSuggestion,
    Rules,
    RulesDocument,
    Source,
    WorkingGroup,
)


@pytest.fixture
def staff(as_user, coordinator):
    return as_user(coordinator)


def rules_post(**changes):
    rules = Rules()
    data = {}
    for name in Rules.EDITABLE:
        value = changes.get(name, getattr(rules, name))
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = value
    return data


def test_rules_change_is_audited_and_an_impossible_quorum_is_refused(council, staff):
    response = staff.post(url("settings"), rules_post(absence_limit=2, notice_days=21))
    assert response.status_code == 302
    rules = Rules.for_call(council.call)
    assert (rules.absence_limit, rules.notice_days) == (2, 21)
    entry = AuditEntry.objects.get(action="rules.changed")
    assert {c["field"]: (c["before"], c["after"]) for c in entry.data["changes"]} == {
        "absence_limit": (3, 2),
        "notice_days": (15, 21),
    }
    response = staff.post(url("settings"), rules_post(quorum_numerator=3, quorum_denominator=2))
    assert response.status_code == 400
    assert "Le quorum ne peut dépasser la totalité des membres : 3/2 est plus grand que 1." in text(
        response
    )
    rules.refresh_from_db()
    assert (rules.quorum_numerator, rules.quorum_denominator) == (1, 2)
    assert AuditEntry.objects.filter(action="rules.changed").count() == 1


def test_a_rules_version_and_a_paper_acknowledgement(council, staff):
    response = staff.post(
        url("rules_document_new"),
        {"title": "Règlement intérieur", "adopted_on": "01/09/2025", "text": "Article 1. …"},
    )
    document = RulesDocument.objects.get()
    assert response.status_code == 302 and document.version == 1
    member = council.members[2]
    response = staff.post(url("rules_document", document.pk), {"member": member.pk}, follow=True)
    assert f"Approbation sur papier de {council.named(member)} enregistrée." in text(response)
    ack = Acknowledgement.objects.get()
    assert (ack.member, ack.source) == (member, Source.PAPER)
    staff.post(url("rules_document", document.pk), {"member": member.pk})
    assert Acknowledgement.objects.count() == 1  # double submit stored once
    response = staff.post(
        url("rules_document_new"), {"title": "R", "adopted_on": "01/09/2099", "text": "x"}
    )
    assert response.status_code == 400
    assert "La date d'adoption (1er septembre 2099) est dans le futur" in text(response)
    assert RulesDocument.objects.count() == 1


def test_a_working_group_its_members_and_rapporteur(council, staff):
    response = staff.post(url("groups"), {"name": "Inclusion numérique", "mission": "Ateliers."})
    group = WorkingGroup.objects.get()
    assert response.status_code == 302
    first, second = council.members[0], council.members[1]
    for member in (first, second):
        staff.post(url("group", group.pk), {"action": "add", "member": member.pk})
    staff.post(url("group", group.pk), {"action": "rapporteur", "member": second.pk})
    group.refresh_from_db()
    assert group.rapporteur == second
    assert sorted(m.member_id for m in group.memberships_on(dt.date.today())) == sorted(
        [first.pk, second.pk]
    )
    response = staff.post(url("groups"), {"name": "inclusion numérique"})
    assert response.status_code == 400
    assert "Un groupe de travail s'appelle déjà « inclusion numérique »." in text(response)


def test_agenda_order_and_suggestions(council, staff, monkeypatch):
    Clock(monkeypatch).at(at(2025, 9, 10, 10))
    meeting = plenary(council, at(2025, 10, 6), now=at(2025, 9, 1), convened=False)
    staff.post(url("agenda_add", meeting.pk), {"title": "Le site de la ville", "kind": "debate"})
    last = meeting.agenda_items.get(title="Le site de la ville")
    staff.post(url("agenda_move", meeting.pk, last.pk), {"position": 1})
    assert [i.title for i in meeting.agenda_items.order_by("order")] == [
        "Le site de la ville",
        "Approbation du compte rendu",
    ]
    member = council.members[4]
    wifi = AgendaSuggestion.objects.create(
        meeting=meeting, member=member, title="Le wifi public", source=Source.ONLINE
    )
    bus = AgendaSuggestion.objects.create(
        meeting=meeting, member=member, title="Les horaires de bus", source=Source.PAPER
    )
    staff.post(
        url("suggestion_answer", meeting.pk, wifi.pk), {"answer": "accept", "kind": "decision"}
    )
    response = staff.post(url("suggestion_answer", meeting.pk, bus.pk), {"answer": "decline"})
    assert response.status_code == 400
    assert "Indiquez pourquoi la proposition n'est pas retenue (le membre le lira)." in text(
        response
    )
    staff.post(
        url("suggestion_answer", meeting.pk, bus.pk),
        {"answer": "decline", "reason": "Compétence de la Métropole."},
    )
    wifi.refresh_from_db()
    bus.refresh_from_db()
    assert (wifi.status, wifi.item.kind, wifi.item.order) == ("accepted", "decision", 3)
    assert (bus.status, bus.reason) == ("declined", "Compétence de la Métropole.")
