"""Consultations, opinions and proposals, the City's answers and commitments.

One module per concept; this package lists them so that Django (and callers)
find every model under ``tirage.opinions.models``.
"""

from tirage.opinions.models.answer import Answer, AnswerNotice, CityResponse, Rating
from tirage.opinions.models.commitment import Commitment, CommitmentUpdate
from tirage.opinions.models.consultation import (
    Consultation,
    ConsultationDocument,
    Contribution,
    Question,
)
from tirage.opinions.models.opinion import Opinion, OpinionVersion, Recommendation

__all__ = [
    "Answer",
    "AnswerNotice",
    "CityResponse",
    "Commitment",
    "CommitmentUpdate",
    "Consultation",
    "ConsultationDocument",
    "Contribution",
    "Opinion",
    "OpinionVersion",
    "Question",
    "Rating",
    "Recommendation",
]
