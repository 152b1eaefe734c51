"""Writes to people and departments."""

from __future__ import annotations

from django.db import transaction
from django.utils.text import slugify

from .emails import normalise_email
from .models import Department, User
from .roles import Role, role_groups, sync_role_groups


def department_ensure(*, name: str) -> Department:
    department, _ = Department.objects.get_or_create(slug=slugify(name), defaults={"name": name})
    return department


@transaction.atomic
def user_ensure(
    *,
    email: str,
    full_name: str,
    password: str,
    roles: list[Role],
    department: Department | None = None,
    job_title: str = "",
    is_staff: bool = False,
    is_superuser: bool = False,
    known_as: str = "",
) -> User:
    """Create or update a user with exactly these roles (used by seeding and tests)."""
    user = User.objects.filter(email=normalise_email(email)).first()
    if user is None:
        user = User.objects.create_user(
            email,
            password,
            full_name=full_name,
            known_as=known_as,
            department=department,
            job_title=job_title,
            is_staff=is_staff,
            is_superuser=is_superuser,
        )
    else:
        user.full_name = full_name
        user.known_as = known_as
        user.department = department
        user.job_title = job_title
        user.is_staff = is_staff
        user.is_superuser = is_superuser
        user.set_password(password)
        user.save()
    sync_role_groups()
    user.groups.set(role_groups(roles))
    user.__dict__.pop("role_names", None)
    return user
