"""Sign-in tickets for the members' space: a link sent by e-mail, a code printed on a letter.

``login_link(member)`` → ``"/espace-membre/connexion/lien/<token>/"`` (an absolute
path: prefix the site's address for an e-mail), valid ``LINK_VALIDITY``;
``print_code(member)`` → ``"K7PM3-QXR2H"`` (10 symbols), valid ``CODE_VALIDITY``
(it travels by post with the convocation). Both are single-use.

The link's token is made and checked by django-sesame over the ``MemberLogin`` row
(not over a user: members have no staff account). ``check_link`` / ``check_code``
return the row or raise ``LoginRefused`` whose ``message`` says in French why
(unknown, expired on …, already used on …, too many tries).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from sesame.tokens import create_token, parse_token

from tirage.applications.codes import normalise_receipt_code
from tirage.audit.services import log_action
from tirage.council.models import Member, MemberLogin, MemberLoginFailure
from tirage.council.tokens import new_reply_code, normalise_reply_code
from tirage.site.dates import french_moment

LINK_VALIDITY = dt.timedelta(days=3)
CODE_VALIDITY = dt.timedelta(days=30)
SCOPE = "tirage.members-space"
# Rate limit of printed codes: wrong tries per address or per receipt code in the window.
MAX_FAILURES = 5
FAILURE_WINDOW = dt.timedelta(minutes=15)


class LoginRefused(Exception):
    """A refused ticket; ``message`` (French) says why and what to do."""

    def __init__(self, message: str, *, reason: str):
        super().__init__(message)
        self.message = message
        self.reason = reason  # unknown, expired, used, inactive, throttled


@dataclass
class _Ticket:
    """What django-sesame signs: the row's primary key; the row keeps the state."""

    pk: int
    password: None = None
    last_login: None = None


def _hash(code: str) -> str:
    cleaned = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    return hashlib.sha256(cleaned.encode("ascii", "ignore")).hexdigest()


def login_link(member: Member, *, now: dt.datetime | None = None) -> str:
    """A new single-use sign-in link for ``member`` (absolute path), valid 3 days. Audited."""
    now = now or timezone.now()
    row = MemberLogin.objects.create(
        member=member, kind=MemberLogin.Kind.LINK, created_at=now, expires_at=now + LINK_VALIDITY
    )
    log_action(member, "member.login_link_issued", actor_label="système", data={"ticket": row.pk})
    token = create_token(_Ticket(row.pk), scope=SCOPE)
    return reverse("member_login:link", kwargs={"token": token})


def print_code(member: Member, *, now: dt.datetime | None = None) -> str:
    """A new single-use sign-in code for ``member`` to print on a letter (``XXXXX-XXXXX``), valid 30 days."""
    now = now or timezone.now()
    code = new_reply_code()
    row = MemberLogin.objects.create(
        member=member,
        kind=MemberLogin.Kind.CODE,
        code_hash=_hash(code),
        created_at=now,
        expires_at=now + CODE_VALIDITY,
    )
    log_action(member, "member.login_code_issued", actor_label="système", data={"ticket": row.pk})
    return code


def _usable(row: MemberLogin, now: dt.datetime, what: str) -> MemberLogin:
    if row.used_at is not None:
        raise LoginRefused(
            f"Ce {what} a déjà servi, le {french_moment(row.used_at)} : il ne sert qu'une fois. "
            "Demandez un nouveau lien ci-dessous, ou utilisez le code de votre dernier courrier.",
            reason="used",
        )
    if row.is_expired(now):
        raise LoginRefused(
            f"Ce {what} a expiré le {french_moment(row.expires_at)} "
            f"(il était valable {_validity(row)}). Demandez un nouveau lien ci-dessous.",
            reason="expired",
        )
    if not row.member.is_active(timezone.localdate(now)):
        raise LoginRefused(
            "Ce lien ou ce code appartient à une personne qui ne siège plus au conseil : "
            "l'espace des membres lui est fermé.",
            reason="inactive",
        )
    return row


