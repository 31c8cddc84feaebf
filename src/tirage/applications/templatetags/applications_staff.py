"""Template filters of the applications' staff pages."""

from __future__ import annotations

from typing import Any

from django import template

from tirage.applications.models import Channel, Status

register = template.Library()

# French words for the keys and values the audit trail stores most often.
_AUDIT_WORDS = {
    "from": "avant",
    "to": "après",
    "channel": "canal",
    "office": "lieu de dépôt",
    "same_as": "identique à",
    "secteur": "secteur",
    "fields": "champs",
}


@register.filter
def audit_details(data: Any) -> str:
    """An audit entry's JSON data as « avant : reçue ; après : recevable » (no raw dict)."""
    if not data:
        return "—"
    if not isinstance(data, dict):
        return str(data)
    labels = {**dict(Status.choices), **dict(Channel.choices)}
    parts = []
    # PostgreSQL's jsonb reorders keys (shortest first): put « avant » before « après ».
    first = [k for k in ("from", "to") if k in data]
    for key, value in [(k, data[k]) for k in first + [k for k in data if k not in first]]:
        if value in (None, "", [], {}):
            continue
        if isinstance(value, list):
            shown = ", ".join(str(labels.get(v, v)) for v in value)
        else:
            shown = str(labels.get(value, value)) if isinstance(value, str) else str(value)
        parts.append(f"{_AUDIT_WORDS.get(key, key)} : {shown}")
    return " ; ".join(parts) or "—"
