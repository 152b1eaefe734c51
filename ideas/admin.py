from django import forms
from django.contrib import admin, messages
from django.db.models import Count
from simple_history.admin import SimpleHistoryAdmin

from harrow_innovation.people.roles import Role

from .models import CentralSystem, Criterion, Idea, Stage, Transition, Workflow
from .workflow_checks import workflow_problems


@admin.register(CentralSystem)
class CentralSystemAdmin(admin.ModelAdmin):
    list_display = ["name", "owner_department", "is_active", "integration_budget", "max_projects", "idea_count"]
    list_filter = ["is_active", "owner_department"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_ideas=Count("idea_links"))

    @admin.display(description="Ideas", ordering="n_ideas")
    def idea_count(self, obj):
        return obj.n_ideas


class StageChoiceField(forms.ModelChoiceField):
    """Stages named with their workflow, so a stage of another workflow cannot pass for one of this."""

    def label_from_instance(self, stage: Stage) -> str:
        return f"{stage.name} ({stage.workflow.name})"


class TransitionForm(forms.ModelForm):
    """Checks a move before it is saved: Transition.clean() refuses stages of another workflow,
    moves out of a final stage or into the initial one, unknown roles and moves nobody may take."""

    allowed_roles = forms.MultipleChoiceField(
        choices=Role.choices, widget=forms.CheckboxSelectMultiple, required=False,
        help_text="Roles that may take this move.",
        error_messages={"invalid_choice": "%(value)s is not a role. Choose from the roles listed."},
    )

    class Meta:
        model = Transition
        fields = [
            "workflow", "source", "target", "label", "allowed_roles", "owners_may_take",
            "comment_required", "guard", "outcome", "order",
        ]
        field_classes = {"source": StageChoiceField, "target": StageChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        workflow_id = self.instance.workflow_id or self.initial.get("workflow")
        stages = Stage.objects.select_related("workflow")
        if workflow_id:
            stages = stages.filter(workflow_id=workflow_id)
        self.fields["source"].queryset = stages
        self.fields["target"].queryset = stages

    def clean(self):
        cleaned = super().clean()
        source, target = cleaned.get("source"), cleaned.get("target")
        if source and target and source == target:
            self.add_error("target", "A move must go to a different stage from the one it starts in.")
        return cleaned


class StageForm(forms.ModelForm):
    """Keeps the workflow consistent when a stage is added or changed."""

    class Meta:
        model = Stage
        fields = [
            "workflow", "name", "slug", "description", "order", "kind", "is_initial", "is_final", "days_allowed",
            "ready_for_board", "reviewer_role", "owners_may_edit",
        ]

    def clean(self):
        cleaned = super().clean()
        workflow = cleaned.get("workflow") or getattr(self.instance, "workflow", None)
        is_initial, is_final = cleaned.get("is_initial"), cleaned.get("is_final")
        stage = self.instance if self.instance.pk else None
        if is_initial and is_final:
            self.add_error("is_final", "A stage cannot be both where ideas start and where they end.")
        if workflow is not None and workflow.pk and is_initial:
            other = Stage.objects.filter(workflow=workflow, is_initial=True).exclude(pk=getattr(stage, "pk", None)).first()
            if other:
                self.add_error("is_initial", f"“{other.name}” is already where ideas start in this workflow. Untick it there first.")
        if stage is None:
            return cleaned
        if workflow is not None and stage.workflow_id != workflow.pk and (
            stage.ideas.exists() or stage.transitions_out.exists() or stage.transitions_in.exists()
        ):
            self.add_error("workflow", "Ideas or moves use this stage, so it cannot move to another workflow.")
        if is_final and not stage.is_final:
            moves = [t.label for t in stage.transitions_out.all()]
            if moves:
                self.add_error("is_final", "Nothing can leave a final stage. Remove these moves out of it first: "
                               + "; ".join(moves) + ".")
        if is_initial and not stage.is_initial:
            moves = [t.label for t in stage.transitions_in.all()]
            if moves:
                self.add_error("is_initial", "Ideas cannot move back to where they start. Remove these moves into it "
                               "first: " + "; ".join(moves) + ".")
        return cleaned


class WorkflowForm(forms.ModelForm):
    class Meta:
        model = Workflow
        fields = ["name", "description", "is_default"]

    def clean_is_default(self):
        is_default = self.cleaned_data.get("is_default")
        if is_default:
            other = Workflow.objects.filter(is_default=True).exclude(pk=self.instance.pk).first()
            if other:
                raise forms.ValidationError(f"“{other.name}” is already the default workflow. Untick it there first.")
        return is_default


class StageInline(admin.TabularInline):
    model = Stage
    form = StageForm
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


class ExplainProtectedDeletes:
    """When rows in use block a delete, say which ones, not "you lack permission to delete ideas".

    Stages and workflows are PROTECTed by the ideas, moves and reviews that use them. Django admin
    would first tell an admin without the (never granted) delete-idea permission that they lack it,
    which reads as if someone else could delete the ideas. Nobody can: show the ideas in the way.
    """

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        if protected:
            perms_needed = set()
        return deleted, counts, perms_needed, protected


class WarnAboutWorkflowShape:
    """After a change to a workflow, its stages or its transitions, warn about stuck or unreachable stages."""

    def _workflow_id(self, obj) -> int | None:
        return obj.pk if isinstance(obj, Workflow) else obj.workflow_id

    def _warn(self, request, workflow_ids) -> None:
        for workflow_id in sorted({pk for pk in workflow_ids if pk}):
            for problem in workflow_problems(workflow_id):
                messages.warning(request, problem)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)  # inlines are saved by now
        self._warn(request, [self._workflow_id(form.instance)])

    def delete_model(self, request, obj):
        workflow_id = None if isinstance(obj, Workflow) else obj.workflow_id
        super().delete_model(request, obj)
        self._warn(request, [workflow_id])

    def delete_queryset(self, request, queryset):
        workflow_ids = [] if queryset.model is Workflow else list(queryset.values_list("workflow_id", flat=True))
        super().delete_queryset(request, queryset)
        self._warn(request, workflow_ids)


@admin.register(Workflow)
class WorkflowAdmin(WarnAboutWorkflowShape, ExplainProtectedDeletes, admin.ModelAdmin):
    form = WorkflowForm
    list_display = ["name", "is_default"]
    inlines = [StageInline, TransitionInline]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Shown on the page itself, so a problem stays in view until it is fixed (not only after a save).
        extra_context = extra_context or {}
        if request.method == "GET" and str(object_id).isdigit():
            extra_context["workflow_problems"] = workflow_problems(int(object_id))
        return super().change_view(request, object_id, form_url, extra_context=extra_context)


@admin.register(Stage)
class StageAdmin(WarnAboutWorkflowShape, ExplainProtectedDeletes, admin.ModelAdmin):
    form = StageForm
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
class TransitionAdmin(WarnAboutWorkflowShape, admin.ModelAdmin):
    form = TransitionForm
    list_display = ["label", "workflow", "source", "target", "guard", "outcome", "comment_required", "owners_may_take"]
    list_filter = ["workflow", "guard", "outcome"]
    list_select_related = ["workflow", "source", "target"]
    # Changes take effect at once: idea pages and ideas.services read transitions fresh on each request.


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
