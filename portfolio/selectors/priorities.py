"""Prioritising the ideas ready for the Board."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Exists,
    F,
    OuterRef,
    QuerySet,
)

from harrow_innovation.people.models import User
from ideas.models import (
    Idea,
    IdeaCentralSystem,
)

from .common import LONG_TEXT, _money, portfolio_ideas, total_cost_expression


@dataclass
class PriorityFilters:
    department_id: int | None = None
    system_id: int | None = None
    min_score: Decimal | None = None
    scored_only: bool = False


def ready_for_board(*, user: User, filters: PriorityFilters | None = None) -> QuerySet[Idea]:
    """Ideas waiting for the Board, ranked by weighted score, then value for money, with their total cost."""
    filters = filters or PriorityFilters()
    qs = portfolio_ideas(user=user).filter(stage__ready_for_board=True)
    if filters.department_id:
        qs = qs.filter(
            Exists(Idea.departments.through.objects.filter(idea_id=OuterRef("pk"), department_id=filters.department_id))
        )
    if filters.system_id:
        qs = qs.filter(Exists(IdeaCentralSystem.objects.filter(idea_id=OuterRef("pk"), system_id=filters.system_id)))
    if filters.min_score is not None:
        qs = qs.filter(weighted_score__gte=filters.min_score)
    if filters.scored_only:
        qs = qs.filter(weighted_score__isnull=False)
    return (
        qs.annotate(total_cost=total_cost_expression(), savings=_money(F("cash_savings_per_year")))
        .select_related("stage", "department")
        .defer(*LONG_TEXT)
        .order_by(F("weighted_score").desc(nulls_last=True), F("savings").desc(), "total_cost", "pk")
    )
