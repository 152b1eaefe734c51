from django.contrib import admin, messages

from . import delivery
from .models import DeliveryKey, Digest, EmailStatus, Notification, Preference


class ReadOnly:
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["title", "recipient", "kind", "channel", "email_status", "attempts", "created_at", "read_at"]
    list_filter = ["email_status", "channel", "kind", "created_at"]
    search_fields = ["title", "recipient__email", "recipient__full_name", "email_error"]
    list_select_related = ["recipient"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in Notification._meta.fields]
    actions = ["retry_failed"]

    @admin.action(description="Retry sending the selected failed emails", permissions=["change"])
    def retry_failed(self, request, queryset):
        failed = list(queryset.filter(email_status=EmailStatus.FAILED).values_list("pk", flat=True))
        if not failed:
            self.message_user(request, "None of the selected notifications had failed.", messages.WARNING)
            return
        totals = delivery.retry_failed(failed)
        summary = ", ".join(f"{count} {status}" for status, count in sorted(totals.items())) or "nothing sent"
        self.message_user(request, f"Tried {len(failed)} failed email(s) again: {summary}.", messages.SUCCESS)


@admin.register(Digest)
class DigestAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["recipient", "day", "email_status", "item_count", "attempts", "emailed_at"]
    list_filter = ["email_status", "day"]
    search_fields = ["recipient__email", "recipient__full_name", "email_error"]
    list_select_related = ["recipient"]
    readonly_fields = [f.name for f in Digest._meta.fields]


@admin.register(DeliveryKey)
class DeliveryKeyAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["kind", "recipient", "object_type", "object_id", "due_date", "created_at"]
    list_filter = ["kind", "due_date"]
    search_fields = ["recipient__email", "object_type"]
    list_select_related = ["recipient"]
    readonly_fields = [f.name for f in DeliveryKey._meta.fields]


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "channel", "updated_at"]
    list_filter = ["kind", "channel"]
    search_fields = ["user__email", "user__full_name"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
