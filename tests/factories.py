from __future__ import annotations

from decimal import Decimal

import factory

from harrow_innovation.people.models import Department, User
from harrow_innovation.people.roles import Role, role_groups, sync_role_groups

PASSWORD = "correct-horse-battery"


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Department {n}")
    slug = factory.LazyAttribute(lambda o: o.name.lower().replace(" ", "-").replace("'", ""))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@harrow.example")
    full_name = factory.Faker("name", locale="en_GB")
    department = factory.SubFactory(DepartmentFactory)
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if not create:
            return
        roles = extracted if extracted is not None else [Role.OFFICER]
        sync_role_groups()
        self.groups.set(role_groups(roles))
        self.__dict__.pop("role_names", None)


# --- Ideas ----------------------------------------------------------------------

COMPLETE_ANSWERS = dict(
    problem="Residents wait weeks for a reply because requests arrive on paper.",
    solution="An online form that routes each request to the right team.",
    source="team",
    other_benefits="Faster replies and less retyping.",
    one_off_cost=Decimal("20000"),
    recurring_cost=Decimal("3000"),
    cash_savings_per_year=Decimal("15000"),
    timescale="6 months",
    risks="Staff need training.",
    future_proofing="Built on open standards.",
)


def stage(slug: str):
    from ideas.models import Stage

    return Stage.objects.get(workflow__is_default=True, slug=slug)


def transition(source: str | None, target: str):
    from ideas.models import Transition

    return Transition.objects.get(
        workflow__is_default=True, source=stage(source) if source else None, target=stage(target)
    )


def make_idea(owner, *, at: str = "draft", title: str = "Online requests for repairs", complete: bool = True,
              departments=None, **fields):
    """An idea placed directly at a stage (no timeline), for tests that need one quickly."""
    from django.utils import timezone

    from ideas.models import Idea, Workflow

    values = dict(COMPLETE_ANSWERS) if complete else {}
    values.update(fields)
    idea = Idea.objects.create(
        title=title, owner=owner, department=owner.department, workflow=Workflow.objects.get(is_default=True),
        stage=stage(at), submitted_at=None if at == "draft" else timezone.now(), **values,
    )
    idea.departments.set(departments if departments is not None else ([owner.department] if owner.department else []))
    return idea
