"""Contributions: online and on paper, after the deadline only when staff mark them late, stored once, counted anonymously."""

import datetime as dt

import pytest

from tests.meetings.helpers import at
from tests.opinions.helpers import portal_consultation
from tirage.audit.models import AuditEntry
from tirage.council.models import Member
from tirage.opinions.errors import OpinionError
from tirage.opinions.models import Contribution
from tirage.opinions.services.consultations import (
    contribute,
    contribution_counts,
    contributions_digest,
    quotes,
    record_booklet,
)


@pytest.fixture
def consultation(council):
    return portal_consultation(council)


def q(consultation, number):
    return consultation.questions.get(number=number).pk


def test_a_member_answers_online_and_a_double_submit_is_stored_once(council, consultation):
    member = council.members[0]
    first, created = contribute(
        consultation_id=consultation.pk,
        member_id=member.pk,
        question_id=q(consultation, 2),
        text="  Le site me déconnecte au bout de cinq minutes.  ",
        consent_to_quote=True,
        source="online",
        now=at(2025, 9, 20, 21),
    )
    assert created and first.text == "Le site me déconnecte au bout de cinq minutes."
    assert first.received_on == dt.date(2025, 9, 20) and first.recorded_by is None
    again, created = contribute(
        consultation_id=consultation.pk,
        member_id=member.pk,
        question_id=q(consultation, 2),
        text="Le site me déconnecte au bout de cinq minutes.",
        consent_to_quote=True,
        source="online",
        now=at(2025, 9, 20, 21, 1),
    )
    assert again == first and not created
    assert Contribution.objects.count() == 1
    entry = AuditEntry.objects.get(action="contribution.recorded")
    assert entry.actor_label == "membre (en ligne)" and entry.data["question"] == q(consultation, 2)


def test_after_the_deadline_only_staff_record_it_marked_late_with_a_reason(
    council, consultation, coordinator
):
    member = council.members[1]
    args = dict(
        consultation_id=consultation.pk,
        member_id=member.pk,
        question_id=q(consultation, 3),
        text="Un guichet dans chaque mairie de quartier.",
        now=at(2025, 10, 18, 10),
    )
    with pytest.raises(OpinionError) as info:
        contribute(**args, source="online")
    assert info.value.message == (
        "La consultation « Portail des démarches en ligne » est close : la date limite était le 15 "
        "octobre 2025 et la contribution arrive le 18 octobre 2025, 3 jours après. Seuls les "
        "services peuvent l'enregistrer, en la marquant « en retard » avec le motif."
    )
    assert info.value.field == "late"
    with pytest.raises(OpinionError, match="Seuls les services peuvent accepter"):
        contribute(**args, source="online", late=True, late_reason="Oubli")
    with pytest.raises(OpinionError, match="Indiquez pourquoi la contribution en retard"):
        contribute(**args, source="paper", late=True, actor=coordinator)
    assert not Contribution.objects.exists()
    late, _ = contribute(
        **args,
        source="paper",
        late=True,
        late_reason="Livret déposé le 14 à la mairie de quartier Est, transmis le 18.",
        actor=coordinator,
    )
    assert late.late and late.recorded_by == coordinator
    assert AuditEntry.objects.get(action="contribution.recorded").reason.startswith("Livret déposé")
    # A paper slip that arrived in time is not late, even typed afterwards.
    on_time, _ = contribute(
        **{**args, "text": "Des horaires du soir."},
        source="paper",
        received_on=dt.date(2025, 10, 15),
        actor=coordinator,
    )
    assert not on_time.late
    with pytest.raises(OpinionError, match="dans le délai .* : elle n'est pas en retard"):
        contribute(
            **{**args, "text": "Autre"},
            source="paper",
            received_on=dt.date(2025, 10, 2),
            late=True,
            late_reason="x",
        )


