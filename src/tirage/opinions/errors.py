"""The error of the opinions services: a ``MeetingError`` (one type for the council's refusals).

Views catch ``tirage.meetings.errors.MeetingError`` once: it covers the
refusals of ``record_decision`` (quorum, vote arithmetic) that an adoption
passes on unchanged, and the refusals of this app.
"""

from __future__ import annotations

from tirage.meetings.errors import MeetingError


class OpinionError(MeetingError):
    """A consultation, opinion, answer or commitment operation is refused; nothing was saved.

    ``message`` is French and precise, ``field`` the form field it concerns
    (``None``: the whole form), ``errors`` every message when several lines
    of a sheet were wrong at once.
    """
