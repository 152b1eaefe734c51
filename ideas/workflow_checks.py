"""Warnings for a workflow that admins configure as rows: stages with no way out, stages no idea can reach.

Nothing here refuses a change: an admin may be halfway through building a workflow. The
admin pages show these after each save and on the workflow's page until they are fixed.
"""

from __future__ import annotations

from .models import Stage, Transition

MERGED_STAGE_SLUG = "merged"  # ideas.services.merging moves merged duplicates there, without a transition


def workflow_problems(workflow_id: int) -> list[str]:
    """What is wrong with the workflow's shape, one sentence each (two queries)."""
    stages = list(Stage.objects.filter(workflow_id=workflow_id).order_by("order", "pk"))
    if not stages:
        return []
    moves = list(Transition.objects.filter(workflow_id=workflow_id).values_list("source_id", "target_id"))
    by_pk = {stage.pk: stage for stage in stages}

    def targets_from(stage: Stage) -> set[int]:
        # A move with no source applies from any open stage but its own target (Transition.applies_from).
        out = {target for source, target in moves if source == stage.pk}
        if not stage.is_final:
            out |= {target for source, target in moves if source is None and target != stage.pk}
        return out

    problems = [
        f"“{stage.name}” is not a final stage but has no way out: ideas that reach it would be stuck there. "
        "Add a transition from it, or tick “Is final”."
        for stage in stages
        if not stage.is_final and not targets_from(stage)
    ]
    start = next((stage for stage in stages if stage.is_initial), None)
    if start is None:
        return [*problems, "The workflow has no initial stage: tick “Is initial” on the stage new ideas start in."]
    reached, waiting = {start.pk}, [start]
    while waiting:
        stage = waiting.pop()
        for target in targets_from(stage) - reached:
            if target in by_pk:  # a target in another workflow leads nowhere in this one
                reached.add(target)
                waiting.append(by_pk[target])
    problems += [
        f"“{stage.name}” cannot be reached from “{start.name}”, where the workflow starts: no chain of transitions "
        "leads there, so no idea will ever get to it."
        for stage in stages
        if stage.pk not in reached and stage.slug != MERGED_STAGE_SLUG  # reached by a merge, not a transition
    ]
    return problems
