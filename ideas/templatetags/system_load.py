"""The idea page's and review page's shared-system load, drawn by one tag so each page changes by one line.

It depends on other ideas and on who is looking (the ideas they may see), so it is never part of the idea
page's cached record. One or two queries on PostgreSQL whatever the data (``ideas.system_load``).
"""

from __future__ import annotations

from django import template

from ..idea_page import has
from ..system_load import loads_for_idea, loads_from_links

register = template.Library()


def _lines(idea, user):
    if not has(idea, "system_links"):  # no central systems: nothing to read (``idea_page.has``)
        return []
    # Where the page has the idea's links already (the review page; the idea page when it renders its record),
    # one query reads the load; otherwise a second reads the links.
    if "system_links" in getattr(idea, "_prefetched_objects_cache", {}):
        return loads_from_links(idea=idea, links=list(idea.system_links.all()), user=user)
    return loads_for_idea(idea=idea, user=user)


@register.inclusion_tag("ideas/includes/system_load_section.html", takes_context=True)
def system_load_section(context, idea, heading: str = "h2") -> dict:
    return {
        "idea": idea,
        "lines": _lines(idea, context["request"].user),
        "heading": heading,
        "scope": "Only ideas you can see are counted.",
    }
