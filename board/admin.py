from django.contrib import admin

from .models import Action, Board, CalendarFeedToken, Meeting, MeetingLog, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]
    fields = ["user", "role", "title", "is_active"]


@admin.register(Board)
class BoardAdmin(admin.ModelAdmin):
    list_display = ["name", "default_location"]
    inlines = [MembershipInline]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    """Read-only here: meetings change through the Board pages, so every change is checked and logged."""

    list_display = ["__str__", "board", "starts_at", "status"]
    list_filter = ["board", "status"]
    date_hierarchy = "starts_at"
    list_select_related = ["board"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MeetingLog)
class MeetingLogAdmin(admin.ModelAdmin):
    list_display = ["at", "meeting", "actor", "summary"]
    list_filter = ["action"]
    list_select_related = ["meeting__board", "actor"]
    search_fields = ["summary"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ["description", "owner", "due_date", "status", "meeting"]
    list_filter = ["status"]
    list_select_related = ["owner", "meeting__board"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CalendarFeedToken)
class CalendarFeedTokenAdmin(admin.ModelAdmin):
    """Admins can see who subscribes and delete a leaked address; they never see the secret."""

    list_display = ["user", "created_at", "last_used_at"]
    fields = ["user", "created_at", "last_used_at"]
    readonly_fields = fields
    list_select_related = ["user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
