"""Deadline alerts for the staff: what is late or due soon in a council's consultations, answers and commitments.

``deadline_alerts(call_id=…, today=…)`` lists, most urgent first:
answers of the City that are late, or due within ``horizon_days``;
commitments past their due date, due soon, or without a due date;
consultations closing within a week; adopted texts not yet sent to the
City; members not yet told of an answer (notices not handed to ``letters``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone

from tirage.meetings.models import Rules
from tirage.opinions.clock import LATE, WAITING, clock_for
from tirage.opinions.models import AnswerNotice, Commitment, Consultation, Opinion
from tirage.site.dates import french_date as fr_day
from tirage.site.wording import plural

LATE_LEVEL = "late"
SOON_LEVEL = "soon"
TODO_LEVEL = "todo"
_LEVELS = {LATE_LEVEL: 0, SOON_LEVEL: 1, TODO_LEVEL: 2}

CONSULTATION_NOTICE_DAYS = 7
SEND_WITHIN_DAYS = 7


@dataclass(frozen=True)
class Alert:
    """``level``: late / soon / todo; ``day``: the date concerned; ``text``: French; ``target``: (model, pk)."""

    level: str
    day: dt.date
    text: str
    target: tuple[str, int]
    days: int = 0  # days late (late) or left (soon)


def deadline_alerts(
    *, call_id: int, today: dt.date | None = None, horizon_days: int = 15
) -> list[Alert]:
    """The alerts of council ``call_id`` on ``today``, late first (most days late first), then by day."""
    today = today or timezone.localdate()
    rules = Rules.for_call(call_id)
    alerts: list[Alert] = []
    for opinion in Opinion.objects.filter(
        call_id=call_id, state=Opinion.State.SENT, answered_on=None
    ):
        clock = clock_for(opinion, today=today, rules=rules)
        assert clock.expected_before is not None
        what = f"{opinion.label} « {opinion.title} »"
        if clock.status == LATE:
            alerts.append(
                Alert(
                    LATE_LEVEL,
                    clock.expected_before,
                    f"{what} : réponse de la Ville en retard de {plural(clock.days_late, 'jour')}.",
                    ("opinion", opinion.pk),
                    clock.days_late,
                )
            )
        elif clock.status == WAITING and clock.days_left <= horizon_days:
            alerts.append(
                Alert(
                    SOON_LEVEL,
                    clock.expected_before,
                    f"{what} : réponse de la Ville attendue avant le {fr_day(clock.expected_before)} "
                    f"(encore {plural(clock.days_left, 'jour')}).",
                    ("opinion", opinion.pk),
                    clock.days_left,
                )
            )
    adopted = Opinion.objects.filter(call_id=call_id, state=Opinion.State.ADOPTED)
    for opinion in adopted:
        version = opinion.current_version()
        voted = version.voted_on if version else None
        if voted is not None and (today - voted).days >= SEND_WITHIN_DAYS:
            alerts.append(
                Alert(
                    TODO_LEVEL,
                    voted,
                    f"{opinion.label} « {opinion.title} », adopté{opinion.e} le {fr_day(voted)}, "
                    f"n'est pas encore transmis{opinion.e} à la Ville.",
                    ("opinion", opinion.pk),
                )
            )
    commitments = Commitment.objects.filter(
        recommendation__version__opinion__call_id=call_id, completed_on=None
    ).select_related("recommendation__version__opinion", "answer__response")
    for commitment in commitments:
        opinion = commitment.recommendation.version.opinion
        what = (
            f"{opinion.label}, recommandation {commitment.recommendation.number} "
            f"({commitment.service})"
        )
        target = ("commitment", commitment.pk)
        if commitment.due_on is None:
            alerts.append(
                Alert(
                    TODO_LEVEL,
                    commitment.answer.response.received_on,
                    f"{what} : engagement sans échéance — demandez-la à la Ville.",
                    target,
                )
            )
            continue
        late = commitment.days_overdue(today)
        if late:
            alerts.append(
                Alert(
                    LATE_LEVEL,
                    commitment.due_on,
                    f"{what} : engagement en retard de {plural(late, 'jour')} "
                    f"({commitment.progress} % réalisé).",
                    target,
                    late,
                )
            )
        elif (commitment.due_on - today).days < horizon_days:
            left = (commitment.due_on - today).days + 1
            alerts.append(
                Alert(
                    SOON_LEVEL,
                    commitment.due_on,
                    f"{what} : échéance le {fr_day(commitment.due_on)} ({commitment.progress} % "
                    "réalisé).",
                    target,
                    left,
                )
            )
    closing = Consultation.objects.filter(
        call_id=call_id,
        deadline__gte=today,
        deadline__lt=today + dt.timedelta(days=CONSULTATION_NOTICE_DAYS),
    ).annotate(n=Count("contributions"))
    for consultation in closing:
        left = (consultation.deadline - today).days + 1
        alerts.append(
            Alert(
                SOON_LEVEL,
                consultation.deadline,
                f"Consultation « {consultation.title} » : contributions jusqu'au "
                f"{fr_day(consultation.deadline)} ({plural(consultation.n, 'contribution')} "
                "reçue" + ("s" if consultation.n > 1 else "") + ").",
                ("consultation", consultation.pk),
                left,
            )
        )
    pending = (
        AnswerNotice.objects.filter(response__opinion__call_id=call_id, delivered_at=None)
        .values("response_id", "response__received_on")
        .annotate(n=Count("id"))
        .order_by("response__received_on")
    )
    for row in pending:
        alerts.append(
            Alert(
                TODO_LEVEL,
                row["response__received_on"],
                f"Réponse de la Ville du {fr_day(row['response__received_on'])} : "
                f"{plural(row['n'], 'information')} des membres à envoyer (courrier ou courriel).",
                ("response", row["response_id"]),
            )
        )
    alerts.sort(key=lambda a: (_LEVELS[a.level], -a.days if a.level == LATE_LEVEL else 0, a.day))
    return alerts
