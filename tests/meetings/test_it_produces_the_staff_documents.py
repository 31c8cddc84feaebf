"""Staff documents: the sign-in sheet (PDF/UA, the members' names), the convocation letters with their reply
slip (queued, then produced by the letters app), and the minutes written, sent, approved and published through
the pages."""

import io
import re
from pathlib import Path

from django.conf import settings
from django.core import mail
from django.test import Client
from pypdf import PdfReader

from tests.conftest import queued
from tests.meetings.helpers import at, hold, plenary
from tests.meetings.staff import Clock, text, url
from tests.pdftext import PDF_UA_1, pdf_ua_marks
from tests.roles import make_staff
from tirage.backoffice.roles import COUNTER_AGENT
from tirage.letters.models import Kind, Letter
from tirage.letters.tasks import send_copy
from tirage.meetings import documents, tasks
from tirage.meetings.models import Convocation, Minutes
from tirage.meetings.services.groups import create_working_group
from tirage.meetings.services.schedule import add_agenda_item, plan_meeting

APPROVAL = (("Approbation du compte rendu de la séance précédente", "decision"),)


def pdf_words(data: bytes) -> tuple[str, PdfReader]:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(p.extract_text() for p in reader.pages).split()), reader


def test_the_sign_in_sheet_lists_every_member_in_a_tagged_pdf(council, as_user):
    agent = make_staff("agent", COUNTER_AGENT)
    meeting = plenary(council, at(2025, 10, 6))
    response = as_user(agent).get(url("sign_in_sheet", meeting.pk))
    assert response["Content-Type"] == "application/pdf"
    words, reader = pdf_words(response.content)
    assert "Feuille de présence — Séance plénière du 06/10/2025" in words
    assert "lundi 6 octobre 2025 à 18 h 00" in words
    assert "Membres en exercice : 20. Quorum requis : 10." in words
    for member in council.members:
        assert council.named(member) in words
    assert pdf_ua_marks(reader) == PDF_UA_1


def test_convening_queues_the_letters_which_carry_agenda_place_and_reply_slip(
    council, as_user, coordinator, monkeypatch, django_capture_on_commit_callbacks
):
    clock = Clock(monkeypatch)
    clock.at(at(2025, 9, 10, 10))
    members = council.members[:3]
    group = create_working_group(
        call_id=council.call.pk, name="Open data", member_ids=[m.pk for m in members]
    )
    meeting = plan_meeting(
        call_id=council.call.pk,
        title="Groupe open data",
        kind="working_group",
        working_group_id=group.pk,
        starts_at=at(2025, 10, 8),
        place="Médiathèque La Grand-Plage",
        address="2 rue Pierre Motte, Roubaix",
        access_info="Ascenseur, boucle magnétique.",
    )
    add_agenda_item(meeting_id=meeting.pk, title="Quelles données ouvrir ?", kind="debate")
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(coordinator).post(url("meeting_convene", meeting.pk), follow=True)
    assert "3 membres convoqués" in text(response)
    assert queued(tasks.send_convocation_letters) == 1
    mail.outbox.clear()
    assert documents.send_convocations(meeting.pk, actor=coordinator) == 3  # the task's body
    assert documents.send_convocations(meeting.pk, actor=coordinator) == 0  # delivered once
    assert Convocation.objects.filter(meeting=meeting, delivered_at__isnull=False).count() == 3
    letters = Letter.objects.filter(kind=Kind.CONVOCATION).order_by("id")
    assert sorted(lt.application_id for lt in letters) == sorted(m.application_id for m in members)
    words, _ = pdf_words((Path(settings.DOCUMENTS_DIR) / letters[0].file_path).read_bytes())
    assert "Convocation : Groupe open data, le mercredi 8 octobre 2025 à 18 h 00" in words
    assert "Médiathèque La Grand-Plage, 2 rue Pierre Motte, Roubaix." in words
    assert "1. Quelles données ouvrir ? (débat)" in words
    assert "Je serai présent·e." in words and "Je serai excusé·e." in words
    assert "Je donne procuration à" in words
    assert "à renvoyer avant le 7 octobre 2025" in words
    with_email = [m for m in members if m.application.email]
    # Their e-mail copies wait in the queue, one per member with an address (retried there).
    assert queued(send_copy) == len(with_email) and not mail.outbox
    # The slip carries a single-use code for the members' space: it opens it once.
    found = re.search(r"code de connexion : ([A-Z0-9]{5}-[A-Z0-9]{5})", words)
    assert found is not None and "jusqu'au 10 octobre 2025" in words
    member = next(m for m in members if m.application_id == letters[0].application_id)
    form = {"receipt_code": member.application.receipt_code, "code": found.group(1)}
    visitor = Client()
    answer = visitor.post("/espace-membre/connexion/", form)
    assert answer.status_code == 302 and visitor.get("/espace-membre/").status_code == 200
    assert Client().post("/espace-membre/connexion/", form).status_code != 302  # used once


def test_minutes_drafted_sent_approved_and_published_through_the_pages(
    council, as_user, coordinator, monkeypatch
):
    clock = Clock(monkeypatch)
    staff = as_user(coordinator)
    october = plenary(council, at(2025, 10, 6))
    hold(october, everyone=council.members)
    clock.at(at(2025, 10, 8, 9))
    response = staff.post(
        url("minutes_edit", october.pk),
        {"text": "La séance s'ouvre à 18 h.\nLe conseil débat du site de la ville.", "summary": ""},
    )
    assert response.status_code == 302
    minutes = Minutes.objects.get(meeting=october)
    staff.post(url("minutes_action", october.pk), {"action": "send"})
    minutes.refresh_from_db()
    assert minutes.state == Minutes.State.SENT
    november = plenary(council, at(2025, 11, 10), items=APPROVAL, now=at(2025, 10, 10))
    hold(november, everyone=council.members, excused=council.members[15:])
    clock.at(at(2025, 11, 10, 18, 30))
    response = staff.post(
        url("minutes_approve", november.pk),
        {
            "minutes": minutes.pk,
            "item": november.agenda_items.get().pk,
            "method": "vote",
            "voters": 15,
            "votes_for": 14,
            "votes_against": 0,
            "abstentions": 1,
        },
        follow=True,
    )
    assert "Approbation du compte rendu : Adoptée : 14 pour, 0 contre, 1 abstention" in text(
        response
    )
    minutes.refresh_from_db()
    assert minutes.state == Minutes.State.APPROVED
    # Publishing needs the easy-to-read summary; the text is locked, the summary is not asked here.
    response = staff.post(url("minutes_action", october.pk), {"action": "publish"})
    assert response.status_code == 400
    assert "Ajoutez le résumé facile à lire et à comprendre (FALC) avant de publier" in text(
        response
    )
    Minutes.objects.filter(pk=minutes.pk).update(summary="Le conseil a parlé du site de la ville.")
    staff.post(url("minutes_action", october.pk), {"action": "publish"})
    minutes.refresh_from_db()
    assert minutes.state == Minutes.State.PUBLISHED
    words, reader = pdf_words(staff.get(url("minutes_pdf", october.pk)).content)
    assert "Le conseil a parlé du site de la ville." in words
    assert pdf_ua_marks(reader) == PDF_UA_1
