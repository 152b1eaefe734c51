"""Forms for Board pages. They check what was typed; the rules live in board.services.

One module per concern (meetings, agenda, attendance, decisions, actions, minutes; ``fields`` holds
what they share). This package re-exports them, so ``from board import forms; forms.MeetingForm`` works.
"""

from .actions import (
    ActionForm,
    ActionStatusForm,
)
from .agenda import (
    AddIdeaForm,
    ItemForm,
    MoveForm,
)
from .attendance import (
    YES_NO,
    ApologiesForm,
    AttendanceForm,
    DeclarationForm,
)
from .decisions import (
    OUTCOME_CHOICES,
    DecisionForm,
    DecisionSearchForm,
)
from .fields import (
    TIME_RE,
    GovDateField,
    PresenterFields,
    parse_time,
)
from .meetings import (
    MeetingForm,
)
from .minutes import (
    MinutesApproveForm,
    MinutesForm,
)

__all__ = [
    "ActionForm",
    "ActionStatusForm",
    "AddIdeaForm",
    "ApologiesForm",
    "AttendanceForm",
    "DecisionForm",
    "DecisionSearchForm",
    "DeclarationForm",
    "GovDateField",
    "ItemForm",
    "MeetingForm",
    "MinutesApproveForm",
    "MinutesForm",
    "MoveForm",
    "OUTCOME_CHOICES",
    "PresenterFields",
    "TIME_RE",
    "YES_NO",
    "parse_time",
]
