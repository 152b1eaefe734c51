"""``{{ quarter|quarter }}`` → “April to June 2026”; ``{{ days|days }}`` → “2.5 days”."""

from django import template

from harrow_innovation.core.quarters import days_text, quarter_label

register = template.Library()


@register.filter(name="quarter")
def quarter_filter(value) -> str:
    return quarter_label(value) if value else ""


@register.filter(name="days")
def days_filter(value) -> str:
    return days_text(value) if value is not None else ""
