"""Commitments: progress 0–100 % in dated updates with evidence links; the due date moves only with a reason."""

import datetime as dt

import pytest

from tests.meetings.helpers import at
from tests.opinions.helpers import sent_opinion
from tirage.audit.services import history
from tirage.opinions.errors import OpinionError
from tirage.opinions.models import Commitment, CommitmentUpdate
from tirage.opinions.services.answers import AnswerLine, record_answers
from tirage.opinions.services.commitments import record_progress


@pytest.fixture
def commitment(council):
    opinion = sent_opinion(council)
    record_answers(
        opinion_id=opinion.pk,
        received_on=dt.date(2026, 1, 15),
        lines=[
            AnswerLine(
                "accepted",
                number=1,
                service="Mairies de quartier",
                commitment="Un agent d'accueil pour les démarches dans chaque mairie de quartier.",
                due_on=dt.date(2026, 9, 1),
            )
        ],
        now=at(2026, 1, 16),
    )
    return Commitment.objects.get()


def progress(commitment, value, on=dt.date(2026, 3, 1), text="Deux mairies équipées.", **kw):
    kw.setdefault("now", at(2026, 6, 1))
    return record_progress(commitment_id=commitment.pk, on=on, progress=value, text=text, **kw)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (120, "L'avancement est un pourcentage de 0 à 100 : 120 % n'est pas possible."),
        (-5, "L'avancement est un pourcentage de 0 à 100 : -5 % n'est pas possible."),
        (50.5, "L'avancement est un nombre entier de 0 à 100 (reçu : « 50.5 »)."),
        ("40", "L'avancement est un nombre entier de 0 à 100 (reçu : « 40 »)."),
    ],
)
def test_progress_outside_0_to_100_is_refused_and_nothing_changes(commitment, value, message):
    with pytest.raises(OpinionError) as info:
        progress(commitment, value)
    assert info.value.message == message and info.value.field == "progress"
    commitment.refresh_from_db()
    assert commitment.progress == 0 and not CommitmentUpdate.objects.exists()
    assert not history(commitment).filter(action="commitment.progress").exists()


def test_dated_updates_with_evidence_move_the_progress_to_done(commitment, coordinator):
    update, created = progress(
        commitment,
        50,
        links=[("Compte rendu du comité de pilotage", "https://www.ville-roubaix.fr/copil-mars")],
        actor=coordinator,
    )
    assert created and update.links == [
        {
            "title": "Compte rendu du comité de pilotage",
            "url": "https://www.ville-roubaix.fr/copil-mars",
        }
    ]
    assert progress(commitment, 50, links=[])[1] is False  # the same update twice: stored once
    commitment.refresh_from_db()
    assert commitment.progress == 50 and commitment.completed_on is None
    assert (
        commitment.status_sentence(dt.date(2026, 6, 1)) == "50 % — échéance le 1er septembre 2026"
    )
    assert commitment.status_sentence(dt.date(2026, 9, 13)) == "50 % — en retard de 12 jours"
    progress(commitment, 100, on=dt.date(2026, 5, 20), text="Les cinq mairies sont équipées.")
    commitment.refresh_from_db()
    assert commitment.completed_on == dt.date(2026, 5, 20)
    assert commitment.status_sentence(dt.date(2026, 9, 13)) == "Réalisé le 20 mai 2026"
    entries = history(commitment).filter(action="commitment.progress")
    assert [(e.data["from"], e.data["to"]) for e in entries] == [(0, 50), (50, 100)]
    assert entries[0].actor == coordinator


def test_update_dates_and_links_are_checked(commitment):
    with pytest.raises(
        OpinionError, match=r"date du point d'avancement \(2 juin 2026\) est dans le futur"
    ):
        progress(commitment, 10, on=dt.date(2026, 6, 2))
    with pytest.raises(OpinionError) as info:
        progress(commitment, 10, on=dt.date(2026, 1, 10))
    assert info.value.message == (
        "L'engagement date de la réponse de la Ville du 15 janvier 2026 : un avancement ne peut pas "
        "dater du 10 janvier 2026."
    )
    progress(commitment, 30, on=dt.date(2026, 4, 1))
    with pytest.raises(OpinionError, match="Le dernier point d'avancement date du 1er avril 2026"):
        progress(commitment, 40, on=dt.date(2026, 3, 1), text="Autre")
    with pytest.raises(OpinionError, match="« javascript:alert\\(1\\) » n'est pas une adresse web"):
        progress(commitment, 40, on=dt.date(2026, 4, 2), links=[("x", "javascript:alert(1)")])
    with pytest.raises(OpinionError, match="Décrivez ce qui a été fait"):
        progress(commitment, 40, on=dt.date(2026, 4, 2), text=" ")
    assert CommitmentUpdate.objects.count() == 1


def test_the_due_date_moves_with_a_public_reason(commitment, coordinator):
    with pytest.raises(OpinionError, match="Indiquez pourquoi l'échéance change"):
        commitment.reschedule(due_on=dt.date(2026, 12, 1), reason="")
    commitment.reschedule(
        due_on=dt.date(2026, 12, 1), reason="Recrutement retardé", actor=coordinator
    )
    assert Commitment.objects.get().due_on == dt.date(2026, 12, 1)
    entry = history(commitment).get(action="commitment.rescheduled")
    assert entry.data == {"from": "2026-09-01", "to": "2026-12-01"} and entry.actor == coordinator
    with pytest.raises(OpinionError, match="L'échéance est déjà le 1er décembre 2026"):
        commitment.reschedule(due_on=dt.date(2026, 12, 1), reason="Encore")
