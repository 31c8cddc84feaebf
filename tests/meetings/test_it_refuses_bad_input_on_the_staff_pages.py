"""Bad input through the staff pages: each refused with a precise French message, nothing half-saved."""

import datetime as dt

import pytest

from tests.conftest import queued
from tests.meetings.helpers import at, hold, plenary
from tests.meetings.staff import Clock, sheet, text, url
from tirage.meetings import tasks
from tirage.meetings.models import Attendance, Convocation, Decision, Meeting, Minutes
from tirage.meetings.services.minutes import draft_minutes, send_minutes

APPROVAL = (("Approbation du compte rendu de la séance précédente", "decision"),)


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


@pytest.fixture
def staff(as_user, coordinator):
    return as_user(coordinator)


def test_a_meeting_in_the_past_is_refused(council, staff, clock):
    clock.at(at(2025, 9, 10, 10))
    response = staff.post(
        url("meeting_new"),
        {
            "title": "Séance de rentrée",
            "kind": "plenary",
            "starts_at": "01/09/2025 18:00",
            "format": "in_person",
            "place": "Hôtel de ville",
        },
    )
    assert response.status_code == 400
    assert (
        "La réunion ne peut pas avoir lieu dans le passé : le 1er septembre 2025 à 18 h 00 est déjà "
        "passé (nous sommes le 10 septembre 2025 à 10 h 00)."
    ) in text(response)
    assert not Meeting.objects.exists()


