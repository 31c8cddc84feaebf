"""Demo data for open data: five followed services with two years of monthly indicators,
targets, six data requests covering every state (one verified against a local file), and
a few members' evaluations when the council has members.

**Every figure here is fictional** (generated from a fixed seed) and said so in the
services' descriptions. Dates are relative to ``today``. Everything goes through the real
services (import, publication, verification), so the demo exercises the same paths as
staff do. :func:`seed_opendata` is idempotent: a second run changes nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from tirage.calls.models import Call
from tirage.council.dates import add_months
from tirage.council.models import Member
from tirage.geo.reference import SECTEUR_CODES, secteurs
from tirage.opendata import services
from tirage.opendata.indicators import Code
from tirage.opendata.models import DataRequest, DigitalService, Evaluation, IndicatorImport

FICTIONAL = "Données fictives de démonstration."
MONTHS = 24
SEED = 2026

#: (slug, name, kind, owner, description, indicators → (start, yearly trend, noise), by secteur)
DEMO_SERVICES: list[dict] = [
    {
        "slug": "demarches-en-ligne",
        "name": "Portail des démarches en ligne",
        "kind": DigitalService.Kind.ONLINE_PROCEDURE,
        "owner": "Direction de la relation aux usagers",
        "description": "Les démarches de la Ville faites sur internet (état civil, inscriptions, "
        "signalements).",
        "indicators": {
            Code.VOLUME: (3200, 600, 250),
            Code.ONLINE_SHARE: (61, 7, 1.5),
            Code.SATISFACTION: (6.9, 0.4, 0.2),
            Code.RGAA_RATE: (54, 14, 0),
            Code.RGAA_STATEMENT: (1, 0, 0),
            Code.AVAILABILITY: (99.1, 0.2, 0.3),
        },
    },
    {
        "slug": "guichets-numeriques",
        "name": "Guichets d'aide numérique des mairies de quartier",
        "kind": DigitalService.Kind.HELP_DESK,
        "owner": "Mairies de quartier",
        "description": "Des agents et conseillers numériques aident à faire une démarche en "
        "ligne, dans chacune des cinq mairies de quartier.",
        "indicators": {
            Code.VOLUME: (210, 25, 18),
            Code.SATISFACTION: (8.1, 0.1, 0.25),
            Code.WAIT_TIME: (24, -4, 3),
        },
        "by_secteur": True,
    },
    {
        "slug": "bornes-libre-service",
        "name": "Bornes numériques en libre-service",
        "kind": DigitalService.Kind.KIOSK,
        "owner": "Direction du numérique",
        "description": "Ordinateurs et scanners en accès libre dans les lieux publics.",
        "indicators": {
            Code.VOLUME: (900, 80, 70),
            Code.AVAILABILITY: (93, 2, 1.5),
            Code.SATISFACTION: (7.2, 0.1, 0.3),
        },
    },
    {
        "slug": "site-ville",
        "name": "Site internet de la Ville",
        "kind": DigitalService.Kind.WEBSITE,
        "owner": "Direction de la communication",
        "description": "Le site d'information de la Ville (actualités, horaires, annuaire).",
        "indicators": {
            Code.VOLUME: (48000, 3000, 2500),
            Code.RGAA_RATE: (71, 9, 0),
            Code.RGAA_STATEMENT: (0, 0.6, 0),
            Code.AVAILABILITY: (99.6, 0.1, 0.2),
            Code.SATISFACTION: (6.4, 0.3, 0.2),
        },
    },
    {
        "slug": "rendez-vous-titres",
        "name": "Prise de rendez-vous en ligne (cartes d'identité, passeports)",
        "kind": DigitalService.Kind.ONLINE_PROCEDURE,
        "owner": "Service état civil",
        "description": "Réserver un créneau pour déposer une demande de carte d'identité ou de "
        "passeport.",
        "indicators": {
            Code.VOLUME: (1400, 100, 160),
            Code.ONLINE_SHARE: (74, 5, 2),
            Code.SATISFACTION: (5.8, 0.8, 0.3),
            Code.AVAILABILITY: (98.2, 0.5, 0.6),
        },
    },
]

TARGETS = [
    ("demarches-en-ligne", Code.ONLINE_SHARE, Decimal(80)),
    ("demarches-en-ligne", Code.SATISFACTION, Decimal(8)),
    ("demarches-en-ligne", Code.RGAA_RATE, Decimal(100)),
    ("guichets-numeriques", Code.WAIT_TIME, Decimal(15)),
    ("guichets-numeriques", Code.SATISFACTION, Decimal("8.5")),
    ("bornes-libre-service", Code.AVAILABILITY, Decimal(97)),
    ("site-ville", Code.RGAA_RATE, Decimal(100)),
    ("rendez-vous-titres", Code.SATISFACTION, Decimal(7)),
    ("rendez-vous-titres", Code.AVAILABILITY, Decimal("99.5")),
]

#: Shares of the help desks' visits by secteur (fictional).
SECTEUR_WEIGHTS = {"nord": 1.2, "sud": 1.0, "est": 0.9, "ouest": 1.1, "centre": 0.8}

MEDIATION_SCHEMA = ("LaMednum/standard-mediation-num", "0.2.0")


def months_until(today: dt.date, count: int = MONTHS) -> list[dt.date]:
    """The ``count`` whole months before ``today``'s month, oldest first."""
    last = add_months(today.replace(day=1), -1)
    return [add_months(last, -offset) for offset in range(count - 1, -1, -1)]


