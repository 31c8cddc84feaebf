"""The demo: Roubaix's 2025 call re-dated to run today, a fictional pool, staff accounts
and fictional open data.

``run_demo`` is idempotent: the call is updated in place, the pool is created
once (its applications carry ``demo:`` submission keys), and the staff
accounts get fresh passwords at every run (returned, never stored in clear).
"""

from __future__ import annotations

import datetime as dt
import secrets
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from tirage.accounts import services as two_factor
from tirage.accounts.policy import role_requires_two_factor
from tirage.applications.models import Application, Status
from tirage.audit.services import history, log_action
from tirage.backoffice.models import StaffProfile
from tirage.backoffice.roles import COORDINATOR, COUNTER_AGENT, OBSERVER, ensure_groups
from tirage.calls.callfile import load_call, read_call_file
from tirage.calls.models import PARIS, Call, Office
from tirage.demo.applicants import plan_pool, submit_pool
from tirage.demo.council import CouncilLife, seed_council_life
from tirage.demo.opendata import seed_opendata

DEFAULT_SEED = 2025
DAYS_TO_CLOSING = 7
KEY_PREFIX = "demo:"
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


@dataclass(frozen=True)
class StaffAccount:
    username: str
    role: str
    office: str  # office name, "" for every office
    password: str
    # When the role needs a second factor: the app's key (base32) and its link,
    # and fresh recovery codes (a demo visitor without an app signs in with those).
    totp_secret: str = ""
    totp_url: str = ""
    recovery_codes: tuple[str, ...] = ()


@dataclass
class DemoReport:
    call: Call
    shift_days: int
    created: int  # applications created by this run (0 when the pool already existed)
    accounts: list[StaffAccount]
    counts: dict[str, int] = field(default_factory=dict)
    # {secteur: {gender: eligible count}}
    eligible_by_secteur: dict[str, dict[str, int]] = field(default_factory=dict)
    # Days the call moved since the pool was made (the pool's dates did not move).
    pool_lag_days: int = 0
    # Fictional open data: services followed, indicator values, data requests, evaluations.
    opendata: dict[str, int] = field(default_factory=dict)
    # The council in office (the previous call) and its first year; members' sign-in links.
    council: CouncilLife | None = None


def demo_shift_days(data: dict, today: dt.date) -> int:
    """Days to shift the call file's dates by so that it closes ``DAYS_TO_CLOSING`` days later."""
    closing = data.get("closing_date") or data["closes_at"].astimezone(PARIS).date()
    return (today + dt.timedelta(days=DAYS_TO_CLOSING) - closing).days


def new_password() -> str:
    """A password easy to read aloud and type: three groups of four (``k7mw-p2aq-zx9d``)."""
    return "-".join("".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(4)) for _ in range(3))


def reset_staff_accounts(call: Call) -> list[StaffAccount]:
    """Create or update the demo staff: a coordinator, an observer, a counter agent per office.

    Every account gets a new password, returned in clear (and nowhere else).
    An account whose role needs a second factor keeps one authenticator key
    across runs (set up once in an app) and gets new recovery codes each run.
    """
    ensure_groups()
    User = get_user_model()
    wanted: list[tuple[str, str, Office | None]] = [
        ("coordination", COORDINATOR, None),
        ("observation", OBSERVER, None),
    ]
    wanted += [(f"accueil-{o.secteur or o.code}", COUNTER_AGENT, o) for o in call.offices.all()]
    passwords = [new_password() for _ in wanted]
    # Hashing costs about a second per password; hashlib releases the GIL, so hash in parallel.
    with ThreadPoolExecutor() as pool:
        hashes = list(pool.map(make_password, passwords))
    accounts = []
    for (username, role, office), password, hashed in zip(wanted, passwords, hashes, strict=True):
        user, created = User.objects.get_or_create(username=username)
        user.password = hashed
        user.is_active = True
        user.save()
        user.groups.set([Group.objects.get(name=role)])
        StaffProfile.objects.update_or_create(user=user, defaults={"office": office})
        log_action(
            user,
            "staff.demo_account_created" if created else "staff.demo_password_reset",
            actor_label="tirage demo",
            data={"role": role, "office": office.code if office else None},
        )
        secret = url = ""
        codes: tuple[str, ...] = ()
        if role_requires_two_factor(user):
            device = two_factor.ensure_app_device(user, actor_label="tirage demo")
            secret, url = two_factor.secret_text(device), device.config_url
            codes = tuple(two_factor.renew_recovery_codes(user, actor_label="tirage demo"))
        accounts.append(
            StaffAccount(
                username, role, office.name if office else "", password, secret, url, codes
            )
        )
    return accounts


