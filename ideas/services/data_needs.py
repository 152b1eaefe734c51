"""An idea saying it depends on another idea's data output (for example a cross-department data platform)."""

from __future__ import annotations

from django.db import transaction

import notifications
from harrow_innovation.people.models import User

from .. import permissions
from ..models import DataDependency, DataOutput, EventKind
from .common import WorkflowError, _event, _lock

NOT_FOUND = "Choose a data output of an idea you can see. Nothing was changed."


def _require_manager(idea, by: User) -> None:
    if permissions.can_manage_data_needs(by, idea):
        return
    if permissions.is_owner(by, idea):
        raise WorkflowError(f"This idea is closed: it is at “{idea.stage.name}”. Nothing was changed.")
    raise WorkflowError("Only the idea's owners can say what data it needs.")


@transaction.atomic
def data_dependency_add(*, idea_id: int, by: User, output_id: int, need: str) -> DataDependency:
    """Record that the idea needs another idea's data output, and what it needs from it.

    Refused, changing nothing: an output of the idea itself, an output of an idea ``by`` may not
    see (told the same as one that does not exist), the same output twice, and an empty need.
    """
    idea = _lock(idea_id)
    _require_manager(idea, by)
    output = DataOutput.objects.select_related("idea__stage").filter(pk=output_id).first()
    if output is None or not permissions.can_view_idea(by, output.idea):
        raise WorkflowError(NOT_FOUND)
    if output.idea_id == idea.pk:
        raise WorkflowError("An idea cannot depend on its own data output: choose another idea's. Nothing was changed.")
    need = (need or "").strip()
    if not need:
        raise WorkflowError("Say what your idea needs from this data.")
    if DataDependency.objects.filter(idea=idea, output=output).exists():
        raise WorkflowError(f"This idea already depends on “{output.description}”. Nothing was changed.")
    dependency = DataDependency.objects.create(idea=idea, output=output, need=need, added_by=by)
    _event(idea, EventKind.EDITED, by, f"{by} said it depends on “{output.description}” from {output.idea.reference}",
           need)
    if not idea.stage.is_draft:  # a draft's needs are told when it is submitted (idea_move)
        notifications.publish("ideas.data_needed", idea_id=idea.pk, dependency_id=dependency.pk)
    return dependency


@transaction.atomic
def data_dependency_remove(*, idea_id: int, by: User, dependency_id: int) -> None:
    idea = _lock(idea_id)
    _require_manager(idea, by)
    dependency = DataDependency.objects.select_related("output").filter(idea=idea, pk=dependency_id).first()
    if dependency is None:
        raise WorkflowError("That data need has already been removed. Nothing was changed.")
    dependency.delete()
    _event(idea, EventKind.EDITED, by, f"{by} said it no longer depends on “{dependency.output.description}”")
