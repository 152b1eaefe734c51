"""Nobody judges their own idea: what an idea's page says to an owner who holds a role.

The rule itself is in ``permissions`` (``can_take_transition``, ``withheld_as_owner``,
``can_assign_reviewers``, ``can_review``) and the services refuse a crafted POST;
this tells the owner why a step their role would allow is not offered, and who
must take it instead.
"""

from __future__ import annotations

from harrow_innovation.people.models import User
from harrow_innovation.people.roles import SECRETARY_WORK

from . import permissions
from .models import Idea, Transition


def own_idea_notes(*, idea: Idea, user: User, withheld: list[Transition]) -> list[str]:
    """One sentence per step the user's role would allow here but their ownership rules out.

    ``withheld``: the moves ``services.move_options`` found withheld (Board decisions,
    moves with an outcome, are explained on the Board's pages).
    """
    if idea.stage.is_final or not permissions.is_owner(user, idea):
        return []
    notes = []
    if permissions.assigns_reviewers_but_owns(user, idea):
        notes.append(permissions.own_idea_refusal("assign reviewers to this idea", SECRETARY_WORK))
    for transition in withheld:
        notes.append(
            permissions.own_idea_refusal(f"take the step “{transition.label}” on this idea", transition.allowed_roles)
        )
    return notes
