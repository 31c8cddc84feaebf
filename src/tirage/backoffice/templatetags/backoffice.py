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
