"""The idea page's data-needs section, drawn by one tag so the page's view and template change by one line.

Per viewer (what they may see, whether they may edit): never cache it with the page's shared fragments.
"""

from __future__ import annotations

from django import template

from ..data_needs import data_needs_of, dependants_on
from ..idea_page import has
from ..permissions import can_manage_data_needs

register = template.Library()


@register.inclusion_tag("ideas/includes/data_needs_section.html", takes_context=True)
def data_needs_section(context, idea) -> dict:
    user = context["request"].user
    return {
        "idea": idea,
        # No query for a list the idea has no rows in (``idea_page.has``).
        "needs": data_needs_of(user=user, idea=idea) if has(idea, "data_needs") else [],
        "dependants": dependants_on(user=user, idea=idea) if has(idea, "dependants") else [],
        "can_manage": can_manage_data_needs(user, idea),
    }