def count_pool(call: Call) -> tuple[dict[str, int], dict[str, dict[str, int]]]:
    """Totals of the call's applications and eligible applications per secteur and gender."""
    apps = Application.objects.filter(call=call)
    by_status = dict(apps.values_list("status").annotate(n=Count("id")))
    counts = {
        "applications": apps.count(),
        "eligible": by_status.get(Status.ELIGIBLE, 0),
        "ineligible": by_status.get(Status.INELIGIBLE, 0),
        "needs_review": apps.filter(needs_review=True).count(),
        "probable_duplicates": apps.filter(duplicate_of__isnull=False).count(),
        "online": apps.filter(channel="online").count(),
        "paper": apps.filter(channel="paper").count(),
    }
    grid: dict[str, dict[str, int]] = {}
    rows = (
        apps.filter(status=Status.ELIGIBLE).values_list("secteur", "gender").annotate(n=Count("id"))
    )
    for secteur, gender, n in rows:
        grid.setdefault(secteur, {})[gender] = n
    return counts, grid


def run_demo(*, seed: int = DEFAULT_SEED, now: dt.datetime | None = None) -> DemoReport:
    """Load the re-dated Roubaix call, reset the staff accounts, fill the pool once.

    ``now`` (aware, default: now) is "today" for the re-dating and the latest
    date of the synthetic applications. All in one transaction.
    """
    now = now or timezone.now()
    data = read_call_file()
    shift = demo_shift_days(data, now.astimezone(PARIS).date())
    with transaction.atomic():
        existing = Call.objects.filter(slug=data["slug"]).first()
        if existing is not None and existing.pools.exists():
            # The pool is frozen (the demo went on to the draw): dates and quotas
            # now belong to the draw's record and are left as they are.
            call = existing
        else:
            call = load_call(data, shift_days=shift)
        accounts = reset_staff_accounts(call)
        created = 0
        if not call.applications.filter(submission_key__startswith=KEY_PREFIX).exists():
            User = get_user_model()
            agents = {
                p.office.code: p.user
                for p in StaffProfile.objects.filter(
                    user__in=User.objects.filter(username__in=[a.username for a in accounts]),
                    office__isnull=False,
                ).select_related("office", "user")
                if p.office is not None
            }
            plan = plan_pool(call, seed=seed, now=now)
            created = submit_pool(call, plan, agents=agents, key_prefix=f"{KEY_PREFIX}{seed}:")
            log_action(
                call,
                "call.demo_pool_created",
                actor_label="tirage demo",
                data={"seed": seed, "applications": created, "shift_days": shift},
            )
    made = history(call).filter(action="call.demo_pool_created").last()
    lag = shift - made.data.get("shift_days", shift) if made else 0
    counts, grid = count_pool(call)
    opendata = seed_opendata(call=call, today=timezone.localdate(now))
    council = seed_council_life(agents=_agents(accounts), today=timezone.localdate(now))
    return DemoReport(call, shift, created, accounts, counts, grid, lag, opendata, council)


def _agents(accounts: list[StaffAccount]) -> dict:
    """Office code → the demo counter agent of that mairie (who types in its paper forms)."""
    User = get_user_model()
    return {
        p.office.code: p.user
        for p in StaffProfile.objects.filter(
            user__in=User.objects.filter(username__in=[a.username for a in accounts]),
            office__isnull=False,
        ).select_related("office", "user")
        if p.office is not None
    }
