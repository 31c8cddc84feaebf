"""Two staff members submitting voting sheets at once (PostgreSQL row locks): numbers stay unique, a sheet counts once."""

import threading

import pytest
from django.db import connection, connections

from tests.meetings.helpers import at
from tests.opinions.helpers import adopt_at, portal_opinion, voting_meeting
from tirage.meetings.models import Decision
from tirage.meetings.voting import Votes
from tirage.opinions.models import Opinion

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def at_once(*calls):
    """Run ``calls`` in threads released together; returns their results or exceptions."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait(10)
            results[i] = call()
        except Exception as exc:  # the test inspects it
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


def test_two_opinions_adopted_at_once_get_two_numbers(council):
    # Two meetings (typed late, the same afternoon): the meeting's lock does not serialize them.
    first_meeting = voting_meeting(council, at(2025, 11, 3))
    second_meeting = voting_meeting(council, at(2025, 11, 4))
    first = portal_opinion(council, title="Portail")
    second = portal_opinion(council, title="Guichets")
    results = at_once(
        lambda: adopt_at(first, first_meeting, Votes(20, 15, 3, 2)),
        lambda: adopt_at(second, second_meeting, Votes(20, 16, 2, 2)),
    )
    assert all(isinstance(r, Decision) for r in results), results
    assert sorted(Opinion.objects.values_list("number", flat=True)) == [1, 2]


def test_the_same_sheet_submitted_twice_at_once_is_recorded_once(council):
    meeting = voting_meeting(council, at(2025, 11, 3))
    opinion = portal_opinion(council)
    results = at_once(
        lambda: adopt_at(opinion, meeting, Votes(20, 15, 3, 2)),
        lambda: adopt_at(opinion, meeting, Votes(20, 15, 3, 2)),
    )
    assert results[0] == results[1] and isinstance(results[0], Decision), results
    assert Decision.objects.count() == 1
    assert Opinion.objects.get().versions.get().state == "adopted"
