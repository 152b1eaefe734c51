"""Data outputs: what ideas produce, for which departments, and the flow between departments."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
)

from harrow_innovation.people.models import Department, User
from ideas.models import (
    DataOutput,
)

from .. import totals
from .common import LONG_TEXT_OF_IDEA, portfolio_ideas


def data_outputs(*, user: User, q: str = "", department_id: int | None = None,
                 producer_id: int | None = None) -> QuerySet[DataOutput]:
    """The data-output register: outputs of ideas the user may see, with who would value them.

    Visibility as a correlated EXISTS rather than ``idea__in``: PostgreSQL then walks
    the outputs in page order (index ``dataoutput_description``) checking each idea,
    and stops at the page, instead of first listing every idea the user may see.
    """
    qs = DataOutput.objects.filter(Exists(portfolio_ideas(user=user).filter(pk=OuterRef("idea_id"))))
    if q:
        qs = qs.filter(Q(description__icontains=q) | Q(idea__title__icontains=q))
    if department_id:
        qs = qs.filter(
            Exists(DataOutput.valued_by.through.objects.filter(dataoutput_id=OuterRef("pk"), department_id=department_id))
        )
    if producer_id:
        qs = qs.filter(idea__department_id=producer_id)
    return (
        qs.select_related("idea", "idea__stage", "idea__department")
        .defer(*LONG_TEXT_OF_IDEA)
        .prefetch_related("valued_by")
        .order_by("description", "pk")
    )


def data_output_count(*, user: User, q: str = "", department_id: int | None = None,
                      producer_id: int | None = None) -> int | None:
    """How many outputs the register lists, from the kept totals when only the producer is chosen; else None (count rows)."""
    if q or department_id or not totals.available():
        return None
    return totals.output_count(totals.Viewer.of(user), producer_id=producer_id)


def data_for_department(*, user: User, department: Department) -> QuerySet[DataOutput]:
    """Data a department could receive: outputs it would value, and the ideas that would produce them."""
    return data_outputs(user=user, department_id=department.pk).order_by("idea__department__name", "description", "pk")


def data_sources_for_department(*, user: User, department: Department, counted: bool = False) -> list[dict]:
    """How many outputs a department would value, per producing department (one query)."""
    if totals.available() and not counted:
        rows = [
            {"dataoutput__idea__department_id": producer, "dataoutput__idea__department__name": name,
             "outputs": outputs, "ideas": ideas}
            for producer, name, _, outputs, ideas in totals.flows(totals.Viewer.of(user), receiver_id=department.pk)
        ]
        return sorted(rows, key=lambda r: (r["dataoutput__idea__department__name"] is None,
                                           r["dataoutput__idea__department__name"] or ""))
    through = DataOutput.valued_by.through
    return list(
        through.objects.filter(department=department, dataoutput__idea__in=portfolio_ideas(user=user).values("pk"))
        .values("dataoutput__idea__department_id", "dataoutput__idea__department__name")
        .annotate(outputs=Count("pk"), ideas=Count("dataoutput__idea", distinct=True))
        .order_by("dataoutput__idea__department__name")
    )


@dataclass
class FlowMatrix:
    producers: list[Department | None]
    receivers: list[Department]
    counts: dict[tuple[int | None, int], int]

    def rows(self) -> list[tuple[Department | None, list[int], int]]:
        out = []
        for producer in self.producers:
            key = producer.pk if producer else None
            cells = [self.counts.get((key, r.pk), 0) for r in self.receivers]
            out.append((producer, cells, sum(cells)))
        return out

    def column_totals(self) -> list[int]:
        return [sum(self.counts.get((p.pk if p else None, r.pk), 0) for p in self.producers) for r in self.receivers]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def data_flow_matrix(*, user: User, counted: bool = False) -> FlowMatrix:
    """Producer department (the idea's department) × valuing department: how many data outputs flow (two queries)."""
    if totals.available() and not counted:
        counts = {(producer, receiver): outputs
                  for producer, _, receiver, outputs, _ in totals.flows(totals.Viewer.of(user))}
    else:
        through = DataOutput.valued_by.through
        rows = (
            through.objects.filter(dataoutput__idea__in=portfolio_ideas(user=user).values("pk"))
            .values("dataoutput__idea__department_id", "department_id")
            .annotate(n=Count("pk"))
        )
        counts = {(row["dataoutput__idea__department_id"], row["department_id"]): row["n"] for row in rows}
    departments = list(Department.objects.order_by("name"))
    used_producers = {p for p, _ in counts}
    used_receivers = {r for _, r in counts}
    producers: list[Department | None] = [d for d in departments if d.is_active or d.pk in used_producers]
    if None in used_producers:
        producers.append(None)
    receivers = [d for d in departments if d.is_active or d.pk in used_receivers]
    return FlowMatrix(producers=producers, receivers=receivers, counts=counts)
