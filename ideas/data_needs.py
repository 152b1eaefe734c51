"""Reads for data needs: what an idea needs from other ideas' data, and who depends on its data.

Both lists show only ideas the reader may see (``visible_ideas``): a confidential idea depending on
a platform is not revealed on the platform's page, nor a platform that has since become confidential.
"""

from __future__ import annotations

import re

from django.db.models import QuerySet

from harrow_innovation.people.models import User

from .models import DataDependency, Idea
from .selectors import visible_ideas


def data_needs_of(*, user: User, idea: Idea) -> QuerySet[DataDependency]:
    """The data outputs ``idea`` depends on, from ideas ``user`` may see (one query)."""
    return (
        DataDependency.objects.filter(idea=idea, output__idea__in=visible_ideas(user=user).values("pk"))
        .select_related("output", "output__idea", "output__idea__stage", "output__idea__owner")
        .defer(*(f"output__idea__{name}" for name in LONG_TEXT))
        .order_by("output__idea__title", "pk")
    )


def dependants_on(*, user: User, idea: Idea) -> QuerySet[DataDependency]:
    """Who depends on ``idea``'s data outputs and what they need, from ideas ``user`` may see (one query)."""
    return (
        DataDependency.objects.filter(output__idea=idea, idea__in=visible_ideas(user=user).values("pk"))
        .select_related("output", "idea", "idea__stage", "idea__owner", "idea__department")
        .defer(*(f"idea__{name}" for name in LONG_TEXT))
        .order_by("output__description", "idea__title", "pk")
    )


# Lists never show an idea's long answers.
LONG_TEXT = ("problem", "solution", "search_text", "other_benefits", "risks", "future_proofing")


REFERENCE = re.compile(r"^\s*(?:IDEA-)?0*(\d{1,9})\s*$", re.IGNORECASE)


def idea_by_reference(*, user: User, reference: str) -> Idea | None:
    """The idea a reference names ("IDEA-00042" or "42") with its data outputs, if ``user`` may see it."""
    match = REFERENCE.match(reference or "")
    if not match:
        return None
    return (
        visible_ideas(user=user).select_related("stage", "owner").prefetch_related("data_outputs")
        .filter(pk=int(match.group(1))).first()
    )
