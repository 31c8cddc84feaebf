from django import template

from tirage.council.services.replacements import public_replacements

register = template.Library()


@register.inclusion_tag("council/_replacements.html")
def replacements_of(draw):
    """The public list of replacements of ``draw`` (receipt codes only)."""
    return {"replacements": public_replacements(draw) if draw else []}