def test_only_members_in_office_contribute_to_questions_of_this_consultation(council, consultation):
    member = council.members[2]
    Member.objects.filter(pk=member.pk).update(ended_on=dt.date(2025, 9, 18), end_reason="resigned")
    with pytest.raises(
        OpinionError, match=r"n'est pas membre en exercice le 20 septembre 2025 \(a quitté"
    ):
        contribute(
            consultation_id=consultation.pk,
            member_id=member.pk,
            text="Bonjour",
            source="online",
            now=at(2025, 9, 20),
        )
    other = portal_consultation(council, title="Guichet numérique")
    with pytest.raises(OpinionError, match="n'appartient pas à la consultation"):
        contribute(
            consultation_id=consultation.pk,
            member_id=council.members[3].pk,
            question_id=q(other, 1),
            text="Bonjour",
            source="online",
            now=at(2025, 9, 20),
        )
    with pytest.raises(OpinionError, match="10001 caractères, la limite est 10000 \\(1 de trop\\)"):
        contribute(
            consultation_id=consultation.pk,
            member_id=council.members[3].pk,
            text="x" * 10_001,
            source="online",
            now=at(2025, 9, 20),
        )
    assert not Contribution.objects.exists()


def test_a_paper_booklet_is_typed_all_or_nothing(council, consultation, coordinator):
    member = council.members[4]
    answers = {
        q(consultation, 1): "Je paie la cantine en ligne.",
        q(consultation, 2): "",
        q(consultation, 3): "   ",
    }
    with pytest.raises(OpinionError, match="aucune réponse"):
        record_booklet(
            consultation_id=consultation.pk,
            member_id=member.pk,
            answers={q(consultation, 2): ""},
            now=at(2025, 10, 10),
        )
    saved = record_booklet(
        consultation_id=consultation.pk,
        member_id=member.pk,
        answers=answers,
        comment="Merci de nous consulter.",
        consent_to_quote=True,
        received_on=dt.date(2025, 10, 9),
        actor=coordinator,
        now=at(2025, 10, 10),
    )
    assert [(c.question.number if c.question else None, c.source) for c, _ in saved] == [
        (1, "paper"),
        (None, "paper"),
    ]
    assert all(c.received_on == dt.date(2025, 10, 9) for c, _ in saved)
    # Typed again (double click): nothing new.
    again = record_booklet(
        consultation_id=consultation.pk,
        member_id=member.pk,
        answers=answers,
        comment="Merci de nous consulter.",
        consent_to_quote=True,
        received_on=dt.date(2025, 10, 9),
        now=at(2025, 10, 10, 1),
    )
    assert [created for _, created in again] == [False, False]
    assert Contribution.objects.count() == 2


def test_counts_are_anonymous_and_quotes_only_with_consent(council, consultation):
    texts = [
        (0, 1, "online", True, "J'utilise le site pour l'état civil."),
        (0, 2, "online", False, "Mot de passe trop compliqué."),
        (1, 2, "paper", True, "Les caractères sont trop petits."),
        (2, None, "paper", False, "Bravo pour la démarche."),
        (3, 3, "staff", False, "Une aide par téléphone."),
    ]
    for i, number, source, consent, text in texts:
        contribute(
            consultation_id=consultation.pk,
            member_id=council.members[i].pk,
            question_id=q(consultation, number) if number else None,
            text=text,
            source=source,
            consent_to_quote=consent,
            now=at(2025, 10, 1 + i),
        )
    counts = contribution_counts(consultation.pk)
    assert (counts.total, counts.members, counts.online, counts.paper, counts.staff) == (
        5,
        4,
        2,
        2,
        1,
    )
    assert [(x.number, x.contributions) for x in counts.by_question] == [(1, 1), (2, 2), (3, 1)]
    assert counts.comments == 1 and counts.quotable == 2
    assert counts.sentence() == (
        "5 contributions de 4 membres (2 en ligne, 2 sur papier, 1 par les services)."
    )
    assert [(x.question_number, x.text) for x in quotes(consultation.pk)] == [
        (1, "J'utilise le site pour l'état civil."),
        (2, "Les caractères sont trop petits."),
    ]
    digest = contributions_digest(consultation.pk)
    assert [d.question_number for d in digest] == [1, 2, 2, 3, None]
    assert digest[0].member_name == council.named(council.members[0])
