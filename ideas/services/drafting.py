"""Drafting an idea: creating it, changing its answers, and its lists (central systems, data
outputs, co-owners, attachments)."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import Sum

import notifications
from harrow_innovation.people.models import Department, User

from .. import overlaps_kept
from ..attachments import AttachmentError, inspect_upload
from ..models import (
    Attachment,
    CentralSystem,
    DataOutput,
    EventKind,
    Idea,
    IdeaCentralSystem,
    Workflow,
)
from .common import WorkflowError, _event, _lock, _require_editable
from .resources import asks_outside

# Answers the overlaps lookup weighs (ideas.overlaps): changing one works the idea's kept overlaps out again.
OVERLAP_FIELDS = frozenset({"title", "problem", "services", "departments"})


def _refuse_dates_leaving_asks(idea: Idea) -> None:
    outside = asks_outside(idea)
    if outside:
        raise WorkflowError("Days are asked of teams in quarters the new dates leave out. Change or remove those "
                            "asks on the resources page first, or keep dates that cover them.")


@transaction.atomic
def idea_create(*, by: User, title: str, problem: str = "", workflow: Workflow | None = None) -> Idea:
    """Start a draft idea owned by ``by``."""
    workflow = workflow or Workflow.objects.get(is_default=True)
    stage = workflow.initial_stage()
    idea = Idea.objects.create(
        title=title.strip(),
        problem=problem.strip(),
        owner=by,
        department=by.department,
        workflow=workflow,
        stage=stage,
    )
    if by.department_id:
        idea.departments.add(by.department_id)
    _event(idea, EventKind.CREATED, by, f"{by} started a draft")
    return idea


EDITABLE_FIELDS = {
    "title", "problem", "solution", "services", "source", "source_detail", "cash_savings_per_year",
    "other_benefits", "one_off_cost", "recurring_cost", "timescale", "start_date", "end_date", "risks",
    "future_proofing", "is_confidential",
}


@transaction.atomic
def idea_update(*, idea_id: int, by: User, departments: list[Department] | None = None, **changes) -> Idea:
    """Change an idea's answers. Records which answers changed in the timeline."""
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    idea = _lock(idea_id)
    _require_editable(idea, by)
    changed = [f for f, value in changes.items() if getattr(idea, f) != value]
    for field in changed:
        setattr(idea, field, changes[field])
    start, end = idea.start_date, idea.end_date
    if start and end and end < start:
        raise WorkflowError("The end date must be the same as or after the start date.")
    if {"start_date", "end_date"} & set(changed):
        _refuse_dates_leaving_asks(idea)
    if changed:
        idea._change_reason = ("Edited " + ", ".join(changed))[:100]
        idea.save()
    if departments is not None:
        before = set(idea.departments.values_list("pk", flat=True))
        after = {d.pk for d in departments}
        if before != after:
            idea.departments.set(departments)
            changed.append("departments")
    if changed and not idea.stage.is_draft:
        labels = ", ".join(Idea._meta.get_field(f).verbose_name for f in changed)
        _event(idea, EventKind.EDITED, by, f"{by} changed {labels}")
        if set(changed) & OVERLAP_FIELDS:
            overlaps_kept.enqueue_refresh(idea)
        if "is_confidential" in changed and not idea.is_confidential:
            # Now all staff may see it: data contacts and the owners of data it needs who could not are told.
            notifications.publish("ideas.data_valued", idea_id=idea.pk)
            notifications.publish("ideas.data_needed", idea_id=idea.pk)
    return idea


def _refresh_integration_cost(idea: Idea) -> None:
    total = idea.system_links.aggregate(total=Sum("integration_cost"))["total"] or Decimal("0")
    Idea.objects.filter(pk=idea.pk).update(integration_cost=total)


