"""Consultations: the project sheet, its questions and documents, its stage, its deadline, the booklet's content."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile

from tests.meetings.helpers import at
from tests.opinions.helpers import QUESTIONS, portal_consultation
from tirage.audit.models import AuditEntry
from tirage.audit.services import history
from tirage.meetings.services.groups import create_working_group
from tirage.opinions.errors import OpinionError
from tirage.opinions.models import Consultation, ConsultationDocument, Question
from tirage.opinions.services.consultations import (
    add_document,
    add_question,
    assign_working_group,
    booklet,
)


def test_a_consultation_opens_with_its_numbered_questions_and_is_audited(council, coordinator):
    consultation = portal_consultation(council, actor=coordinator)
    assert [(q.number, q.text) for q in consultation.questions.all()] == list(
        enumerate(QUESTIONS, start=1)
    )
    assert consultation.opened_on == dt.date(2025, 9, 15)
    assert consultation.is_open(dt.date(2025, 10, 15))
    assert not consultation.is_open(dt.date(2025, 10, 16))
    assert consultation.deadline_sentence(dt.date(2025, 10, 1)) == (
        "Contributions jusqu'au 15 octobre 2025 inclus"
    )
    assert (
        consultation.deadline_sentence(dt.date(2025, 10, 20)) == "Close depuis le 16 octobre 2025"
    )
    entry = AuditEntry.objects.get(action="consultation.opened")
    assert entry.actor == coordinator
    assert entry.data == {
        "title": "Portail des démarches en ligne",
        "stage": "design",
        "deadline": "2025-10-15",
        "questions": 3,
        "group": None,
    }


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"summary": " "}, "summary", "Écrivez le résumé facile à lire et à comprendre (FALC)"),
        ({"service": ""}, "service", "Indiquez le service de la Ville en charge du projet."),
        ({"questions": []}, "questions", "Posez au moins une question au conseil."),
        ({"questions": ["Une", " "]}, "questions", "La question n° 2 est vide."),
        ({"stage": "beta"}, "stage", "Étape inconnue"),
        (
            {"deadline": dt.date(2025, 9, 14)},
            "deadline",
            "La date limite (14 septembre 2025) est déjà passée (nous sommes le 15 septembre 2025).",
        ),
    ],
)
def test_an_incomplete_sheet_is_refused_and_nothing_is_saved(council, change, field, message):
    with pytest.raises(OpinionError) as info:
        portal_consultation(council, **change)
    assert info.value.field == field
    assert info.value.message.startswith(message)
    assert not Consultation.objects.exists() and not Question.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="consultation").exists()


def test_questions_are_added_while_open_and_documents_are_links_or_files(council, coordinator):
    consultation = portal_consultation(council)
    question = add_question(
        consultation_id=consultation.pk,
        text="Quel nom donner au portail ?",
        now=at(2025, 10, 1),
    )
    assert question.number == 4
    with pytest.raises(OpinionError, match="close depuis le 16 octobre 2025"):
        add_question(consultation_id=consultation.pk, text="Trop tard ?", now=at(2025, 10, 16))
    link = add_document(
        consultation_id=consultation.pk,
        title="Maquettes du portail",
        url="https://www.ville-roubaix.fr/maquettes",
        actor=coordinator,
    )
    file = add_document(
        consultation_id=consultation.pk,
        title="Cahier des charges",
        file=ContentFile(b"%PDF-1.7 cahier", name="cahier.pdf"),
    )
    assert link.url and not link.file
    assert file.file.name.startswith("consultations/cahier") and not file.url
    assert file.file.read() == b"%PDF-1.7 cahier"
    with pytest.raises(OpinionError, match="l'un des deux"):
        add_document(consultation_id=consultation.pk, title="Rien")
    with pytest.raises(OpinionError, match="« ftp://x » n'est pas une adresse web valable"):
        add_document(consultation_id=consultation.pk, title="FTP", url="ftp://x")
    assert ConsultationDocument.objects.count() == 2
    assert [e.action for e in history(consultation)] == [
        "consultation.opened",
        "consultation.question_added",
        "consultation.document_added",
        "consultation.document_added",
    ]


def test_the_stage_moves_and_the_deadline_only_extends(council, coordinator):
    consultation = portal_consultation(council)
    assert consultation.move_to_stage(stage="pilot", actor=coordinator)
    assert not consultation.move_to_stage(stage="pilot")
    with pytest.raises(OpinionError, match="Étape inconnue"):
        consultation.move_to_stage(stage="done")
    with pytest.raises(OpinionError) as info:
        consultation.extend_deadline(deadline=dt.date(2025, 10, 10), reason="Vacances")
    assert info.value.message == (
        "La nouvelle date limite (10 octobre 2025) doit suivre l'actuelle (15 octobre 2025) : un "
        "délai se prolonge, il ne se raccourcit pas."
    )
    with pytest.raises(OpinionError, match="pourquoi le délai est prolongé"):
        consultation.extend_deadline(deadline=dt.date(2025, 11, 1), reason="")
    consultation.extend_deadline(deadline=dt.date(2025, 11, 1), reason="Vacances de la Toussaint")
    consultation.refresh_from_db()
    assert (consultation.stage, consultation.deadline) == ("pilot", dt.date(2025, 11, 1))
    entries = list(history(consultation))
    assert [e.action for e in entries][1:] == [
        "consultation.stage_changed",
        "consultation.deadline_extended",
    ]
    assert entries[-1].reason == "Vacances de la Toussaint"
    assert entries[-1].data == {"from": "2025-10-15", "to": "2025-11-01"}


def test_a_working_group_of_the_same_council_takes_the_consultation(council):
    group = create_working_group(
        call_id=council.call.pk,
        name="Démarches",
        member_ids=[m.pk for m in council.members[:4]],
        now=at(2025, 9, 2),
    )
    consultation = portal_consultation(council)
    assign_working_group(consultation_id=consultation.pk, working_group_id=group.pk)
    consultation.refresh_from_db()
    assert consultation.working_group == group
    assert AuditEntry.objects.filter(action="consultation.group_assigned").count() == 1
    # The same assignment again changes nothing and is not audited twice.
    assign_working_group(consultation_id=consultation.pk, working_group_id=group.pk)
    assert AuditEntry.objects.filter(action="consultation.group_assigned").count() == 1


def test_the_booklet_has_every_question_with_room_to_write_and_the_member_it_is_for(council):
    consultation = portal_consultation(council)
    member = council.members[3]
    content = booklet(consultation_id=consultation.pk, member_id=member.pk)
    assert [q.text for q in content.questions] == QUESTIONS
    assert all(q.lines >= 8 for q in content.questions)
    assert content.deadline_sentence == "À rendre au plus tard le 15 octobre 2025."
    assert content.stage == "conception"
    assert content.member_name == council.named(member)
    assert content.receipt_code == member.application.receipt_code
    assert "sans mon nom" in content.consent_sentence
    blank = booklet(consultation_id=consultation.pk)
    assert blank.member_name == "" and blank.receipt_code == ""
