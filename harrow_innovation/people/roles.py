"""The five roles, held as Django groups so admins can grant them in Django admin.

A role is known by its code (``Role.SECRETARY`` is "secretary"); the group that
carries it is found through ``people.RoleGroup``, so renaming a group in Django
admin changes its display name and nothing else. Everything that asks "does
this person hold that role" goes through ``User.has_role`` (one user) or
``holds_role`` (a filter on users), both keyed by the code; ``has_any_role``
also answers for someone not signed in, and ``is_secretary_or_admin`` is the one
"secretary or admin" rule.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class Role(models.TextChoices):
    OFFICER = "officer", "Officer"
    REVIEWER = "reviewer", "Reviewer"
    SECRETARY = "secretary", "Board secretary"
    BOARD_MEMBER = "board_member", "Board member"
    ADMIN = "admin", "Admin"


# Roles that do the Board secretary's work (triage, reviewers, agendas, decisions): admins stand in for the secretary.
SECRETARY_WORK = (Role.SECRETARY, Role.ADMIN)


def has_any_role(user, roles) -> bool:
    """Signed in, active and holding at least one of ``roles`` (codes), by ``User.has_role``."""
    if not user.is_authenticated:
        return False
    return any(user.has_role(role) for role in roles)


def is_admin(user) -> bool:
    return has_any_role(user, (Role.ADMIN,))


def is_secretary_or_admin(user) -> bool:
    """The Board secretary's work: the secretary, or an admin standing in (``SECRETARY_WORK``)."""
    return has_any_role(user, SECRETARY_WORK)


# Model permissions each role's group carries in Django admin ("app_label.codename").
# Apps add theirs by extending this mapping from their AppConfig.ready().
ROLE_PERMISSIONS: dict[str, set[str]] = {
    Role.OFFICER: set(),
    Role.REVIEWER: set(),
    Role.SECRETARY: set(),
    Role.BOARD_MEMBER: set(),
    Role.ADMIN: {
        "people.add_user",
        "people.change_user",
        "people.view_user",
        "people.add_department",
        "people.change_department",
        "people.view_department",
        "people.add_team",
        "people.change_team",
        "people.view_team",
        "people.add_teamcapacity",
        "people.change_teamcapacity",
        "people.view_teamcapacity",
        "people.delete_teamcapacity",
        "auth.view_group",
        "auth.change_group",
    },
}


def holds_role(role: Role | str) -> Q:
    """A filter on users: active holders of ``role``, by its code (the rule of ``User.has_role``)."""
    holders = Q(groups__role_group__role=str(role))
    if str(role) == Role.ADMIN:
        holders |= Q(is_superuser=True)
    return Q(is_active=True) & holders


def role_group(role: Role | str, *, using: str = "default"):
    """The group that carries ``role``, whatever admins have named it."""
    from django.contrib.auth.models import Group

    return Group.objects.using(using).get(role_group__role=str(role))


def role_groups(roles, *, using: str = "default"):
    """The groups that carry ``roles`` (to grant them: ``user.groups.set(role_groups([...]))``)."""
    from django.contrib.auth.models import Group

    return Group.objects.using(using).filter(role_group__role__in=[str(r) for r in roles])


def _group_for_new_role(role: Role, using: str):
    from django.contrib.auth.models import Group

    # A group already named after the role and carrying no other role is taken over (a database
    # from before role codes); otherwise a new group, named so it cannot clash with an admin's.
    group = Group.objects.using(using).filter(name=role.label, role_group__isnull=True).first()
    if group is not None:
        return group
    name = role.label
    if Group.objects.using(using).filter(name=name).exists():
        name = f"{role.label} ({role.value})"
    return Group.objects.using(using).get_or_create(name=name)[0]


def sync_role_groups(*, using: str = "default") -> None:
    """Make sure every role has its group and the group its permissions. Safe to run repeatedly.

    Never renames a group: once a role has its group, admins own the name.
    """
    from django.contrib.auth.models import Permission

    from .models import RoleGroup

    wanted = {dotted for perms in ROLE_PERMISSIONS.values() for dotted in perms}
    apps = {dotted.split(".", 1)[0] for dotted in wanted}
    available = {
        f"{app}.{codename}": pk
        for pk, app, codename in Permission.objects.using(using)
        .filter(content_type__app_label__in=apps)
        .values_list("pk", "content_type__app_label", "codename")
    }
    linked = {link.role: link.group for link in RoleGroup.objects.using(using).select_related("group")}
    for role in Role:
        group = linked.get(role.value)
        if group is None:
            group = _group_for_new_role(role, using)
            RoleGroup.objects.using(using).create(role=role.value, group=group)
        ids = [available[d] for d in ROLE_PERMISSIONS.get(role, set()) if d in available]
        if ids:
            group.permissions.add(*ids)
