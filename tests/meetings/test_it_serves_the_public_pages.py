"""The council's public pages: /conseil/, one page per meeting, the iCalendar feed, the minutes' PDF.
No login; names only with consent; never an address, e-mail, phone or the videoconference link."""

import io

import pytest
from icalendar import Calendar
from pypdf import PdfReader

from tests.meetings.helpers import installed_council
from tests.meetings.staff import council_year, text
from tests.pdftext import PDF_UA_1, pdf_ua_marks
from tirage.meetings.office import member_name


@pytest.fixture
def year(db):
    council = installed_council()
    return council, council_year(council)


def test_the_council_home_shows_what_is_public_and_nothing_personal(client, year):
    council, data = year
    page = text(client.get("/conseil/"))
    assert "Séance plénière de janvier" in page
    assert f'href="/conseil/reunions/{data.october.pk}/"' in page
    # Aggregated attendance: 17 + 20 attending out of 40 marks (2 excused, 1 absent in October).
    assert (
        "Taux de présence : <strong>92 %</strong>" in page
        and "37 présences" in page
        and "40 convocations" in page
    )
    assert "20 membres en exercice" in page
    consenting = council.members[:5]
    for member in consenting:
        app = member.application
        assert f"{app.given_name} {app.family_name[:1].upper()}." in page
    assert "15 membres n'ont pas souhaité que leur nom soit publié" in page
    for member in council.members:
        app = member.application
        assert member_name(member) not in page
        assert app.email not in page
        if app.phone:
            assert app.phone not in page
        assert app.street_name not in page
    assert "Données ouvertes" in page and "4 membres" in page
    assert "secret-room" not in page
    # The site's footer links to it.
    assert 'href="/conseil/"' in text(client.get("/"))


def test_a_meeting_page_shows_agenda_minutes_and_decisions(client, year):
    _council, data = year
    page = text(client.get(f"/conseil/reunions/{data.october.pk}/"))
    assert "Calendrier des séances" in page and "Le site de la ville" in page
    assert "Il a choisi les dates des prochaines réunions." in page  # FALC beside the text
    assert "Le conseil adopte le calendrier des séances." in page
    assert "Adoptée : 15 pour, 1 contre, 1 abstention (17 votants)." in page
    coming = text(client.get(f"/conseil/reunions/{data.coming.pk}/"))
    assert "17 Grand-Place, Roubaix (et à distance)" in coming
    assert "boucle magnétique" in coming and "secret-room" not in coming
    assert "Le compte rendu" not in coming


def test_the_public_feed_parses_and_holds_every_planned_meeting(client, year):
    _council, data = year
    response = client.get("/conseil/reunions.ics")
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {
        data.october.title,
        data.november.title,
        "Séance plénière de janvier",
    }
    coming = events["Séance plénière de janvier"]
    assert coming.decoded("DTSTART") == data.coming.starts_at
    assert str(coming["STATUS"]) == "TENTATIVE"
    assert b"secret-room" not in response.content
    one = Calendar.from_ical(client.get(f"/conseil/reunions/{data.coming.pk}/reunion.ics").content)
    assert [str(e["UID"]) for e in one.walk("VEVENT")] == [str(coming["UID"])]


def test_the_published_minutes_are_a_tagged_pdf(client, year):
    _council, data = year
    response = client.get(f"/conseil/reunions/{data.october.pk}/compte-rendu.pdf")
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    words = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Compte rendu — Séance plénière du 06/10/2025" in words
    assert "Il a choisi les dates des prochaines réunions." in words
    assert "Adoptée : 15 pour, 1 contre, 1 abstention (17 votants)." in words
    assert pdf_ua_marks(reader) == PDF_UA_1
    # Not published yet: no public PDF.
    assert client.get(f"/conseil/reunions/{data.november.pk}/compte-rendu.pdf").status_code == 404
