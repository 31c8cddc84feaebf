"""Sending to the City starts the public clock: « réponse attendue avant le … », « en retard de N jours », from the rules."""

import datetime as dt

import pytest

from tests.meetings.helpers import at
from tests.opinions.helpers import adopt_at, portal_opinion, sent_opinion, voting_meeting
from tirage.audit.services import history
from tirage.meetings.models import Rules
from tirage.opinions.clock import Clock, clock_for, late_opinions
from tirage.opinions.errors import OpinionError
from tirage.opinions.models import Opinion
from tirage.opinions.services.answers import AnswerLine, record_answers
from tirage.opinions.services.opinions import new_version, send_to_city

SENT = dt.date(2025, 11, 10)  # + 90 days = 8 February 2026, the last day on time


def test_the_clock_arithmetic():
    clock = Clock(sent_on=SENT, deadline_days=90, today=dt.date(2026, 2, 8))
    assert (clock.due_on, clock.expected_before) == (dt.date(2026, 2, 8), dt.date(2026, 2, 9))
    assert (clock.status, clock.days_late, clock.days_left) == ("waiting", 0, 1)
    assert clock.sentence() == "Réponse attendue avant le 9 février 2026."
    day_after = Clock(sent_on=SENT, deadline_days=90, today=dt.date(2026, 2, 9))
    assert (day_after.status, day_after.days_late) == ("late", 1)
    assert day_after.sentence() == (
        "En retard de 1 jour : la réponse était attendue avant le 9 février 2026."
    )
    answered = Clock(
        sent_on=SENT, deadline_days=90, today=dt.date(2026, 6, 1), answered_on=dt.date(2026, 2, 20)
    )
    assert (answered.status, answered.days_late, answered.days_left) == ("answered_late", 12, 0)
    assert answered.sentence() == "Réponse reçue le 20 février 2026, avec 12 jours de retard."
    on_time = Clock(sent_on=SENT, deadline_days=90, today=dt.date(2026, 6, 1), answered_on=SENT)
    assert on_time.sentence() == "Réponse reçue le 10 novembre 2025, dans le délai."
    assert Clock(sent_on=None, deadline_days=90, today=SENT).sentence() == (
        "Pas encore transmis à la Ville."
    )


def test_sending_starts_the_clock_and_changing_the_rule_changes_the_delay(council, coordinator):
    opinion = sent_opinion(council, sent_on=SENT)
    assert opinion.state == "sent" and opinion.sent_version == opinion.current_version()
    entry = history(opinion).get(action="opinion.sent")
    assert entry.data["due_on"] == "2026-02-08" and entry.data["deadline_days"] == 90
    assert clock_for(opinion, today=dt.date(2026, 1, 10)).sentence() == (
        "Réponse attendue avant le 9 février 2026."
    )
    late_day = dt.date(2026, 3, 1)
    assert clock_for(opinion, today=late_day).days_late == 21
    assert clock_for(opinion, today=late_day).sentence() == (
        "En retard de 21 jours : la réponse était attendue avant le 9 février 2026."
    )
    # The council gives the City 60 days: the same opinion is 51 days late the same day.
    Rules.for_call(council.call).update(answer_deadline_days=60, actor=coordinator)
    assert clock_for(opinion, today=late_day).sentence() == (
        "En retard de 51 jours : la réponse était attendue avant le 10 janvier 2026."
    )
    assert [(o.pk, c.days_late) for o, c in late_opinions(today=late_day)] == [(opinion.pk, 51)]
    # 120 days: not late any more.
    Rules.for_call(council.call).update(answer_deadline_days=120)
    assert late_opinions(today=late_day) == []
    assert clock_for(opinion, today=late_day).sentence() == (
        "Réponse attendue avant le 11 mars 2026."
    )


def test_only_an_adopted_text_is_sent_once_on_a_real_date(council):
    opinion = portal_opinion(council)
    with pytest.raises(OpinionError, match="n'a pas encore été adopté par le conseil"):
        send_to_city(opinion_id=opinion.pk, sent_on=dt.date(2025, 11, 10), now=at(2025, 11, 10))
    adopt_at(opinion, voting_meeting(council, at(2025, 11, 3)))
    with pytest.raises(OpinionError) as info:
        send_to_city(opinion_id=opinion.pk, sent_on=dt.date(2025, 11, 2), now=at(2025, 11, 10))
    assert info.value.message == (
        "La date d'envoi (2 novembre 2025) précède l'adoption du texte, le 3 novembre 2025."
    )
    with pytest.raises(OpinionError, match="est dans le futur"):
        send_to_city(opinion_id=opinion.pk, sent_on=dt.date(2025, 11, 11), now=at(2025, 11, 10))
    new_version(opinion_id=opinion.pk)
    with pytest.raises(OpinionError, match="Une version 2 est en préparation"):
        send_to_city(opinion_id=opinion.pk, sent_on=dt.date(2025, 11, 10), now=at(2025, 11, 10))
    Opinion.objects.get(pk=opinion.pk).versions.get(number=2).recommendations.all().delete()
    Opinion.objects.get(pk=opinion.pk).versions.get(number=2).delete()
    send_to_city(opinion_id=opinion.pk, sent_on=dt.date(2025, 11, 10), now=at(2025, 11, 10))
    with pytest.raises(OpinionError, match="a déjà été transmis à la Ville le 10 novembre 2025"):
        send_to_city(opinion_id=opinion.pk, sent_on=dt.date(2025, 11, 10), now=at(2025, 11, 10))
    with pytest.raises(
        OpinionError, match="transmis à la Ville le 10 novembre 2025 : il ne change"
    ):
        new_version(opinion_id=opinion.pk)
    version = Opinion.objects.get(pk=opinion.pk).sent_version
    with pytest.raises(OpinionError, match="et transmise à la Ville le 10 novembre 2025"):
        version.edit(text="Autre texte")


def test_the_clock_stops_when_every_recommendation_has_an_answer(council):
    opinion = sent_opinion(council, sent_on=SENT)
    recs = list(opinion.sent_version.recommendations.order_by("number"))
    record_answers(
        opinion_id=opinion.pk,
        received_on=dt.date(2026, 1, 20),
        lines=[
            AnswerLine("accepted", recommendation_id=recs[0].pk, service="Direction du numérique")
        ],
        now=at(2026, 1, 21),
    )
    opinion.refresh_from_db()
    assert opinion.answered_on is None  # two recommendations still wait
    assert clock_for(opinion, today=dt.date(2026, 2, 20)).days_late == 12
    record_answers(
        opinion_id=opinion.pk,
        received_on=dt.date(2026, 2, 12),
        lines=[
            AnswerLine("deferred", number=2, reasons="Audit RGAA prévu au printemps."),
            AnswerLine("rejected", number=3, reasons="Pas de statistiques par guichet."),
        ],
        now=at(2026, 2, 13),
    )
    opinion.refresh_from_db()
    assert opinion.answered_on == dt.date(2026, 2, 12)
    clock = clock_for(opinion, today=dt.date(2026, 6, 1))
    assert (clock.status, clock.days_late) == ("answered_late", 4)
    assert late_opinions(today=dt.date(2026, 6, 1)) == []
    assert [o.pk for o, _ in late_opinions(today=dt.date(2026, 6, 1), include_answered=True)] == [
        opinion.pk
    ]
