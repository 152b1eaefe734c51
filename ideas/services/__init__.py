"""Every write to ideas goes through these functions.

State changes lock the idea row, check the state they expect, write the change
and a timeline event, and hand follow-up tasks to Celery only after commit
(through the outbox, so a broker outage loses nothing).

One module per concern: ``common`` (the error, locking, shared checks), ``drafting``,
``workflow``, ``reviews`` and ``conversation``. This package re-exports the public names, so
``from ideas import services; services.idea_move(...)`` keeps working.
"""

from .common import (
    REQUIRED_ANSWERS,
    WorkflowError,
    lock_idea,
    missing_answers,
    timeline_add,
)
from .conversation import (
    comment_add,
    follow_set,
)
from .drafting import (
    EDITABLE_FIELDS,
    attachment_add,
    attachment_remove,
    co_owner_add,
    co_owner_remove,
    data_output_add,
    data_output_remove,
    idea_create,
    idea_update,
    system_link_remove,
    system_link_set,
)
from .joins import (
    idea_link_add,
    idea_link_remove,
    join_request_accept,
    join_request_create,
    join_request_decline,
    lock_ideas,
)
from .merging import idea_merge
from .parking import idea_park
from .resources import (
    external_resource_add,
    external_resource_remove,
    idea_quarters,
    resource_ask_remove,
    resource_ask_set,
)
from .reviews import (
    review_assign,
    review_cancel,
    review_submit,
    weighted_total,
)
from .workflow import (
    MoveOptions,
    TransitionOption,
    guard_failure,
    idea_move,
    idea_submit,
    move_options,
    transitions_for,
)

__all__ = [
    "external_resource_add",
    "external_resource_remove",
    "idea_quarters",
    "resource_ask_remove",
    "resource_ask_set",
    "EDITABLE_FIELDS",
    "MoveOptions",
    "REQUIRED_ANSWERS",
    "TransitionOption",
    "WorkflowError",
    "attachment_add",
    "attachment_remove",
    "co_owner_add",
    "co_owner_remove",
    "comment_add",
    "data_output_add",
    "data_output_remove",
    "follow_set",
    "guard_failure",
    "idea_create",
    "idea_link_add",
    "idea_link_remove",
    "idea_merge",
    "idea_move",
    "idea_park",
    "idea_submit",
    "idea_update",
    "join_request_accept",
    "join_request_create",
    "join_request_decline",
    "lock_idea",
    "lock_ideas",
    "missing_answers",
    "move_options",
    "review_assign",
    "review_cancel",
    "review_submit",
    "system_link_remove",
    "system_link_set",
    "timeline_add",
    "transitions_for",
    "weighted_total",
]
