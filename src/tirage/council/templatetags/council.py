from django import template
from django.utils import timezone

from tirage.council.models import Member
from tirage.council.services.replacements import public_replacements

register = template.Library()


@register.inclusion_tag("council/_replacements.html")
def replacements_of(draw):
    """The public list of replacements of ``draw`` (receipt codes only)."""
    return {"replacements": public_replacements(draw) if draw else []}


@register.simple_tag
def members_in_office(call) -> int:
    """How many members of ``call``'s council are in office today (0: not installed yet)."""
    if call is None:
        return 0
    return (
        Member.objects.in_office(timezone.localdate())
        .filter(call__council_name=call.council_name, call__city_name=call.city_name)
        .count()
    )
