"""The council's models: seat offers (``offers``), members and mandates (``members``), and
the letters sent about them (``letters``)."""

from tirage.council.models.letters import CouncilLetter
from tirage.council.models.logins import MemberLogin, MemberLoginFailure
from tirage.council.models.members import Member, MemberQuerySet
from tirage.council.models.offers import Offer, hash_reply_code

__all__ = [
    "CouncilLetter",
    "Member",
    "MemberLogin",
    "MemberLoginFailure",
    "MemberQuerySet",
    "Offer",
    "hash_reply_code",
]
