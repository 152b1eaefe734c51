"""Formatting for the portfolio pages: scores, days and links to ideas.

Money is written by the one formatter, ``{% load money %}{{ amount|money:"–" }}`` (core.money).
"""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.urls import reverse

from ..permissions import can_view_portfolio

register = template.Library()


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


@register.filter
def reads_portfolio(user) -> bool:
    """Whether breadcrumbs may lead to the portfolio overview (the data pages are open to all staff)."""
    return can_view_portfolio(user)


@register.inclusion_tag("portfolio/includes/idea_link.html")
def idea_link(idea, text: str = "") -> dict:
    return {"url": reverse("ideas:detail", kwargs={"pk": idea.pk}), "text": text or idea.title, "reference": f"IDEA-{idea.pk:05d}"}
