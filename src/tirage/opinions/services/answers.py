"""Record the City's answers recommendation by recommendation, tell the members, and let the council rate them.

``record_answers`` takes the City's response as a sheet — one line per
recommendation answered — and records it all or nothing: every wrong line
is listed (a recommendation that does not exist, one of another opinion or
of a version that was not sent, a missing reason or service). Accepted
recommendations (even in part) become commitments. The members in office
are told once per response, by letter and by e-mail when they gave one
(``AnswerNotice`` rows, produced by ``letters`` after the transaction
commits). ``rate_answers`` records the council's rating of answers through
the one vote mechanism (``record_decision``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from tirage.audit.services import history, log_action
from tirage.meetings.models import Decision, Meeting, Source
from tirage.meetings.office import members_in_office
from tirage.meetings.services.common import user_or_none
from tirage.meetings.services.decisions import record_decision
from tirage.meetings.voting import Votes
from tirage.opinions.clock import clock_for
from tirage.opinions.errors import OpinionError
from tirage.opinions.models import (
    Answer,
    AnswerNotice,
    CityResponse,
    Commitment,
    Opinion,
    Rating,
    Recommendation,
)
from tirage.opinions.services.common import check_item_open, check_url, same_sheet
from tirage.site.dates import french_date as fr_day
from tirage.site.wording import plural

NEEDS_REASONS = (Answer.Status.PARTLY, Answer.Status.REJECTED, Answer.Status.DEFERRED)
NEEDS_SERVICE = (Answer.Status.ACCEPTED, Answer.Status.PARTLY)


@dataclass(frozen=True)
class AnswerLine:
    """The City's answer to one recommendation, named by ``recommendation_id`` or by its ``number``.

    ``status`` is an ``Answer.Status`` value; ``reasons`` are required unless
    accepted, ``service`` when accepted (even in part). For those,
    ``commitment`` says what the City undertakes (default: the reasons, else
    the recommendation) and ``due_on`` by when (``None``: not given).
    """

    status: str
    recommendation_id: int | None = None
    number: int | None = None
    reasons: str = ""
    service: str = ""
    commitment: str = ""
    due_on: dt.date | None = None


def _resolve(
    lines: Sequence[AnswerLine], opinion: Opinion, received_on: dt.date
) -> tuple[list[tuple[AnswerLine, Recommendation]], list[str]]:
    sent = opinion.sent_version
    assert sent is not None
    own = {r.number: r for r in sent.recommendations.all()}
    by_id = {
        r.pk: r
        for r in Recommendation.objects.filter(
            pk__in=[line.recommendation_id for line in lines if line.recommendation_id]
        ).select_related("version__opinion")
    }
    errors: list[str] = []
    resolved: list[tuple[AnswerLine, Recommendation]] = []
    seen: dict[int, int] = {}
    for i, line in enumerate(lines, start=1):
        where = f"Ligne {i}"
        if (line.recommendation_id is None) == (line.number is None):
            raise ValueError("an answer line names its recommendation by id or by number")
        rec = None
        if line.number is not None:
            rec = own.get(line.number)
            if rec is None:
                errors.append(
                    f"{where} : la recommandation n° {line.number} n'existe pas — {opinion.label} "
                    f"« {opinion.title} » en compte {len(own)} (n° 1 à {len(own)})."
                )
                continue
        else:
            assert line.recommendation_id is not None
            rec = by_id.get(line.recommendation_id)
            if rec is None:
                errors.append(
                    f"{where} : la recommandation demandée n'existe pas (identifiant "
                    f"{line.recommendation_id}) — {opinion.label} « {opinion.title} » en compte "
                    f"{len(own)}."
                )
                continue
            other = rec.version.opinion
            if other.pk != opinion.pk:
                errors.append(
                    f"{where} : la recommandation n° {rec.number} est celle de {other.label} "
                    f"« {other.title} », pas de {opinion.label} « {opinion.title} »."
                )
                continue
            if rec.version_id != sent.pk:
                errors.append(
                    f"{where} : la recommandation n° {rec.number} est celle de la version "
                    f"{rec.version.number}, qui n'a pas été transmise à la Ville (la Ville répond à la "
                    f"version {sent.number})."
                )
                continue
        where = f"Ligne {i} (recommandation n° {rec.number})"
        if rec.pk in seen:
            errors.append(f"{where} : déjà répondue à la ligne {seen[rec.pk]}.")
            continue
        seen[rec.pk] = i
        if line.status not in Answer.Status.values:
            errors.append(
                f"{where} : réponse inconnue « {line.status} » (acceptée, acceptée en partie, "
                "refusée ou reportée)."
            )
            continue
        label = Answer.Status(line.status).label
        if line.status in NEEDS_REASONS and not line.reasons.strip():
            errors.append(f"{where}, {label} : indiquez les motifs donnés par la Ville.")
        if line.status in NEEDS_SERVICE and not line.service.strip():
            errors.append(f"{where}, {label} : indiquez le service de la Ville en charge.")
        if line.status not in NEEDS_SERVICE and (line.due_on or line.commitment.strip()):
            errors.append(
                f"{where}, {label} : seule une recommandation acceptée (même en partie) donne un "
                "engagement, avec une échéance."
            )
        if line.due_on is not None and line.due_on < received_on:
            errors.append(
                f"{where} : l'échéance ({fr_day(line.due_on)}) précède la réponse de la Ville "
                f"({fr_day(received_on)})."
            )
        resolved.append((line, rec))
    return resolved, errors


def _same_response(
    opinion: Opinion, received_on: dt.date, reference: str, resolved
) -> CityResponse | None:
    wanted = sorted(
        (rec.pk, line.status, line.reasons.strip(), line.service.strip()) for line, rec in resolved
    )
    for response in opinion.responses.filter(received_on=received_on, reference=reference):
        stored = sorted(
            (a.recommendation_id, a.status, a.reasons, a.service) for a in response.answers.all()
        )
        if stored == wanted:
            return response
    return None


@transaction.atomic
def record_answers(
    *,
    opinion_id: int,
    received_on: dt.date,
    lines: Sequence[AnswerLine],
    reference: str = "",
    summary: str = "",
    document_url: str = "",
    actor=None,
    now: dt.datetime | None = None,
) -> CityResponse:
    """Record the City's response of ``received_on`` to the sent opinion ``opinion_id``; audited ``answer.recorded``.

    All or nothing: any wrong line refuses the whole sheet, every error listed
    (``OpinionError.errors``). Accepted recommendations (even in part) without
    a commitment get one (audited ``commitment.created``). When every
    recommendation has an answer, the clock stops (``Opinion.answered_on``).
    The members in office are told once (``notify_members``). The same
    sheet submitted twice returns the first response.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    # Lock: two staff typing the same letter, or a letter and the clock's stop, must not interleave.
    opinion = (
        Opinion.objects.select_for_update(of=("self",))
        .select_related("sent_version")
        .get(pk=opinion_id)
    )
    if opinion.state != Opinion.State.SENT:
        raise OpinionError(
            f"{opinion.label} « {opinion.title} » n'a pas été transmis{opinion.e} à la Ville : "
            f"{opinion.pronoun} n'attend pas de réponse."
        )
    assert opinion.sent_on is not None
    if received_on > today:
        raise OpinionError(
            f"La date de la réponse ({fr_day(received_on)}) est dans le futur.", field="received_on"
        )
    if received_on < opinion.sent_on:
        raise OpinionError(
            f"La réponse ({fr_day(received_on)}) ne peut précéder l'envoi de l'avis à la Ville, le "
            f"{fr_day(opinion.sent_on)}.",
            field="received_on",
        )
    if not lines:
        raise OpinionError("La réponse ne porte sur aucune recommandation.", field="lines")
    reference = (reference or "").strip()
    resolved, errors = _resolve(lines, opinion, received_on)
    if errors:
        error = OpinionError.many(errors)
        error.field = "lines"
        raise error
    same = _same_response(opinion, received_on, reference, resolved)
    if same is not None:
        return same
    response = CityResponse.objects.create(
        opinion=opinion,
        received_on=received_on,
        reference=reference,
        summary=(summary or "").strip(),
        document_url=check_url(document_url, "document_url") if document_url.strip() else "",
        recorded_at=now,
        recorded_by=user_or_none(actor),
    )
    answers = Answer.objects.bulk_create(
        [
            Answer(
                response=response,
                recommendation=rec,
                status=line.status,
                reasons=line.reasons.strip(),
                service=line.service.strip(),
            )
            for line, rec in resolved
        ]
    )
    commitments = []
    for (line, rec), answer in zip(resolved, answers, strict=True):
        if answer.commits and not Commitment.objects.filter(recommendation=rec).exists():
            commitment = Commitment.objects.create(
                recommendation=rec,
                answer=answer,
                service=answer.service,
                description=line.commitment.strip() or answer.reasons or rec.text,
                due_on=line.due_on,
                created_at=now,
            )
            commitments.append(commitment)
            log_action(
                commitment,
                "commitment.created",
                actor=actor,
                data={
                    "opinion": opinion.pk,
                    "recommendation": rec.number,
                    "service": commitment.service,
                    "due_on": line.due_on.isoformat() if line.due_on else None,
                },
            )
    completed = _stop_the_clock(opinion)
    notices = notify_members(response_id=response.pk, now=now)
    log_action(
        response,
        "answer.recorded",
        actor=actor,
        data={
            "opinion": opinion.pk,
            "received_on": received_on.isoformat(),
            "reference": reference,
            "answers": [[rec.number, line.status] for line, rec in resolved],
            "commitments": len(commitments),
            "complete": completed,
            "days_late": clock_for(opinion, today=today).days_late if completed else None,
            "notices": notices,
        },
    )
    return response


