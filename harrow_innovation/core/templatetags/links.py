"""Links drawn on every page (header, navigation, footer, fixed buttons)."""

from django import template

from harrow_innovation.core.navigation import url_for

register = template.Library()


@register.simple_tag
def fixed_url(url_name: str) -> str:
    """``{% url %}`` for a link without arguments, reversed once rather than on every page."""
    return url_for(url_name)