def _validity(row: MemberLogin) -> str:
    days = (row.expires_at - row.created_at).days
    return f"{days} jour{'s' if days > 1 else ''}"


def _consume(row: MemberLogin, now: dt.datetime) -> MemberLogin:
    row.used_at = now
    row.save(update_fields=["used_at"])
    log_action(
        row.member,
        "member.signed_in",
        actor_label="membre",
        data={"ticket": row.pk, "kind": row.kind},
    )
    return row


def peek_link(token: str, *, now: dt.datetime | None = None) -> MemberLogin:
    """The row of a sign-in link if it can still be used (nothing changes); else ``LoginRefused``."""
    now = now or timezone.now()
    row = parse_token(token, _row_by_pk, scope=SCOPE)
    if row is None:
        raise LoginRefused(
            "Ce lien de connexion n'est pas reconnu : il est incomplet (vérifiez qu'il a été copié "
            "en entier) ou il date de plus de 31 jours. Demandez un nouveau lien ci-dessous.",
            reason="unknown",
        )
    return _usable(row, now, "lien de connexion")


def _row_by_pk(pk: int) -> MemberLogin | None:
    return (
        MemberLogin.objects.select_related("member", "member__application")
        .filter(pk=pk, kind=MemberLogin.Kind.LINK)
        .first()
    )


def use_link(token: str, *, now: dt.datetime | None = None) -> MemberLogin:
    """Spend a sign-in link: the row, marked used; ``LoginRefused`` if unknown, used or expired."""
    now = now or timezone.now()
    row = peek_link(token, now=now)
    with transaction.atomic():
        # Lock: the same link opened twice at once signs in once.
        locked = MemberLogin.objects.select_for_update().select_related("member").get(pk=row.pk)
        return _consume(_usable(locked, now, "lien de connexion"), now)


def _throttled(ip: str | None, receipt_code: str, now: dt.datetime) -> bool:
    since = now - FAILURE_WINDOW
    recent = MemberLoginFailure.objects.filter(at__gte=since)
    by_ip = recent.filter(ip=ip).count() if ip else 0
    by_code = recent.filter(receipt_code=receipt_code).count() if receipt_code else 0
    return max(by_ip, by_code) >= MAX_FAILURES


def use_code(
    receipt_code: str, code: str, *, ip: str | None = None, now: dt.datetime | None = None
) -> MemberLogin:
    """Spend a printed code given with the member's receipt code; ``LoginRefused`` otherwise.

    After ``MAX_FAILURES`` wrong tries in ``FAILURE_WINDOW`` from one address or for one
    receipt code, every try is refused until the window has passed (even a right one).
    """
    now = now or timezone.now()
    receipt_code = normalise_receipt_code(receipt_code or "")
    if _throttled(ip, receipt_code, now):
        minutes = int(FAILURE_WINDOW.total_seconds() // 60)
        raise LoginRefused(
            f"Trop d'essais de code en peu de temps : réessayez dans {minutes} minutes, "
            "ou appelez la mairie.",
            reason="throttled",
        )
    with transaction.atomic():
        # Lock: the same code typed twice at once signs in once.
        row = (
            MemberLogin.objects.select_for_update()
            .select_related("member", "member__application")
            .filter(
                kind=MemberLogin.Kind.CODE,
                code_hash=_hash(normalise_reply_code(code)),
                member__application__receipt_code=receipt_code,
            )
            .first()
        )
        if row is not None:
            return _consume(_usable(row, now, "code de connexion"), now)
    # Outside the transaction: a refused try is counted, nothing else is written.
    MemberLoginFailure.objects.create(ip=ip or None, receipt_code=receipt_code, at=now)
    raise LoginRefused(
        "Ce code de connexion ne correspond pas à ce numéro de récépissé. Vérifiez les deux "
        "numéros imprimés sur votre convocation (sans 0, O, 1, I ni L).",
        reason="unknown",
    )