def _stop_the_clock(opinion: Opinion) -> bool:
    """Set ``answered_on`` once every recommendation of the sent text has an answer; returns it is complete."""
    firsts = list(
        Recommendation.objects.filter(version=opinion.sent_version)
        .annotate(first=Min("answers__response__received_on"))
        .values_list("first", flat=True)
    )
    if not firsts or any(day is None for day in firsts):
        return False
    answered_on = max(firsts)
    if opinion.answered_on != answered_on:
        opinion.answered_on = answered_on
        opinion.save(update_fields=["answered_on"])
    return True


@transaction.atomic
def notify_members(*, response_id: int, now: dt.datetime | None = None) -> int:
    """Record one notice per member in office (letter; e-mail too when they gave one); returns how many were new.

    Idempotent: a member is told once per response and channel (a unique
    constraint backs it), however often this runs — for instance again
    after a new member joined.
    """
    now = now or timezone.now()
    response = CityResponse.objects.select_related("opinion").get(pk=response_id)
    members = members_in_office(response.opinion.call_id, timezone.localdate(now))
    existing = set(response.notices.values_list("member_id", "channel"))
    wanted = []
    for member in members:
        channels = [AnswerNotice.Channel.LETTER]
        if member.application.email:
            channels.append(AnswerNotice.Channel.EMAIL)
        for channel in channels:
            if (member.pk, channel) not in existing:
                wanted.append(
                    AnswerNotice(response=response, member=member, channel=channel, created_at=now)
                )
    if not wanted:
        return 0
    AnswerNotice.objects.bulk_create(wanted, ignore_conflicts=True)
    log_action(
        response,
        "answer.notified",
        actor_label="système",
        data={
            "letters": sum(1 for n in wanted if n.channel == AnswerNotice.Channel.LETTER),
            "emails": sum(1 for n in wanted if n.channel == AnswerNotice.Channel.EMAIL),
        },
    )
    return len(wanted)


