"""Data coming a department's way: outputs it values from ideas still on their way (not closed).

Kept apart from ``data`` (the register's internals) so the department page adds one section.
"""

from __future__ import annotations

from django.db.models import QuerySet

from harrow_innovation.people.models import Department, User
from ideas.models import DataOutput

from .common import LONG_TEXT_OF_IDEA, portfolio_ideas

# The section lists the nearest outputs; the register filtered by the department lists them all.
COMING_SHOWN = 25


def data_coming_to_department(*, user: User, department: Department) -> QuerySet[DataOutput]:
    """Outputs ``department`` values from open ideas the user may see, furthest along first, with idea, stage, owner."""
    return (
        DataOutput.objects.filter(
            idea__in=portfolio_ideas(user=user).exclude(stage__is_final=True).values("pk"),
            valued_by=department,
        )
        .select_related("idea", "idea__stage", "idea__owner", "idea__department")
        .defer(*LONG_TEXT_OF_IDEA)
        .order_by("-idea__stage__order", "idea__title", "pk")
    )


def data_contacts(*, department: Department) -> QuerySet[User]:
    """The people told about data the department values (admin-managed), active accounts only."""
    return department.data_contacts.filter(is_active=True).order_by("full_name")
