"""The permission matrix: every named URL of the site, for every kind of visitor.

``ACCESS`` says who may use each view. A new view must be added here (the first test
fails otherwise), so that nobody ships a page without saying who may see it.

The second test asks every view as anonymous, as a council member (signed in to the
members' space through a real link) and as each staff role, with made-up identifiers
(``999999``, ``zz``): the role check comes before any lookup, so a refused visitor gets
a login page (the staff's or the members') or 403 (signed in, wrong role), and an
allowed one gets anything else (200, 404 for the made-up object, a redirect of the
view's own). POST-only views are asked with an empty POST.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.roles import make_staff
from tests.space.helpers import sign_in, space_council
from tirage.backoffice.roles import COORDINATOR, COUNTER_AGENT, OBSERVER

ANONYMOUS = "anonymous"
MEMBER = "member"
VISITORS = (ANONYMOUS, MEMBER, OBSERVER, COUNTER_AGENT, COORDINATOR)
MEMBER_LOGIN = "/espace-membre/connexion/"

PUBLIC = frozenset(VISITORS)
STAFF = frozenset((OBSERVER, COUNTER_AGENT, COORDINATOR))
COORD = frozenset((COORDINATOR,))
PERSONAL = frozenset((COUNTER_AGENT, COORDINATOR))
DRAW_READERS = frozenset((OBSERVER, COORDINATOR))
MEMBERS = frozenset((MEMBER,))
#: The sign-in steps themselves: asked by their own tests (tests/accounts).
SIGN_IN = None

ACCESS: dict[str, frozenset[str] | None] = {
    "health": PUBLIC,
    "accounts:login": SIGN_IN,
    "accounts:logout": SIGN_IN,
    "accounts:verify": SIGN_IN,
    "accounts:enrol": SIGN_IN,
    "accounts:security": STAFF,
    "member_login:login": SIGN_IN,
    "member_login:send_link": SIGN_IN,
    "member_login:link": SIGN_IN,
    "member_login:logout": SIGN_IN,
    # applications: the counter agents see their mairie's applications; observers, counts only.
    "applications_staff:dashboard": STAFF,
    "applications_staff:list": PERSONAL,
    "applications_staff:detail": PERSONAL,
    "applications_staff:decide": COORD,
    "applications_staff:set_area": COORD,
    "applications_staff:counter": PERSONAL,
    "applications_staff:receipt": PERSONAL,
    "applications_staff:import": PERSONAL,
    "applications_staff:import_template": PERSONAL,
    "applications_staff:export": COORD,
    "applications_staff:export_stats": STAFF,
    "applications_staff:bursts": COORD,
    # the draw
    "draws_staff:overview": DRAW_READERS,
    "draws_staff:freeze": COORD,
    "draws_staff:prepare": COORD,
    "draws_staff:commit": COORD,
    "draws_staff:redraw": COORD,
    "draws_staff:restart": COORD,
    "draws_staff:ceremony": COORD,
    "draws_staff:minutes": COORD,
    "draws_staff:minutes_pdf": COORD,
    "draws:announcement": PUBLIC,
    "draws:lookup": PUBLIC,
    "draws:results": PUBLIC,
    "draws:verify": PUBLIC,
    "draws:bundle": PUBLIC,
    "draws:result": PUBLIC,
    # the public form
    "applications:start": PUBLIC,
    "applications:area": PUBLIC,
    "applications:review": PUBLIC,
    "applications:confirmation": PUBLIC,
    "applications:paper_form": PUBLIC,
    # after the draw
    "council_staff:overview": COORD,
    "council_staff:produce_letters": COORD,
    "council_staff:restart_letters": COORD,
    "council_staff:offer": COORD,
    "council_staff:record_answer": COORD,
    "council_staff:reissue": COORD,
    "council_staff:install": COORD,
    "council_staff:member": COORD,
    "council_staff:renew": COORD,
    "letters_staff:batches": COORD,
    "letters_staff:batch_pdf": COORD,
    "letters_staff:letter_pdf": COORD,
    "council:reply_start": PUBLIC,
    "council:reply_done": PUBLIC,
    "council:reply": PUBLIC,
    "council:roster": PUBLIC,
    # the council's life: agents type the sign-in sheet; the coordination runs the rest
    "meetings_staff:meetings": PERSONAL,
    "meetings_staff:meeting": PERSONAL,
    "meetings_staff:register": PERSONAL,
    "meetings_staff:sign_in_sheet": PERSONAL,
    "meetings_staff:minutes_pdf": PERSONAL,
    "meetings_staff:meeting_new": COORD,
    "meetings_staff:meeting_edit": COORD,
    "meetings_staff:meeting_convene": COORD,
    "meetings_staff:meeting_cancel": COORD,
    "meetings_staff:agenda_add": COORD,
    "meetings_staff:agenda_move": COORD,
    "meetings_staff:agenda_remove": COORD,
    "meetings_staff:suggestion_answer": COORD,
    "meetings_staff:register_close": COORD,
    "meetings_staff:decision_new": COORD,
    "meetings_staff:minutes_edit": COORD,
    "meetings_staff:minutes_action": COORD,
    "meetings_staff:minutes_approve": COORD,
    "meetings_staff:settings": COORD,
    "meetings_staff:rules_document_new": COORD,
    "meetings_staff:rules_document": COORD,
    "meetings_staff:groups": COORD,
    "meetings_staff:group": COORD,
    "meetings_staff:absences": COORD,
    "meetings_staff:absence_action": COORD,
    "meetings:home": PUBLIC,
    "meetings:meeting": PUBLIC,
    "meetings:feed": PUBLIC,
    "meetings:meeting_ics": PUBLIC,
    "meetings:minutes_pdf": PUBLIC,
    # consultations, opinions and proposals (issue 10)
    "opinions:list": PUBLIC,
    "opinions:opinion": PUBLIC,
    "opinions:opinion_pdf": PUBLIC,
    "opinions:consultations": PUBLIC,
    "opinions:consultation": PUBLIC,
    "opinions_staff:overview": STAFF,
    "opinions_staff:consultation_new": COORD,
    "opinions_staff:consultation": COORD,
    "opinions_staff:booklet": PERSONAL,
    "opinions_staff:booklet_entry": PERSONAL,
    "opinions_staff:opinion_new": COORD,
    "opinions_staff:opinion": DRAW_READERS,  # observers read the opinions' staff page too
    "opinions_staff:opinion_edit": COORD,
    "opinions_staff:opinion_new_version": COORD,
    "opinions_staff:opinion_adopt": COORD,
    "opinions_staff:opinion_send": COORD,
    "opinions_staff:opinion_answers": COORD,
    "opinions_staff:opinion_ratings": COORD,
    "opinions_staff:commitment": COORD,
    "opinions_staff:notice_letters": COORD,
    "opinions_staff:voting_sheet": COORD,
    # members' space: consultations and proposals (tests/opinions/test_it_lets_members_contribute.py)
    "opinions_space:consultations": MEMBERS,
    "opinions_space:contribute": MEMBERS,
    "opinions_space:propose": MEMBERS,
    # open data: coordination acts, observers read (docs/open-data.md)
    "opendata_staff:overview": DRAW_READERS,
    "opendata_staff:request": DRAW_READERS,
    "opendata_staff:service": DRAW_READERS,
    "opendata_staff:request_create": COORD,
    "opendata_staff:request_edit": COORD,
    "opendata_staff:request_accept": COORD,
    "opendata_staff:request_refuse": COORD,
    "opendata_staff:request_publish": COORD,
    "opendata_staff:request_verify": COORD,
    "opendata_staff:service_create": COORD,
    "opendata_staff:target_set": COORD,
    "opendata_staff:evaluation_draft_opinion": COORD,
    "opendata_staff:evaluation_paper": COORD,
    "opendata_staff:indicators_import": COORD,
    "opendata:home": PUBLIC,
    "opendata:service": PUBLIC,
    "opendata:chart": PUBLIC,
    "opendata:datapackage": PUBLIC,
    "opendata:catalogue": PUBLIC,
    "opendata:schemas": PUBLIC,
    "opendata:schema": PUBLIC,
    "opendata:api": PUBLIC,
    "opendata:api_resource": PUBLIC,
    "opendata:file": PUBLIC,
    # the site
    "site:home": PUBLIC,
    "site:accessibility": PUBLIC,
    "site:privacy": PUBLIC,
    "site:legal": PUBLIC,
    # the members' space
    "member_space:home": MEMBERS,
    "member_space:meeting": MEMBERS,
    "member_space:reply": MEMBERS,
    "member_space:suggest": MEMBERS,
    "member_space:calendar": MEMBERS,
    "member_space:rules": MEMBERS,
    "member_space:resign": MEMBERS,
    # the annual report
    "reports_staff:list": COORD,
    "reports_staff:detail": COORD,
    "reports_staff:preview": COORD,
    "reports_staff:adopt": COORD,
    "reports:list": PUBLIC,
    "reports:pdf": PUBLIC,
    "reports:csv": PUBLIC,
}


def named_patterns(
    resolver: URLResolver | None = None, namespace: str = ""
) -> Iterator[tuple[str, URLPattern]]:
    """(``namespace:name``, pattern) for every named URL, Django's admin aside."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            inner = entry.namespace or ""
            yield from named_patterns(entry, ":".join(part for part in (namespace, inner) if part))
        elif entry.name:
            yield (f"{namespace}:{entry.name}" if namespace else entry.name), entry


