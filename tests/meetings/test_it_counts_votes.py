"""Vote arithmetic (no database): counts checked, majority of votes cast or of members present, casting vote."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tirage.meetings.voting import ADOPTED, REJECTED, VoteError, Votes, check_counts, outcome


def cast(votes, present=20, represented=0, casting_vote_allowed=True, casting_vote=""):
    return outcome(
        votes,
        present=present,
        represented=represented,
        majority_base="cast",
        casting_vote_allowed=casting_vote_allowed,
        casting_vote=casting_vote,
    )


def test_majority_of_votes_cast_ignores_abstentions():
    # 5 for, 4 against, 9 abstentions: adopted (abstentions are not votes cast).
    assert cast(Votes(18, 5, 4, 9)) == ADOPTED
    assert cast(Votes(18, 4, 5, 9)) == REJECTED


def test_majority_of_members_present_counts_everyone_who_can_vote():
    # Same vote, majority of the 18 present or represented: 5 is not more than 9.
    result = outcome(
        Votes(18, 5, 4, 9),
        present=15,
        represented=3,
        majority_base="present",
        casting_vote_allowed=True,
    )
    assert result == REJECTED
    assert (
        outcome(
            Votes(18, 10, 4, 4),
            present=15,
            represented=3,
            majority_base="present",
            casting_vote_allowed=True,
        )
        == ADOPTED
    )
    # Exactly half is not a majority.
    assert (
        outcome(
            Votes(18, 9, 9, 0),
            present=15,
            represented=3,
            majority_base="present",
            casting_vote_allowed=True,
        )
        == REJECTED
    )


def test_a_tie_needs_the_chairs_casting_vote_when_the_rules_give_one():
    with pytest.raises(VoteError, match=r"Égalité des voix \(6 pour, 6 contre\)") as info:
        cast(Votes(14, 6, 6, 2))
    assert info.value.field == "casting_vote"
    assert cast(Votes(14, 6, 6, 2), casting_vote="for") == ADOPTED
    assert cast(Votes(14, 6, 6, 2), casting_vote="against") == REJECTED
    # Without a casting vote in the rules, a tie rejects the motion, and a casting vote is refused.
    assert cast(Votes(14, 6, 6, 2), casting_vote_allowed=False) == REJECTED
    with pytest.raises(VoteError, match="ne donne pas de voix prépondérante"):
        cast(Votes(14, 6, 6, 2), casting_vote_allowed=False, casting_vote="for")


def test_a_casting_vote_without_a_tie_is_refused():
    with pytest.raises(VoteError, match=r"qu'en cas d'égalité \(7 pour, 6 contre\)"):
        cast(Votes(14, 7, 6, 1), casting_vote="against")


def test_everyone_abstaining_is_rejected_without_a_casting_vote():
    assert cast(Votes(12, 0, 0, 12)) == REJECTED


def test_more_voters_than_members_present_or_represented_is_refused():
    with pytest.raises(VoteError) as info:
        check_counts(Votes(19, 10, 5, 4), present=15, represented=3)
    assert info.value.message == (
        "19 votants pour 18 membres présents ou représentés (15 présents + 3 procurations) : 1 de trop."
    )
    assert info.value.field == "voters"


def test_counts_that_do_not_add_up_to_the_voters_are_refused():
    with pytest.raises(VoteError) as info:
        check_counts(Votes(16, 9, 4, 2), present=20, represented=0)
    assert (
        info.value.message
        == "Pour (9) + contre (4) + abstentions (2) = 15, mais 16 votants : il manque 1 voix."
    )
    with pytest.raises(VoteError, match=r"= 17, mais 16 votants : 1 voix de trop\."):
        check_counts(Votes(16, 9, 4, 4), present=20, represented=0)


def test_negative_counts_are_refused():
    with pytest.raises(VoteError, match="nombre de voix contre doit être un entier positif"):
        check_counts(Votes(3, 4, -1, 0), present=20, represented=0)


def test_consensus_is_adopted_and_has_no_casting_vote():
    assert cast(None) == ADOPTED
    with pytest.raises(VoteError, match="consensus n'a pas de voix prépondérante"):
        cast(None, casting_vote="for")


@given(st.integers(0, 12), st.integers(0, 12), st.integers(0, 12), st.integers(0, 6))
def test_votes_cast_rule_matches_its_definition(votes_for, against, abstentions, spare):
    voters = votes_for + against + abstentions
    votes = Votes(voters, votes_for, against, abstentions)
    present = voters + spare
    if votes_for == against and votes_for > 0:
        assert cast(votes, present=present, casting_vote="for") == ADOPTED
    else:
        assert cast(votes, present=present) == (ADOPTED if votes_for > against else REJECTED)
    result = outcome(
        votes, present=present, represented=0, majority_base="present", casting_vote_allowed=True
    )
    assert result == (ADOPTED if 2 * votes_for > present else REJECTED)
