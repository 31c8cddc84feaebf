"""iCalendar files: one per meeting, and a public feed that parses with icalendar and holds every planned meeting."""

import datetime as dt

from icalendar import Calendar

from tests.meetings.helpers import at, plenary
from tirage.meetings.ics import feed_ics, meeting_ics, meeting_uid
from tirage.meetings.models import Meeting
from tirage.meetings.services.schedule import change_meeting, plan_meeting


def events(data: bytes):
    return {str(e["UID"]): e for e in Calendar.from_ical(data).walk("VEVENT")}


def test_the_public_feed_holds_every_meeting_and_no_private_link(council):
    planned = [
        plenary(council, at(2025, 10, 6), now=at(2025, 9, 1), address="Grand'Place, 59100 Roubaix"),
        plenary(council, at(2025, 11, 10), now=at(2025, 9, 1), convened=False),
        plan_meeting(
            call_id=council.call.pk,
            title="Visite du centre de données",
            kind=Meeting.Kind.VISIT,
            starts_at=at(2025, 12, 3, 14),
            format=Meeting.Format.HYBRID,
            place="Centre technique municipal",
            remote_url="https://visio.example.org/secret-cln",
            now=at(2025, 9, 1),
        ),
    ]
    cancelled = plenary(council, at(2026, 1, 12), now=at(2025, 9, 1))
    cancelled.cancel(reason="Élections municipales", now=at(2025, 12, 1))
    data = feed_ics(council.call, now=at(2025, 12, 2))
    found = events(data)
    assert set(found) == {meeting_uid(m) for m in planned + [cancelled]}
    first = found[meeting_uid(planned[0])]
    assert first.decoded("DTSTART") == at(2025, 10, 6)
    assert first.decoded("DTEND") == at(2025, 10, 6, 20)
    assert str(first["LOCATION"]) == "Hôtel de ville, salle du conseil, Grand'Place, 59100 Roubaix"
    assert "1. Approbation du compte rendu (décision)" in str(first["DESCRIPTION"])
    assert (str(first["STATUS"]), str(found[meeting_uid(planned[1])]["STATUS"])) == (
        "CONFIRMED",
        "TENTATIVE",
    )
    gone = found[meeting_uid(cancelled)]
    assert str(gone["STATUS"]) == "CANCELLED" and int(gone["SEQUENCE"]) == 1
    assert "Élections municipales" in str(gone["DESCRIPTION"])
    assert b"secret-cln" not in data
    assert (
        str(found[meeting_uid(planned[2])]["LOCATION"])
        == "Centre technique municipal (et à distance)"
    )
    calendar = Calendar.from_ical(data)
    assert str(calendar["X-WR-CALNAME"]) == "Conseil local du numérique – Roubaix"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]


def test_a_members_file_has_the_link_and_follows_changes(council):
    meeting = plan_meeting(
        call_id=council.call.pk,
        title="Séance hybride",
        starts_at=at(2025, 10, 6),
        format=Meeting.Format.HYBRID,
        place="Hôtel de ville",
        remote_url="https://visio.example.org/secret-cln",
        now=at(2025, 9, 1),
    )
    assert b"secret-cln" not in meeting_ics(meeting)
    private = events(meeting_ics(meeting, private=True))[meeting_uid(meeting)]
    assert str(private["URL"]) == "https://visio.example.org/secret-cln"
    moved = change_meeting(
        meeting_id=meeting.pk, starts_at=at(2025, 10, 13, 18, 30), now=at(2025, 9, 2)
    )
    event = events(meeting_ics(moved))[meeting_uid(meeting)]
    assert event.decoded("DTSTART") == at(2025, 10, 13, 18, 30)
    assert event.decoded("DTSTART").utcoffset() == dt.timedelta(hours=2)
    assert int(event["SEQUENCE"]) == 1
