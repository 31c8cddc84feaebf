"""The public clock of the City's answer: « réponse attendue avant le … », « en retard de N jours ».

When an opinion or proposal is sent to the City on day ``S``, the City has
``Rules.answer_deadline_days`` days (``N``, 90 by default) to answer: the
last day on time is ``S + N`` (``due_on``), so the answer is expected
*before* ``S + N + 1`` (``expected_before``). On day ``T`` without a
complete answer, the delay is ``T − due_on`` days (1 on the day after
``due_on``). The clock stops on ``Opinion.answered_on``, the day every
recommendation of the sent text had an answer (deferred counts as one).

``N`` is read from the rules each time: changing the rule moves every
deadline and delay shown, as the issue asks (a city that shortens its
commitment shows it at once). See ``docs/adr/0024-answers-public-clock-commitments.md``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from tirage.meetings.models import Rules
from tirage.opinions.models import Opinion
from tirage.site.dates import french_date as fr_day
from tirage.site.wording import plural

NOT_SENT = "not_sent"
WAITING = "waiting"
LATE = "late"
ANSWERED = "answered"
ANSWERED_LATE = "answered_late"


@dataclass(frozen=True)
class Clock:
    """The answer clock of one opinion on ``today``; every figure is a date or a number of days."""

    sent_on: dt.date | None
    deadline_days: int
    today: dt.date
    answered_on: dt.date | None = None

    @property
    def due_on(self) -> dt.date | None:
        """The last day the answer is on time (``sent_on + deadline_days``)."""
        if self.sent_on is None:
            return None
        return self.sent_on + dt.timedelta(days=self.deadline_days)

    @property
    def expected_before(self) -> dt.date | None:
        """The first day the answer is late: « réponse attendue avant le … »."""
        due = self.due_on
        return due + dt.timedelta(days=1) if due else None

    @property
    def days_late(self) -> int:
        """Days past ``due_on`` at the answer (if any) or today; 0 when on time or not sent."""
        due = self.due_on
        if due is None:
            return 0
        end = self.answered_on or self.today
        return max(0, (end - due).days)

    @property
    def days_left(self) -> int:
        """Days left to answer on time, counting today (0 once late, answered or not sent)."""
        due = self.due_on
        if due is None or self.answered_on is not None:
            return 0
        return max(0, (due - self.today).days + 1)

    @property
    def status(self) -> str:
        if self.sent_on is None:
            return NOT_SENT
        if self.answered_on is not None:
            return ANSWERED_LATE if self.days_late else ANSWERED
        return LATE if self.days_late else WAITING

    @property
    def is_late(self) -> bool:
        return self.status in (LATE, ANSWERED_LATE)

    def sentence(self) -> str:
        """The public sentence: « Réponse attendue avant le 6 mars 2027. », « En retard de 12 jours … »."""
        status = self.status
        if status == NOT_SENT:
            return "Pas encore transmis à la Ville."
        expected = self.expected_before
        assert expected is not None
        if status == WAITING:
            return f"Réponse attendue avant le {fr_day(expected)}."
        if status == LATE:
            return (
                f"En retard de {plural(self.days_late, 'jour')} : la réponse était attendue avant le "
                f"{fr_day(expected)}."
            )
        assert self.answered_on is not None
        if status == ANSWERED:
            return f"Réponse reçue le {fr_day(self.answered_on)}, dans le délai."
        return (
            f"Réponse reçue le {fr_day(self.answered_on)}, avec {plural(self.days_late, 'jour')} "
            "de retard."
        )


def clock_for(
    opinion: Opinion, *, today: dt.date | None = None, rules: Rules | None = None
) -> Clock:
    """The clock of ``opinion`` on ``today`` (default: today in Europe/Paris), under its council's rules."""
    rules = rules or Rules.for_call(opinion.call_id)
    return Clock(
        sent_on=opinion.sent_on,
        deadline_days=rules.answer_deadline_days,
        today=today or timezone.localdate(),
        answered_on=opinion.answered_on,
    )


def late_opinions(
    *, today: dt.date | None = None, call_id: int | None = None, include_answered: bool = False
) -> list[tuple[Opinion, Clock]]:
    """Sent opinions and proposals whose answer is late on ``today``, the latest first.

    ``include_answered`` adds those answered after their deadline (the delay
    then stays as it was at the answer). One query for the opinions, one
    for the rules of each council.
    """
    today = today or timezone.localdate()
    opinions = Opinion.objects.filter(sent_on__isnull=False).select_related("call")
    if call_id is not None:
        opinions = opinions.filter(call_id=call_id)
    if not include_answered:
        opinions = opinions.filter(answered_on__isnull=True)
    rules: dict[int, Rules] = {}
    late = []
    for opinion in opinions:
        if opinion.call_id not in rules:
            rules[opinion.call_id] = Rules.for_call(opinion.call_id)
        clock = clock_for(opinion, today=today, rules=rules[opinion.call_id])
        if clock.is_late:
            late.append((opinion, clock))
    late.sort(key=lambda pair: (-pair[1].days_late, pair[0].sent_on, pair[0].pk))
    return late
