"""Formatting for the portfolio pages: money, scores and links that may not exist yet."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.urls import NoReverseMatch, reverse

from harrow_innovation.core.money import format_money

register = template.Library()


@register.filter
def money(value) -> str:
    """The one money formatter under the name the portfolio templates use; a dash for no figure."""
    return format_money(value, missing="–")


@register.filter
def score(value) -> str:
    if value is None:
        return "Not scored"
    return f"{Decimal(value):.2f}"


@register.filter
def days(value) -> str:
    if value is None:
        return "–"
    return f"{float(value):,.1f}"


def idea_url(idea_pk: int) -> str | None:
    """The idea's own page when the ideas app provides one."""
    try:
        return reverse("ideas:detail", kwargs={"pk": idea_pk})
    except NoReverseMatch:
        return None


@register.inclusion_tag("portfolio/includes/idea_link.html")
def idea_link(idea, text: str = "") -> dict:
    return {"url": idea_url(idea.pk), "text": text or idea.title, "reference": f"IDEA-{idea.pk:05d}"}
