"""About twenty realistic ideas across departments and stages, for `seed_demo`.

Created through the services, so their timelines and histories are real.
Idempotent: an idea whose title already exists is left alone.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from harrow_innovation.people.models import Department, User

from . import services
from .models import CentralSystem, Criterion, Idea, Recommendation, Stage, Transition

D = Decimal

# title, owner email, stage slug, departments, source, problem, solution, savings, one-off, recurring,
# systems [(name prefix, cost, note)], outputs [(description, [departments])], confidential, scores
IDEAS = [
    ("Cross-department data platform", "reviewer@harrow.example", "ready-for-board",
     ["Resources and Finance", "Adult Social Care", "Housing", "Children's Services"], "team",
     "Each department keeps its own spreadsheets and systems, so nobody sees a resident's whole story and the same data is keyed in several times.",
     "A shared data platform that joins records from the main systems with consent and role-based access, with dashboards for each service.",
     D("420000"), D("350000"), D("60000"),
     [("Data warehouse", D("80000"), "Becomes the platform's store."), ("Customer relationship", D("25000"), "Nightly feed of contacts."),
      ("Social care case", D("40000"), "Feed of open cases, pseudonymised.")],
     [("A single view of households known to several services", ["Adult Social Care", "Housing", "Children's Services"]),
      ("Monthly demand forecasts per service", ["Resources and Finance", "Corporate"])], False, [5, 4, 5, 5, 3]),
    ("Smart sensors for street lighting", "environment.officer@harrow.example", "ready-for-board",
     ["Environment"], "workshop",
     "Faulty street lights are found only when residents report them, and lights run at full power all night.",
     "Fit sensor nodes to lanterns so faults report themselves and lights dim when streets are empty.",
     D("180000"), D("240000"), D("18000"),
     [("Street lighting control", D("30000"), "Nodes report to the central management system."), ("Geographic information", D("5000"), "Asset layer updates.")],
     [("Footfall and traffic counts by street, hourly", ["Environment", "Community", "Corporate"])], False, [4, 4, 4, 4, 3]),
    ("Digital forms to replace paper in social care assessments", "officer@harrow.example", "business-case-review",
     ["Adult Social Care"], "individual",
     "Social workers fill in paper assessment forms on visits and retype them at the office: about 40 minutes per assessment.",
     "Tablet forms that save offline and go straight into the case management system.",
     D("210000"), D("95000"), D("12000"),
     [("Social care case", D("35000"), "Forms post into the case record."), ("Identity and sign-in", D("3000"), "Staff sign in with their council account.")],
     [("Assessment timings and outcomes, by team", ["Adult Social Care", "Resources and Finance"])], False, None),
    ("Chatbot for council tax questions", "finance.reviewer@harrow.example", "approved",
     ["Resources and Finance", "Corporate"], "campaign",
     "The contact centre answers thousands of simple council tax questions every month.",
     "A chatbot on the website answers common questions and hands over to an adviser with the conversation so far.",
     D("95000"), D("60000"), D("20000"),
     [("Council website", D("10000"), "Embedded on council tax pages."), ("Customer relationship", D("15000"), "Hand-over creates a case.")],
     [("Top questions residents ask, weekly", ["Corporate", "Resources and Finance"])], False, [4, 3, 4, 3, 4]),
    ("Predictive maintenance for council homes", "housing.officer@harrow.example", "triage",
     ["Housing"], "workshop",
     "Repairs are reactive: boilers and roofs fail before anyone knows they are at risk, and damp goes unnoticed.",
     "Use repair history and low-cost humidity sensors to predict which homes need work next.",
     D("150000"), D("120000"), D("25000"),
     [("Housing management", D("20000"), "Reads repair history, raises planned jobs.")],
     [("Damp and mould risk by property", ["Housing", "Adult Social Care", "Children's Services"])], False, None),
    ("Shared booking system for community hubs", "community.officer@harrow.example", "submitted",
     ["Community"], "team",
     "Each hub books rooms in its own diary, so rooms sit empty while groups are turned away.",
     "One online booking system for all hub rooms, with payments.",
     D("30000"), D("25000"), D("6000"),
     [("Finance and payments", D("8000"), "Card payments reconcile to the ledger.")],
     [("Room use by hub and time", ["Community", "Corporate"])], False, None),
    ("Early help referrals in one online form", "children.officer@harrow.example", "more-information",
     ["Children's Services"], "individual",
     "Schools and health visitors send early help referrals by email in many formats; details get lost.",
     "A single online referral form with the questions the team needs, feeding the case system.",
     D("40000"), D("30000"), D("4000"),
     [("Council website", D("5000"), "Hosted form."), ("Social care case", D("15000"), "Creates a referral record.")],
     [("Referral reasons by school", ["Children's Services", "Community"])], True, None),
    ("Route optimisation for waste collection", "environment.officer@harrow.example", "in-delivery",
     ["Environment"], "workshop",
     "Collection rounds were drawn years ago and do not reflect new housing.",
     "Software plans rounds each week from addresses and vehicle data.",
     D("260000"), D("110000"), D("30000"),
     [("Geographic information", D("12000"), "Address and road network.")],
     [("Missed collections by street", ["Environment", "Corporate"])], False, [4, 4, 5, 3, 4]),
    ("Automated invoice matching", "finance.reviewer@harrow.example", "delivered",
     ["Resources and Finance"], "team",
     "Accounts payable match invoices to orders by hand.",
     "Robotic process automation matches invoices and flags exceptions.",
     D("85000"), D("45000"), D("10000"),
     [("Finance and payments", D("15000"), "Bot works in the ledger.")],
     [("Supplier payment times", ["Resources and Finance"])], False, [4, 3, 3, 2, 4]),
    ("Sensors to prevent falls for people living alone", "officer@harrow.example", "ready-for-board",
     ["Adult Social Care"], "workshop",
     "Falls at home lead to hospital stays and care home moves that could be avoided.",
     "Discreet motion sensors alert the care line when someone's routine changes.",
     D("320000"), D("150000"), D("45000"),
     [("Social care case", D("20000"), "Alerts attach to the care record.")],
     [("Activity patterns that precede falls (anonymised)", ["Adult Social Care", "Community"])], False, [5, 3, 5, 4, 3]),
    ("Digital parking permits", "environment.officer@harrow.example", "parked",
     ["Environment"], "campaign",
     "Paper permits are posted out, lost and forged.",
     "Virtual permits linked to number plates, bought online.",
     D("55000"), D("70000"), D("8000"),
     [("Council website", D("6000"), "Online purchase."), ("Finance and payments", D("6000"), "Payments.")],
     [("Permit demand by zone", ["Environment"])], False, [3, 4, 2, 2, 3]),
    ("Tenancy sign-up on tablets", "housing.officer@harrow.example", "rejected",
     ["Housing"], "individual",
     "New tenants sign thick paper packs.",
     "Tablet sign-up with e-signatures.",
     D("8000"), D("40000"), D("5000"),
     [("Housing management", D("12000"), "Creates the tenancy.")], [], False, [2, 3, 2, 2, 2]),
    ("Volunteer matching app", "community.officer@harrow.example", "draft",
     ["Community"], "individual",
     "Voluntary groups struggle to find volunteers with the right skills.",
     "", None, None, None, [], [], False, None),
    ("Energy monitoring in council buildings", "environment.officer@harrow.example", "business-case-review",
     ["Environment", "Corporate"], "campaign",
     "We pay for heating and lighting in empty buildings and cannot see where energy is wasted.",
     "Smart meters and a dashboard for every council building, with alerts on waste.",
     D("140000"), D("90000"), D("9000"),
     [("Data warehouse", D("10000"), "Half-hourly readings stored."), ("Geographic information", D("2000"), "Buildings layer.")],
     [("Energy use by building, half-hourly", ["Environment", "Resources and Finance", "Corporate"])], False, None),
    ("Single sign-on for staff systems", "reviewer@harrow.example", "approved-with-conditions",
     ["Resources and Finance", "Corporate"], "team",
     "Staff keep a dozen passwords and the helpdesk resets hundreds a month.",
     "Connect staff systems to the council's identity service.",
     D("60000"), D("80000"), D("15000"),
     [("Identity and sign-in", D("30000"), "All apps federate.")],
     [("Application usage by department", ["Resources and Finance", "Corporate"])], False, [4, 5, 4, 4, 3]),
    ("Welfare benefits take-up campaign using data", "children.officer@harrow.example", "triage",
     ["Children's Services", "Resources and Finance", "Community"], "workshop",
     "Families miss out on free school meals and benefits they are entitled to.",
     "Match council data to find families likely to be eligible and contact them.",
     D("0"), D("25000"), D("5000"),
     [("Data warehouse", D("8000"), "Matching runs here.")],
     [("Estimated unclaimed benefits by ward", ["Community", "Children's Services", "Resources and Finance"])], True, None),
    ("Drone surveys of council roofs", "housing.officer@harrow.example", "submitted",
     ["Housing", "Environment"], "workshop",
     "Roof surveys need scaffolding and take months to schedule.",
     "Use drones for visual roof surveys.",
     D("35000"), D("20000"), D("3000"),
     [("Housing management", D("4000"), "Survey results attach to the property.")],
     [("Roof condition images by property", ["Housing"])], False, None),
    ("Library self-service kiosks with council services", "community.officer@harrow.example", "approved",
     ["Community", "Corporate"], "campaign",
     "Residents without internet at home cannot reach online council services.",
     "Self-service kiosks in libraries with staff on hand to help.",
     D("20000"), D("50000"), D("7000"),
     [("Council website", D("3000"), "Kiosk mode."), ("Customer relationship", D("4000"), "Requests logged.")],
     [("Services used at kiosks, by library", ["Community", "Corporate"])], False, [3, 3, 4, 3, 3]),
    ("Automated school transport planning", "children.officer@harrow.example", "withdrawn",
     ["Children's Services"], "individual",
     "Planning school transport routes takes weeks each summer.",
     "Route planning software for special educational needs transport.",
     D("70000"), D("40000"), D("12000"),
     [("Geographic information", D("5000"), "Addresses and schools.")], [], False, None),
    ("Mobile working for environmental health officers", "environment.officer@harrow.example", "draft",
     ["Environment"], "team",
     "Inspectors write notes on paper and type them up later.",
     "A mobile app for inspections that works offline.",
     D("45000"), D("35000"), D("6000"), [], [], False, None),
]

# The path each stage is reached by, from Draft.
PATHS = {
    "draft": [],
    "submitted": ["submitted"],
    "triage": ["submitted", "triage"],
    "business-case-review": ["submitted", "triage", "business-case-review"],
    "more-information": ["submitted", "triage", "more-information"],
    "ready-for-board": ["submitted", "triage", "business-case-review", "ready-for-board"],
    "approved": ["submitted", "triage", "business-case-review", "ready-for-board", "approved"],
    "approved-with-conditions": ["submitted", "triage", "business-case-review", "ready-for-board", "approved-with-conditions"],
    "parked": ["submitted", "triage", "business-case-review", "ready-for-board", "parked"],
    "rejected": ["submitted", "triage", "business-case-review", "ready-for-board", "rejected"],
    "in-delivery": ["submitted", "triage", "business-case-review", "ready-for-board", "approved", "in-delivery"],
    "delivered": ["submitted", "triage", "business-case-review", "ready-for-board", "approved", "in-delivery", "delivered"],
    "withdrawn": ["submitted", "withdrawn"],
}


# Thresholds an admin might set (money a year, projects at once), so the demo's Board paper and agenda
# builder show a system over its threshold: the CRM already carries £19,000 of approved integration work
# (the data platform would add £25,000) and the GIS one project in delivery (street lighting would add a
# second). Set only where no threshold is set, so an admin's own are kept.
DEMO_THRESHOLDS = {
    "Customer relationship management (CRM)": (Decimal("40000"), None),
    "Geographic information system (GIS)": (None, 1),
}


def _system(prefix: str) -> CentralSystem:
    return CentralSystem.objects.filter(name__startswith=prefix).first()


@transaction.atomic
def seed_demo_ideas() -> None:
    from .workflow_seed import seed_defaults

    seed_defaults()
    departments = {d.name: d for d in Department.objects.all()}
    for system in CentralSystem.objects.filter(owner_department__isnull=True):
        from .workflow_seed import CENTRAL_SYSTEMS

        owner = next((dept for name, dept, _ in CENTRAL_SYSTEMS if name == system.name), None)
        if owner in departments:
            system.owner_department = departments[owner]
            system.save(update_fields=["owner_department"])
    for name, (budget, projects) in DEMO_THRESHOLDS.items():
        CentralSystem.objects.filter(name=name, integration_budget__isnull=True, max_projects__isnull=True).update(
            integration_budget=budget, max_projects=projects
        )
    secretary = User.objects.get(email="secretary@harrow.example")
    reviewers = [User.objects.get(email="reviewer@harrow.example"), User.objects.get(email="finance.reviewer@harrow.example")]
    criteria = list(Criterion.objects.filter(is_active=True))
    for index, row in enumerate(IDEAS):
        (title, owner_email, stage_slug, depts, source, problem, solution, savings, one_off, recurring,
         systems, outputs, confidential, scores) = row
        if Idea.objects.filter(title=title).exists():
            continue
        owner = User.objects.get(email=owner_email)
        idea = services.idea_create(by=owner, title=title, problem=problem)
        services.idea_update(
            idea_id=idea.pk, by=owner, departments=[departments[d] for d in depts],
            solution=solution, source=source, cash_savings_per_year=savings, one_off_cost=one_off,
            recurring_cost=recurring, other_benefits="Better service for residents and less duplicated work." if solution else "",
            timescale="12 months" if solution else "", risks="Staff time to adopt the change; supplier lock-in." if solution else "",
            future_proofing="Open standards and data we own; no long contract." if solution else "",
            services=", ".join(depts), is_confidential=confidential,
        )
        for prefix, cost, note in systems:
            system = _system(prefix)
            if system:
                services.system_link_set(idea_id=idea.pk, by=owner, system=system, integration_note=note, integration_cost=cost)
        if solution:
            services.resource_ask_set(idea_id=idea.pk, by=owner, team=None, days_by_quarter={},
                                      note="A project manager and two days a week from the service team.")
            services.external_resource_add(idea_id=idea.pk, by=owner, name="A specialist supplier", cost=None,
                                           note="An industry body for the workshop follow-up.")
        for description, valued in outputs:
            services.data_output_add(idea_id=idea.pk, by=owner, description=description,
                                     valued_by=[departments[d] for d in valued])
        _walk(idea, owner, secretary, reviewers, criteria, PATHS[stage_slug], scores, index)


def _walk(idea, owner, secretary, reviewers, criteria, path, scores, index) -> None:
    reviewer = reviewers[index % len(reviewers)]
    if reviewer.pk == owner.pk:
        reviewer = reviewers[(index + 1) % len(reviewers)]
    for slug in path:
        idea.refresh_from_db()
        target = Stage.objects.get(workflow=idea.workflow, slug=slug)
        transition = (Transition.objects.filter(workflow=idea.workflow, source=idea.stage, target=target).first()
                      or Transition.objects.filter(workflow=idea.workflow, source__isnull=True, target=target).first())
        if slug == "ready-for-board" and scores:
            services.review_assign(idea_id=idea.pk, reviewer=reviewer, by=secretary)
            review = idea.reviews.get(reviewer=reviewer, stage=idea.stage)
            services.review_submit(
                review_id=review.pk, by=reviewer, scores={c.pk: s for c, s in zip(criteria, scores, strict=False)},
                recommendation=Recommendation.PROCEED if sum(scores) >= 17 else Recommendation.PROCEED_WITH_CHANGES,
                comment="Clear problem and a credible plan. Integration costs need confirming with the system owner.",
            )
        by = owner if transition.owners_may_take and not transition.allowed_roles else secretary
        if transition.owners_may_take and slug in {"submitted", "withdrawn"}:
            by = owner
        comment = "Demo: recorded at the Innovation Board." if transition.outcome else (
            "Please add evidence of demand." if transition.comment_required else "")
        if slug == "withdrawn":
            comment = "Another team is already doing this."
        services.idea_move(idea_id=idea.pk, transition=transition, by=by, comment=comment,
                           as_board_decision=bool(transition.outcome))
        if slug == "parked":
            Idea.objects.filter(pk=idea.pk).update(parked_until=timezone.localdate() + datetime.timedelta(days=60))
    if path and path[-1] == "business-case-review":
        # Leave something in the reviewer's queue.
        services.review_assign(idea_id=idea.pk, reviewer=reviewer, by=secretary,
                               due_date=timezone.localdate() + datetime.timedelta(days=10))
    # Spread creation dates over the last year so lists and charts look lived-in.
    created = timezone.now() - datetime.timedelta(days=20 + index * 17)
    Idea.objects.filter(pk=idea.pk).update(created_at=created)
    Idea.objects.filter(pk=idea.pk, submitted_at__isnull=False).update(submitted_at=created + datetime.timedelta(days=2))
