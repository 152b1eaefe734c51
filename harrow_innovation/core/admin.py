from django.contrib import admin, messages
from django.db.models import Q

from . import outbox
from .models import OutboxTask

STATUS_FILTERS = {
    OutboxTask.Status.PENDING: Q(dispatched_at__isnull=True, failed_at__isnull=True),
    OutboxTask.Status.DELIVERED: Q(dispatched_at__isnull=False),
    OutboxTask.Status.FAILED: Q(dispatched_at__isnull=True, failed_at__isnull=False),
}


class OutboxStatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return OutboxTask.Status.choices

    def queryset(self, request, queryset):
        condition = STATUS_FILTERS.get(self.value())
        return queryset.filter(condition) if condition is not None else queryset


@admin.register(OutboxTask)
class OutboxTaskAdmin(admin.ModelAdmin):
    list_display = ["task_name", "args", "status_label", "attempts", "created_at", "dispatched_at", "failed_at",
                    "error_start"]
    list_filter = [OutboxStatusFilter, "task_name"]
    search_fields = ["task_name", "last_error"]
    date_hierarchy = "created_at"
    ordering = ["-created_at", "-pk"]
    readonly_fields = [f.name for f in OutboxTask._meta.fields]
    actions = ["retry_failed"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="Status")
    def status_label(self, row: OutboxTask) -> str:
        return OutboxTask.Status(row.status).label

    @admin.display(description="Last error")
    def error_start(self, row: OutboxTask) -> str:
        return row.last_error[:120]

    @admin.action(description="Retry the selected failed tasks", permissions=["change"])
    def retry_failed(self, request, queryset):
        retried = outbox.retry_failed(queryset.values_list("pk", flat=True))  # published once it commits
        if not retried:
            self.message_user(request, "None of the selected tasks had failed.", messages.WARNING)
            return
        delivered = OutboxTask.objects.filter(pk__in=retried, dispatched_at__isnull=False).count()
        self.message_user(request, f"Tried {len(retried)} failed task(s) again: {delivered} delivered, "
                                   f"{len(retried) - delivered} waiting for the next try.", messages.SUCCESS)
