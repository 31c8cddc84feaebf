"""Template tags of the staff pages."""

from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()


@register.simple_tag
def url_or(name: str, fallback: str) -> str:
    """``reverse(name)``, or ``fallback`` while the page's app is not installed yet."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return fallback


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
def audit_details(data) -> str:
    """An audit entry's JSON data as « avant : reçue ; après : recevable » (no raw dict)."""
    from tirage.applications.models import Channel, Status

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
