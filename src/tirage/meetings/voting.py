"""Vote arithmetic: checks the counts of a vote and says whether the motion is adopted. No database.

Definitions (the ADR ``0015-decisions-and-votes.md`` gives the sources):

* *present*: members attending at the vote (on site or remote);
  *represented*: proxies they hold; *voting members* = present + represented;
* *voters* (« votants ») = for + against + abstentions ≤ voting members;
* *votes cast* (« suffrages exprimés ») = for + against: abstentions are not
  votes cast, as in French public bodies;
* majority of votes cast: adopted when for > against; majority of members
  present (or represented): adopted when 2 × for > voting members;
* a tie (for = against > 0, majority of votes cast): the chair's casting
  vote decides when the rules give one, otherwise the motion is rejected;
* consensus: no counts; adopted.

Every refusal is a ``VoteError`` whose French message names the figures.
"""

from __future__ import annotations

from dataclasses import dataclass

from tirage.meetings.errors import MeetingError
from tirage.site.wording import plural

CAST = "cast"
PRESENT = "present"
FOR = "for"
AGAINST = "against"
ADOPTED = "adopted"
REJECTED = "rejected"


class VoteError(MeetingError):
    """The counts of a vote do not add up (French message, ``field`` names the count to fix)."""


@dataclass(frozen=True)
class Votes:
    """The counts of a vote: ``voters`` (votants), ``votes_for``, ``votes_against``, ``abstentions``."""

    voters: int
    votes_for: int
    votes_against: int
    abstentions: int

    @property
    def cast(self) -> int:
        """Votes cast (suffrages exprimés): for + against."""
        return self.votes_for + self.votes_against


def check_counts(votes: Votes, *, present: int, represented: int) -> None:
    """Raise ``VoteError`` unless every count is ≥ 0, voters ≤ present + represented, and the counts sum to voters."""
    for field, label, value in (
        ("voters", "votants", votes.voters),
        ("votes_for", "voix pour", votes.votes_for),
        ("votes_against", "voix contre", votes.votes_against),
        ("abstentions", "abstentions", votes.abstentions),
    ):
        if value is None or value < 0:
            raise VoteError(
                f"Le nombre de {label} doit être un entier positif ou nul.", field=field
            )
    voting = present + represented
    if votes.voters > voting:
        raise VoteError(
            f"{plural(votes.voters, 'votant')} pour {plural(voting, 'membre')} présents ou représentés "
            f"({present} présents + {plural(represented, 'procuration')}) : "
            f"{votes.voters - voting} de trop.",
            field="voters",
        )
    total = votes.votes_for + votes.votes_against + votes.abstentions
    if total != votes.voters:
        gap = total - votes.voters
        raise VoteError(
            f"Pour ({votes.votes_for}) + contre ({votes.votes_against}) + abstentions "
            f"({votes.abstentions}) = {total}, mais {plural(votes.voters, 'votant')} : "
            + (
                f"{plural(gap, 'voix', 'voix')} de trop."
                if gap > 0
                else f"il manque {plural(-gap, 'voix', 'voix')}."
            ),
            field="voters",
        )


def outcome(
    votes: Votes | None,
    *,
    present: int,
    represented: int,
    majority_base: str,
    casting_vote_allowed: bool,
    casting_vote: str = "",
) -> str:
    """``"adopted"`` or ``"rejected"`` for ``votes`` (``None``: consensus, adopted).

    ``casting_vote`` is ``"for"``, ``"against"`` or ``""``; it is required on
    a tie when the rules give the chair a casting vote, and refused
    otherwise. Raises ``VoteError``.
    """
    if votes is None:
        if casting_vote:
            raise VoteError(
                "Une décision par consensus n'a pas de voix prépondérante.", field="casting_vote"
            )
        return ADOPTED
    check_counts(votes, present=present, represented=represented)
    if casting_vote not in ("", FOR, AGAINST):
        raise ValueError(f"casting vote must be 'for', 'against' or '': {casting_vote!r}")
    if majority_base == PRESENT:
        if casting_vote:
            raise VoteError(
                "À la majorité des membres présents ou représentés, la voix prépondérante ne "
                "s'applique pas.",
                field="casting_vote",
            )
        return ADOPTED if 2 * votes.votes_for > present + represented else REJECTED
    if majority_base != CAST:
        raise ValueError(f"unknown majority base {majority_base!r}")
    tie = votes.votes_for == votes.votes_against and votes.votes_for > 0
    if not tie:
        if casting_vote:
            raise VoteError(
                f"La voix prépondérante ne s'applique qu'en cas d'égalité "
                f"({votes.votes_for} pour, {votes.votes_against} contre).",
                field="casting_vote",
            )
        return ADOPTED if votes.votes_for > votes.votes_against else REJECTED
    if not casting_vote_allowed:
        if casting_vote:
            raise VoteError(
                "Le règlement ne donne pas de voix prépondérante au président de séance.",
                field="casting_vote",
            )
        return REJECTED
    if not casting_vote:
        raise VoteError(
            f"Égalité des voix ({votes.votes_for} pour, {votes.votes_against} contre) : indiquez le "
            f"sens de la voix prépondérante du président de séance.",
            field="casting_vote",
        )
    return ADOPTED if casting_vote == FOR else REJECTED
