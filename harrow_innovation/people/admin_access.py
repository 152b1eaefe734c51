"""Who may change what about people's access in Django admin.

The rule: only superusers change ``is_superuser``, a person's individual
permissions (``user_permissions``) or the permissions a group carries. Admins
by role (staff, not superusers) grant and remove the service's roles (the role
groups) and nothing else, so an Admin cannot make themselves, or anyone, more
powerful than the Admin role. They may set ``is_staff``: it only opens Django
admin, and what anyone can do there comes from roles whose permissions only
superusers set. A superuser's account is read-only to everyone else (changing
its email or password would be taking it over).

Fields a user may not change are read-only, so Django leaves them out of the
form and a crafted POST that includes them changes nothing.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.models import Group

SUPERUSER_ONLY_USER_FIELDS = ("is_superuser", "user_permissions")


class UserAccessRules:
    """Mixed into the user admin, before ``UserAdmin``."""

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += [f for f in SUPERUSER_ONLY_USER_FIELDS if f not in fields]
        return fields

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups" and not request.user.is_superuser:
            # A group a superuser made for other purposes may carry any permission: not the Admin's to grant.
            kwargs["queryset"] = Group.objects.filter(role_group__isnull=False).order_by("name")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change):
        kept = []
        if change and not request.user.is_superuser:
            # The form offers role groups only: other groups the person holds stay as they were.
            kept = list(form.instance.groups.filter(role_group__isnull=True))
        super().save_related(request, form, formsets, change)
        if kept:
            form.instance.groups.add(*kept)


class RoleGroupAdmin(GroupAdmin):
    """Groups show the role they carry; only superusers change a group's permissions."""

    list_display = ["name", "role"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("role_group")

    def get_readonly_fields(self, request, obj=None):
        fields = [*super().get_readonly_fields(request, obj), "role"]
        if not request.user.is_superuser:
            fields.append("permissions")
        return fields

    @admin.display(description="Role it carries")
    def role(self, obj) -> str:
        link = getattr(obj, "role_group", None) if obj is not None and obj.pk else None
        if link is None:
            return "None: not one of the service's roles"
        return f"{link.get_role_display()} (renaming the group changes only its name)"


admin.site.unregister(Group)
admin.site.register(Group, RoleGroupAdmin)
