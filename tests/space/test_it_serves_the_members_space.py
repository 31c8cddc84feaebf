"""The members' space: replies, proxies, suggestions, the rules, resignation, the .ics — all recorded as online."""

from __future__ import annotations

import pytest
from icalendar import Calendar

from tests.space.helpers import sign_in, space_council
from tirage.council.models import Member
from tirage.meetings.models import (
    Acknowledgement,
    AgendaSuggestion,
    Attendance,
    Presence,
    Source,
)
from tirage.meetings.office import member_name

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    return space_council()


def test_home_lists_the_members_meetings_and_nothing_personal_of_others(client, setup):
    council, meeting = setup
    member = council.members[0]
    other = council.members[1]
    other.application.email = "autre.membre@example.org"
    other.application.phone = "06 11 22 33 44"
    other.application.save()
    sign_in(client, member)
    home = client.get("/espace-membre/").content.decode()
    assert f"Bonjour {member.application.given_name}" in home
    assert "Séance plénière de printemps" in home
    assert "Vous n'avez pas encore répondu." in home
    assert "attend votre accord" in home
    page = client.get(f"/espace-membre/reunions/{meeting.pk}/").content.decode()
    assert "Avis sur le wifi public" in page and "boucle magnétique" in page
    for text in (home, page):
        assert "autre.membre@example.org" not in text and "06 11 22 33 44" not in text
        assert other.application.family_name not in text  # others by first name and initial
        assert other.application.street_name not in text


def test_a_reply_is_recorded_as_online(client, setup):
    council, meeting = setup
    member = council.members[0]
    sign_in(client, member)
    answer = client.post(f"/espace-membre/reunions/{meeting.pk}/reponse/", {"reply": "excused"})
    assert answer.status_code == 302
    row = Attendance.objects.get(meeting=meeting, member=member)
    assert (row.reply, row.reply_source) == (Presence.EXCUSED, Source.ONLINE)
    page = client.get(f"/espace-membre/reunions/{meeting.pk}/").content.decode()
    assert "Vous avez répondu : <strong>excusé·e</strong>" in page


def test_a_proxy_goes_to_one_member_who_holds_none(client, setup):
    council, meeting = setup
    a, b, c = council.members[:3]
    sign_in(client, a)
    client.post(
        f"/espace-membre/reunions/{meeting.pk}/reponse/", {"reply": "proxy", "proxy_to": b.pk}
    )
    assert Attendance.objects.get(meeting=meeting, member=a).reply_proxy_to == b
    page = client.get(f"/espace-membre/reunions/{meeting.pk}/").content.decode()
    initial = b.application.family_name[:1].upper()
    said = f"<strong>procuration</strong> à {b.application.given_name} {initial}.</p>"
    assert said in page and f"{initial}..</p>" not in page  # one full stop after the initial
    client.post("/espace-membre/deconnexion/")
    sign_in(client, c)
    refused = client.post(
        f"/espace-membre/reunions/{meeting.pk}/reponse/", {"reply": "proxy", "proxy_to": b.pk}
    )
    assert refused.status_code == 409
    text = refused.content.decode()
    assert (
        f"Procuration de {member_name(c)} : {member_name(b)} détient déjà celle de {member_name(a)}"
        in text
    )
    assert not Attendance.objects.filter(meeting=meeting, member=c).exclude(reply="").exists()


def test_a_proxy_to_someone_not_on_the_council_is_refused(client, setup):
    council, meeting = setup
    a, gone = council.members[0], council.members[4]
    gone.ended_on = meeting.day.replace(day=1) if meeting.day.day > 1 else meeting.day
    gone.end_reason = Member.EndReason.MOVED
    gone.save()
    sign_in(client, a)
    refused = client.post(
        f"/espace-membre/reunions/{meeting.pk}/reponse/", {"reply": "proxy", "proxy_to": gone.pk}
    )
    assert refused.status_code == 409
    assert f"{member_name(gone)} n&#x27;est pas membre en exercice le" in refused.content.decode()
    missing = client.post(
        f"/espace-membre/reunions/{meeting.pk}/reponse/", {"reply": "proxy", "proxy_to": ""}
    )
    assert missing.status_code == 400
    assert "Choisissez le membre qui portera votre procuration." in missing.content.decode()


def test_a_suggestion_is_recorded_once(client, setup):
    council, meeting = setup
    member = council.members[0]
    sign_in(client, member)
    form = {"title": "La fibre dans les écoles", "description": "Beaucoup de parents demandent."}
    for _ in range(2):  # double submit
        assert (
            client.post(f"/espace-membre/reunions/{meeting.pk}/proposer/", form).status_code == 302
        )
    suggestion = AgendaSuggestion.objects.get(meeting=meeting)
    assert (suggestion.member, suggestion.source) == (member, Source.ONLINE)
    empty = client.post(f"/espace-membre/reunions/{meeting.pk}/proposer/", {"title": ""})
    assert empty.status_code == 400
    assert "Donnez un intitulé au point proposé." in empty.content.decode()


def test_the_rules_are_acknowledged_online(client, setup):
    council, _meeting = setup
    member = council.members[0]
    sign_in(client, member)
    assert "J'ai lu le règlement" in client.get("/espace-membre/reglement/").content.decode()
    assert client.post("/espace-membre/reglement/").status_code == 302
    ack = Acknowledgement.objects.get(member=member)
    assert ack.source == Source.ONLINE and ack.document.version == 1
    page = client.get("/espace-membre/reglement/").content.decode()
    assert "Vous avez approuvé cette version le" in page


def test_resigning_asks_for_confirmation_then_closes_the_space(client, setup):
    council, _meeting = setup
    member = council.members[0]
    sign_in(client, member)
    confirm = client.post("/espace-membre/demission/", {"note": "Je déménage."})
    text = confirm.content.decode()
    assert "Attention : ce choix est définitif" in text
    assert "Vous ne pourrez pas revenir sur cette décision" in text
    member.refresh_from_db()
    assert member.ended_on is None
    done = client.post("/espace-membre/demission/", {"note": "Je déménage.", "confirme": "oui"})
    assert "Votre démission est enregistrée" in done.content.decode()
    member.refresh_from_db()
    assert member.end_reason == Member.EndReason.RESIGNED and member.end_note == "Je déménage."
    # No letter confirms a resignation (only the replacement gets one): the page promised one.
    assert "courrier" not in done.content.decode().split("<h1>", 1)[1].split("</main>")[0]
    assert client.get("/espace-membre/").status_code == 302  # the space is closed to them


def test_the_meeting_calendar_file_parses(client, setup):
    council, meeting = setup
    sign_in(client, council.members[0])
    answer = client.get(f"/espace-membre/reunions/{meeting.pk}/agenda.ics")
    assert answer["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(answer.content).walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == ["Séance plénière de printemps"]
    assert "2. Avis sur le wifi public (décision)" in str(events[0]["DESCRIPTION"])


def test_a_meeting_the_member_was_not_called_to_is_not_found(client, setup):
    council, meeting = setup
    newcomer = council.members[0]
    meeting.convocations.filter(member=newcomer).delete()
    sign_in(client, newcomer)
    assert client.get(f"/espace-membre/reunions/{meeting.pk}/").status_code == 404
    assert client.get(f"/espace-membre/reunions/{meeting.pk}/agenda.ics").status_code == 404
