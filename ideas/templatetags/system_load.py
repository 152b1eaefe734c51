"""The idea page's and review page's shared-system load, drawn by one tag so each page changes by one line.

It depends on other ideas and on who is looking (the ideas they may see), so it is never part of the idea
page's cached record. Two queries on PostgreSQL whatever the data (``ideas.system_load``).
"""

from __future__ import annotations

from django import template

from ..system_load import loads_for_idea

register = template.Library()


@register.inclusion_tag("ideas/includes/system_load_section.html", takes_context=True)
def system_load_section(context, idea, heading: str = "h2") -> dict:
    return {
        "idea": idea,
        "lines": loads_for_idea(idea=idea, user=context["request"].user),
        "heading": heading,
        "scope": "Only ideas you can see are counted.",
    }
