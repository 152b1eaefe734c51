"""What every portfolio read shares: the ideas a user may see, which stages count as approved,
money expressions and the settings for delivery updates."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db.models import (
    DecimalField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Coalesce

from harrow_innovation.people.models import User
from ideas.approval import APPROVING_OUTCOMES, approved_stage_ids  # noqa: F401 - the rule lives in ideas
from ideas.models import (
    Idea,
    StageKind,
)
from ideas.selectors import visible_ideas

ZERO = Decimal("0")


MONEY = DecimalField(max_digits=16, decimal_places=2)


DEFAULT_STALLED_DAYS = 60


# An idea's long answers: lists never show them, and sorting rows that carry them is slow.
LONG_TEXT = ("problem", "solution", "search_text", "other_benefits", "risks", "future_proofing")


LONG_TEXT_OF_IDEA = tuple(f"idea__{name}" for name in LONG_TEXT)


def update_every_days() -> int:
    """How often owners report on delivery: an update is due this many days after the last (PORTFOLIO_UPDATE_DAYS)."""
    return settings.PORTFOLIO_UPDATE_DAYS


def stalled_after_days() -> int:
    """Days without a delivery update before delivery counts as stalled (setting PORTFOLIO_STALLED_DAYS)."""
    return int(getattr(settings, "PORTFOLIO_STALLED_DAYS", DEFAULT_STALLED_DAYS))


def _money(expression) -> Coalesce:
    return Coalesce(expression, Value(ZERO), output_field=MONEY)


def total_cost_expression():
    """One-off cost + integration cost + one year of recurring cost: what the Board weighs as effort."""
    return ExpressionWrapper(
        _money(F("one_off_cost")) + _money(F("recurring_cost")) + _money(F("integration_cost")), output_field=MONEY
    )


def portfolio_ideas(*, user: User) -> QuerySet[Idea]:
    """Ideas the user may see that have left their draft: what every portfolio figure counts."""
    return visible_ideas(user=user).exclude(stage__kind=StageKind.DRAFT)


def _approved_q(approved_ids: set[int], prefix: str = "") -> Q:
    return Q(**{f"{prefix}stage_id__in": approved_ids or [0]})


def _pipeline_q(approved_ids: set[int], prefix: str = "") -> Q:
    return ~_approved_q(approved_ids, prefix) & Q(**{f"{prefix}stage__is_final": False})
