"""Operations on applications that span several models (see STYLE.md: pretix's services)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction

from tirage.applications import eligibility
from tirage.applications.codes import new_receipt_code
from tirage.applications.models import Application, Channel, Status
from tirage.audit.services import log_action
from tirage.calls.models import PARIS, Call

# Fields a form or an import may set directly on an Application.
APPLICANT_FIELDS = (
    "gender",
    "family_name",
    "given_name",
    "birth_date",
    "street_number",
    "street_name",
    "address_complement",
    "postcode",
    "commune",
    "street_id",
    "quartier",
    "secteur",
    "area_source",
    "needs_review",
    "review_note",
    "email",
    "phone",
    "motivation",
    "consent_notice",
    "attests_residence",
)


class CallClosed(Exception):
    """The call does not accept this application at this time (message in French)."""


class ReceptionDateError(CallClosed):
    """A paper form's reception date is impossible: before the call opened, or in the future."""


def pool_frozen(call: Call) -> bool:
    """True once a pool of ``call`` has been frozen (paper forms typed then are late)."""
    # The draws app's frozen pools (related name « pools »), read without importing that
    # higher layer: once a pool is frozen, a new paper form cannot enter it silently.
    return call.pools.exists()


def _late_reason(call: Call, received_on: dt.date | None, now: dt.datetime) -> str:
    """Why a paper or imported form is late ('' when it is not): received after the
    deadline, or typed after the pool was frozen."""
    from django.utils import timezone

    if received_on is not None and received_on > call.closing_date:
        return (
            f"Formulaire reçu le {received_on:%d/%m/%Y}, après la clôture du "
            f"{call.closing_date:%d/%m/%Y} : hors délai, il ne participe pas au tirage au sort."
        )
    if pool_frozen(call):
        return (
            f"Formulaire saisi le {timezone.localdate(now, PARIS):%d/%m/%Y}, après le gel du "
            "vivier : il ne participe pas au tirage au sort, sauf décision de la coordination "
            "et nouveau gel motivé."
        )
    return ""


@dataclass(frozen=True)
class Submission:
    application: Application
    created: bool  # False when the same submission key was already used


def submit_application(
    call: Call,
    data: dict[str, Any],
    *,
    channel: str = Channel.ONLINE,
    office=None,
    agent=None,
    received_on: dt.date | None = None,
    submission_key: str | None = None,
    now: dt.datetime | None = None,
) -> Submission:
    """Create one application from validated ``data`` (keys in ``APPLICANT_FIELDS``).

    * Online: refused with ``CallClosed`` outside the call's opening window.
    * Paper and import: ``received_on`` (the day the form was handed in,
      Europe/Paris; ``now``'s day when missing on paper) must lie between the
      call's opening day and today, else ``ReceptionDateError``. A form received
      after the closing date, or typed after the pool was frozen, is stored
      « hors délai » (``Status.LATE``, with the reason): never in the pool silently.
    * ``submission_key``: a second call with the same key returns the first
      application (double click, back button) instead of creating another.

    Status is decided at once: ineligible (age, residence) with the reason,
    otherwise eligible — except a probable duplicate, which stays *received*
    for staff to decide (never silently dropped). Everything is audited.
    """
    from django.utils import timezone

    now = now or timezone.now()
    if submission_key:
        existing = Application.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            return Submission(existing, created=False)
    if channel == Channel.ONLINE:
        if not call.is_open(now):
            raise CallClosed(
                "L'appel à candidatures est clos : aucune candidature n'est plus acceptée."
                if call.is_closed(now)
                else "L'appel à candidatures n'est pas encore ouvert."
            )
    else:
        today = timezone.localdate(now, PARIS)
        if received_on is None and channel == Channel.PAPER:
            # A paper form typed in without its reception date was handed in today.
            received_on = today
        if received_on is not None:
            opened = timezone.localdate(call.opens_at, PARIS)
            if received_on < opened:
                raise ReceptionDateError(
                    f"Date de réception du {received_on:%d/%m/%Y} impossible : l'appel a ouvert "
                    f"le {opened:%d/%m/%Y}. Vérifiez la date."
                )
            if received_on > today:
                raise ReceptionDateError(
                    f"Date de réception du {received_on:%d/%m/%Y} impossible : elle est dans "
                    "le futur. Vérifiez la date."
                )
    late = "" if channel == Channel.ONLINE else _late_reason(call, received_on, now)

    fields = {k: v for k, v in data.items() if k in APPLICANT_FIELDS}
    ident = eligibility.identity_key(
        fields["family_name"], fields["given_name"], fields["birth_date"]
    )
    try:
        with transaction.atomic():
            application = _create_with_unique_code(
                call=call,
                channel=channel,
                office=office,
                received_by=agent,
                received_on=received_on,
                submission_key=submission_key or None,
                identity_key=ident,
                created_at=now,
                **fields,
            )
            actor_label = "candidat (en ligne)" if channel == Channel.ONLINE else ""
            log_action(
                application,
                "application.created",
                actor=agent,
                actor_label=actor_label or "système",
                data={"channel": channel, "office": office.code if office else None},
            )
            decide_initial_status(application, actor=agent, late=late)
    except IntegrityError:
        # Two concurrent submits with one key: the loser returns the winner's application.
        if submission_key:
            existing = Application.objects.filter(submission_key=submission_key).first()
            if existing is not None:
                return Submission(existing, created=False)
        raise
    return Submission(application, created=True)


