"""Tags for the page chrome (header, navigation, footer) drawn on every page."""

from django import template

from harrow_innovation.core.navigation import url_for

register = template.Library()


@register.simple_tag
def chrome_url(url_name: str) -> str:
    """``{% url %}`` for an argument-free link in the chrome, reversed once rather than on every page."""
    return url_for(url_name)
