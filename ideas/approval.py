"""Which stages hold approved ideas: one rule, read by portfolio figures, the capacity view and Board papers."""

from __future__ import annotations

from .models import Outcome, StageKind, Transition

APPROVING_OUTCOMES = (Outcome.APPROVE, Outcome.APPROVE_WITH_CONDITIONS)


def approved_stage_ids() -> set[int]:
    """Stages approved ideas are in, read from the admin-configured workflow (one query).

    The targets of transitions that carry an approving Board decision, and every
    delivery or closed stage reached onward from them (In delivery, Delivered).
    """
    rows = list(Transition.objects.values_list("source_id", "target_id", "outcome", "target__kind"))
    approved = {target for _, target, outcome, _ in rows if outcome in APPROVING_OUTCOMES}
    grew = True
    while grew:
        grew = False
        for source, target, _, kind in rows:
            onward = source in approved and target not in approved and kind in (StageKind.DELIVERY, StageKind.CLOSED)
            if onward:
                approved.add(target)
                grew = True
    return approved
