"""Who may open each page of the council's life: the permission table of every staff and public view.

Rows: every URL of ``tirage.meetings.staff_urls`` and ``tirage.meetings.urls`` (a new view without a row
fails the test). Columns: anonymous, a signed-in person without a staff role (a council member has none),
observer, counter agent, coordinator.
"""

import pytest
from django.conf import settings
from django.urls import reverse

from tests.meetings.helpers import installed_council
from tests.meetings.staff import council_year
from tests.roles import make_staff
from tirage.backoffice.roles import COORDINATOR, COUNTER_AGENT, OBSERVER
from tirage.meetings import staff_urls, urls
from tirage.meetings.models import AbsenceCase, RulesDocument
from tirage.meetings.services.rules import publish_rules_document

STAFF = "agent+coordination"  # counter agents type the sign-in sheet, read the meetings
COORD = "coordination"
PUBLIC = "public"

# name → (who, method, arguments): "m" = the October meeting, "i" = its first agenda item, …
TABLE = {
    "meetings_staff:meetings": (STAFF, "get", ()),
    "meetings_staff:meeting": (STAFF, "get", ("m",)),
    "meetings_staff:register": (STAFF, "get", ("m",)),
    "meetings_staff:sign_in_sheet": (STAFF, "get", ("m",)),
    "meetings_staff:minutes_pdf": (STAFF, "get", ("m",)),
    "meetings_staff:meeting_new": (COORD, "get", ()),
    "meetings_staff:meeting_edit": (COORD, "get", ("c",)),
    "meetings_staff:meeting_convene": (COORD, "get", ("c",)),
    "meetings_staff:meeting_cancel": (COORD, "get", ("c",)),
    "meetings_staff:agenda_add": (COORD, "post", ("c",)),
    "meetings_staff:agenda_move": (COORD, "post", ("c", "ci")),
    "meetings_staff:agenda_remove": (COORD, "post", ("c", "ci")),
    "meetings_staff:suggestion_answer": (COORD, "post", ("c", "s")),
    "meetings_staff:register_close": (COORD, "post", ("m",)),
    "meetings_staff:decision_new": (COORD, "post", ("m", "i")),
    "meetings_staff:minutes_edit": (COORD, "get", ("m",)),
    "meetings_staff:minutes_action": (COORD, "post", ("m",)),
    "meetings_staff:minutes_approve": (COORD, "post", ("n",)),
    "meetings_staff:settings": (COORD, "get", ()),
    "meetings_staff:rules_document_new": (COORD, "get", ()),
    "meetings_staff:rules_document": (COORD, "get", ("d",)),
    "meetings_staff:groups": (COORD, "get", ()),
    "meetings_staff:group": (COORD, "get", ("g",)),
    "meetings_staff:absences": (COORD, "get", ()),
    "meetings_staff:absence_action": (COORD, "post", ("a",)),
    "meetings:home": (PUBLIC, "get", ()),
    "meetings:meeting": (PUBLIC, "get", ("m",)),
    "meetings:feed": (PUBLIC, "get", ()),
    "meetings:meeting_ics": (PUBLIC, "get", ("m",)),
    "meetings:minutes_pdf": (PUBLIC, "get", ("m",)),
}

PEOPLE = ["anonymous", "no role", "observer", "agent", "coordinator"]


def test_the_table_covers_every_view():
    names = {f"meetings_staff:{p.name}" for p in staff_urls.urlpatterns}
    names |= {f"meetings:{p.name}" for p in urls.urlpatterns}
    assert names == set(TABLE)


@pytest.fixture
def objects(db):
    from tirage.meetings.models import AgendaSuggestion, Source

    council = installed_council()
    year = council_year(council)
    coming = year.coming
    member = council.members[3]
    suggestion = AgendaSuggestion.objects.create(
        meeting=coming, member=member, title="Le wifi public", source=Source.ONLINE
    )
    document = publish_rules_document(
        call_id=council.call.pk, text="Article 1.", adopted_on=year.october.day
    )
    case = AbsenceCase.objects.create(call=council.call, member=member)
    return {
        "m": year.october.pk,
        "i": year.october.agenda_items.get(order=1).pk,
        "n": year.november.pk,
        "c": coming.pk,
        "ci": coming.agenda_items.get().pk,
        "s": suggestion.pk,
        "d": RulesDocument.objects.get(pk=document.pk).pk,
        "g": year.group.pk,
        "a": case.pk,
    }


@pytest.fixture
def clients(db, as_user):
    return {
        "anonymous": as_user(None),
        "no role": as_user(make_staff("nobody", None)),
        "observer": as_user(make_staff("obs", OBSERVER)),
        "agent": as_user(make_staff("agent", COUNTER_AGENT)),
        "coordinator": as_user(make_staff("coord", COORDINATOR)),
    }


def allowed(who: str, person: str) -> bool:
    return who == PUBLIC or person == "coordinator" or (who == STAFF and person == "agent")


def test_each_view_answers_only_the_right_people(objects, clients):
    login = reverse(settings.LOGIN_URL) if ":" in settings.LOGIN_URL else settings.LOGIN_URL
    problems = []
    for name, (who, method, args) in TABLE.items():
        path = reverse(name, args=[objects[a] for a in args])
        for person in PEOPLE:
            response = getattr(clients[person], method)(path)
            code = response.status_code
            if allowed(who, person):
                ok = code in (200, 302, 400) and not (
                    code == 302 and response["Location"].startswith(login)
                )
                if method == "get":
                    ok = code == 200
            elif person == "anonymous":
                ok = code == 302 and response["Location"].startswith(login)
            else:
                ok = code == 403
            if not ok:
                problems.append((name, person, code))
    assert problems == [], problems
