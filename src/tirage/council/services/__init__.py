"""Multi-model operations of the council after the draw, one module per concept.

* ``offers``: seats offered (the draw's selected people, then the reserve list),
  reply codes, the call whose council staff work on;
* ``answers``: answers to offers (online, on paper, none in time), letters resent;
* ``replacements``: a seat left goes to the next person of the reserve list who
  keeps the quotas (``offer_next``, the one path of every departure);
* ``mandates``: members' mandates, installation, departures (``end_membership``);
* ``renewals``: renewals, end-of-mandate letters, the next call;
* ``seat_letters``: the letters of all these, handed to ``tirage.letters`` after
  the transaction commits (never under a row lock).

Every state change is audited; refusals raise ``tirage.council.errors.CouncilError``.
"""
