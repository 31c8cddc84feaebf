"""The path of an opinion as data: every step from the consultation to the council's rating, in order, dated.

What users of participation platforms miss most is the thread from what
citizens said to what the City did. ``opinion_path`` returns it as plain
steps (``Step``: kind, day, title, lines, quotes, links) that the public
page renders as a timeline:

consultation opened → contributions (anonymous counts; quotes only with
consent) → the proposal filed (proposals) → each version voted (result,
quorum, minority view) → sent to the City → the City's responses, answer
by answer → commitments and their updates → the council's ratings; the
answer's deadline (« réponse attendue avant le … » or « en retard de N
jours ») is a step at its date. Public data only: no member's name unless
they agreed to appear publicly.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from tirage.opinions.clock import ANSWERED, ANSWERED_LATE, LATE, clock_for
from tirage.opinions.models import (
    CityResponse,
    Commitment,
    CommitmentUpdate,
    Opinion,
    OpinionVersion,
    Rating,
)
from tirage.opinions.services.consultations import contribution_counts, quotes
from tirage.site.dates import french_date as fr_day
from tirage.site.wording import plural

CONSULTATION = "consultation"
CONTRIBUTIONS = "contributions"
PROPOSED = "proposed"
VOTE = "vote"
WITHDRAWN = "withdrawn"
SENT = "sent"
ANSWER = "answer"
COMMITMENT = "commitment"
UPDATE = "update"
RATING = "rating"
DEADLINE = "deadline"

# Same day: the logical order of the path.
RANK = {
    k: i
    for i, k in enumerate(
        [
            CONSULTATION,
            CONTRIBUTIONS,
            PROPOSED,
            VOTE,
            WITHDRAWN,
            SENT,
            ANSWER,
            COMMITMENT,
            UPDATE,
            RATING,
            DEADLINE,
        ]
    )
}


@dataclass(frozen=True)
class Step:
    """One step of the path: ``kind`` (a constant of this module), ``day``, a French title and details."""

    kind: str
    day: dt.date
    title: str
    lines: tuple[str, ...] = ()
    quotes: tuple[str, ...] = ()
    links: tuple[tuple[str, str], ...] = ()  # (title, url)


def _sentence(text: str) -> str:
    """``text`` ending with one full stop (a reason typed with its own stop is not doubled)."""
    text = text.rstrip()
    return text if text.endswith((".", "!", "?", "…")) else text + "."


def _proposer(opinion: Opinion) -> str:
    if opinion.working_group_id:
        assert opinion.working_group is not None
        return f"le groupe de travail « {opinion.working_group.name} »"
    member = opinion.proposed_by
    if member is not None and member.public_consent:
        app = member.application
        return f"{app.given_name} {app.family_name}".strip()
    return "un membre du conseil"


def _consultation_steps(opinion: Opinion, today: dt.date) -> list[Step]:
    consultation = opinion.consultation
    if consultation is None:
        return []
    questions = consultation.questions.count()
    steps = [
        Step(
            CONSULTATION,
            consultation.opened_on,
            f"La Ville consulte le conseil : « {consultation.title} »",
            (
                f"Étape du projet : {consultation.get_stage_display()}. Service en charge : "
                f"{consultation.service}.",
                f"{plural(questions, 'question')} posée{'s' if questions > 1 else ''} au conseil.",
                consultation.deadline_sentence(today) + ".",
            ),
            links=tuple((d.title, d.url) for d in consultation.documents.exclude(url="")),
        )
    ]
    counts = contribution_counts(consultation.pk)
    lines = [counts.sentence()]
    lines += [
        f"Question {q.number} : {plural(q.contributions, 'contribution')}."
        for q in counts.by_question
    ]
    if counts.comments:
        lines.append(f"Commentaires généraux : {counts.comments}.")
    steps.append(
        Step(
            CONTRIBUTIONS,
            min(consultation.deadline, today),
            "Les membres contribuent",
            tuple(lines),
            quotes=tuple(q.text for q in quotes(consultation.pk)),
        )
    )
    return steps


def _vote_step(opinion: Opinion, version: OpinionVersion) -> Step:
    decision = version.decision
    assert decision is not None
    meeting = decision.meeting
    adopted = version.state in (OpinionVersion.State.ADOPTED, OpinionVersion.State.SUPERSEDED)
    what = "adoptée" if adopted else "rejetée"
    lines = [decision.result_sentence]
    if decision.quorum_required:
        lines.append(
            f"{plural(decision.present, 'membre')} présent{'s' if decision.present > 1 else ''} sur "
            f"{decision.in_office} en exercice (quorum : {decision.quorum_required})."
        )
    if version.minority_view:
        lines.append("Une opinion minoritaire est jointe au texte.")
    if version.state == OpinionVersion.State.SUPERSEDED:
        lines.append("Cette version a été remplacée par une version adoptée plus tard.")
    return Step(
        VOTE,
        meeting.day,
        f"Version {version.number} {what} en séance plénière",
        tuple(lines),
    )


def opinion_path(*, opinion_id: int, today: dt.date | None = None) -> list[Step]:
    """The steps of ``opinion_id`` in order (by day, then logical order); see the module docstring.

    ``today`` (default: today in Europe/Paris) dates the clock. A draft
    opinion's path stops at its consultation or proposal.
    """
    today = today or timezone.localdate()
    opinion = Opinion.objects.select_related(
        "call", "consultation", "working_group", "proposed_by__application"
    ).get(pk=opinion_id)
    steps = _consultation_steps(opinion, today)
    if opinion.kind == Opinion.Kind.PROPOSAL:
        steps.append(
            Step(
                PROPOSED,
                timezone.localdate(opinion.created_at),
                f"Proposition déposée par {_proposer(opinion)}",
            )
        )
    versions = opinion.versions.filter(decision__isnull=False).select_related("decision__meeting")
    steps += [_vote_step(opinion, v) for v in versions]
    if opinion.state == Opinion.State.WITHDRAWN:
        assert opinion.withdrawn_at is not None
        steps.append(
            Step(
                WITHDRAWN,
                timezone.localdate(opinion.withdrawn_at),
                f"Retiré{opinion.e}",
                (f"Motif : {opinion.withdrawn_reason}",),
            )
        )
    if opinion.sent_on is not None and opinion.sent_version is not None:
        steps += _after_sending(opinion, today)
    steps.sort(key=lambda s: (s.day, RANK[s.kind]))
    return steps


def _after_sending(opinion: Opinion, today: dt.date) -> list[Step]:
    assert opinion.sent_on is not None and opinion.sent_version is not None
    clock = clock_for(opinion, today=today)
    recs = opinion.sent_version.recommendations.count()
    to = f" ({opinion.sent_to})" if opinion.sent_to else ""
    steps = [
        Step(
            SENT,
            opinion.sent_on,
            f"Transmis à la Ville{to}",
            (
                f"Version {opinion.sent_version.number}, {plural(recs, 'recommandation')}.",
                f"La Ville a {clock.deadline_days} jours pour répondre.",
            ),
        )
    ]
    assert clock.expected_before is not None
    title = {
        LATE: f"Réponse en retard de {plural(clock.days_late, 'jour')}",
        ANSWERED: "Délai de réponse de la Ville",
        ANSWERED_LATE: "Délai de réponse de la Ville",
    }.get(clock.status, f"Réponse attendue avant le {fr_day(clock.expected_before)}")
    steps.append(Step(DEADLINE, clock.expected_before, title, (clock.sentence(),)))
    responses = CityResponse.objects.filter(opinion=opinion).prefetch_related(
        "answers__recommendation"
    )
    for response in responses:
        lines = []
        for answer in sorted(response.answers.all(), key=lambda a: a.recommendation.number):
            line = f"Recommandation {answer.recommendation.number} : {answer.get_status_display()}"
            if answer.service:
                line += f" (service en charge : {answer.service})"
            if answer.reasons:
                line += f". {answer.reasons}"
            lines.append(_sentence(line))
        if opinion.answered_on == response.received_on:
            lines.append(clock.sentence())
        steps.append(
            Step(
                ANSWER,
                response.received_on,
                "Réponse de la Ville" + (f" ({response.reference})" if response.reference else ""),
                tuple(lines),
                links=(
                    (("Le courrier de la Ville", response.document_url),)
                    if response.document_url
                    else ()
                ),
            )
        )
    commitments = Commitment.objects.filter(
        recommendation__version=opinion.sent_version
    ).select_related("answer__response", "recommendation")
    for commitment in commitments:
        due = (
            f"Échéance : {fr_day(commitment.due_on)}."
            if commitment.due_on
            else ("Échéance non communiquée par la Ville.")
        )
        steps.append(
            Step(
                COMMITMENT,
                commitment.answer.response.received_on,
                f"Engagement de la Ville (recommandation {commitment.recommendation.number})",
                (
                    commitment.description,
                    f"Service responsable : {commitment.service}. {due}",
                    f"Où en est-on : {commitment.status_sentence(today)}.",
                ),
            )
        )
    updates = CommitmentUpdate.objects.filter(commitment__in=commitments).select_related(
        "commitment__recommendation"
    )
    for update in updates:
        steps.append(
            Step(
                UPDATE,
                update.on,
                f"Avancement {update.progress} % (recommandation "
                f"{update.commitment.recommendation.number})",
                (update.text,),
                links=tuple((link["title"], link["url"]) for link in update.links),
            )
        )
    ratings = (
        Rating.objects.filter(answer__response__opinion=opinion)
        .select_related("decision__meeting", "answer__recommendation")
        .order_by("decision__meeting__starts_at", "answer__recommendation__number")
    )
    by_decision: dict[int, list[Rating]] = {}
    for rating in ratings:
        by_decision.setdefault(rating.decision_id, []).append(rating)
    for group in by_decision.values():
        decision = group[0].decision
        lines = [
            _sentence(
                f"Recommandation {r.answer.recommendation.number} : réponse "
                f"{r.get_verdict_display()}" + (f". {r.comment}" if r.comment else "")
            )
            for r in group
        ]
        lines.append(decision.result_sentence)
        steps.append(
            Step(
                RATING,
                decision.meeting.day,
                "Le conseil évalue la réponse de la Ville",
                tuple(lines),
            )
        )
    return steps
