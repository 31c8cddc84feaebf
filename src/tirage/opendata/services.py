"""Open-data operations: data requests and their verification, indicator imports, targets,
members' evaluations. Module functions with keyword arguments and primary keys (so they can
be queued); every state change is audited (``tirage.audit.services.log_action``).

Refusals raise :class:`OpendataError` (French message; nothing saved) or
:class:`tirage.opendata.importer.ImportRefused` (a list of French messages).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from tirage.audit.services import log_action
from tirage.calls.models import Call
from tirage.council.models import Member
from tirage.geo.reference import SECTEUR_CODES, secteurs
from tirage.opendata import fetch as fetching
from tirage.opendata import importer, verification
from tirage.opendata.indicators import INDICATORS, format_value
from tirage.opendata.models import (
    DataRequest,
    DigitalService,
    Evaluation,
    IndicatorImport,
    IndicatorValue,
    Source,
    Target,
    Verification,
)

Status = DataRequest.Status


class OpendataError(Exception):
    """The operation is refused; the message (French) says why."""


def secteur_labels() -> dict[str, str]:
    """Secteur codes → labels (``{"nord": "Nord", …}``), from the shipped geo reference."""
    labels = {secteur.code: secteur.label for secteur in secteurs()}
    return {code: labels.get(code, code) for code in SECTEUR_CODES}


# -- data requests -------------------------------------------------------------------


def create_request(
    *,
    call_id: int,
    title: str,
    description: str,
    reason: str,
    producer: str = "",
    priority: str = DataRequest.Priority.NORMAL,
    source: str = Source.STAFF,
    expected_format: str = DataRequest.Format.CSV,
    expected_columns: list[str] | None = None,
    requested_on: dt.date | None = None,
    actor=None,
) -> DataRequest:
    """Record a new request (state « demandée »). Title, description and reason are required."""
    for label, value in (
        ("les données demandées", title),
        ("ce qu'elles contiennent", description),
        ("pourquoi le conseil les demande", reason),
    ):
        if not value.strip():
            raise OpendataError(f"Indiquez {label}.")
    call = Call.objects.get(pk=call_id)
    with transaction.atomic():
        request = DataRequest.objects.create(
            call=call,
            title=title.strip(),
            description=description.strip(),
            reason=reason.strip(),
            producer=producer.strip(),
            priority=priority,
            source=source,
            expected_format=expected_format,
            expected_columns=[c.strip() for c in expected_columns or [] if c.strip()],
            requested_on=requested_on or timezone.localdate(),
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        log_action(
            request,
            "data_request.created",
            actor=actor,
            data={"title": request.title, "source": source, "priority": priority},
        )
    return request


def _locked(request_id: int) -> DataRequest:
    # The row lock makes two staff clicks (or a double submit) apply one transition only.
    return DataRequest.objects.select_for_update().get(pk=request_id)


def _refuse_transition(request: DataRequest, action: str) -> OpendataError:
    return OpendataError(
        f"Impossible {action} : la demande « {request.title} » est déjà "
        f"« {request.get_status_display()} »."
    )


def accept_request(*, request_id: int, reason: str = "", actor=None) -> DataRequest:
    """requested → accepted (the City agrees to open the data); ``reason`` is optional."""
    with transaction.atomic():
        request = _locked(request_id)
        if request.status != Status.REQUESTED:
            raise _refuse_transition(request, "d'accepter")
        request.status = Status.ACCEPTED
        request.decided_at = timezone.now()
        request.decision_reason = reason.strip()
        request.save(update_fields=["status", "decided_at", "decision_reason"])
        log_action(request, "data_request.accepted", actor=actor, reason=request.decision_reason)
    return request


def refuse_request(*, request_id: int, reason: str, actor=None) -> DataRequest:
    """requested or accepted → refused; the City's reasons are required and public."""
    if not reason.strip():
        raise OpendataError("Indiquez les motifs du refus : ils seront publiés.")
    with transaction.atomic():
        request = _locked(request_id)
        if request.status not in (Status.REQUESTED, Status.ACCEPTED):
            raise _refuse_transition(request, "de refuser")
        previous = request.status
        request.status = Status.REFUSED
        request.decided_at = timezone.now()
        request.decision_reason = reason.strip()
        request.save(update_fields=["status", "decided_at", "decision_reason"])
        log_action(
            request,
            "data_request.refused",
            actor=actor,
            reason=request.decision_reason,
            data={"from": previous},
        )
    return request


