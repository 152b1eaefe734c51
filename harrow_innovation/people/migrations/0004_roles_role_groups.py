"""Roles known by a stable code: each role's group is linked to its code.

Before this, code found a role's group by its display name, so renaming the
"Board secretary" group in Django admin took every secretary's powers away.
Existing groups are linked by the names they had then (frozen here, because
labels in code may change later).
"""

import django.db.models.deletion
from django.db import migrations, models

# Role code -> the group name it had when roles were recognised by name.
NAMES_BEFORE = {
    "officer": "Officer",
    "reviewer": "Reviewer",
    "secretary": "Board secretary",
    "board_member": "Board member",
    "admin": "Admin",
}


def link_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    RoleGroup = apps.get_model("people", "RoleGroup")
    db = schema_editor.connection.alias
    for role, name in NAMES_BEFORE.items():
        group, _ = Group.objects.using(db).get_or_create(name=name)
        RoleGroup.objects.using(db).get_or_create(role=role, defaults={"group": group})


class Migration(migrations.Migration):

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("people", "0003_auth_password_reset_request"),
    ]

    operations = [
        migrations.CreateModel(
            name="RoleGroup",
            fields=[
                (
                    "role",
                    models.CharField(
                        choices=[
                            ("officer", "Officer"),
                            ("reviewer", "Reviewer"),
                            ("secretary", "Board secretary"),
                            ("board_member", "Board member"),
                            ("admin", "Admin"),
                        ],
                        max_length=20,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                (
                    "group",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT, related_name="role_group", to="auth.group"
                    ),
                ),
            ],
            options={"ordering": ["role"]},
        ),
        migrations.RunPython(link_groups, migrations.RunPython.noop),
    ]
