"""``{{ capacity|flags_for:idea_id }}``: the over-capacity sentences the agenda builder shows for one idea."""

from django import template

register = template.Library()


@register.filter
def flags_for(capacity: dict, idea_id) -> list[str]:
    return capacity.get(idea_id, []) if capacity and idea_id else []
