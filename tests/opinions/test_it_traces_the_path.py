"""The path of an opinion as data: each step in order with its date, public data only; the demo's three opinions."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import roubaix_call
from tests.meetings.helpers import installed_council
from tirage.audit.models import AuditEntry
from tirage.council.models import Member
from tirage.demo.opinions import ACCESSIBILITY, HELP_DESK, PORTAL, seed_opinions
from tirage.meetings.models import Rules
from tirage.opinions.alerts import deadline_alerts
from tirage.opinions.clock import clock_for, late_opinions
from tirage.opinions.models import CityResponse, Commitment, Contribution, Opinion
from tirage.opinions.path import opinion_path
from tirage.opinions.services.commitments import record_progress

TODAY = dt.date(2026, 12, 6)


@pytest.fixture
def demo(db):
    council = installed_council()
    counts = seed_opinions(call=council.call, today=TODAY)
    return council, counts


def opinion(title):
    return Opinion.objects.get(title=title)


def test_the_demo_seeds_two_consultations_and_three_adopted_opinions_once(demo):
    council, counts = demo
    assert counts == {
        "consultations": 2,
        "contributions": 14,
        "opinions": 3,
        "proposals": 2,
        "answers": 7,
        "commitments": 4,
    }
    assert seed_opinions(call=council.call, today=TODAY) == counts
    assert Contribution.objects.filter(late=True).count() == 1
    clocks = {o.title: clock_for(o, today=TODAY) for o in Opinion.objects.exclude(number=None)}
    assert {t: c.status for t, c in clocks.items()} == {
        PORTAL: "answered",
        HELP_DESK: "answered",
        ACCESSIBILITY: "late",
    }
    assert clocks[ACCESSIBILITY].days_late == 40
    help_desk = Commitment.objects.filter(recommendation__version__opinion__title=HELP_DESK)
    assert sorted(c.progress for c in help_desk) == [50, 50]
    statuses = opinion(HELP_DESK).responses.get().answers.values_list("status", flat=True)
    assert sorted(statuses) == ["accepted", "deferred", "partly", "rejected"]
    # Everything went through the audited services.
    for action in ("opinion.adopted", "opinion.sent", "answer.recorded", "answer.rated"):
        assert AuditEntry.objects.filter(action=action).exists(), action


def test_the_path_of_the_answered_opinion_shows_each_step_in_order_with_dates(demo):
    steps = opinion_path(opinion_id=opinion(PORTAL).pk, today=TODAY)
    assert [s.day for s in steps] == sorted(s.day for s in steps)
    kinds = [s.kind for s in steps]
    assert kinds == [
        "consultation",
        "contributions",
        "vote",
        "sent",
        "answer",
        "commitment",
        "commitment",
        "rating",
        "deadline",
        "update",
        "update",
        "update",
    ]
    by_kind = {s.kind: s for s in steps}
    assert by_kind["consultation"].day == TODAY - dt.timedelta(days=330)
    assert by_kind["contributions"].lines[0] == (
        "9 contributions de 8 membres (4 en ligne, 4 sur papier, 1 par les services), dont 1 en "
        "retard."
    )
    assert len(by_kind["contributions"].quotes) == 4  # only those who agreed to be quoted
    assert by_kind["vote"].lines[0] == "Adoptée : 14 pour, 2 contre, 1 abstention (17 votants)."
    assert by_kind["vote"].day == TODAY - dt.timedelta(days=285)
    assert by_kind["sent"].day == TODAY - dt.timedelta(days=280)
    assert by_kind["answer"].lines[-1] == "Réponse reçue le 5 mai 2026, dans le délai."
    assert by_kind["answer"].lines[2] == (
        "Recommandation 3 : refusée. Les guichets ne comptent pas encore les démarches faites sur "
        "place."
    )
    assert by_kind["rating"].lines[2].startswith("Recommandation 3 : réponse pas satisfaisante.")
    updates = [s for s in steps if s.kind == "update"]
    assert [s.title for s in updates] == [
        "Avancement 40 % (recommandation 1)",
        "Avancement 100 % (recommandation 2)",
        "Avancement 80 % (recommandation 1)",
    ]
    assert updates[1].links[0][1] == "https://www.ville-roubaix.fr/accessibilite"


def test_the_late_opinion_shows_its_delay_from_the_setting(demo):
    council, _ = demo
    late = opinion(ACCESSIBILITY)
    (deadline,) = [s for s in opinion_path(opinion_id=late.pk, today=TODAY) if s.kind == "deadline"]
    assert deadline.title == "Réponse en retard de 40 jours"
    assert deadline.lines == (
        "En retard de 40 jours : la réponse était attendue avant le 28 octobre 2026.",
    )
    Rules.for_call(council.call).update(answer_deadline_days=60)
    (deadline,) = [s for s in opinion_path(opinion_id=late.pk, today=TODAY) if s.kind == "deadline"]
    assert deadline.title == "Réponse en retard de 70 jours"
    assert [(o.title, c.days_late) for o, c in late_opinions(today=TODAY)] == [(ACCESSIBILITY, 70)]


def test_the_path_shows_no_personal_data_and_names_a_proposer_only_with_consent(demo):
    council, _ = demo
    names = {council.named(m) for m in council.members}
    for item in Opinion.objects.all():
        for step in opinion_path(opinion_id=item.pk, today=TODAY):
            text = " ".join([step.title, *step.lines, *step.quotes])
            assert not any(name in text for name in names), (item.title, step.title)
            assert "@" not in text
    proposal = Opinion.objects.get(kind="proposal", state="draft")
    (filed,) = opinion_path(opinion_id=proposal.pk, today=TODAY)
    assert filed.title == "Proposition déposée par un membre du conseil"
    Member.objects.filter(pk=proposal.proposed_by_id).update(public_consent=True)
    (filed,) = opinion_path(opinion_id=proposal.pk, today=TODAY)
    assert filed.title == f"Proposition déposée par {council.named(proposal.proposed_by)}"


def test_staff_alerts_put_the_late_answer_first(demo):
    council, _ = demo
    alerts = deadline_alerts(call_id=council.call.pk, today=TODAY)
    assert alerts[0].level == "late" and alerts[0].text == (
        f"Avis n° 3 « {ACCESSIBILITY} » : réponse de la Ville en retard de 40 jours."
    )
    # The demo told the members of each answer the day it was recorded: nothing to send.
    assert [a.level for a in alerts[1:]] == []
    # Notices not yet handed to the letters: staff see them to send, oldest answer first.
    first = CityResponse.objects.order_by("received_on", "pk").first()
    assert first is not None
    first.notices.update(delivered_at=None)
    alerts = deadline_alerts(call_id=council.call.pk, today=TODAY)
    assert [a.level for a in alerts[1:]] == ["todo"]
    assert alerts[1].text.startswith("Réponse de la Ville du 5 mai 2026 : 40 informations")
    # Within 15 days of its due date, the help desk's first commitment is announced.
    soon = deadline_alerts(call_id=council.call.pk, today=dt.date(2026, 12, 25))
    due = [a for a in soon if a.target[0] == "commitment"]
    assert [(a.level, a.day) for a in due] == [("soon", dt.date(2027, 1, 5))]
    assert due[0].text == (
        "Avis n° 2, recommandation 1 (Mairies de quartier) : échéance le 5 janvier 2027 (50 % "
        "réalisé)."
    )
    overdue = deadline_alerts(call_id=council.call.pk, today=dt.date(2027, 1, 15))
    assert any(
        a.level == "late" and "engagement en retard de 10 jours (50 % réalisé)" in a.text
        for a in overdue
    )


def test_the_demo_needs_an_installed_council(db):
    with pytest.raises(ValueError, match="needs at least 10 members in office"):
        seed_opinions(call=roubaix_call(), today=TODAY)


def test_the_path_costs_the_same_queries_however_long_it_grows(demo):
    portal = opinion(PORTAL)
    with CaptureQueriesContext(connection) as before:
        steps = opinion_path(opinion_id=portal.pk, today=TODAY)
    commitment = Commitment.objects.filter(recommendation__version__opinion=portal).first()
    for i, day in enumerate([TODAY - dt.timedelta(days=d) for d in (30, 20, 10)], start=1):
        record_progress(
            commitment_id=commitment.pk,
            on=day,
            progress=80 + i * 5,
            text=f"Étape {i}.",
            links=[("Preuve", "https://www.ville-roubaix.fr/")],
            now=timezone.make_aware(dt.datetime(2026, 12, 6, 12)),
        )
    with CaptureQueriesContext(connection) as after:
        longer = opinion_path(opinion_id=portal.pk, today=TODAY)
    assert len(longer) == len(steps) + 3
    assert len(after) == len(before) <= 20


def test_the_path_heading_reads_as_french(demo, client):
    """« Le parcours de l'avis n° 1 », not « Le parcours de avis n° 1 »."""
    portal = opinion(PORTAL)
    page = client.get(f"/avis/{portal.pk}/").content.decode()
    assert f"<h2>Le parcours de l&#x27;avis n° {portal.number}</h2>" in page
    assert (portal.of_label, Opinion(kind="proposal", number=2).of_label) == (
        f"de l'avis n° {portal.number}",
        "de la proposition n° 2",
    )
    assert Opinion(kind="opinion").of_label == "du projet d'avis"