def _clamp(code: str, value: float) -> Decimal:
    if code in (Code.ONLINE_SHARE, Code.RGAA_RATE, Code.AVAILABILITY):
        value = min(value, 100.0)
    if code == Code.SATISFACTION:
        value = min(value, 10.0)
    value = max(value, 0.0)
    if code in (Code.VOLUME, Code.RGAA_STATEMENT):
        return Decimal(round(value))
    return Decimal(str(round(value, 1)))


def indicator_rows(today: dt.date) -> list[dict[str, str]]:
    """The demo indicator file's rows (columns of Tirage's indicator schema), fictional."""
    rng = random.Random(SEED)
    months = months_until(today)
    rows: list[dict[str, str]] = []
    for spec in DEMO_SERVICES:
        for code, (start, trend, noise) in spec["indicators"].items():
            for index, month in enumerate(months):
                years = index / 12
                base = start + trend * years
                if code == Code.RGAA_RATE:
                    # Audits happen twice a year: the rate moves in steps.
                    base = start + trend * (index // 6) / 2
                if code == Code.RGAA_STATEMENT:
                    base = 1 if start or years >= 1 else 0
                if code == Code.VOLUME and month.month in (7, 8):
                    base *= 0.75  # summer
                secteur_values = []
                if spec.get("by_secteur"):
                    for secteur in SECTEUR_CODES:
                        weight = SECTEUR_WEIGHTS[secteur]
                        value = base * (weight if code == Code.VOLUME else 1)
                        if code == Code.WAIT_TIME:
                            value = base * weight
                        value += rng.gauss(0, noise)
                        cell = _clamp(code, value)
                        secteur_values.append(cell)
                        rows.append(_row(spec["slug"], month, code, secteur, cell))
                    if code == Code.VOLUME:
                        total = sum(secteur_values, Decimal(0))
                    else:
                        total = _clamp(code, float(sum(secteur_values)) / len(secteur_values))
                    rows.append(_row(spec["slug"], month, code, "", total))
                else:
                    rows.append(
                        _row(
                            spec["slug"], month, code, "", _clamp(code, base + rng.gauss(0, noise))
                        )
                    )
    return rows


def _row(slug: str, month: dt.date, code: str, secteur: str, value: Decimal) -> dict[str, str]:
    return {
        "service": slug,
        "periode": f"{month:%Y-%m}",
        "indicateur": str(code),
        "secteur": secteur,
        "valeur": f"{value}",
    }


def indicator_csv(today: dt.date) -> bytes:
    """The demo indicator file as a French spreadsheet would save it: ``;`` and Windows-1252."""
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(
        buffer, fieldnames=["service", "periode", "indicateur", "secteur", "valeur"], delimiter=";"
    )
    writer.writeheader()
    for row in indicator_rows(today):
        writer.writerow({**row, "valeur": row["valeur"].replace(".", ",")})
    return buffer.getvalue().encode("cp1252")


def mediation_places_csv(*, updated: dt.date, with_services: bool = True) -> bytes:
    """A file of the City's *lieux de médiation numérique* (the five mairies de quartier),
    valid against LaMednum's schema 0.2.0 (fictional SIREN and contacts).

    ``with_services=False`` leaves out the required ``services`` column (a broken file).
    """
    columns = [
        "id",
        "pivot",
        "nom",
        "commune",
        "code_postal",
        "code_insee",
        "adresse",
        "date_maj",
        "services",
        "itinerance",
        "frais_a_charge",
    ]
    if not with_services:
        columns.remove("services")
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for index, secteur in enumerate(secteurs(), start=1):
        address = secteur.mairie_address.split(",")[0].split("(")[0].strip()
        writer.writerow(
            {
                "id": f"roubaix-mdq-{secteur.code}",
                "pivot": f"21590512{index}",
                "nom": f"Guichet numérique — {secteur.mairie_label}",
                "commune": "Roubaix",
                "code_postal": "59100",
                "code_insee": "59512",
                "adresse": address,
                "date_maj": updated.isoformat(),
                "services": "Aide aux démarches administratives",
                "itinerance": "Fixe",
                "frais_a_charge": "Gratuit",
            }
        )
    return buffer.getvalue().encode("utf-8")


def _ensure_services(today: dt.date) -> dict[str, DigitalService]:
    found = {}
    for order, spec in enumerate(DEMO_SERVICES):
        service, _ = DigitalService.objects.get_or_create(
            slug=spec["slug"],
            defaults={
                "name": spec["name"],
                "kind": spec["kind"],
                "owner": spec["owner"],
                "description": f"{spec['description']} {FICTIONAL}",
                "followed_since": months_until(today)[0],
                "order": order,
            },
        )
        found[spec["slug"]] = service
    return found


def _requests(call: Call, today: dt.date, actor) -> list[DataRequest]:
    if DataRequest.objects.filter(call=call).exists():
        return list(DataRequest.objects.filter(call=call))
    specs = [
        (
            "Fréquentation des guichets d'aide numérique",
            "Le nombre de personnes reçues chaque mois dans chaque mairie de quartier pour une "
            "démarche en ligne, et le temps d'attente.",
            "Savoir si l'aide humaine suffit et où il manque des heures d'accueil.",
            "Mairies de quartier",
            DataRequest.Priority.HIGH,
            ["periode", "secteur", "visites", "attente_minutes"],
            "requested",
        ),
        (
            "Audits d'accessibilité des sites de la Ville",
            "Les résultats des audits RGAA : taux de conformité, critères non respectés, date.",
            "Suivre l'accessibilité promise aux personnes handicapées.",
            "Direction du numérique",
            DataRequest.Priority.HIGH,
            ["site", "date_audit", "taux_conformite"],
            "accepted",
        ),
        (
            "Motifs d'appel au standard téléphonique",
            "Le nombre d'appels par motif et par mois.",
            "Voir quelles démarches en ligne posent problème.",
            "Direction de la relation aux usagers",
            DataRequest.Priority.NORMAL,
            ["mois", "motif", "appels"],
            "refused",
        ),
        (
            "Délibérations du conseil municipal",
            "Les délibérations votées, au format SCDL.",
            "Relier les avis du conseil aux décisions de la Ville.",
            "Secrétariat général",
            DataRequest.Priority.NORMAL,
            ["DELIB_ID", "DELIB_DATE", "DELIB_OBJET"],
            "published",
        ),
        (
            "Lieux de médiation numérique",
            "Les lieux où l'on peut se faire aider pour le numérique : adresse, horaires, services.",
            "Que chaque habitant sache où trouver de l'aide près de chez lui.",
            "Mairies de quartier",
            DataRequest.Priority.HIGH,
            [],
            "verified",
        ),
        (
            "Disponibilité du portail des démarches",
            "Les interruptions du portail des démarches en ligne, avec leur durée.",
            "Vérifier que le service est disponible quand les habitants en ont besoin.",
            "Direction du numérique",
            DataRequest.Priority.LOW,
            ["debut", "fin", "duree_minutes", "cause"],
            "failed",
        ),
    ]
    made = []
    for offset, (title, description, reason, producer, priority, columns, state) in enumerate(
        specs
    ):
        request = services.create_request(
            call_id=call.pk,
            title=title,
            description=description,
            reason=reason,
            producer=producer,
            priority=priority,
            source=services.Source.STAFF,
            expected_columns=columns,
            requested_on=today - dt.timedelta(days=200 - 25 * offset),
            actor=actor,
        )
        if state == "accepted":
            services.accept_request(
                request_id=request.pk, reason="Publication prévue au prochain trimestre."
            )
        elif state == "refused":
            services.refuse_request(
                request_id=request.pk,
                reason="Les enregistrements des appels contiennent des données personnelles ; "
                "la Ville publiera un bilan annuel agrégé à la place.",
            )
        elif state in ("published", "verified", "failed"):
            services.accept_request(request_id=request.pk)
            schema = MEDIATION_SCHEMA if state == "verified" else ("", "")
            slug = {
                "published": "deliberations",
                "verified": "lieux-mediation",
                "failed": "disponibilite",
            }
            services.publish_request(
                request_id=request.pk,
                portal=DataRequest.Portal.DATA_GOUV,
                dataset_id=f"roubaix-{slug[state]}-demo",
                dataset_url=f"https://www.data.gouv.fr/fr/datasets/roubaix-{slug[state]}-demo/",
                resource_url=f"https://www.data.gouv.fr/fr/datasets/r/roubaix-{slug[state]}-demo.csv",
                schema_name=schema[0],
                schema_version=schema[1],
            )
            if state == "verified":
                services.verify_request(
                    request_id=request.pk,
                    content=mediation_places_csv(updated=today - dt.timedelta(days=30)),
                    file_name="lieux-mediation-numerique-roubaix.csv",
                )
            elif state == "failed":
                services.verify_request(
                    request_id=request.pk,
                    content=b"date;incident\n2026-01-04;maintenance\n",
                    file_name="incidents.csv",
                )
        made.append(request)
    return made


def _evaluations(call: Call, found: dict[str, DigitalService], today: dt.date) -> int:
    members = [m for m in Member.objects.filter(call=call) if m.is_active(today)]
    if not members or Evaluation.objects.filter(call=call).exists():
        return 0
    last_month = add_months(today.replace(day=1), -1)
    texts = [
        (4, "Le rendez-vous se prend vite, mais la confirmation n'arrive pas toujours par SMS."),
        (2, "Trois semaines d'attente pour un passeport : le site n'affiche aucun créneau."),
        (5, "L'agente de la mairie de quartier m'a aidé à créer mon compte, très patiente."),
    ]
    slugs = ["rendez-vous-titres", "rendez-vous-titres", "guichets-numeriques"]
    count = 0
    for member, slug, (rating, text) in zip(members, slugs, texts, strict=False):
        services.record_evaluation(
            member_id=member.pk,
            service_id=found[slug].pk,
            period=last_month,
            rating=rating,
            text=text,
            source=services.Source.PAPER if count == 1 else services.Source.ONLINE,
            today=today,
        )
        count += 1
    return count


def seed_opendata(*, call: Call, today: dt.date | None = None, actor=None) -> dict[str, int]:
    """Seed the demo (idempotent); returns counts of what exists afterwards."""
    today = today or timezone.localdate()
    with transaction.atomic():
        found = _ensure_services(today)
        if not IndicatorImport.objects.filter(file_name="indicateurs-demo.csv").exists():
            services.import_indicators(
                content=indicator_csv(today),
                file_name="indicateurs-demo.csv",
                actor=actor,
                today=today,
            )
        start = months_until(today)[0]
        for slug, code, value in TARGETS:
            services.set_target(
                service_id=found[slug].pk,
                indicator=code,
                value=value,
                valid_from=start,
                note=f"Objectif fixé par la Ville. {FICTIONAL}",
                actor=actor,
            )
        requests = _requests(call, today, actor)
        evaluations = _evaluations(call, found, today)
    return {
        "services": len(found),
        "values": sum(s.values.count() for s in found.values()),
        "requests": len(requests),
        "evaluations": evaluations,
    }
