from django import template

register = template.Library()


@register.simple_tag
def page_range(page) -> list:
    """Page numbers around the current page, with ellipses, for the GOV.UK pagination component."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1))
