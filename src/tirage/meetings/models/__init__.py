"""The council's life: rules, working groups, meetings, attendance, decisions, minutes, absences.

One module per concept; this package lists them so that Django (and callers)
find every model under ``tirage.meetings.models``.
"""

from tirage.meetings.models.absence import AbsenceCase
from tirage.meetings.models.attendance import (
    ATTENDING,
    REPLIES,
    Attendance,
    Convocation,
    Presence,
)
from tirage.meetings.models.decision import Decision
from tirage.meetings.models.groups import GroupMembership, WorkingGroup
from tirage.meetings.models.meeting import AgendaItem, AgendaSuggestion, Meeting
from tirage.meetings.models.minutes import Amendment, Minutes
from tirage.meetings.models.rules import Acknowledgement, Rules, RulesDocument, Source

__all__ = [
    "ATTENDING",
    "REPLIES",
    "AbsenceCase",
    "Acknowledgement",
    "AgendaItem",
    "AgendaSuggestion",
    "Amendment",
    "Attendance",
    "Convocation",
    "Decision",
    "GroupMembership",
    "Meeting",
    "Minutes",
    "Presence",
    "Rules",
    "RulesDocument",
    "Source",
    "WorkingGroup",
]
