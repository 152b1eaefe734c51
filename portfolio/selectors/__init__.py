"""Reads for the portfolio pages: aggregates done in the database.

Every idea queryset starts from ``ideas.selectors.visible_ideas(user)``, so a
confidential idea never reaches a total, a chart or an export for someone who
may not see it. Each page costs a fixed number of queries whatever the data
size: totals come from GROUP BY queries and annotations, lists are paginated.

On PostgreSQL the central systems, data flows, register count and dashboards
read the totals kept by triggers (``portfolio.totals``), so their cost does not
grow with the number of ideas; ``counted=True`` adds up the rows instead
(SQLite, and the fresh counts tests/portfolio/test_totals.py compares them with).

One module per page family: ``common`` (visibility, approved stages, money), ``systems``,
``data``, ``priorities``, ``delivery`` and ``dashboards``. This package re-exports the public names.
"""

from .common import (
    APPROVING_OUTCOMES,
    DEFAULT_STALLED_DAYS,
    LONG_TEXT,
    LONG_TEXT_OF_IDEA,
    MONEY,
    ZERO,
    approved_stage_ids,
    portfolio_ideas,
    stalled_after_days,
    total_cost_expression,
    update_every_days,
)
from .dashboards import (
    DashboardFilters,
    approved_cost_and_benefit,
    decisions_by_outcome,
    ideas_per_department_month,
    ideas_per_stage,
    median_days_in_stage,
    median_days_in_stage_kept,
    stages_in_order,
    submitted_in_period,
)
from .data import (
    FlowMatrix,
    data_flow_matrix,
    data_for_department,
    data_output_count,
    data_outputs,
    data_sources_for_department,
)
from .delivery import (
    delivery_ideas,
    delivery_totals,
    delivery_updates_due_from,
    idea_for_delivery,
    ideas_owned_in_delivery,
)
from .priorities import (
    PriorityFilters,
    ready_for_board,
)
from .systems import (
    DEFAULT_SYSTEM_SORT,
    SYSTEM_SORTS,
    Load,
    StageGroup,
    SystemLoad,
    system_links,
    system_loads,
    system_stage_summary,
)

__all__ = [
    "data_output_count",
    "APPROVING_OUTCOMES",
    "DEFAULT_STALLED_DAYS",
    "DEFAULT_SYSTEM_SORT",
    "DashboardFilters",
    "FlowMatrix",
    "LONG_TEXT",
    "LONG_TEXT_OF_IDEA",
    "Load",
    "MONEY",
    "PriorityFilters",
    "SYSTEM_SORTS",
    "StageGroup",
    "SystemLoad",
    "ZERO",
    "approved_cost_and_benefit",
    "approved_stage_ids",
    "data_flow_matrix",
    "data_for_department",
    "data_outputs",
    "data_sources_for_department",
    "decisions_by_outcome",
    "delivery_ideas",
    "delivery_totals",
    "delivery_updates_due_from",
    "idea_for_delivery",
    "ideas_owned_in_delivery",
    "ideas_per_department_month",
    "ideas_per_stage",
    "median_days_in_stage",
    "median_days_in_stage_kept",
    "submitted_in_period",
    "portfolio_ideas",
    "ready_for_board",
    "stages_in_order",
    "stalled_after_days",
    "system_links",
    "system_loads",
    "system_stage_summary",
    "total_cost_expression",
    "update_every_days",
]
