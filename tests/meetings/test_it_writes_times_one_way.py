"""Times on the council's pages and PDFs are written one way, « 18 h 00 » (``french_time``)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from django.template import Context, Template

import tirage
from tests.meetings.helpers import at, plenary
from tirage.site.dates import french_time

TEMPLATES = Path(tirage.__file__).parent


def test_french_time_puts_spaces_around_h_and_reads_paris():
    assert french_time(dt.time(9, 5)) == "9 h 05"
    assert french_time(dt.datetime(2026, 3, 3, 19, 0, tzinfo=dt.UTC)) == "20 h 00"  # winter: UTC+1
    rendered = Template("{% load tirage_site %}{{ t|french_time }}|{{ none|french_time }}").render(
        Context({"t": dt.datetime(2026, 7, 1, 16, 30, tzinfo=dt.UTC), "none": None})
    )
    assert rendered == "18 h 30|"  # summer: UTC+2


def test_the_staff_meeting_page_says_when_it_ends_the_same_way(council, client, coordinator):
    meeting = plenary(council, at(2025, 11, 3, 18), ends_at=at(2025, 11, 3, 20, 15))
    client.force_login(coordinator)
    html = client.get(f"/gestion/conseil/reunions/{meeting.pk}/").content.decode()
    assert "lundi 3 novembre 2025 à 18 h 00 — fin à 20 h 15" in html
    # The admin's lists and choices (``str``) too.
    assert str(meeting) == "Séance plénière du 03/11/2025 (03/11/2025 à 18 h 00)"


def test_no_template_formats_a_time_by_itself():
    """``|time:"H\\hi"`` wrote « 20h00 » beside « 18 h 00 »: every time goes through the filters."""
    offenders = []
    for path in TEMPLATES.rglob("templates/**/*.*"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if re.search(r"\|time\b|\|date:\"[^\"]*[HGgh]", line) and "/applications/" not in str(
                path
            ):
                offenders.append(f"{path.relative_to(TEMPLATES)}:{number}")
    assert offenders == []


def test_a_time_typed_the_way_the_pages_write_it_is_read(
    council, as_user, coordinator, monkeypatch
):
    """The pages say « 18 h 30 »: typed so (or « 18h30 », « 18 h ») it is read, not refused."""
    from tests.meetings.staff import Clock, text, url
    from tirage.meetings.models import Meeting

    Clock(monkeypatch).at(at(2025, 9, 10, 10))
    staff = as_user(coordinator)
    for typed, hour, minute in [
        ("06/10/2025 18 h 30", 18, 30),
        ("07/10/2025 18h05", 18, 5),
        ("08/10/2025\u202f9\u202fh", 9, 0),
        ("09/10/2025 18:45", 18, 45),
    ]:
        response = staff.post(
            url("meeting_new"),
            {
                "title": f"Séance {typed}",
                "kind": "plenary",
                "starts_at": typed,
                "format": "in_person",
                "place": "Hôtel de ville",
            },
        )
        assert response.status_code == 302, text(response)[:1500]
        local = Meeting.objects.latest("id").starts_at.astimezone(
            dt.timezone(dt.timedelta(hours=2))
        )
        assert (local.day, local.hour, local.minute) == (int(typed[:2]), hour, minute)
    response = staff.post(
        url("meeting_new"),
        {
            "title": "Séance impossible",
            "kind": "plenary",
            "starts_at": "10/10/2025 25 h 00",
            "format": "in_person",
            "place": "Hôtel de ville",
        },
    )
    assert response.status_code == 400
    assert "Date et heure attendues au format JJ/MM/AAAA puis l&#x27;heure" in text(response) or (
        "Date et heure attendues au format JJ/MM/AAAA puis l'heure" in text(response)
    )
    assert Meeting.objects.count() == 4
