"""Forms for drafting an idea: one form per question page.

Forms only check what was typed and turn it into values; every write goes
through ``ideas.services`` (the views call them). Error messages follow the
GOV.UK Design System: say what is wrong and how to put it right.

One module per concern: ``fields`` (shared fields), ``questions`` (one form per question page) and
``items`` (forms that add to a list), ``resources`` (staff time and partners). This package re-exports them.
"""

from .fields import (
    MONEY_TEMPLATE,
    GovDateField,
    MoneyField,
    gds_helper,
    money_for_input,
)
from .items import (
    AttachmentForm,
    CoOwnerForm,
    DataOutputForm,
    ItemForm,
    SystemLinkForm,
)
from .questions import (
    AboutForm,
    BusinessCaseForm,
    ConfidentialityForm,
    DraftForm,
    NewIdeaForm,
    RisksForm,
    WhoForm,
)
from .resources import ExternalResourceForm, ResourceAskForm, days_field_name

__all__ = [
    "AboutForm",
    "AttachmentForm",
    "BusinessCaseForm",
    "CoOwnerForm",
    "ConfidentialityForm",
    "DataOutputForm",
    "DraftForm",
    "GovDateField",
    "ItemForm",
    "MONEY_TEMPLATE",
    "MoneyField",
    "NewIdeaForm",
    "ExternalResourceForm",
    "ResourceAskForm",
    "RisksForm",
    "SystemLinkForm",
    "WhoForm",
    "days_field_name",
    "gds_helper",
    "money_for_input",
]
