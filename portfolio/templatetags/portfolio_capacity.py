"""``{% capacity_cells row %}``: one capacity table row's cells, built in Python.

The capacity view can show 200 teams × 8 quarters; drawing 1,600 cells through the template
engine took most of the page's time, so each cell is formatted here (escaped by ``format_html``).
"""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from harrow_innovation.core.quarters import days_text

register = template.Library()

OVER_NOW = '<br><strong class="govuk-tag govuk-tag--red">Over capacity</strong>'
OVER_IF_APPROVED = '<br><strong class="govuk-tag govuk-tag--orange">Over if approved</strong>'


def _cell(cell) -> tuple:
    capacity = "none declared" if cell.capacity is None else days_text(cell.capacity)
    flag = OVER_NOW if cell.over_now else OVER_IF_APPROVED if cell.over_if_approved else ""
    return days_text(cell.committed), capacity, days_text(cell.if_approved), SafeString(flag)


@register.simple_tag
def capacity_cells(row) -> str:
    return format_html_join(
        "\n", '<td class="govuk-table__cell">{} of {}<br><span class="govuk-body-s">If approved: {}</span>{}</td>',
        (_cell(cell) for cell in row.cells),
    ) or format_html("")