@dataclass(frozen=True)
class NoticeLine:
    number: int
    recommendation: str
    status: str  # French label: « acceptée », « refusée »…
    reasons: str
    service: str


@dataclass(frozen=True)
class AnswerNoticeData:
    """What the notice of an answer says, as plain data for ``letters`` (no model instances).

    ``application_id`` lets ``letters`` find the member's name, postal address
    and e-mail.
    """

    notice_id: int
    member_id: int
    application_id: int
    channel: str
    council_name: str
    city_name: str
    opinion_label: str
    opinion_title: str
    sent_on: dt.date
    received_on: dt.date
    clock: str
    lines: list[NoticeLine] = field(default_factory=list)


def answer_notices(*, response_id: int, only_undelivered: bool = True) -> list[AnswerNoticeData]:
    """The notices of ``response_id`` as data for the letters (by default those not yet handed over)."""
    response = CityResponse.objects.select_related("opinion__call").get(pk=response_id)
    opinion = response.opinion
    assert opinion.sent_on is not None
    lines = [
        NoticeLine(
            a.recommendation.number,
            a.recommendation.text,
            a.get_status_display(),
            a.reasons,
            a.service,
        )
        for a in response.answers.select_related("recommendation").order_by(
            "recommendation__number"
        )
    ]
    clock = clock_for(opinion).sentence()
    notices = response.notices.select_related("member").order_by("member_id", "channel")
    if only_undelivered:
        notices = notices.filter(delivered_at__isnull=True)
    return [
        AnswerNoticeData(
            notice_id=n.pk,
            member_id=n.member_id,
            application_id=n.member.application_id,
            channel=n.channel,
            council_name=opinion.call.council_name,
            city_name=opinion.call.city_name,
            opinion_label=opinion.label,
            opinion_title=opinion.title,
            sent_on=opinion.sent_on,
            received_on=response.received_on,
            clock=clock,
            lines=lines,
        )
        for n in notices
    ]


