"""Flood protection of the public form, in layers, with no third-party service.

1. **Honeypot**: a field people do not see (``website``); a robot that fills
   every field is refused.
2. **Minimum fill time**: step 1 carries a signed timestamp (``started``) set
   when the page was shown, bound to the browser's CSRF cookie (by a hash of its
   secret: showing the form creates no session row); answers posted less than
   ``FORM_MIN_SECONDS`` later are sent back with a message (a person who was that
   fast clicks again).
3. **Per session**: ``FORM_SESSION_LIMIT`` applications per browser session.
4. **Per e-mail address**: ``FORM_EMAIL_LIMIT`` applications per address per
   24 hours, and at most ``FORM_RECEIPT_LIMIT`` receipt e-mails to one address
   per 24 hours (the others are shown on screen only): the form cannot be used
   to bomb someone's mailbox.
5. **Per address (IP)**: ``FORM_IP_LIMIT`` *accepted* applications per hour.
   Refused attempts do not count, so a robot refused by layers 1–4 never uses
   up the budget of the people who share its address.

A real applicant on a shared address (a mairie's public computer, a help desk)
gets through because: refused robots do not spend the address's budget; the
budget (20 an hour by default) is above what one public computer sees; and the
city lists those computers' networks in ``FORM_TRUSTED_NETWORKS``, which lifts
layers 2 and 5 for them (layers 1, 3 and 4 still apply).

Counts are kept per **keyed hash** (HMAC-SHA256 with the secret key) of the
address (an IPv6 address by its /64 network) or e-mail, per 10-minute window,
in ``FormCounter``; no raw address is stored, rows go after ``KEEP_DAYS``.
The staff page of bursts reads them (:func:`bursts`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.middleware.csrf import get_token
from django.utils import timezone

from tirage.applications.models import FormCounter
from tirage.ops.clientip import client_ip

WINDOW = dt.timedelta(minutes=10)
IP_PERIOD = dt.timedelta(hours=1)
EMAIL_PERIOD = dt.timedelta(hours=24)
KEEP_DAYS = 7
SESSION_SUBMITTED = "application_submitted_at"
TOKEN_SALT = "tirage.applications.form-started"


class Event(StrEnum):
    ACCEPTED = "accepted"
    RECEIPT = "receipt"
    FAST = "refused_fast"
    HONEYPOT = "refused_honeypot"
    SESSION = "refused_session"
    EMAIL = "refused_email"
    IP = "refused_ip"


REFUSALS = (Event.FAST, Event.HONEYPOT, Event.SESSION, Event.EMAIL, Event.IP)
REFUSAL_LABELS = {
    Event.FAST: "trop rapides",
    Event.HONEYPOT: "champ piège rempli",
    Event.SESSION: "limite du navigateur",
    Event.EMAIL: "limite du courriel",
    Event.IP: "limite de la connexion",
}


def now() -> dt.datetime:
    """The clock of the limits (tests move it instead of sleeping)."""
    return timezone.now()


# -- keys ------------------------------------------------------------------------------
def _hash(scope: str, value: str) -> str:
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"{scope}:{value}".encode(), hashlib.sha256
    ).hexdigest()
    return digest[:32]


def _ip_value(ip: str) -> str:
    """The address as counted: IPv4 as is, IPv6 by its /64 (privacy addresses rotate)."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def ip_key(request) -> str:
    return _hash("ip", _ip_value(client_ip(request)))


def email_key(email: str) -> str:
    return _hash("email", email.strip().lower())


def is_trusted(request) -> bool:
    """True when the visitor's address is in ``FORM_TRUSTED_NETWORKS`` (public computers)."""
    try:
        address = ipaddress.ip_address(client_ip(request))
    except ValueError:
        return False
    for network in settings.FORM_TRUSTED_NETWORKS:
        try:
            if address in ipaddress.ip_network(network, strict=False):
                return True
        except ValueError:
            continue
    return False


# -- counters --------------------------------------------------------------------------
def _window(moment: dt.datetime) -> dt.datetime:
    start = moment.replace(second=0, microsecond=0)
    return start - dt.timedelta(minutes=start.minute % 10)