def _create_with_unique_code(**fields) -> Application:
    for _ in range(10):
        code = new_receipt_code()
        if not Application.objects.filter(receipt_code=code).exists():
            return Application.objects.create(receipt_code=code, **fields)
    raise RuntimeError("could not draw a free receipt code")  # 10 collisions in 2^39: never


def probable_duplicates(application: Application):
    """Other live applications to the same call with the same normalised names and birth date."""
    return (
        Application.objects.filter(call=application.call, identity_key=application.identity_key)
        .exclude(pk=application.pk)
        .exclude(status__in=[Status.WITHDRAWN, Status.DUPLICATE])
    )


def decide_initial_status(application: Application, *, actor=None, late: str = "") -> None:
    """Apply the automatic rules to a new application (see ``submit_application``);
    ``late``: why a paper form is late (it is then « hors délai », out of the pool)."""
    if late:
        application.change_status(Status.LATE, actor=actor, actor_label="système", reason=late)
        return
    reason = eligibility.ineligibility_reason(
        application.call, application.birth_date, application.postcode, application.commune
    )
    if reason:
        application.change_status(
            Status.INELIGIBLE, actor=actor, actor_label="système", reason=reason
        )
        return
    twins = list(probable_duplicates(application).order_by("created_at", "id"))
    if twins:
        first = twins[0]
        application.duplicate_of = first
        application.needs_review = True
        note = f"Doublon probable de {first.receipt_code}."
        # Keep an earlier flag (e.g. unknown street) next to the duplicate one.
        application.review_note = " ".join(p for p in [application.review_note, note] if p)[:300]
        application.save(update_fields=["duplicate_of", "needs_review", "review_note"])
        log_action(
            application,
            "application.duplicate_suspected",
            actor_label="système",
            data={"same_as": [t.receipt_code for t in twins]},
        )
        return
    application.change_status(Status.ELIGIBLE, actor=actor, actor_label="système", reason="")


def feature_values(application: Application) -> dict[str, str]:
    """The application's value (a FeatureValue key) for each feature of its call.

    Missing values (secteur unknown, age outside every band) are omitted.
    """
    values: dict[str, str] = {}
    for feature in application.call.features.all():
        value_keys = [v.key for v in feature.values.all()]
        if feature.source == "secteur":
            value = application.secteur
        elif feature.source == "quartier":
            value = application.quartier
        elif feature.source == "gender":
            value = application.gender
        else:  # age band
            age = application.age_on(application.call.age_date)
            value = next(
                (
                    v.key
                    for v in feature.values.all()
                    if (v.age_min is None or age >= v.age_min)
                    and (v.age_max is None or age <= v.age_max)
                ),
                "",
            )
        if value in value_keys:
            values[feature.key] = value
    return values