CATALOGUE_FIELDS = (
    "portal",
    "dataset_id",
    "dataset_url",
    "resource_url",
    "licence",
    "schema_name",
    "schema_version",
)


def publish_request(
    *,
    request_id: int,
    portal: str,
    dataset_url: str,
    resource_url: str,
    dataset_id: str = "",
    licence: str = "Licence Ouverte 2.0",
    schema_name: str = "",
    schema_version: str = "",
    actor=None,
) -> DataRequest:
    """requested/accepted → published, with the catalogue reference; on a published request,
    updates the reference (a verified one goes back to « publiée » until checked again)."""
    if portal not in DataRequest.Portal.values:
        raise OpendataError("Choisissez le portail où les données sont publiées.")
    if not dataset_url.strip() or not resource_url.strip():
        raise OpendataError("Indiquez l'adresse de la page du jeu de données et celle du fichier.")
    for url in (dataset_url, resource_url):
        if not url.strip().lower().startswith(("https://", "http://")):
            raise OpendataError(f"« {url} » n'est pas une adresse web (http:// ou https://).")
    values = {
        "portal": portal,
        "dataset_id": dataset_id.strip(),
        "dataset_url": dataset_url.strip(),
        "resource_url": resource_url.strip(),
        "licence": licence.strip(),
        "schema_name": schema_name.strip(),
        "schema_version": schema_version.strip(),
    }
    with transaction.atomic():
        request = _locked(request_id)
        if request.status == Status.REFUSED:
            raise _refuse_transition(request, "de publier")
        before = {name: getattr(request, name) for name in CATALOGUE_FIELDS}
        if request.is_published and before == values:
            return request  # the same form sent twice
        for name, value in values.items():
            setattr(request, name, value)
        first = not request.is_published
        request.status = Status.PUBLISHED
        if first:
            request.published_at = timezone.now()
        request.save()
        log_action(
            request,
            "data_request.published" if first else "data_request.catalogue_updated",
            actor=actor,
            data={"avant": before, "après": values} if not first else values,
        )
    return request


def verify_request(
    *,
    request_id: int,
    content: bytes | None = None,
    file_name: str = "",
    actor=None,
) -> Verification:
    """Check a published request's file and record the result (kept even when it fails).

    With ``content`` (an uploaded file) nothing is fetched; otherwise the request's
    ``resource_url`` is fetched within the configured limits (:mod:`tirage.opendata.fetch`).
    Success turns the request « vérifiée »; a failure leaves it (or puts it back)
    « publiée ». The network wait happens outside any transaction.
    """
    request = DataRequest.objects.get(pk=request_id)
    if not request.is_published:
        raise OpendataError(f"La demande « {request.title} » n'est pas publiée : rien à vérifier.")
    origin = Verification.Origin.UPLOAD if content is not None else Verification.Origin.URL
    url = "" if content is not None else request.resource_url
    sha256 = ""
    if content is None:
        try:
            fetched = fetching.fetch(request.resource_url)
        except fetching.FetchError as exc:
            return _record_verification(
                request_id,
                origin=origin,
                url=url,
                file_name="",
                report=verification.Report(Verification.Outcome.FETCH_FAILED, exc.message),
                byte_count=0,
                sha256="",
                actor=actor,
            )
        content, sha256 = fetched.content, fetched.sha256
        file_name = fetched.url.rsplit("/", 1)[-1][:255]
    report = verification.inspect(
        content,
        expected_format=request.expected_format,
        expected_columns=request.expected_columns,
        schema_name=request.schema_name,
        schema_version=request.schema_version,
    )
    return _record_verification(
        request_id,
        origin=origin,
        url=url,
        file_name=file_name,
        report=report,
        byte_count=len(content),
        sha256=sha256 or hashlib.sha256(content).hexdigest(),
        actor=actor,
    )