def record(scope: str, key: str, event: Event, *, at: dt.datetime | None = None) -> None:
    """Add one ``event`` to the counter of ``key`` in the current window."""
    window = _window(at or now())
    rows = FormCounter.objects.filter(scope=scope, key=key, event=event, window=window)
    if rows.update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            FormCounter.objects.create(scope=scope, key=key, event=event, window=window, count=1)
    except IntegrityError:  # created meanwhile by a concurrent request
        rows.update(count=F("count") + 1)


def count(scope: str, key: str, event: Event, period: dt.timedelta) -> int:
    """Events of ``key`` in the windows that overlap the last ``period``."""
    since = _window(now() - period + WINDOW)
    total = FormCounter.objects.filter(
        scope=scope, key=key, event=event, window__gte=since
    ).aggregate(total=Sum("count"))["total"]
    return total or 0


def purge(*, at: dt.datetime | None = None) -> int:
    """Delete the counters older than ``KEEP_DAYS``; returns how many rows went."""
    limit = (at or now()) - dt.timedelta(days=KEEP_DAYS)
    deleted, _ = FormCounter.objects.filter(window__lt=limit).delete()
    return deleted


# -- the signed start time of step 1 --------------------------------------------------------
def _browser_key(request) -> str:
    """A hash of the browser's CSRF secret (the ``csrftoken`` cookie, set with the form).

    Binds the start time to one browser without writing a session for every visitor
    who only opens the form (benchmarks/load.py: a session row was created, then
    saved again, on the first page). The hash, not the secret, goes into the page:
    Django masks its CSRF token in pages (BREACH)."""
    get_token(request)  # sets request.META["CSRF_COOKIE"] when the browser has none yet
    secret = request.META.get("CSRF_COOKIE") or ""
    return hashlib.sha256(f"tirage-form-start:{secret}".encode()).hexdigest()[:24] if secret else ""


def started_token(request, at: dt.datetime | None = None) -> str:
    """A signed timestamp for the hidden ``started`` field of step 1, bound to the
    browser (its CSRF cookie): a token scraped once cannot be replayed from another
    browser."""
    return signing.dumps(
        {"t": int((at or now()).timestamp()), "s": _browser_key(request)}, salt=TOKEN_SALT
    )


