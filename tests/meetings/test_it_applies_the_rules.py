"""The council's rules are data: defaults, quorum arithmetic, audited changes; the règlement intérieur and its acknowledgements."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tests.meetings.helpers import at
from tirage.audit.models import AuditEntry
from tirage.council.models import Member
from tirage.meetings.errors import MeetingError
from tirage.meetings.models import Acknowledgement, Rules, RulesDocument, Source
from tirage.meetings.services.rules import (
    acknowledge_rules,
    members_without_acknowledgement,
    publish_rules_document,
)


def test_defaults_follow_french_public_bodies(council):
    rules = Rules.for_call(council.call)
    assert rules.quorum_required(20) == 10
    assert rules.quorum_required(19) == 10
    assert rules.quorum_label == "au moins la moitié des membres en exercice"
    assert (rules.majority_base, rules.casting_vote, rules.absence_limit) == ("cast", True, 3)
    assert (rules.notice_days, rules.answer_deadline_days) == (15, 90)
    assert Rules.for_call(council.call.pk).pk == rules.pk


@pytest.mark.parametrize(
    "numerator, denominator, more_than, in_office, required, label",
    [
        (1, 2, True, 20, 11, "plus de la moitié des membres en exercice"),
        (1, 2, True, 19, 10, "plus de la moitié des membres en exercice"),
        (2, 3, False, 20, 14, "au moins les deux tiers des membres en exercice"),
        (2, 3, True, 18, 13, "plus des deux tiers des membres en exercice"),
        (1, 3, False, 20, 7, "au moins le tiers des membres en exercice"),
        (1, 3, True, 18, 7, "plus du tiers des membres en exercice"),
    ],
)
def test_quorum_fractions(council, numerator, denominator, more_than, in_office, required, label):
    rules = Rules.for_call(council.call)
    rules.update(
        quorum_numerator=numerator, quorum_denominator=denominator, quorum_more_than=more_than
    )
    assert rules.quorum_required(in_office) == required
    assert rules.quorum_label == label


def test_changes_are_audited_with_before_and_after_and_nothing_else(council, coordinator):
    rules = Rules.for_call(council.call)
    changes = rules.update(absence_limit=4, notice_days=15, actor=coordinator)
    assert changes == [{"field": "absence_limit", "before": 3, "after": 4}]
    entry = AuditEntry.objects.get(action="rules.changed")
    assert entry.data == {"changes": [{"field": "absence_limit", "before": 3, "after": 4}]}
    assert entry.actor == coordinator
    assert Rules.objects.get(pk=rules.pk).absence_limit == 4
    assert rules.update(absence_limit=4) == []
    assert AuditEntry.objects.filter(action="rules.changed").count() == 1


def test_an_impossible_quorum_is_refused_and_nothing_changes(council):
    rules = Rules.for_call(council.call)
    with pytest.raises(ValidationError) as info:
        rules.update(quorum_numerator=3, quorum_denominator=2, absence_limit=5)
    assert info.value.message_dict["quorum_numerator"] == [
        "Le quorum ne peut dépasser la totalité des membres : 3/2 est plus grand que 1."
    ]
    stored = Rules.objects.get(pk=rules.pk)
    assert (stored.quorum_numerator, stored.absence_limit) == (1, 3)
    assert not AuditEntry.objects.filter(action="rules.changed").exists()
    with pytest.raises(ValidationError) as info:
        rules.update(absence_limit=0)
    assert "absence_limit" in info.value.message_dict


def test_rules_documents_are_versioned_and_each_member_acknowledges_once(council, coordinator):
    now = at(2025, 9, 10)
    first = publish_rules_document(
        call_id=council.call.pk,
        text="Article 1. Le conseil se réunit en séance plénière…",
        adopted_on=dt.date(2025, 9, 8),
        summary="Le conseil se réunit environ une fois par mois.",
        actor=coordinator,
        now=now,
    )
    member = council.members[0]
    ack, created = acknowledge_rules(
        document_id=first.pk, member_id=member.pk, source=Source.PAPER, actor=coordinator, now=now
    )
    assert created and ack.source == "paper" and ack.recorded_by == coordinator
    again, created = acknowledge_rules(
        document_id=first.pk, member_id=member.pk, source=Source.ONLINE, now=now
    )
    assert (again.pk, created) == (ack.pk, False)
    assert Acknowledgement.objects.count() == 1
    assert AuditEntry.objects.filter(action="rules.acknowledged").count() == 1
    assert members_without_acknowledgement(first, day=dt.date(2025, 9, 10)).count() == 19

    second = publish_rules_document(
        call_id=council.call.pk,
        text="Article 1 modifié.",
        adopted_on=dt.date(2026, 1, 12),
        now=at(2026, 1, 13),
    )
    assert second.version == 2 and RulesDocument.current(council.call) == second
    with pytest.raises(MeetingError) as info:
        acknowledge_rules(
            document_id=first.pk,
            member_id=council.members[1].pk,
            source=Source.ONLINE,
            now=at(2026, 1, 14),
        )
    assert info.value.message == (
        "La version 1 n'est plus en vigueur : c'est la version 2 (adoptée le 12 janvier 2026) "
        "qu'il faut approuver."
    )


def test_a_former_member_cannot_acknowledge(council):
    document = publish_rules_document(
        call_id=council.call.pk, text="Texte.", adopted_on=dt.date(2025, 9, 8), now=at(2025, 9, 9)
    )
    member = council.members[2]
    Member.objects.filter(pk=member.pk).update(
        ended_on=dt.date(2025, 10, 1), end_reason=Member.EndReason.MOVED
    )
    with pytest.raises(MeetingError, match="n'est pas membre en exercice de ce conseil"):
        acknowledge_rules(
            document_id=document.pk, member_id=member.pk, source=Source.PAPER, now=at(2025, 10, 2)
        )
    assert not Acknowledgement.objects.exists()


def test_a_document_adopted_in_the_future_or_empty_is_refused(council):
    with pytest.raises(
        MeetingError, match="date d'adoption \\(1er octobre 2025\\) est dans le futur"
    ):
        publish_rules_document(
            call_id=council.call.pk,
            text="Texte.",
            adopted_on=dt.date(2025, 10, 1),
            now=at(2025, 9, 9),
        )
    with pytest.raises(MeetingError, match="vide"):
        publish_rules_document(
            call_id=council.call.pk, text="  ", adopted_on=dt.date(2025, 9, 1), now=at(2025, 9, 9)
        )
    assert not RulesDocument.objects.exists()
