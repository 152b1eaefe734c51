from __future__ import annotations

import factory
from django.contrib.auth.models import Group

from harrow_innovation.people.models import Department, User
from harrow_innovation.people.roles import Role, sync_role_groups

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
        self.groups.set(Group.objects.filter(name__in=[Role(r).label for r in roles]))
        self.__dict__.pop("role_names", None)
