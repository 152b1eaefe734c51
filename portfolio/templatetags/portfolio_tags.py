"""Formatting for the portfolio pages: money, scores and links that may not exist yet."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()


@register.filter
def money(value) -> str:
    """£12,345 (pence only when there are any); a dash for no figure."""
    if value is None or value == "":
        return "–"
    amount = Decimal(value)
    text = f"{abs(amount):,.2f}"
    if text.endswith(".00"):
        text = text[:-3]
    return f"-£{text}" if amount < 0 else f"£{text}"


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