def _record_verification(
    request_id: int,
    *,
    origin: str,
    url: str,
    file_name: str,
    report: verification.Report,
    byte_count: int,
    sha256: str,
    actor,
) -> Verification:
    with transaction.atomic():
        request = _locked(request_id)
        check = Verification.objects.create(
            request=request,
            origin=origin,
            url=url,
            file_name=file_name,
            outcome=report.outcome,
            message=report.message,
            errors=report.errors,
            detected_format=report.detected_format,
            columns=report.columns,
            row_count=report.row_count,
            byte_count=byte_count,
            sha256=sha256,
            schema_name=report.schema_name,
            schema_version=report.schema_version,
            checked_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        previous = request.status
        if check.ok:
            request.status = Status.VERIFIED
            request.verified_at = check.checked_at
        elif request.status == Status.VERIFIED:
            request.status = Status.PUBLISHED
        request.save(update_fields=["status", "verified_at"])
        log_action(
            request,
            "data_request.verified" if check.ok else "data_request.verification_failed",
            actor=actor,
            reason=report.message,
            data={
                "verification": check.pk,
                "outcome": check.outcome,
                "origin": origin,
                "from": previous,
                "to": request.status,
                "sha256": sha256,
            },
        )
    return check


# -- indicators ----------------------------------------------------------------------


def import_indicators(
    *,
    content: bytes,
    file_name: str,
    replace: bool = False,
    actor=None,
    today: dt.date | None = None,
) -> IndicatorImport:
    """Import an indicator file, all or nothing.

    Raises :class:`~tirage.opendata.importer.ImportRefused` when any row is wrong, when a
    value already exists for the same (service, month, indicator, secteur) and ``replace`` is
    false, or when the very same file was imported before. Returns the saved import.
    """
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
    try:
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
            batch = IndicatorImport.objects.create(
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
                file_name=file_name[:255],
                file_format=parsed.table.format,
                encoding=parsed.table.encoding,
                delimiter=parsed.table.delimiter,
                sha256=digest,
                row_count=len(parsed.values),
                replaced_count=len(existing),
            )
            changes = []
            for value in parsed.values:
                old = existing.get(value.key)
                if old is not None:
                    changes.append(
                        {
                            "service": value.service,
                            "periode": f"{value.period:%Y-%m}",
                            "indicateur": value.indicator,
                            "secteur": value.secteur,
                            "avant": str(old.value),
                            "après": str(value.value),
                        }
                    )
                    old.value, old.batch = value.value, batch
                    old.save(update_fields=["value", "batch"])
            IndicatorValue.objects.bulk_create(
                IndicatorValue(
                    service_id=service_ids[value.service],
                    indicator=value.indicator,
                    period=value.period,
                    secteur=value.secteur,
                    value=value.value,
                    batch=batch,
                )
                for value in parsed.values
                if value.key not in existing
            )
            log_action(
                batch,
                "indicators.imported",
                actor=actor,
                data={
                    "file": batch.file_name,
                    "format": batch.file_format,
                    "values": batch.row_count,
                    "replaced": changes[:200],
                },
            )
    except IntegrityError as exc:
        # Another import saved the same key between our check and our insert.
        raise importer.ImportRefused(
            ["Un autre import a enregistré les mêmes valeurs au même moment : réessayez."]
        ) from exc
    return batch


def _existing_values(
    values: list[importer.ParsedValue], service_ids: dict[str, int]
) -> dict[tuple, IndicatorValue]:
    if not values:
        return {}
    periods = {value.period for value in values}
    slugs = {value.service for value in values}
    found = {}
    rows = IndicatorValue.objects.select_for_update().filter(
        service_id__in=[service_ids[s] for s in slugs], period__in=periods
    )
    slug_of = {pk: slug for slug, pk in service_ids.items()}
    keys = {value.key for value in values}
    for row in rows:
        key = (slug_of[row.service_id], row.period, row.indicator, row.secteur)
        if key in keys:
            found[key] = row
    return found


def set_target(
    *,
    service_id: int,
    indicator: str,
    value: Decimal,
    valid_from: dt.date,
    secteur: str = "",
    valid_until: dt.date | None = None,
    note: str = "",
    actor=None,
) -> Target:
    """Set (or change) the City's target for an indicator of a service from a month on."""
    ind = INDICATORS.get(indicator)
    if ind is None:
        raise OpendataError(f"Indicateur « {indicator} » inconnu.")
    problem = importer._bounds_error(Decimal(value), ind)
    if problem:
        raise OpendataError(f"Objectif refusé : {problem}")
    if secteur and (not ind.by_secteur or secteur not in SECTEUR_CODES):
        raise OpendataError(f"Pas d'objectif par secteur « {secteur} » pour « {ind.label} ».")
    valid_from = valid_from.replace(day=1)
    if valid_until is not None and valid_until.replace(day=1) < valid_from:
        raise OpendataError("Le dernier mois de l'objectif précède le premier.")
    with transaction.atomic():
        target, created = Target.objects.update_or_create(
            service_id=service_id,
            indicator=indicator,
            secteur=secteur,
            valid_from=valid_from,
            defaults={
                "value": Decimal(value),
                "valid_until": valid_until.replace(day=1) if valid_until else None,
                "note": note,
            },
        )
        log_action(
            target,
            "target.set" if created else "target.changed",
            actor=actor,
            data={"indicator": indicator, "secteur": secteur, "value": str(value)},
        )
    return target


# -- evaluations ---------------------------------------------------------------------


def record_evaluation(
    *,
    member_id: int,
    service_id: int,
    period: dt.date,
    rating: int,
    text: str,
    source: str = Source.ONLINE,
    actor=None,
    today: dt.date | None = None,
) -> Evaluation:
    """A member's evaluation of a service for a month (online, or typed by staff from paper).

    Refused for a member not in office today, a future month or one before 2000, a rating outside 1–5, an
    empty text, or a second, different evaluation of the same service and month (the same
    one sent twice is stored once and returned).
    """
    today = today or timezone.localdate()
    period = period.replace(day=1)
    member = Member.objects.select_related("call").get(pk=member_id)
    service = DigitalService.objects.get(pk=service_id)
    if not member.is_active(today):
        raise OpendataError("Seul un membre en fonction peut évaluer un service.")
    if period > today.replace(day=1):
        raise OpendataError(
            f"On ne peut pas évaluer {importer.month_label(period)} : ce mois n'est pas commencé."
        )
    if period < importer.EARLIEST_PERIOD:
        raise OpendataError(
            f"On ne peut pas évaluer {importer.month_label(period)} : ce mois est trop ancien "
            "(vérifiez l'année)."
        )
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise OpendataError(f"La note doit être un nombre entier de 1 à 5 (reçu : {rating}).")
    if not text.strip():
        raise OpendataError("Écrivez votre évaluation en quelques mots.")
    existing = Evaluation.objects.filter(member=member, service=service, period=period).first()
    if existing is not None:
        if existing.rating == rating and existing.text == text.strip():
            return existing
        raise OpendataError(
            f"Une évaluation de « {service.name} » pour {importer.month_label(period)} existe déjà "
            f"(note {existing.rating}/5, le {timezone.localtime(existing.created_at):%d/%m/%Y})."
        )
    try:
        with transaction.atomic():
            evaluation = Evaluation.objects.create(
                call=member.call,
                service=service,
                period=period,
                member=member,
                rating=rating,
                text=text.strip(),
                source=source,
                recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            log_action(
                evaluation,
                "evaluation.recorded",
                actor=actor,
                actor_label="" if actor else "membre (en ligne)",
                data={"service": service.slug, "period": f"{period:%Y-%m}", "source": source},
            )
    except IntegrityError:
        # The same member submitted twice at the same moment: keep the first.
        return Evaluation.objects.get(member=member, service=service, period=period)
    return evaluation
