"""Demo people and departments for `seed_demo`. Idempotent."""

from __future__ import annotations

from .models import Department, User
from .roles import Role
from .services import department_ensure, user_ensure

DEMO_PASSWORD = "innovate-harrow"  # noqa: S105 - demo only, printed by `make run`

DEPARTMENTS = [
    "Adult Social Care",
    "Children's Services",
    "Environment",
    "Housing",
    "Resources and Finance",
    "Corporate",
    "Community",
]

DEMO_USERS = [
    # email, name, job title, department, roles, staff, superuser
    ("officer@harrow.example", "Priya Shah", "Service improvement officer", "Adult Social Care", [Role.OFFICER], False, False),
    ("reviewer@harrow.example", "Tom Okafor", "Head of Digital", "Resources and Finance", [Role.OFFICER, Role.REVIEWER], False, False),
    ("secretary@harrow.example", "Grace Lee", "Innovation Board secretary", "Corporate", [Role.OFFICER, Role.SECRETARY], False, False),
    ("board@harrow.example", "Cllr David Ashton", "Portfolio Holder for Finance", "Corporate", [Role.BOARD_MEMBER], False, False),
    # The Admin role as a council would give it: Django admin for the service, not a superuser (who alone
    # may grant superuser status or permissions). Run `manage.py createsuperuser` for one.
    ("admin@harrow.example", "Sam Patel", "Systems administrator", "Resources and Finance", [Role.ADMIN], True, False),
]

# A few more colleagues so the demo shows ideas from several departments.
EXTRA_USERS = [
    ("housing.officer@harrow.example", "Marta Nowak", "Housing options manager", "Housing", [Role.OFFICER]),
    ("environment.officer@harrow.example", "Liam Byrne", "Street lighting engineer", "Environment", [Role.OFFICER]),
    ("children.officer@harrow.example", "Aisha Rahman", "Early help team leader", "Children's Services", [Role.OFFICER]),
    ("community.officer@harrow.example", "Ben Clarke", "Community hubs lead", "Community", [Role.OFFICER]),
    ("finance.reviewer@harrow.example", "Helen Wu", "Finance business partner", "Resources and Finance", [Role.OFFICER, Role.REVIEWER]),
    ("corporate.board@harrow.example", "Cllr Nadia Hussain", "Portfolio Holder for Corporate Services", "Corporate", [Role.BOARD_MEMBER]),
    ("chief.board@harrow.example", "Olu Adeyemi", "Director of Strategy", "Corporate", [Role.BOARD_MEMBER, Role.OFFICER]),
]

# Councillors are greeted by the name they go by, never by their title.
KNOWN_AS = {
    "board@harrow.example": "David",
    "corporate.board@harrow.example": "Nadia",
    "chair.board@harrow.example": "Joan",
}


def seed_people() -> dict[str, User]:
    departments = {name: department_ensure(name=name) for name in DEPARTMENTS}
    users: dict[str, User] = {}
    for email, name, title, dept, roles, staff, superuser in DEMO_USERS:
        users[email] = user_ensure(
            email=email, full_name=name, password=DEMO_PASSWORD, roles=roles,
            department=departments[dept], job_title=title, is_staff=staff, is_superuser=superuser,
            known_as=KNOWN_AS.get(email, ""),
        )
    for email, name, title, dept, roles in EXTRA_USERS:
        users[email] = user_ensure(
            email=email, full_name=name, password=DEMO_PASSWORD, roles=roles,
            department=departments[dept], job_title=title, known_as=KNOWN_AS.get(email, ""),
        )
    return users


def departments() -> dict[str, Department]:
    return {d.name: d for d in Department.objects.all()}