@transaction.atomic
def mark_notices_delivered(
    *, notice_ids: Sequence[int], actor=None, now: dt.datetime | None = None
) -> int:
    """``letters`` produced these notices: set ``delivered_at`` (once); returns how many changed. Audited."""
    now = now or timezone.now()
    # Lock: two workers handing the same notices over must mark (and audit) them once.
    notices = list(
        AnswerNotice.objects.select_for_update()
        .filter(pk__in=notice_ids, delivered_at__isnull=True)
        .order_by("response_id", "pk")
    )
    by_response: dict[int, list[int]] = {}
    for notice in notices:
        by_response.setdefault(notice.response_id, []).append(notice.pk)
    AnswerNotice.objects.filter(pk__in=[n.pk for n in notices]).update(delivered_at=now)
    for response in CityResponse.objects.filter(pk__in=list(by_response)):
        log_action(
            response,
            "answer.notices_delivered",
            actor=actor,
            data={"notices": by_response[response.pk]},
        )
    return len(notices)


# -- the council's rating (« la réponse à la réponse ») ---------------------------------


@dataclass(frozen=True)
class RatingLine:
    """The council's verdict on one answer (``Rating.Verdict`` value) and its comment."""

    answer_id: int
    verdict: str
    comment: str = ""


@transaction.atomic
def rate_answers(
    *,
    opinion_id: int,
    meeting_id: int,
    agenda_item_id: int,
    method: str,
    ratings: Sequence[RatingLine],
    votes: Votes | None = None,
    present: int | None = None,
    represented: int | None = None,
    casting_vote: str = "",
    note: str = "",
    source: str = Source.PAPER,
    actor=None,
    now: dt.datetime | None = None,
) -> Decision:
    """The council rates the City's answers to ``opinion_id`` by a decision at ``meeting_id``; returns it.

    One decision adopts the whole rating sheet (one verdict per answer). The
    vote goes through ``record_decision`` (its errors pass through);
    adopted, each answer gets its ``Rating`` (audited ``answer.rated``);
    rejected, nothing is rated (audited ``answer.rating_rejected``). Refused:
    an answer of another opinion, one already rated, one received after the
    meeting, an unknown verdict — every line listed.
    """
    now = now or timezone.now()
    # Lock: the same rating sheet submitted twice must rate once.
    opinion = Opinion.objects.select_for_update().get(pk=opinion_id)
    meeting = Meeting.objects.get(pk=meeting_id)
    if meeting.call_id != opinion.call_id:
        raise OpinionError("Cette réunion est celle d'un autre conseil.", field="meeting")
    if not ratings:
        raise OpinionError("La feuille d'évaluation est vide.", field="ratings")
    answers = {
        a.pk: a
        for a in Answer.objects.filter(pk__in=[r.answer_id for r in ratings]).select_related(
            "response__opinion", "recommendation"
        )
    }
    existing = Rating.objects.filter(answer_id__in=list(answers)).select_related("decision")
    decisions = {r.decision for r in existing}
    if len(existing) == len(ratings) and len(decisions) == 1:
        (previous,) = decisions
        same = same_sheet(
            previous,
            meeting_id=meeting_id,
            agenda_item_id=agenda_item_id,
            method=method,
            votes=votes,
            casting_vote=casting_vote,
        )
        if same:
            return previous
    rated = {r.answer_id: r for r in existing}
    errors, seen = [], set()
    for i, line in enumerate(ratings, start=1):
        answer = answers.get(line.answer_id)
        if answer is None or answer.response.opinion_id != opinion.pk:
            errors.append(
                f"Ligne {i} : cette réponse n'est pas une réponse de la Ville à {opinion.label} "
                f"« {opinion.title} »."
            )
            continue
        where = f"Ligne {i} (recommandation n° {answer.recommendation.number})"
        if answer.pk in seen:
            errors.append(f"{where} : cette réponse figure deux fois.")
            continue
        seen.add(answer.pk)
        if answer.pk in rated:
            errors.append(
                f"{where} : la réponse du {fr_day(answer.response.received_on)} a déjà été évaluée "
                f"le {fr_day(rated[answer.pk].decision.meeting.day)}."
            )
        if answer.response.received_on > meeting.day:
            errors.append(
                f"{where} : la réponse est arrivée le {fr_day(answer.response.received_on)}, après "
                f"la réunion du {fr_day(meeting.day)}."
            )
        if line.verdict not in Rating.Verdict.values:
            errors.append(
                f"{where} : appréciation inconnue « {line.verdict} » (satisfaisante, en partie "
                "satisfaisante, pas satisfaisante)."
            )
    if errors:
        error = OpinionError.many(errors)
        error.field = "ratings"
        raise error
    check_item_open(opinion, agenda_item_id)
    decision = record_decision(
        meeting_id=meeting_id,
        agenda_item_id=agenda_item_id,
        method=method,
        votes=votes,
        present=present,
        represented=represented,
        casting_vote=casting_vote,
        title=f"Évaluation de la réponse de la Ville — {opinion.label} « {opinion.title} »",
        note=note,
        source=source,
        actor=actor,
        now=now,
    )
    data = {
        "decision": decision.pk,
        "ratings": [[answers[r.answer_id].recommendation.number, r.verdict] for r in ratings],
    }
    if not decision.adopted:
        # The same rejected sheet submitted twice returns the same decision: audited once.
        logged = history(opinion).filter(
            action="answer.rating_rejected", data__decision=decision.pk
        )
        if not logged.exists():
            log_action(opinion, "answer.rating_rejected", actor=actor, data=data)
        return decision
    Rating.objects.bulk_create(
        [
            Rating(
                answer_id=r.answer_id,
                decision=decision,
                verdict=r.verdict,
                comment=(r.comment or "").strip(),
                created_at=now,
            )
            for r in ratings
        ]
    )
    log_action(opinion, "answer.rated", actor=actor, data=data)
    return decision


def latest_answers(opinion: Opinion) -> dict[int, Answer]:
    """The answer in force for each recommendation of the sent text (the latest response wins), by number."""
    latest: dict[int, Answer] = {}
    answers = (
        Answer.objects.filter(recommendation__version=opinion.sent_version)
        .select_related("response", "recommendation")
        .order_by("response__received_on", "response_id")
    )
    for answer in answers:
        latest[answer.recommendation.number] = answer
    return latest


def answered_sentence(opinion: Opinion) -> str:
    """« 3 recommandations sur 5 ont une réponse. »"""
    total = opinion.sent_version.recommendations.count() if opinion.sent_version else 0
    answered = len(latest_answers(opinion))
    return f"{plural(answered, 'recommandation')} sur {total} {'ont' if answered > 1 else 'a'} une réponse."
