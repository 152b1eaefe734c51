"""`{{ amount|money }}` and `{{ amount|money:"Not given" }}`: the one money formatter, for templates."""

from django import template

from harrow_innovation.core.money import format_money

register = template.Library()


@register.filter
def money(value, missing: str = "") -> str:
    return format_money(value, missing=missing)