def seconds_since(request, token: str) -> float | None:
    """Seconds since ``token`` was issued to this browser, or None (missing, forged,
    another browser's)."""
    try:
        issued = signing.loads(token or "", salt=TOKEN_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(issued, dict) or not isinstance(issued.get("t"), int):
        return None
    key = request.META.get("CSRF_COOKIE") and _browser_key(request)
    if not key or issued.get("s") != key:
        return None
    return now().timestamp() - issued["t"]


# -- the checks ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Refusal:
    event: Event
    message: str  # French: what happened and what to do


def check_step1(request, *, honeypot: str, token: str) -> Refusal | None:
    """Layers 1 to 3 on a step 1 POST; a refusal is counted for the staff page."""
    refusal = _session_refusal(request)
    if refusal is not None:
        pass
    elif honeypot.strip():
        refusal = Refusal(
            Event.HONEYPOT,
            "Le champ « Laissez ce champ vide » doit rester vide : effacez-le, "
            "puis cliquez à nouveau sur « Continuer ».",
        )
    elif not is_trusted(request):
        elapsed = seconds_since(request, token)
        if elapsed is None or elapsed < settings.FORM_MIN_SECONDS:
            refusal = Refusal(
                Event.FAST,
                "Le formulaire a été envoyé très vite, comme le font les robots. "
                "Vérifiez vos réponses, puis cliquez à nouveau sur « Continuer ».",
            )
    if refusal is not None:
        record("ip", ip_key(request), refusal.event)
    return refusal


def _session_times(request) -> list[float]:
    return [t for t in request.session.get(SESSION_SUBMITTED, []) if isinstance(t, int | float)]


def _session_refusal(request) -> Refusal | None:
    if len(_session_times(request)) < settings.FORM_SESSION_LIMIT:
        return None
    return Refusal(
        Event.SESSION,
        f"Ce navigateur a déjà envoyé {settings.FORM_SESSION_LIMIT} candidatures. "
        "Pour une autre personne, fermez le navigateur et rouvrez-le, ou déposez "
        "un formulaire papier dans une mairie de quartier.",
    )


def check_submit(request, *, email: str) -> Refusal | None:
    """Layers 3 to 5 before an application is stored; a refusal is counted."""
    ip = ip_key(request)
    refusal = _session_refusal(request)
    if refusal is not None:
        pass
    elif email and count("email", email_key(email), Event.ACCEPTED, EMAIL_PERIOD) >= (
        settings.FORM_EMAIL_LIMIT
    ):
        refusal = Refusal(
            Event.EMAIL,
            f"Cette adresse de courriel a déjà servi à {settings.FORM_EMAIL_LIMIT} candidatures "
            "aujourd'hui. Réessayez demain, indiquez une autre adresse (le courriel est "
            "facultatif), ou déposez un formulaire papier dans une mairie de quartier.",
        )
    elif not is_trusted(request) and count("ip", ip, Event.ACCEPTED, IP_PERIOD) >= (
        settings.FORM_IP_LIMIT
    ):
        refusal = Refusal(
            Event.IP,
            "Trop de candidatures ont été envoyées depuis cette connexion internet "
            "dans la dernière heure. Réessayez dans une heure, ou déposez un formulaire "
            "papier dans une mairie de quartier : un agent l'enregistrera.",
        )
    if refusal is not None:
        record("ip", ip, refusal.event)
    return refusal


@transaction.atomic
def accepted(request, *, email: str) -> bool:
    """Count an accepted application; True when its receipt e-mail may be sent (layer 4).

    One transaction for its three counters (on SQLite, one write lock instead of five)."""
    record("ip", ip_key(request), Event.ACCEPTED)
    times = [*_session_times(request), now().timestamp()]
    request.session[SESSION_SUBMITTED] = times
    if not email:
        return False
    key = email_key(email)
    record("email", key, Event.ACCEPTED)
    if count("email", key, Event.RECEIPT, EMAIL_PERIOD) >= settings.FORM_RECEIPT_LIMIT:
        return False
    record("email", key, Event.RECEIPT)
    return True


# -- the staff page of bursts -------------------------------------------------------------
@dataclass(frozen=True)
class Burst:
    """One hashed address in one 10-minute window: accepted and refused counts."""

    source: str  # the first 8 characters of the hash, to tell sources apart
    window: dt.datetime
    accepted: int
    refused: dict[str, int]

    @property
    def refused_total(self) -> int:
        return sum(self.refused.values())

    @property
    def reasons(self) -> list[tuple[str, int]]:
        """``[(French label, count)]`` of the refusals."""
        return [(REFUSAL_LABELS[Event(e)], n) for e, n in sorted(self.refused.items())]

    @property
    def total(self) -> int:
        return self.accepted + self.refused_total


def bursts(*, hours: int = 48, threshold: int = 10) -> list[Burst]:
    """Windows of the last ``hours`` where one address sent ``threshold`` or more attempts,
    busiest first."""
    since = now() - dt.timedelta(hours=hours)
    rows = FormCounter.objects.filter(scope="ip", window__gte=since).values_list(
        "key", "window", "event", "count"
    )
    grouped: dict[tuple[str, dt.datetime], dict[str, int]] = {}
    for key, window, event, number in rows:
        grouped.setdefault((key, window), {})[event] = number
    found = []
    for (key, window), events in grouped.items():
        accepted_count = events.pop(Event.ACCEPTED, 0)
        refused = {event: n for event, n in events.items() if event in REFUSALS}
        burst = Burst(key[:8].upper(), window, accepted_count, refused)
        if burst.total >= threshold:
            found.append(burst)
    return sorted(found, key=lambda b: (-b.total, b.window))
