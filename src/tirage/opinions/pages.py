"""What the public page and the PDF of an opinion show, gathered once (public data only)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from tirage.opinions.clock import clock_for
from tirage.opinions.models import (
    Answer,
    Commitment,
    CommitmentUpdate,
    Opinion,
    OpinionVersion,
    Rating,
    Recommendation,
)
from tirage.opinions.path import opinion_path
from tirage.opinions.services.answers import latest_answers


@dataclass
class RecommendationRow:
    """A recommendation with the City's answer in force, its commitment (and updates) and the council's rating."""

    recommendation: Recommendation
    answer: Answer | None = None
    commitment: Commitment | None = None
    updates: list[CommitmentUpdate] = field(default_factory=list)
    rating: Rating | None = None
    status_sentence: str = ""


def public_today() -> dt.date:
    """The day the public pages are shown for (Europe/Paris); one place, so a test can set it."""
    return timezone.localdate()


def shown_version(opinion: Opinion) -> OpinionVersion | None:
    """The text the public reads: the one sent to the City, else the adopted one, else the last voted."""
    if opinion.sent_version is not None:
        return opinion.sent_version
    return (
        opinion.current_version()
        or opinion.versions.filter(decision__isnull=False).order_by("-number").first()
    )


def opinion_context(opinion: Opinion, *, today: dt.date | None = None) -> dict[str, Any]:
    """The template context of ``opinion``'s public page (and PDF): version, rows, clock, path."""
    today = today or public_today()
    version = shown_version(opinion)
    rows: list[RecommendationRow] = []
    if version is not None:
        answers = latest_answers(opinion) if opinion.sent_version_id else {}
        commitments = {
            c.recommendation_id: c
            for c in Commitment.objects.filter(recommendation__version=version).prefetch_related(
                "updates"
            )
        }
        ratings = {
            r.answer_id: r for r in Rating.objects.filter(answer__recommendation__version=version)
        }
        for rec in version.recommendations.order_by("number"):
            answer = answers.get(rec.number)
            commitment = commitments.get(rec.pk)
            rows.append(
                RecommendationRow(
                    recommendation=rec,
                    answer=answer,
                    commitment=commitment,
                    updates=list(commitment.updates.all()) if commitment else [],
                    rating=ratings.get(answer.pk) if answer else None,
                    status_sentence=commitment.status_sentence(today) if commitment else "",
                )
            )
    decision = version.decision if version is not None else None
    return {
        "opinion": opinion,
        "version": version,
        "decision": decision,
        "rows": rows,
        "clock": clock_for(opinion, today=today),
        "steps": opinion_path(opinion_id=opinion.pk, today=today),
        "today": today,
    }
