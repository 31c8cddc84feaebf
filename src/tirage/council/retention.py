"""Retention: remove the personal data of applicants who were not selected, once the reserve list is closed.

For each call drawn more than ``call.retention_months`` ago (the reserve
list is then closed, see ``services.reserve_open_until``), every application
of the call that did not lead to a seat — not selected (or selected but
declined, or silent past the deadline), not a member, no offer accepted or
pending — is anonymised: names, birth day and month,
street address, e-mail, phone, motivation are erased; the receipt code,
status, gender, quartier and secteur stay (anonymous statistics, counts per
feature value). Their letter PDFs are deleted, and so are the merged print
files of the call's batches (they hold names of many people).

Never touched: the frozen pool (codes and values), the draw bundle and
result files, the audit trail. One audit entry per call gives the counts.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tirage.applications.models import Application
from tirage.audit.services import log_action
from tirage.calls.models import Call
from tirage.council.dates import add_months
from tirage.council.models import Offer
from tirage.council.services.offers import drawn_result

ERASED = "—"


@dataclass
class PurgeReport:
    """What was (or, in a dry run, would be) anonymised, per call slug."""

    dry_run: bool
    applications: dict[str, int] = field(default_factory=dict)
    files: int = 0
    stats: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.applications.values())


def due_applications(call: Call, *, now: dt.datetime):
    """Applications of ``call`` whose personal data must go now (empty before the end of retention)."""
    result = drawn_result(call)
    if result is None:
        return Application.objects.none()
    if timezone.localdate(now) <= add_months(
        timezone.localdate(result.drawn_at), call.retention_months
    ):
        return Application.objects.none()
    offers = Offer.objects.filter(application__call=call)
    active = set(
        offers.filter(
            status__in=[Offer.Status.PENDING, Offer.Status.ACCEPTED, Offer.Status.LEFT]
        ).values_list("receipt_code", flat=True)
    )
    members = set(call.members.values_list("application__receipt_code", flat=True))
    # Drawn but declined (or silent past the deadline), with no other offer: like anyone
    # not selected, their data goes; the published result keeps their receipt code only.
    declined = set(
        offers.filter(status__in=[Offer.Status.DECLINED, Offer.Status.EXPIRED]).values_list(
            "receipt_code", flat=True
        )
    )
    keep = (set(result.selected) - (declined - active - members)) | active | members
    return (
        call.applications.exclude(receipt_code__in=keep)
        .exclude(family_name=ERASED)
        .order_by("receipt_code")
    )


def purge_personal_data(
    *, now: dt.datetime | None = None, dry_run: bool = False, actor=None
) -> PurgeReport:
    """Anonymise the applications due in every call (see module doc); returns the report.

    ``dry_run`` counts without changing anything. Each call is done in one
    transaction; files are deleted after it commits.
    """
    now = now or timezone.now()
    report = PurgeReport(dry_run=dry_run)
    for call in Call.objects.all():
        apps = list(due_applications(call, now=now))
        if not apps:
            continue
        stats = _stats(call, apps)
        report.applications[call.slug] = len(apps)
        report.stats[call.slug] = stats
        if dry_run:
            continue
        files: list[Path] = []
        with transaction.atomic():
            for app in apps:
                files += [
                    Path(settings.DOCUMENTS_DIR) / p
                    for p in app.letters.values_list("file_path", flat=True)
                    if p
                ]
                _anonymise(app)
            for batch in call.letter_batches.filter(purged_at__isnull=True).exclude(merged_path=""):
                files.append(Path(settings.DOCUMENTS_DIR) / batch.merged_path)
                batch.purged_at = now
                batch.save(update_fields=["purged_at"])
            log_action(
                call,
                "call.personal_data_purged",
                actor=actor,
                actor_label="" if actor else "système",
                data={"applications": len(apps), "stats": stats},
            )
        for path in files:
            if path.exists():
                path.unlink()
                report.files += 1
    return report


def _stats(call: Call, apps: list[Application]) -> dict[str, int]:
    """Counts per feature value (``"genre=femme": 12``) of the anonymised applications, and per status."""
    counts: Counter[str] = Counter()
    for app in apps:
        counts[f"statut={app.status}"] += 1
        counts[f"genre={app.gender}"] += 1
        counts[f"secteur={app.secteur or 'inconnu'}"] += 1
    return dict(sorted(counts.items()))


def _anonymise(app: Application) -> None:
    app.family_name = ERASED
    app.given_name = ERASED
    app.birth_date = dt.date(app.birth_date.year, 1, 1)  # the year alone, for age statistics
    app.street_number = ""
    app.street_name = ERASED
    app.address_complement = ""
    app.street_id = ""
    app.email = ""
    app.phone = ""
    app.motivation = ""
    app.review_note = ""
    app.status_reason = ""
    app.submission_key = None
    app.identity_key = ""
    app.save(
        update_fields=[
            "family_name",
            "given_name",
            "birth_date",
            "street_number",
            "street_name",
            "address_complement",
            "street_id",
            "email",
            "phone",
            "motivation",
            "review_note",
            "status_reason",
            "submission_key",
            "identity_key",
        ]
    )
