"""Load a call from a TOML file (see ``data/roubaix-cln-2025.toml``).

Loading is idempotent: the call is found by ``slug`` and updated in place, its
features and quotas replaced, so running it twice creates nothing twice.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from django.db import transaction

from tirage.calls.models import PARIS, Call, Feature, FeatureValue, Office

ROUBAIX_2025 = "roubaix-cln-2025.toml"


class CallFileError(ValueError):
    """The call file is invalid; the message names the key and the problem (French)."""


def read_call_file(path: str | Path | None = None) -> dict[str, Any]:
    """Parse a call file (default: the shipped Roubaix 2025 call) into a dict."""
    if path is None:
        text = resources.files("tirage.calls").joinpath("data", ROUBAIX_2025).read_text("utf-8")
    else:
        text = Path(path).read_text("utf-8")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CallFileError(f"Fichier d'appel illisible : {exc}") from exc


def closing_datetime(day: dt.date) -> dt.datetime:
    """23:59:59 on ``day`` in Europe/Paris (aware)."""
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=PARIS)


def _aware(value: Any, key: str) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=PARIS)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time(0, 0), tzinfo=PARIS)
    raise CallFileError(f"« {key} » doit être une date ou une date-heure.")


def _require(data: dict[str, Any], key: str) -> Any:
    if key not in data:
        raise CallFileError(f"Clé obligatoire absente du fichier d'appel : « {key} ».")
    return data[key]


@transaction.atomic
def load_call(data: dict[str, Any], *, shift_days: int = 0) -> Call:
    """Create or update the call described by ``data``.

    ``shift_days`` moves every date of the call (the demo re-dates the past
    2025 call so that it is open today); the original closing date is kept in
    ``redated_from``. Raises ``CallFileError`` on invalid data, leaving the
    database unchanged.
    """
    shift = dt.timedelta(days=shift_days)
    opens_at = _aware(_require(data, "opens_at"), "opens_at")
    if "closes_at" in data:
        closes_at = _aware(data["closes_at"], "closes_at")
        original_closing = closes_at.astimezone(PARIS).date()
    else:
        original_closing = _require(data, "closing_date")
        closes_at = closing_datetime(original_closing)
    draw_date = _require(data, "draw_date")
    age_ref = data.get("age_reference_date")
    if shift_days:
        # Keep wall-clock times in Europe/Paris across a DST change.
        opens_at = dt.datetime.combine(
            opens_at.astimezone(PARIS).date() + shift,
            opens_at.astimezone(PARIS).time(),
            tzinfo=PARIS,
        )
        closes_at = dt.datetime.combine(
            closes_at.astimezone(PARIS).date() + shift,
            closes_at.astimezone(PARIS).time(),
            tzinfo=PARIS,
        )
        draw_date = draw_date + shift
        age_ref = age_ref + shift if age_ref else None

    fields = dict(
        council_name=_require(data, "council_name"),
        city_name=_require(data, "city_name"),
        seats=int(_require(data, "seats")),
        opens_at=opens_at,
        closes_at=closes_at,
        draw_date=draw_date,
        draw_place=data.get("draw_place", ""),
        min_age=int(data.get("min_age", 16)),
        age_reference_date=age_ref,
        communes=list(data.get("communes", [])),
        postcodes=[str(p) for p in data.get("postcodes", [])],
        mandate_months=int(data.get("mandate_months", 24)),
        renewals_allowed=int(data.get("renewals_allowed", 1)),
        contact_email=data.get("contact_email", ""),
        data_controller=data.get("data_controller", ""),
        retention_months=int(data.get("retention_months", 24)),
        redated_from=original_closing if shift_days else None,
    )
    if closes_at <= opens_at:
        raise CallFileError("La clôture doit suivre l'ouverture.")
    call, _ = Call.objects.update_or_create(slug=_require(data, "slug"), defaults=fields)

    offices = []
    for i, item in enumerate(data.get("offices", [])):
        office, _ = Office.objects.update_or_create(
            code=_require(item, "code"),
            defaults={
                "name": _require(item, "name"),
                "address": item.get("address", ""),
                "secteur": item.get("secteur", ""),
                "order": i,
            },
        )
        offices.append(office)
    call.offices.set(offices)

    features = _require(data, "features")
    keep = []
    for i, item in enumerate(features):
        source = _require(item, "source")
        if source not in Feature.Source.values:
            raise CallFileError(
                f"Critère « {item.get('key')} » : origine « {source} » inconnue "
                f"({', '.join(Feature.Source.values)})."
            )
        feature, _ = Feature.objects.update_or_create(
            call=call,
            key=_require(item, "key"),
            defaults={"label": item.get("label", item["key"]), "source": source, "order": i},
        )
        keep.append(feature.pk)
        value_keys = []
        for j, value in enumerate(_require(item, "values")):
            vmin, vmax = int(_require(value, "min")), int(_require(value, "max"))
            if vmin > vmax or vmin < 0:
                raise CallFileError(
                    f"Quota {feature.key}={value.get('key')} : minimum {vmin} > maximum {vmax}."
                    if vmin > vmax
                    else f"Quota {feature.key}={value.get('key')} : minimum négatif."
                )
            FeatureValue.objects.update_or_create(
                feature=feature,
                key=_require(value, "key"),
                defaults={
                    "label": value.get("label", value["key"]),
                    "min": vmin,
                    "max": vmax,
                    "age_min": value.get("age_min"),
                    "age_max": value.get("age_max"),
                    "order": j,
                },
            )
            value_keys.append(value["key"])
        feature.values.exclude(key__in=value_keys).delete()
    call.features.exclude(pk__in=keep).delete()
    return call


def load_call_file(path: str | Path | None = None, *, shift_days: int = 0) -> Call:
    """Read and load a call file (default: the shipped Roubaix 2025 call)."""
    return load_call(read_call_file(path), shift_days=shift_days)