def made_up_url(name: str, pattern: URLPattern) -> str:
    """``name`` reversed with made-up arguments (``999999`` for ints, ``zz`` otherwise)."""
    arguments = re.findall(r"<(?:(\w+):)?(\w+)>", str(pattern.pattern))
    kwargs = {key: (999999 if kind == "int" else "zz") for kind, key in arguments}
    return reverse(name, kwargs=kwargs)


def test_every_view_says_who_may_use_it():
    names = {name for name, _ in named_patterns()}
    assert sorted(names - set(ACCESS)) == [], "views missing from ACCESS"
    assert sorted(set(ACCESS) - names) == [], "ACCESS names views that no longer exist"


def _is_sign_in_redirect(response) -> bool:
    """A redirect to the staff's or the members' login page."""
    return response.status_code == 302 and response["Location"].startswith(
        (resolve_url(settings.LOGIN_URL), MEMBER_LOGIN)
    )


@pytest.mark.django_db
def test_each_visitor_gets_what_the_matrix_says(as_user):
    council, _ = space_council()
    users = {
        ANONYMOUS: None,
        OBSERVER: make_staff("matrix.observer", OBSERVER),
        COUNTER_AGENT: make_staff("matrix.agent", COUNTER_AGENT, "mdq-nord"),
        COORDINATOR: make_staff("matrix.coordinator", COORDINATOR),
    }
    clients = {visitor: as_user(user) for visitor, user in users.items()}
    clients[MEMBER] = as_user(None)
    sign_in(clients[MEMBER], council.members[0])
    wrong: list[str] = []
    asked = 0
    for name, pattern in named_patterns():
        allowed = ACCESS[name]
        if allowed is SIGN_IN:
            continue
        url = made_up_url(name, pattern)
        for visitor, client in clients.items():
            response = client.get(url)
            if response.status_code == 405:
                response = client.post(url)
            asked += 1
            refused = response.status_code == 403 or _is_sign_in_redirect(response)
            if visitor in allowed and refused:
                wrong.append(f"{name} ({url}): {visitor} refused ({response.status_code})")
            elif visitor not in allowed:
                # Staff pages: the login page for anonymous and members, 403 for a wrong
                # role; members' pages: their login page for everyone else.
                expected_refusal = _is_sign_in_redirect(response) or (
                    visitor not in (ANONYMOUS, MEMBER) and response.status_code == 403
                )
                if not expected_refusal:
                    wrong.append(f"{name} ({url}): {visitor} let in ({response.status_code})")
    assert wrong == []
    assert asked >= len(VISITORS) * 60
