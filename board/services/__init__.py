"""Every write to Board business goes through these functions.

Each state change locks the meeting (or item) row, checks the state it
expects, writes the change and an audit row (``MeetingLog``), and leaves
follow-up work (pack builds) to Celery after commit through the outbox.
Refusals raise ``BoardError`` with a message for the user; nothing is changed
when one is raised, because every service runs in one transaction.

Decisions move ideas through the same workflow engine as everything else
(``ideas.services.idea_move``), so the idea's history and timeline stay whole.

The functions live in one module per concern (meetings, agenda, attendance, decisions, actions,
minutes, parked ideas; ``common`` holds the error and the shared locking helpers). This package
re-exports the public names, so ``from board import services; services.meeting_schedule(...)`` works.
"""

from .actions import (
    action_create,
    action_set_status,
    action_update,
)
from .agenda import (
    agenda_add_free,
    agenda_add_idea,
    agenda_item_move,
    agenda_item_remove,
    agenda_item_update,
)
from .attendance import (
    apologies_send,
    apologies_withdraw,
    attendance_record,
    attendance_rows,
    declaration_make,
)
from .common import (
    AGENDA_OPEN,
    IN_SESSION,
    BoardError,
)
from .decisions import (
    Resources,
    decision_record,
    decision_summary,
    decision_transition,
)
from .meetings import (
    MEETING_FIELDS,
    meeting_mark_held,
    meeting_publish_agenda,
    meeting_schedule,
    meeting_update,
)
from .minutes import (
    meetings_for_minutes_approval,
    minutes_approve,
    minutes_compose,
    minutes_draft,
    minutes_store_pdf,
    minutes_update,
)
from .parked import (
    parked_ideas_due,
    parked_ideas_return,
)

__all__ = [
    "AGENDA_OPEN",
    "BoardError",
    "IN_SESSION",
    "MEETING_FIELDS",
    "Resources",
    "action_create",
    "action_set_status",
    "action_update",
    "agenda_add_free",
    "agenda_add_idea",
    "agenda_item_move",
    "agenda_item_remove",
    "agenda_item_update",
    "apologies_send",
    "apologies_withdraw",
    "attendance_record",
    "attendance_rows",
    "decision_record",
    "decision_summary",
    "decision_transition",
    "declaration_make",
    "meeting_mark_held",
    "meeting_publish_agenda",
    "meeting_schedule",
    "meeting_update",
    "meetings_for_minutes_approval",
    "minutes_approve",
    "minutes_compose",
    "minutes_draft",
    "minutes_store_pdf",
    "minutes_update",
    "parked_ideas_due",
    "parked_ideas_return",
]
