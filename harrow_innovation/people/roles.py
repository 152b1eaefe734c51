"""The five roles, held as Django groups so admins can grant them in Django admin."""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    OFFICER = "officer", "Officer"
    REVIEWER = "reviewer", "Reviewer"
    SECRETARY = "secretary", "Board secretary"
    BOARD_MEMBER = "board_member", "Board member"
    ADMIN = "admin", "Admin"


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
        "auth.view_group",
        "auth.change_group",
    },
}


def sync_role_groups(*, using: str = "default") -> None:
    """Create a group per role and give it its permissions. Safe to run repeatedly."""
    from django.contrib.auth.models import Group, Permission

    wanted = {dotted for perms in ROLE_PERMISSIONS.values() for dotted in perms}
    apps = {dotted.split(".", 1)[0] for dotted in wanted}
    available = {
        f"{app}.{codename}": pk
        for pk, app, codename in Permission.objects.using(using)
        .filter(content_type__app_label__in=apps)
        .values_list("pk", "content_type__app_label", "codename")
    }
    for role in Role:
        group, _ = Group.objects.using(using).get_or_create(name=role.label)
        ids = [available[d] for d in ROLE_PERMISSIONS.get(role, set()) if d in available]
        if ids:
            group.permissions.add(*ids)
