"""The members' space once signed in (``/espace-membre/``): meetings, replies, suggestions, rules, resignation.

The door (sign-in, ``member_required``) is ``tirage.council.space``; every action
here goes through ``tirage.meetings.services`` with ``source=online``.
"""
