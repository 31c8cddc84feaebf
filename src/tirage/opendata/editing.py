"""Staff edits around open data: a data request's plain-words fields, a followed service,
the dry run of an indicator import, and an evaluation turned into a draft opinion.

Module functions with keyword arguments and primary keys, like :mod:`tirage.opendata.services`
(whose transitions they complement); every change is audited. Refusals raise
:class:`~tirage.opendata.services.OpendataError` (French message, nothing saved) or
:class:`~tirage.opendata.importer.ImportRefused` (a list of French messages).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from tirage.audit.services import log_action
from tirage.opendata import importer
from tirage.opendata.indicators import INDICATORS, format_value
from tirage.opendata.models import DataRequest, DigitalService, Evaluation, IndicatorImport
from tirage.opendata.services import OpendataError, _existing_values, secteur_labels
from tirage.opinions.models import Opinion
from tirage.opinions.services.opinions import draft_opinion

#: The fields of a request staff may change at any state (the promise and the plain words).
REQUEST_FIELDS = (
    "title",
    "description",
    "reason",
    "producer",
    "priority",
    "expected_format",
    "expected_columns",
    "opinion_id",
)


def _check_opinion(call_id: int, opinion_id: int | None) -> None:
    if opinion_id is None:
        return
    opinion = Opinion.objects.filter(pk=opinion_id).first()
    if opinion is None or opinion.call_id != call_id:
        raise OpendataError("Cet avis n'est pas un avis du conseil de ce mandat.")


def link_opinion(*, request_id: int, opinion_id: int | None, actor=None) -> DataRequest:
    """Set (or clear) the opinion a request came from; audited ``data_request.opinion_linked``."""
    with transaction.atomic():
        request = DataRequest.objects.select_for_update().get(pk=request_id)
        _check_opinion(request.call_id, opinion_id)
        if request.opinion_id == opinion_id:
            return request
        before = request.opinion_id
        request.opinion_id = opinion_id
        request.save(update_fields=["opinion"])
        log_action(
            request,
            "data_request.opinion_linked",
            actor=actor,
            data={"avant": before, "après": opinion_id},
        )
    return request


def update_request(*, request_id: int, actor=None, **values) -> DataRequest:
    """Change the plain-words fields of a request (any state); audited
    ``data_request.edited`` with the old and new values. Unknown fields raise ``TypeError``;
    an empty title, description or reason raises :class:`OpendataError`."""
    unknown = set(values) - set(REQUEST_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    for name, label in (
        ("title", "les données demandées"),
        ("description", "ce qu'elles contiennent"),
        ("reason", "pourquoi le conseil les demande"),
    ):
        if name in values and not str(values[name]).strip():
            raise OpendataError(f"Indiquez {label}.")
    if "expected_columns" in values:
        values["expected_columns"] = [c.strip() for c in values["expected_columns"] if c.strip()]
    for name in ("title", "description", "reason", "producer"):
        if name in values:
            values[name] = str(values[name]).strip()
    with transaction.atomic():
        request = DataRequest.objects.select_for_update().get(pk=request_id)
        if "opinion_id" in values:
            _check_opinion(request.call_id, values["opinion_id"])
        changed = {
            name: (getattr(request, name), value)
            for name, value in values.items()
            if getattr(request, name) != value
        }
        if not changed:
            return request
        for name, (_old, new) in changed.items():
            setattr(request, name, new)
        request.save()
        log_action(
            request,
            "data_request.edited",
            actor=actor,
            data={name: {"avant": old, "après": new} for name, (old, new) in changed.items()},
        )
    return request


SERVICE_FIELDS = (
    "name",
    "kind",
    "description",
    "url",
    "owner",
    "followed_since",
    "active",
    "order",
)


def save_service(
    *, service_id: int | None = None, slug: str = "", actor=None, **values
) -> DigitalService:
    """Create a followed service (``service_id`` ``None``; ``slug`` required and unique) or change
    one; audited ``service.created`` / ``service.edited``. The slug never changes: it is the
    ``service`` column of indicator files."""
    unknown = set(values) - set(SERVICE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    if "name" in values and not str(values["name"]).strip():
        raise OpendataError("Indiquez le nom du service.")
    with transaction.atomic():
        if service_id is None:
            slug = slug.strip().lower()
            if not slug:
                raise OpendataError("Indiquez le code du service (utilisé dans les fichiers).")
            if DigitalService.objects.filter(slug=slug).exists():
                raise OpendataError(f"Le code « {slug} » est déjà celui d'un autre service.")
            service = DigitalService.objects.create(slug=slug, **values)
            log_action(
                service,
                "service.created",
                actor=actor,
                data={"slug": slug, "name": service.name},
            )
            return service
        service = DigitalService.objects.select_for_update().get(pk=service_id)
        changed = {
            name: (getattr(service, name), value)
            for name, value in values.items()
            if getattr(service, name) != value
        }
        if not changed:
            return service
        for name, (_old, new) in changed.items():
            setattr(service, name, new)
        service.save()
        log_action(
            service,
            "service.edited",
            actor=actor,
            data={
                name: {"avant": str(old), "après": str(new)} for name, (old, new) in changed.items()
            },
        )
    return service


@dataclass(frozen=True, slots=True)
class Preview:
    """What an import would do: values read, of which already stored (replaced only when
    asked), the months and services the file covers."""

    values: int
    existing: int
    first_month: dt.date
    last_month: dt.date
    services: tuple[str, ...]
    table_format: str


def preview_import(
    *, content: bytes, replace: bool = False, today: dt.date | None = None
) -> Preview:
    """The dry run of :func:`tirage.opendata.services.import_indicators`: the same checks
    (every row, the same file imported before, values already stored without « remplacer »),
    nothing saved. Raises :class:`~tirage.opendata.importer.ImportRefused`."""
    today = today or timezone.localdate()
    services = dict(DigitalService.objects.values_list("slug", "name"))
    parsed = importer.parse(content, services=services, secteurs=secteur_labels(), today=today)
    digest = hashlib.sha256(content).hexdigest()
    previous = IndicatorImport.objects.filter(sha256=digest).first()
    if previous is not None:
        raise importer.ImportRefused(
            [
                f"Ce fichier a déjà été importé le "
                f"{timezone.localtime(previous.created_at):%d/%m/%Y à %H:%M} "
                f"(« {previous.file_name} », {previous.row_count} valeurs) : rien à faire."
            ]
        )
    service_ids = dict(DigitalService.objects.values_list("slug", "id"))
    with transaction.atomic():
        existing = _existing_values(parsed.values, service_ids)
    if existing and not replace:
        errors = [
            f"{parsed.table.row_word.capitalize()} {value.row} : une valeur existe déjà pour "
            f"{value.service}, {value.period:%Y-%m}, {value.indicator}"
            f"{', ' + value.secteur if value.secteur else ''} ({format_value(existing[value.key].value, INDICATORS[value.indicator])}) ; "
            "cochez « remplacer les valeurs existantes » pour la corriger."
            for value in parsed.values
            if value.key in existing
        ]
        raise importer.ImportRefused(errors[: importer.MAX_ERRORS])
    months = [value.period for value in parsed.values]
    return Preview(
        values=len(parsed.values),
        existing=len(existing),
        first_month=min(months),
        last_month=max(months),
        services=tuple(sorted({value.service for value in parsed.values})),
        table_format=parsed.table.format,
    )


def draft_opinion_from_evaluation(
    *, evaluation_id: int, title: str, recommendation: str, actor=None
) -> Opinion:
    """Start a draft opinion of the council from a member's evaluation (its text, the service
    and the month), through :func:`tirage.opinions.services.opinions.draft_opinion`; the
    council adopts it by its own vote (opinions' pages). Audited ``evaluation.drafted_as_opinion``.
    An evaluation already drafted returns its opinion."""
    if not title.strip():
        raise OpendataError("Donnez un titre à l'avis.")
    if not recommendation.strip():
        raise OpendataError("Écrivez au moins une recommandation.")
    with transaction.atomic():
        evaluation = (
            Evaluation.objects.select_for_update().select_related("service").get(pk=evaluation_id)
        )
        if evaluation.adopted_as_id is not None:
            return evaluation.adopted_as  # type: ignore[return-value]
        text = (
            f"Évaluation de « {evaluation.service.name} » pour "
            f"{importer.month_label(evaluation.period)} (note {evaluation.rating}/5) :\n\n"
            f"{evaluation.text}"
        )
        opinion = draft_opinion(
            call_id=evaluation.call_id,
            title=title.strip(),
            text=text,
            recommendations=[recommendation.strip()],
            actor=actor,
        )
        evaluation.adopted_as = opinion
        evaluation.save(update_fields=["adopted_as"])
        log_action(
            evaluation,
            "evaluation.drafted_as_opinion",
            actor=actor,
            data={"opinion": opinion.pk, "title": opinion.title},
        )
    return opinion
