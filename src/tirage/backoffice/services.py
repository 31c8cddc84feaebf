"""Staff decisions on an application; each one is atomic and audited.

Every function locks the application row (``select_for_update``) so that two
staff members deciding at the same moment are applied one after the other,
each on the other's result, instead of the last save silently winning.
Errors are ``DecisionError`` with a French message.
"""

from __future__ import annotations

from django.db import transaction

from tirage.applications.models import Application, AreaSource, Status
from tirage.audit.services import log_action


class DecisionError(ValueError):
    """The decision cannot be applied (message in French, for the staff member)."""


DECISION_STATUSES = {
    "eligible": Status.ELIGIBLE,
    "ineligible": Status.INELIGIBLE,
    "duplicate": Status.DUPLICATE,
    "withdrawn": Status.WITHDRAWN,
}


def _locked(pk: int) -> Application:
    return Application.objects.select_for_update().get(pk=pk)


def decide_status(
    application_pk: int, decision: str, *, actor, reason: str, duplicate_of_pk: int | None = None
) -> Application:
    """Set the status (``decision`` in ``DECISION_STATUSES``) with a mandatory ``reason``.

    ``duplicate`` needs ``duplicate_of_pk``, another application of the same call.
    A reviewed application leaves the "à vérifier" list, unless it is declared
    eligible while its secteur is still unknown (then the secteur must be set).
    """
    reason = (reason or "").strip()
    if not reason:
        raise DecisionError("Indiquez le motif de la décision.")
    if decision not in DECISION_STATUSES:
        raise DecisionError("Décision inconnue.")
    status = DECISION_STATUSES[decision]
    with transaction.atomic():
        application = _locked(application_pk)
        fields = []
        if status == Status.DUPLICATE:
            if duplicate_of_pk is None:
                raise DecisionError("Indiquez la candidature dont celle-ci est le doublon.")
            if duplicate_of_pk == application.pk:
                raise DecisionError(
                    "Une candidature ne peut pas être le doublon d'elle-même : "
                    "indiquez le numéro de l'autre candidature."
                )
            original = Application.objects.filter(
                pk=duplicate_of_pk, call=application.call_id
            ).first()
            if original is None:
                raise DecisionError("Candidature d'origine introuvable dans cet appel.")
            application.duplicate_of = original
            fields.append("duplicate_of")
        elif application.duplicate_of_id is not None and status == Status.ELIGIBLE:
            # Staff judged it is not a duplicate after all.
            application.duplicate_of = None
            fields.append("duplicate_of")
        if application.needs_review and not (status == Status.ELIGIBLE and not application.secteur):
            application.needs_review = False
            fields.append("needs_review")
        if fields:
            application.save(update_fields=fields)
        application.change_status(status, actor=actor, reason=reason)
        if "duplicate_of" in fields:
            log_action(
                application,
                "application.duplicate_link_changed",
                actor=actor,
                reason=reason,
                data={
                    "duplicate_of": application.duplicate_of.receipt_code
                    if application.duplicate_of
                    else None
                },
            )
    return application


def set_area(
    application_pk: int, *, secteur: str, quartier: str = "", actor, reason: str
) -> Application:
    """Staff fixes the secteur (and quartier): ``area_source=staff``, leaves the review list."""
    reason = (reason or "").strip()
    if not reason:
        raise DecisionError("Indiquez le motif de la décision.")
    if not secteur:
        raise DecisionError("Choisissez un secteur.")
    with transaction.atomic():
        application = _locked(application_pk)
        before = {
            "secteur": application.secteur,
            "quartier": application.quartier,
            "area_source": application.area_source,
        }
        application.secteur = secteur
        application.quartier = quartier
        application.area_source = AreaSource.STAFF
        application.needs_review = False
        application.save(update_fields=["secteur", "quartier", "area_source", "needs_review"])
        log_action(
            application,
            "application.area_set",
            actor=actor,
            reason=reason,
            data={
                "from": before,
                "to": {"secteur": secteur, "quartier": quartier, "area_source": "staff"},
            },
        )
    return application
