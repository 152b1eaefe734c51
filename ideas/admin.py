from django import forms
from django.contrib import admin
from django.db.models import Count
from simple_history.admin import SimpleHistoryAdmin

from harrow_innovation.people.roles import Role

from .models import CentralSystem, Criterion, Idea, Stage, Transition, Workflow


@admin.register(CentralSystem)
class CentralSystemAdmin(admin.ModelAdmin):
    list_display = ["name", "owner_department", "is_active", "idea_count"]
    list_filter = ["is_active", "owner_department"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_ideas=Count("idea_links"))

    @admin.display(description="Ideas", ordering="n_ideas")
    def idea_count(self, obj):
        return obj.n_ideas


class TransitionForm(forms.ModelForm):
    allowed_roles = forms.MultipleChoiceField(
        choices=Role.choices, widget=forms.CheckboxSelectMultiple, required=False,
        help_text="Roles that may take this move.",
    )

    class Meta:
        model = Transition
        fields = [
            "workflow", "source", "target", "label", "allowed_roles", "owners_may_take",
            "comment_required", "guard", "outcome", "order",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        workflow_id = self.instance.workflow_id or self.initial.get("workflow")
        if workflow_id:
            stages = Stage.objects.filter(workflow_id=workflow_id)
            self.fields["source"].queryset = stages
            self.fields["target"].queryset = stages


class StageInline(admin.TabularInline):
    model = Stage
    extra = 0
    fields = [
        "order", "name", "slug", "kind", "is_initial", "is_final", "days_allowed",
        "ready_for_board", "reviewer_role", "owners_may_edit",
    ]
    prepopulated_fields = {"slug": ["name"]}
    show_change_link = True
    # Stages that ideas use cannot be deleted: Idea.stage is PROTECT, and admin
    # refuses with a list of the ideas in the way.


class TransitionInline(admin.TabularInline):
    model = Transition
    form = TransitionForm
    extra = 0
    fk_name = "workflow"
    fields = ["order", "source", "target", "label", "allowed_roles", "owners_may_take", "comment_required", "guard", "outcome"]


@admin.register(Workflow)
class WorkflowAdmin(admin.ModelAdmin):
    list_display = ["name", "is_default"]
    inlines = [StageInline, TransitionInline]


@admin.register(Stage)
class StageAdmin(admin.ModelAdmin):
    list_display = ["name", "workflow", "order", "kind", "is_initial", "is_final", "days_allowed", "ready_for_board", "ideas_here"]
    list_filter = ["workflow", "kind", "ready_for_board"]
    list_editable = ["order"]
    prepopulated_fields = {"slug": ["name"]}
    ordering = ["workflow", "order"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_ideas=Count("ideas"))

    @admin.display(description="Ideas here now", ordering="n_ideas")
    def ideas_here(self, obj):
        return obj.n_ideas


@admin.register(Transition)
class TransitionAdmin(admin.ModelAdmin):
    form = TransitionForm
    list_display = ["label", "workflow", "source", "target", "guard", "outcome", "comment_required", "owners_may_take"]
    list_filter = ["workflow", "guard", "outcome"]
    list_select_related = ["workflow", "source", "target"]


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ["name", "weight", "order", "is_active"]
    list_editable = ["weight", "order", "is_active"]


@admin.register(Idea)
class IdeaAdmin(SimpleHistoryAdmin):
    list_display = ["title", "stage", "owner", "department", "is_confidential", "weighted_score", "created_at"]
    list_filter = ["stage", "is_confidential", "department", "source"]
    search_fields = ["title", "problem", "solution"]
    list_select_related = ["stage", "owner", "department"]
    readonly_fields = ["stage", "workflow", "stage_entered_at", "submitted_at", "weighted_score", "review_count", "integration_cost"]
    raw_id_fields = ["owner", "co_owners"]

    def has_delete_permission(self, request, obj=None):
        return False  # ideas are withdrawn, never deleted