def test_a_convocation_after_the_notice_period_is_refused(
    council, staff, clock, django_capture_on_commit_callbacks
):
    clock.at(at(2025, 9, 10, 10))
    meeting = plenary(council, at(2025, 9, 20), now=at(2025, 9, 1), convened=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(url("meeting_convene", meeting.pk))
    assert response.status_code == 400
    assert (
        "Convocation trop tardive : la réunion du 20 septembre 2025 est dans 10 jours, le règlement "
        "impose 15 jours de préavis (il fallait convoquer au plus tard le 5 septembre 2025). "
        "Déplacez la réunion au 25 septembre 2025 ou plus tard."
    ) in text(response)
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.PLANNED
    assert not Convocation.objects.exists()
    assert queued(tasks.send_convocation_letters) == 0


def test_a_second_proxy_to_the_same_member_is_refused_and_nothing_is_saved(council, staff, clock):
    meeting = plenary(council, at(2025, 10, 6))
    clock.at(meeting.starts_at + dt.timedelta(minutes=10))
    a, b, holder = council.members[0], council.members[1], council.members[2]
    data = sheet(council.members)
    data |= {f"status-{a.pk}": "proxy", f"proxy-{a.pk}": str(holder.pk)}
    data |= {f"status-{b.pk}": "proxy", f"proxy-{b.pk}": str(holder.pk)}
    response = staff.post(url("register", meeting.pk), data)
    assert response.status_code == 400
    page = text(response)
    assert (
        f"Procuration de {council.named(b)} : {council.named(holder)} détient déjà celle de "
        f"{council.named(a)} ; un membre ne peut en porter qu'une."
    ) in page
    assert not Attendance.objects.exclude(status="").exists()


def test_a_proxy_to_or_a_line_for_someone_not_in_office_is_refused(council, staff, clock):
    meeting = plenary(council, at(2025, 10, 6))
    gone = council.members[5]
    type(gone).objects.filter(pk=gone.pk).update(
        ended_on=dt.date(2025, 9, 30), end_reason="resigned"
    )
    clock.at(meeting.starts_at + dt.timedelta(minutes=10))
    giver = council.members[0]
    data = sheet([m for m in council.members if m != gone])
    data |= {f"status-{giver.pk}": "proxy", f"proxy-{giver.pk}": str(gone.pk)}
    data |= {f"status-{gone.pk}": "present"}  # a stale printed sheet
    response = staff.post(url("register", meeting.pk), data)
    assert response.status_code == 400
    page = text(response)
    assert (
        f"{council.named(gone)} n'est pas membre en exercice le 6 octobre 2025 "
        "(a quitté le conseil le 30 septembre 2025)."
    ) in page
    assert not Attendance.objects.exclude(status="").exists()
    # A proxy to nobody known.
    data = sheet([m for m in council.members if m != gone])
    data |= {f"status-{giver.pk}": "proxy", f"proxy-{giver.pk}": ""}
    response = staff.post(url("register", meeting.pk), data)
    assert response.status_code == 400
    assert (
        f"Procuration de {council.named(giver)} : indiquez à quel membre elle est donnée."
        in text(response)
    )
    assert not Attendance.objects.exclude(status="").exists()


def test_minutes_are_not_approved_in_a_meeting_without_quorum(council, staff, clock):
    october = plenary(council, at(2025, 10, 6))
    hold(october, everyone=council.members)
    minutes = draft_minutes(meeting_id=october.pk, text="Compte rendu.", now=at(2025, 10, 8))
    send_minutes(minutes_id=minutes.pk, now=at(2025, 10, 9))
    november = plenary(council, at(2025, 11, 10), items=APPROVAL, now=at(2025, 10, 10))
    hold(november, everyone=council.members, excused=council.members[5:])
    clock.at(at(2025, 11, 10, 18, 30))
    response = staff.post(
        url("minutes_approve", november.pk),
        {
            "minutes": minutes.pk,
            "item": november.agenda_items.get().pk,
            "method": "vote",
            "voters": 5,
            "votes_for": 5,
            "votes_against": 0,
            "abstentions": 0,
        },
    )
    assert response.status_code == 400
    assert "Quorum non atteint : 5 membres présents sur 20 en exercice (il en faut 10)" in text(
        response
    )
    minutes.refresh_from_db()
    assert minutes.state == Minutes.State.SENT
    assert not Decision.objects.filter(meeting=november).exists()


def test_a_cancellation_needs_its_reason(council, staff, clock):
    clock.at(at(2025, 9, 10, 10))
    meeting = plenary(council, at(2025, 10, 6), now=at(2025, 9, 1))
    response = staff.post(url("meeting_cancel", meeting.pk), {"reason": "  "})
    assert response.status_code == 400
    assert "Indiquez le motif de l'annulation (il sera affiché)." in text(response)
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.CONVENED
    response = staff.post(url("meeting_cancel", meeting.pk), {"reason": "Salle indisponible"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.state, meeting.cancelled_reason) == ("cancelled", "Salle indisponible")


def test_no_approval_form_without_a_free_decision_item(council, staff, clock):
    """A held plenary whose agenda has no decision item left: say so, no form that can only fail."""
    october = plenary(council, at(2025, 10, 6))
    hold(october, everyone=council.members)
    minutes = draft_minutes(meeting_id=october.pk, text="Compte rendu.", now=at(2025, 10, 8))
    send_minutes(minutes_id=minutes.pk, now=at(2025, 10, 9))
    info = (("Point d'information", "information"),)
    november = plenary(council, at(2025, 11, 10), items=info, now=at(2025, 10, 10))
    hold(november, everyone=council.members)
    clock.at(at(2025, 11, 10, 18, 30))
    page = text(staff.get(url("meeting", november.pk)))
    assert "Aucun point pour décision n'est libre à l'ordre du jour de cette séance" in page
    assert url("minutes_approve", november.pk) not in page


def test_the_confirmation_says_an_empty_agenda_before_anything_is_confirmed(council, staff, clock):
    clock.at(at(2025, 9, 1, 10))
    meeting = plenary(council, at(2025, 10, 6), now=at(2025, 9, 1), convened=False)
    meeting.agenda_items.all().delete()
    page = text(staff.get(url("meeting_convene", meeting.pk)))
    assert "L'ordre du jour est vide : ajoutez au moins un point avant de convoquer" in page
    assert "Confirmer : convoquer les membres" not in page
