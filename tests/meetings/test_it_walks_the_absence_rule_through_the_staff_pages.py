"""The absence rule end to end, through the staff pages only: three meetings planned, convened and held,
three unexcused absences → the coordinator's alert → the letter → the seat declared vacant → the next
person of the reserve list who keeps the quotas gets an offer letter."""

import datetime as dt

import pytest
from django.core import mail

from tests.aftermath import lay_out_queued_offer_letters
from tests.conftest import queued
from tests.meetings.helpers import at, installed_council
from tests.meetings.staff import Clock, sheet, text, url
from tirage.audit.models import AuditEntry
from tirage.council.models import Member, Offer
from tirage.letters.models import Kind, Letter
from tirage.meetings import documents, tasks
from tirage.meetings.models import AbsenceCase, Attendance, Meeting, Rules

pytest.importorskip("tirage.sortition.reserve")

ORDER = [("sud", 4), ("nord", 5), ("nord", 7), ("nord", 4), ("nord", 6)]


@pytest.fixture
def council(db):
    return installed_council(reserve_slots=ORDER, per_secteur=8)


def plan_and_convene(client, clock, when: dt.datetime) -> Meeting:
    clock.at(when - dt.timedelta(days=30))
    response = client.post(
        url("meeting_new"),
        {
            "title": f"Séance plénière du {when:%d/%m/%Y}",
            "kind": "plenary",
            "starts_at": f"{when:%d/%m/%Y %H:%M}",
            "format": "in_person",
            "place": "Hôtel de ville, salle du conseil",
            "access_info": "Entrée accessible en fauteuil, rue de la Poste.",
        },
    )
    assert response.status_code == 302, text(response)[:2000]
    meeting = Meeting.objects.latest("id")
    response = client.post(
        url("agenda_add", meeting.pk), {"title": "Le site de la ville", "kind": "debate"}
    )
    assert response.status_code == 302
    assert client.get(url("meeting_convene", meeting.pk)).status_code == 200  # the confirmation
    assert client.post(url("meeting_convene", meeting.pk)).status_code == 302
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.CONVENED
    return meeting


def test_three_unexcused_absences_through_the_staff_pages(
    council, coordinator, as_user, monkeypatch, django_capture_on_commit_callbacks
):
    clock = Clock(monkeypatch)
    client = as_user(coordinator)
    Rules.for_call(council.call).update(vacancy_by="coordinator")
    absentee = council.by_slot("nord", 0)  # a woman from nord
    meetings = [
        plan_and_convene(client, clock, when)
        for when in (at(2025, 10, 6), at(2025, 11, 10), at(2025, 12, 8))
    ]
    for i, meeting in enumerate(meetings):
        clock.at(meeting.starts_at + dt.timedelta(minutes=15))
        response = client.post(
            url("register", meeting.pk), sheet(council.members, absent=[absentee])
        )
        assert response.status_code == 302
        page = text(client.get(url("register", meeting.pk)))
        assert "Quorum atteint : 19 membres présents sur 20 en exercice (il en faut 10)." in page
        clock.at(meeting.ends_at)
        response = client.post(url("register_close", meeting.pk), follow=True)
        alert = "a atteint la limite d'absences non excusées consécutives"
        assert (alert in text(response)) == (i == 2)
    row = Attendance.objects.get(meeting=meetings[2], member=absentee)
    assert (row.status, row.status_source, row.recorded_by) == ("absent", "paper", coordinator)

    # The alert: on the meetings list and the absences page.
    assert "1 procédure d'absences en cours" in text(client.get(url("meetings")))
    case = AbsenceCase.objects.get(member=absentee)
    assert case.state == AbsenceCase.State.OPEN

    # Too early: the member must be written to first (refused, nothing changes).
    response = client.post(url("absence_action", case.pk), {"action": "vacant"})
    assert response.status_code == 400
    assert "doit d'abord recevoir la lettre" in text(response)
    case.refresh_from_db()
    assert case.state == AbsenceCase.State.OPEN

    # The letter: queued after the commit, then produced (the task's own body).
    clock.at(at(2025, 12, 10, 10))
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url("absence_action", case.pk), {"action": "letter"}).status_code == 302
    assert queued(tasks.send_absence_letter) == 1
    documents.send_absence_letter(case.pk, actor=coordinator)
    letter = Letter.objects.get(kind=Kind.ABSENCE)
    assert letter.application == absentee.application
    case.refresh_from_db()
    assert case.reply_until == dt.date(2025, 12, 25)

    # Before the reply deadline: refused with the dates.
    clock.at(at(2025, 12, 20, 10))
    response = client.post(url("absence_action", case.pk), {"action": "vacant"})
    assert response.status_code == 400
    assert "peut répondre à la lettre jusqu'au 25 décembre 2025" in text(response)

    # After it: the seat is vacant, the reserve's next person within the quotas gets the offer.
    clock.at(at(2026, 1, 5, 10))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("absence_action", case.pk), {"action": "vacant"}, follow=True)
    assert response.status_code == 200
    new = Offer.objects.filter(replaces__receipt_code=absentee.application.receipt_code).get()
    # sud-4 is first in the reserve but nord must keep its 4 seats; nord-5 (a man) comes
    # next, but the seat goes to the first of the absentee's seat list: nord-4, a woman of
    # nord like her (docs/draw-protocol.md, section 5).
    assert new.receipt_code == council.drawn.by_slot[("nord", 4)]
    assert f"proposé à {new.receipt_code}" in text(response)
    assert lay_out_queued_offer_letters() == ["done"]
    assert new.letters.get().letter.kind == Kind.REPLACEMENT
    absentee.refresh_from_db()
    assert (absentee.ended_on, absentee.end_reason) == (dt.date(2026, 1, 5), "removed")
    assert Member.objects.in_office(dt.date(2026, 1, 6)).filter(call=council.call).count() == 19
    assert AuditEntry.objects.get(action="absence.seat_vacant").data["by"] == "coordinator"
