"""Template tags of the staff shell."""

from __future__ import annotations

from typing import Any

from django import template

from tirage.backoffice.navigation import links_for

register = template.Library()


@register.inclusion_tag("backoffice/_nav.html", takes_context=True)
def staff_nav(context: template.Context) -> dict[str, Any]:
    """The staff menu of the signed-in user (``backoffice.navigation``)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    links = links_for(user, match.view_name if match else "") if user is not None else []
    return {"links": links, "user": user, "request": request}
