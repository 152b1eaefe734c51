"""The default workflow, scoring criteria and central systems register.

Created by ``seed_defaults()`` after migrations (ideas.apps), so every
environment starts with a working workflow. Each part is created only when its
table is empty: once admins have changed or removed rows, nothing comes back.
"""

from __future__ import annotations

from harrow_innovation.people.roles import Role

S = Role.SECRETARY.value

# slug, name, kind, order, initial, final, days, ready_for_board, reviewer_role, owners_may_edit, description
STAGES = [
    ("draft", "Draft", "draft", 10, True, False, None, False, "", True, "Only you and your co-owners can see it."),
    ("submitted", "Submitted", "review", 20, False, False, 5, False, "", False, "Waiting for the Board secretary to pick it up."),
    ("triage", "Triage", "review", 30, False, False, 10, False, "", False, "The secretary checks it and finds reviewers."),
    ("business-case-review", "Business case review", "review", 40, False, False, 14, False, Role.REVIEWER.value, False,
     "Reviewers score it against the Board's criteria."),
    ("more-information", "More information needed", "review", 45, False, False, 14, False, "", True,
     "The owners are asked to add to the idea."),
    ("ready-for-board", "Ready for Board", "board", 50, False, False, 45, True, "", False,
     "Waiting for a place on an Innovation Board agenda."),
    ("approved", "Approved", "decision", 60, False, False, 30, False, "", False, "The Board approved it."),
    ("approved-with-conditions", "Approved with conditions", "decision", 61, False, False, 30, False, "", False,
     "The Board approved it with conditions."),
    ("parked", "Parked", "decision", 62, False, False, None, False, "", False,
     "The Board parked it until a date; it then comes back to the Board's list."),
    ("in-delivery", "In delivery", "delivery", 70, False, False, 90, False, "", False, "Being delivered."),
    ("delivered", "Delivered", "closed", 80, False, True, None, False, "", False, "Delivered."),
    ("rejected", "Rejected", "closed", 90, False, True, None, False, "", False, "Not taken forward."),
    ("withdrawn", "Withdrawn", "closed", 95, False, True, None, False, "", False, "Withdrawn by its owners."),
]

# source (None = any open stage), target, label, roles, owners_may_take, comment_required, guard, outcome
TRANSITIONS = [
    ("draft", "submitted", "Submit idea", [], True, False, "business_case_complete", ""),
    ("submitted", "triage", "Start triage", [S], False, False, "", ""),
    ("triage", "business-case-review", "Send to business case review", [S], False, False, "", ""),
    ("triage", "more-information", "Ask the owners for more information", [S], False, True, "", ""),
    ("triage", "rejected", "Close: not taken forward", [S], False, True, "", ""),
    ("business-case-review", "ready-for-board", "Mark ready for Board", [S], False, False, "all_reviews_complete", ""),
    ("business-case-review", "more-information", "Ask the owners for more information", [S], False, True, "", ""),
    ("more-information", "triage", "Send back for triage", [S], True, False, "business_case_complete", ""),
    ("ready-for-board", "approved", "Approve", [S], False, False, "", "approve"),
    ("ready-for-board", "approved-with-conditions", "Approve with conditions", [S], False, True, "", "approve_with_conditions"),
    ("ready-for-board", "parked", "Park until a date", [S], False, False, "", "park"),
    ("ready-for-board", "rejected", "Reject", [S], False, False, "", "reject"),
    ("ready-for-board", "more-information", "Ask for more information", [S], False, False, "", "more_information"),
    ("parked", "ready-for-board", "Return to the Board's list", [S], False, False, "", ""),
    ("approved", "in-delivery", "Start delivery", [S], True, False, "", ""),
    ("approved-with-conditions", "in-delivery", "Start delivery", [S], True, False, "", ""),
    ("in-delivery", "delivered", "Mark as delivered", [S], True, False, "", ""),
    (None, "withdrawn", "Withdraw idea", [], True, True, "", ""),
]

CRITERIA = [
    ("Robust business case", "Are the benefits, costs and risks clear, evidenced and realistic?", 3),
    ("Future-proof", "Will it still work as technology, law and services change? Does it avoid lock-in?", 2),
    ("Strategic priority", "Does it serve the council's priorities and the Board's mandate?", 3),
    ("Value to other departments, including its data",
     "Could other services use it or the data it produces?", 2),
    ("Affordability, including integration cost",
     "Is the whole cost, including integrating with central systems, affordable and proportionate?", 2),
]

CENTRAL_SYSTEMS = [
    ("Customer relationship management (CRM)", "Resources and Finance", "Residents' contacts and cases."),
    ("Social care case management", "Adult Social Care", "Adults' and children's social care records."),
    ("Finance and payments (ERP)", "Resources and Finance", "Ledger, purchasing and payments."),
    ("Housing management system", "Housing", "Tenancies, repairs and rents."),
    ("Geographic information system (GIS)", "Environment", "Maps, addresses and assets."),
    ("Data warehouse", "Resources and Finance", "The council's reporting store."),
    ("Identity and sign-in (Entra ID)", "Resources and Finance", "Staff and resident accounts."),
    ("Document management", "Corporate", "Records and documents."),
    ("Council website and forms", "Corporate", "harrow.gov.uk and its online forms."),
    ("Street lighting control", "Environment", "Central management of street lights."),
]


def seed_defaults() -> None:
    from django.utils.text import slugify

    from harrow_innovation.people.models import Department

    from .models import CentralSystem, Criterion, Stage, Transition, Workflow

    if not Workflow.objects.exists():
        _seed_workflow(Workflow, Stage, Transition)
    if not Criterion.objects.exists():
        for order, (name, description, weight) in enumerate(CRITERIA):
            Criterion.objects.create(name=name, description=description, weight=weight, order=order)
    if not CentralSystem.objects.exists():
        for name, dept, description in CENTRAL_SYSTEMS:
            department = Department.objects.filter(name=dept).first()
            CentralSystem.objects.create(
                slug=slugify(name)[:120], name=name, description=description, owner_department=department
            )


def _seed_workflow(Workflow, Stage, Transition) -> None:  # noqa: N803 - model classes
    workflow, _ = Workflow.objects.get_or_create(
        name="Innovation pipeline",
        defaults={"is_default": not Workflow.objects.filter(is_default=True).exists(),
                  "description": "From an officer's draft to a Board decision and delivery."},
    )
    stages = {}
    for slug, name, kind, order, initial, final, days, rfb, reviewer_role, edit, description in STAGES:
        stages[slug], _ = Stage.objects.get_or_create(
            workflow=workflow, slug=slug,
            defaults=dict(name=name, kind=kind, order=order, is_initial=initial, is_final=final, days_allowed=days,
                          ready_for_board=rfb, reviewer_role=reviewer_role, owners_may_edit=edit, description=description),
        )
    for order, (source, target, label, roles, owners, comment, guard, outcome) in enumerate(TRANSITIONS):
        Transition.objects.get_or_create(
            workflow=workflow, source=stages[source] if source else None, target=stages[target],
            defaults=dict(label=label, allowed_roles=roles, owners_may_take=owners, comment_required=comment,
                          guard=guard, outcome=outcome, order=order * 10),
        )
