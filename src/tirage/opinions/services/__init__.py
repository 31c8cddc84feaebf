"""Multi-model operations on consultations, opinions, answers and commitments, one module per concept.

Module functions with keyword arguments and primary keys (so that they can be
queued unchanged); each runs in one transaction, raises ``OpinionError``
(a ``MeetingError``) with a French message and saves nothing when refused,
and audits every state change. ``now`` (aware datetime) defaults to the
current time and lets tests and the demo place operations in time.
"""