@transaction.atomic
def system_link_set(
    *, idea_id: int, by: User, system: CentralSystem, integration_note: str, integration_cost: Decimal
) -> IdeaCentralSystem:
    """Add a central system to an idea, or update its note and cost."""
    idea = _lock(idea_id)
    _require_editable(idea, by)
    if integration_cost is None or integration_cost < 0:
        raise WorkflowError("Enter an integration cost of £0 or more.")
    link, created = IdeaCentralSystem.objects.update_or_create(
        idea=idea, system=system, defaults={"integration_note": integration_note, "integration_cost": integration_cost}
    )
    _refresh_integration_cost(idea)
    if not idea.stage.is_draft:
        _event(idea, EventKind.EDITED, by, f"{by} {'added' if created else 'changed'} central system {system}")
        if created:
            overlaps_kept.enqueue_refresh(idea)
    return link


@transaction.atomic
def system_link_remove(*, idea_id: int, by: User, link_id: int) -> None:
    idea = _lock(idea_id)
    _require_editable(idea, by)
    deleted, _ = IdeaCentralSystem.objects.filter(idea=idea, pk=link_id).delete()
    if deleted:
        _refresh_integration_cost(idea)
        overlaps_kept.enqueue_refresh(idea)


@transaction.atomic
def data_output_add(*, idea_id: int, by: User, description: str, valued_by: list[Department]) -> DataOutput:
    idea = _lock(idea_id)
    _require_editable(idea, by)
    output = DataOutput.objects.create(idea=idea, description=description.strip())
    output.valued_by.set(valued_by)
    if valued_by and not idea.stage.is_draft:
        # Drafts are told about when submitted (idea_move), not on every change while drafting.
        notifications.publish("ideas.data_valued", idea_id=idea.pk, output_id=output.pk)
    overlaps_kept.enqueue_refresh(idea)
    return output


@transaction.atomic
def data_output_remove(*, idea_id: int, by: User, output_id: int) -> None:
    idea = _lock(idea_id)
    _require_editable(idea, by)
    if DataOutput.objects.filter(idea=idea, pk=output_id).delete()[0]:
        overlaps_kept.enqueue_refresh(idea)


@transaction.atomic
def co_owner_add(*, idea_id: int, by: User, user: User) -> None:
    idea = _lock(idea_id)
    _require_editable(idea, by)
    if user.pk == idea.owner_id:
        raise WorkflowError(f"{user} already owns this idea.")
    if not user.is_active:
        raise WorkflowError(f"{user}'s account is closed.")
    idea.co_owners.add(user)
    _event(idea, EventKind.EDITED, by, f"{by} added {user} as a co-owner")


@transaction.atomic
def co_owner_remove(*, idea_id: int, by: User, user: User) -> None:
    idea = _lock(idea_id)
    _require_editable(idea, by)
    idea.co_owners.remove(user)
    _event(idea, EventKind.EDITED, by, f"{by} removed {user} as a co-owner")


@transaction.atomic
def attachment_add(*, idea_id: int, by: User, upload) -> Attachment:
    """Store an upload after checking its real type by content and its size."""
    idea = _lock(idea_id)
    _require_editable(idea, by)
    try:
        kind = inspect_upload(upload)
    except AttachmentError as exc:
        raise WorkflowError(str(exc)) from None
    original = (upload.name or "attachment").replace("/", "_").replace("\\", "_")[-200:]
    attachment = Attachment(idea=idea, original_name=original, kind=kind, size=upload.size, uploaded_by=by)
    attachment.file.save("upload", upload, save=False)
    attachment.save()
    _event(idea, EventKind.ATTACHMENT, by, f"{by} attached {original}")
    return attachment


@transaction.atomic
def attachment_remove(*, idea_id: int, by: User, attachment_id: int) -> None:
    """Hide an attachment from the idea. The file is kept for the history."""
    idea = _lock(idea_id)
    _require_editable(idea, by)
    updated = Attachment.objects.filter(idea=idea, pk=attachment_id, is_removed=False).update(is_removed=True)
    if updated:
        _event(idea, EventKind.ATTACHMENT, by, f"{by} removed an attachment")
