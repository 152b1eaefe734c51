from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from .admin_access import UserAccessRules
from .emails import normalise_email
from .models import Department, Team, TeamCapacity, User


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "is_active"]
    list_filter = ["is_active"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]
    filter_horizontal = ["data_contacts"]


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "full_name"]

    def clean_email(self):
        # Before the uniqueness check, so "Officer@..." is refused as a duplicate of "officer@...".
        return normalise_email(self.cleaned_data.get("email"))


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"

    def clean_email(self):
        return normalise_email(self.cleaned_data.get("email"))


@admin.register(User)
class UserAdmin(UserAccessRules, BaseUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    ordering = ["full_name"]
    list_display = ["full_name", "email", "department", "is_active", "is_staff"]
    list_filter = ["is_active", "is_staff", "groups", "department"]
    search_fields = ["full_name", "email"]
    list_select_related = ["department"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("About", {"fields": ["full_name", "known_as", "job_title", "department"]}),
        (
            "Roles and access",
            {
                "fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"],
                "description": "Roles are the groups that carry the Officer, Reviewer, Board secretary, Board member "
                "and Admin roles. Only superusers change superuser status and permissions.",
            },
        ),
        (
            "Sign-in",
            {
                "fields": ["sso_id", "last_login", "date_joined"],
                "description": "The single sign-on ID links the account to its Microsoft Entra ID identity "
                "(set on first sign-on; empty for accounts that sign in with a password only).",
            },
        ),
    ]
    readonly_fields = ["sso_id"]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]}),
    ]


class TeamCapacityInline(admin.TabularInline):
    model = TeamCapacity
    extra = 0
    fields = ["quarter", "days", "updated_by", "updated_at"]
    readonly_fields = ["updated_by", "updated_at"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    """Teams are admin-managed. Capacity is normally declared on the team's own page (past quarters are refused
    there); here an administrator can correct any quarter, within the database's rules (0 to 65 days)."""

    list_display = ["name", "department", "manager", "is_active"]
    list_filter = ["is_active", "department"]
    search_fields = ["name", "department__name"]
    autocomplete_fields = ["manager"]
    list_select_related = ["department", "manager"]
    inlines = [TeamCapacityInline]
