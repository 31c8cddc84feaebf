import datetime as dt
import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone

from tests.accounts.totp import code_from_secret
from tirage.applications.models import Application, Channel, Status
from tirage.audit.models import AuditEntry
from tirage.backoffice.models import StaffProfile
from tirage.backoffice.roles import COORDINATOR, COUNTER_AGENT, roles_of
from tirage.calls.callfile import load_call_file
from tirage.calls.models import PARIS, Call, Feature, FeatureValue, Office
from tirage.council.models import Member
from tirage.demo.applicants import plan_pool
from tirage.meetings.models import AbsenceCase, Attendance, Decision, Meeting, Minutes, Presence
from tirage.opinions.models import Opinion

pytestmark = pytest.mark.django_db

SECTEURS = ("nord", "sud", "est", "ouest", "centre")
# Real PBKDF2 costs about a second per password: too slow for seven accounts per run.
FAST_HASHING = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])


def run_demo() -> str:
    out = StringIO()
    call_command("demo", "--no-serve", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module", autouse=True)
def demo_output(django_db_setup, django_db_blocker):
    """The demo, run once for this module (each test's changes are rolled back)."""
    with FAST_HASHING, django_db_blocker.unblock():
        output = run_demo()
        yield output
        call_command("flush", interactive=False, verbosity=0)


def snapshot() -> dict[str, int]:
    return {
        "applications": Application.objects.count(),
        "calls": Call.objects.count(),
        "offices": Office.objects.count(),
        "features": Feature.objects.count(),
        "values": FeatureValue.objects.count(),
        "users": get_user_model().objects.count(),
        "profiles": StaffProfile.objects.count(),
        "created_entries": AuditEntry.objects.filter(action="application.created").count(),
        "members": Member.objects.count(),
        "meetings": Meeting.objects.count(),
        "attendances": Attendance.objects.count(),
        "decisions": Decision.objects.count(),
        "minutes": Minutes.objects.count(),
        "opinions": Opinion.objects.count(),
    }


def printed_password(output: str, username: str) -> str:
    match = re.search(rf"^\s+{re.escape(username)}\s+(\S+)", output, re.MULTILINE)
    assert match, output
    return match.group(1)


def test_second_run_adds_nothing_and_resets_passwords(demo_output):
    first_output = demo_output
    first = snapshot()
    old_password = printed_password(first_output, "coordination")
    second_output = run_demo()
    assert snapshot() == first
    assert "rien d'ajouté" in second_output
    new_password = printed_password(second_output, "coordination")
    user = get_user_model().objects.get(username="coordination")
    assert new_password != old_password
    assert user.check_password(new_password) and not user.check_password(old_password)
    assert roles_of(user) == {COORDINATOR}


def test_call_is_open_today_and_closes_in_seven_days_at_midnight_paris():
    call = Call.objects.get(slug="roubaix-cln-2025")
    today = timezone.now().astimezone(PARIS).date()
    closing = today + dt.timedelta(days=7)
    assert call.closes_at == dt.datetime.combine(closing, dt.time(23, 59, 59), tzinfo=PARIS)
    assert call.closes_at.astimezone(PARIS).time() == dt.time(23, 59, 59)
    assert call.is_open()
    assert call.draw_date == closing + dt.timedelta(days=7)
    assert call.redated_from == dt.date(2025, 6, 6)
    # The file's own interval: opens 32 days before closing, i.e. 25 days before today.
    assert call.opens_at.astimezone(PARIS).date() == today - dt.timedelta(days=25)


def test_pool_is_realistic_and_quotas_are_reachable():
    call = Call.objects.get(slug="roubaix-cln-2025")
    apps = Application.objects.filter(call=call)
    total = apps.count()
    assert 380 <= total <= 420
    eligible = apps.filter(status=Status.ELIGIBLE)
    by_secteur = {s: eligible.filter(secteur=s) for s in SECTEURS}
    for secteur, qs in by_secteur.items():
        # 4 seats per secteur, 2 women and 2 men each give 10/10: within 9–11.
        assert qs.count() >= 8, secteur
        assert qs.filter(gender="femme").count() >= 2, secteur
        assert qs.filter(gender="homme").count() >= 2, secteur
    counts = {s: qs.count() for s, qs in by_secteur.items()}
    assert (
        counts["est"] < min(counts["nord"], counts["ouest"]) < max(counts["centre"], counts["sud"])
    )
    women = apps.filter(gender="femme").count() / total
    men = apps.filter(gender="homme").count() / total
    assert 0.50 < women < 0.62 and 0.36 < men < 0.48
    assert apps.filter(gender="autre").exists()
    age_day = call.age_date
    ages = [a.age_on(age_day) for a in apps.filter(status=Status.ELIGIBLE)]
    assert min(ages) >= 16 and max(ages) <= 90
    assert sum(a >= 60 for a in ages) > 2 * sum(a < 30 for a in ages)


def test_awkward_cases_are_flagged_by_the_real_rules():
    apps = Application.objects.filter(call__slug="roubaix-cln-2025")
    twins = list(apps.filter(duplicate_of__isnull=False).select_related("duplicate_of"))
    assert 4 <= len(twins) <= 6
    for twin in twins:
        original = twin.duplicate_of
        assert twin.status == Status.RECEIVED and twin.needs_review
        assert original.receipt_code in twin.review_note
        assert twin.identity_key == original.identity_key
        assert (twin.family_name, twin.given_name) != (original.family_name, original.given_name)
        assert twin.created_at > original.created_at

    too_young = apps.filter(status=Status.INELIGIBLE, status_reason__startswith="Âge")
    assert 3 <= too_young.count() <= 5
    assert all(a.age_on(a.call.age_date) < 16 for a in too_young)
    outside = apps.filter(status=Status.INELIGIBLE, status_reason__contains="hors du territoire")
    assert 3 <= outside.count() <= 5
    assert "Tourcoing" in set(outside.values_list("commune", flat=True))
    assert not outside.filter(postcode="59100").exists()

    # Unknown streets: eligible (in Roubaix), secteur left for staff to set.
    unknown = apps.filter(needs_review=True, duplicate_of__isnull=True, status=Status.ELIGIBLE)
    assert 2 <= unknown.count() <= 4
    assert set(unknown.values_list("secteur", flat=True)) == {""}
    assert all(a.review_note for a in unknown)
    assert apps.filter(needs_review=True).count() == (
        len(twins)
        + unknown.count()
        + apps.filter(needs_review=True, status=Status.INELIGIBLE).count()
    )


def test_paper_forms_are_typed_in_by_the_agent_of_their_mairie():
    call = Call.objects.get(slug="roubaix-cln-2025")
    apps = Application.objects.filter(call=call)
    paper = apps.filter(channel=Channel.PAPER).select_related("office", "received_by")
    assert 0.2 < paper.count() / apps.count() < 0.4
    assert {a.office.code for a in paper} == set(call.offices.values_list("code", flat=True))
    for app in paper:
        assert roles_of(app.received_by) == {COUNTER_AGENT}
        assert app.received_by.staff_profile.office == app.office
        assert call.opens_at.astimezone(PARIS).date() <= app.received_on <= call.closing_date
        assert app.created_at.astimezone(PARIS).date() >= app.received_on
    online = apps.filter(channel=Channel.ONLINE)
    assert not online.filter(office__isnull=False).exists()
    now = timezone.now()
    assert all(call.opens_at <= a.created_at <= now for a in apps)
    # Spread over the weeks since opening, not all on one day.
    assert len({a.created_at.astimezone(PARIS).date() for a in apps}) >= 15


def test_same_seed_same_people_other_seed_other_people():
    call = load_call_file(shift_days=0)  # the shipped dates, in place of the demo's
    now = dt.datetime(2025, 6, 1, 12, tzinfo=PARIS)

    def people(seed):
        return [
            (p.data, p.kind, p.channel, p.created_at) for p in plan_pool(call, seed=seed, now=now)
        ]

    first = people(7)
    assert first == people(7)
    assert first != people(8)
    assert all(call.opens_at <= created <= now for *_, created in first)


def test_demo_streets_are_real_and_lie_where_the_plan_says():
    from tirage.demo.applicants import OUTSIDE_ADDRESSES, ROUBAIX_STREETS, UNKNOWN_STREETS
    from tirage.geo.lookup import lookup_street

    for secteur, streets in ROUBAIX_STREETS.items():
        for street in streets:
            match = lookup_street(street.label, postcode="59100", commune="Roubaix")
            assert (match.status, match.street_id, match.secteurs, match.quartiers) == (
                "single",
                street.street_id,
                (secteur,),
                (street.quartier,),
            ), street
    for name in UNKNOWN_STREETS:
        assert lookup_street(name, postcode="59100", commune="Roubaix").status == "unknown"
    for name, postcode, commune in OUTSIDE_ADDRESSES:
        assert lookup_street(name, postcode=postcode, commune=commune).status == "outside"


def test_a_later_run_moves_the_call_and_says_the_pool_is_older():
    from tirage.demo.setup import run_demo as run_demo_service

    before = Application.objects.count()
    report = run_demo_service(now=timezone.now() + dt.timedelta(days=3))
    assert report.created == 0 and Application.objects.count() == before
    assert report.pool_lag_days == 3
    today = timezone.now().astimezone(PARIS).date()
    assert report.call.closing_date == today + dt.timedelta(days=10)


def printed_two_factor(output: str) -> tuple[str, list[str]]:
    """The coordinator's printed authenticator key and recovery codes."""
    block = output.split("coordination", 1)[1]
    secret = re.search(r"^\s+((?:[A-Z2-7]{4} ?)+)$", block, re.MULTILINE).group(1).strip()
    codes = re.findall(r"\b[a-z2-7]{4}-[a-z2-7]{4}\b", block.split("codes de secours", 1)[1])[:10]
    return secret, codes


def test_the_printed_key_and_codes_sign_the_coordinator_in(demo_output):
    secret, codes = printed_two_factor(demo_output)
    assert len(codes) == 10
    password = printed_password(demo_output, "coordination")
    client = Client()
    step = client.post("/gestion/connexion/", {"username": "coordination", "password": password})
    assert step["Location"].startswith("/gestion/connexion/code/")
    done = client.post("/gestion/connexion/code/", {"code": code_from_secret(secret)})
    assert done.status_code == 302 and client.get("/gestion/").status_code == 200

    other = Client()
    other.post("/gestion/connexion/", {"username": "coordination", "password": password})
    assert other.post("/gestion/connexion/code/", {"code": codes[3]}).status_code == 302

    # The next run keeps the key (already in the visitor's app) and renews the codes.
    again_secret, again_codes = printed_two_factor(run_demo())
    assert again_secret == secret and not set(again_codes) & set(codes)


def test_the_demo_has_fictional_open_data(demo_output):
    from tirage.opendata.models import DataRequest, DigitalService

    assert re.search(
        r"Données ouvertes \(fictives\) : 5 services numériques suivis, \d+ valeurs "
        r"d'indicateurs, 6 demandes d'ouverture",
        demo_output,
    )
    assert DigitalService.objects.count() == 5 and DataRequest.objects.count() == 6
    assert all("fictives" in s.description for s in DigitalService.objects.all())


def test_the_council_in_office_has_lived_its_first_year(demo_output, client):
    call = Call.objects.get(slug="roubaix-cln-2025-mandat-en-cours")
    today = timezone.localdate()
    held = Meeting.objects.filter(call=call, held_at__isnull=False)
    plenaries = held.filter(kind=Meeting.Kind.PLENARY)
    assert plenaries.count() == 8
    assert held.filter(kind=Meeting.Kind.WORKING_GROUP).count() == 4
    assert all(today - m.day < dt.timedelta(days=366) for m in held)
    assert Meeting.objects.filter(call=call, state=Meeting.State.CONVENED).count() == 1  # upcoming
    assert Minutes.objects.filter(meeting__call=call, state=Minutes.State.PUBLISHED).count() >= 4
    excused = Attendance.objects.filter(meeting__in=plenaries, status=Presence.EXCUSED).count()
    assert 5 <= excused <= 40
    # One member reached the absence limit; the council declared the seat vacant; the next
    # person of the reserve list accepted and sits today.
    [case] = AbsenceCase.objects.filter(call=call)
    assert case.state == AbsenceCase.State.VACANT
    assert case.member.ended_on is not None
    [replacement] = Member.objects.filter(call=call, replaces__isnull=False)
    assert replacement.replaces == case.member and replacement.is_active(today)
    # Its letter was written before its answer (the staff list does not say « aucun courrier »).
    assert replacement.offer.letters.get().letter.kind == "replacement"
    assert Member.objects.in_office(today).filter(call=call).count() == 20
    # The members' space is open with a printed link.
    link = re.search(r"http://127\.0\.0\.1:8000(/espace-membre/connexion/lien/\S+/)", demo_output)
    assert link is not None
    assert client.post(link.group(1)).status_code == 302
    assert "Avis sur le wifi public" in client.get("/espace-membre/").content.decode()


def test_the_demo_admin_edits_letter_templates_and_letters_name_their_signatory(demo_output):
    """The coordinator is refused at /admin/; the printed administrator (password, then a
    recovery code) opens the letter templates. The letters are signed by a named person."""
    from tirage.letters.services import settings_for

    block = demo_output.split("  administration", 1)[1]
    password = block.split()[0]
    codes = re.findall(r"\b[a-z2-7]{4}-[a-z2-7]{4}\b", block.split("codes de secours", 1)[1])[:10]
    client = Client()
    step = client.post("/gestion/connexion/", {"username": "administration", "password": password})
    assert step["Location"].startswith("/gestion/connexion/code/")
    assert client.post("/gestion/connexion/code/", {"code": codes[0]}).status_code == 302
    page = client.get("/admin/letters/lettertemplate/")
    assert page.status_code == 200 and "modèle de lettre" in page.text.lower()

    coordinator = Client()
    coordinator.force_login(get_user_model().objects.get(username="coordination"))
    assert coordinator.get("/admin/letters/lettertemplate/").status_code in (302, 403)

    conf = settings_for(Call.objects.get(slug="roubaix-cln-2025"))
    assert (conf.signatory_name, conf.signatory_title) == (
        "Camille Martin",
        "Adjointe au maire (signataire fictive de la démonstration)",
    )
