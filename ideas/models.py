"""Ideas, the admin-configured workflow they move through, and their reviews.

The workflow is data, not code: admins add stages and transitions in Django
admin and ideas can take them at once. Every write goes through
``ideas.services``; reads for pages go through ``ideas.selectors``.

Kept whole because the workflow, ideas and reviews are one schema whose tables point at each
other (an idea's stage, a transition's guards, a review's scores); it reads best as one file.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from harrow_innovation.core.text import OneLineValidator
from harrow_innovation.people.models import Department
from harrow_innovation.people.roles import Role

MAX_MONEY = Decimal("100000000")  # £100m: anything above is a typing mistake at council scale
money_validators = [MinValueValidator(Decimal("0")), MaxValueValidator(MAX_MONEY)]
MAX_PROJECTS = 500  # integration projects at once on one system: more is a typing mistake


def MoneyField(verbose_name: str, **kwargs) -> models.DecimalField:  # noqa: N802 - reads like a field class
    return models.DecimalField(
        verbose_name, max_digits=12, decimal_places=2, null=True, blank=True, validators=money_validators, **kwargs
    )


class CentralSystem(models.Model):
    """A system or server that ideas integrate with (admin-managed register)."""

    name = models.CharField(max_length=120, unique=True, validators=[OneLineValidator("The name")])
    slug = models.SlugField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    owner_department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="central_systems"
    )
    is_active = models.BooleanField(default=True)
    # Thresholds admins set for the load ideas put on the system (ideas/system_load.py). Blank: no threshold.
    integration_budget = models.DecimalField(
        "integration spend it can take in a year (£)", max_digits=12, decimal_places=2, null=True, blank=True,
        validators=[
            MinValueValidator(Decimal("1"), message="Give at least £1 a year, or leave it blank for no threshold."),
            MaxValueValidator(MAX_MONEY, message="Give £100,000,000 or less: check for a typing mistake."),
        ],
        help_text="The integration cost of approved and in-delivery work the system's team can absorb in a year. "
                  "Leave blank for no limit.",
    )
    max_projects = models.PositiveSmallIntegerField(
        "integration projects it can take at once", null=True, blank=True,
        validators=[
            MinValueValidator(1, message="Give at least 1 project, or leave it blank for no threshold."),
            MaxValueValidator(MAX_PROJECTS, message=f"Give {MAX_PROJECTS} projects or fewer: check for a typing mistake."),
        ],
        help_text="How many approved or in-delivery ideas can integrate with it at the same time. "
                  "Leave blank for no limit.",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(integration_budget__isnull=True)
                | Q(integration_budget__gte=Decimal("1"), integration_budget__lte=MAX_MONEY),
                name="system_budget_in_range",
            ),
            models.CheckConstraint(
                condition=Q(max_projects__isnull=True) | Q(max_projects__gte=1, max_projects__lte=MAX_PROJECTS),
                name="system_max_projects_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name


# --- Workflow -------------------------------------------------------------------


class Workflow(models.Model):
    name = models.CharField(max_length=120, unique=True, validators=[OneLineValidator("The name")])
    description = models.TextField(blank=True)
    is_default = models.BooleanField(default=False, help_text="New ideas follow the default workflow.")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["is_default"], condition=Q(is_default=True), name="one_default_workflow"),
        ]

    def __str__(self) -> str:
        return self.name

    def initial_stage(self) -> Stage:
        return self.stages.get(is_initial=True)


class StageKind(models.TextChoices):
    DRAFT = "draft", "Draft (only its owners can see it)"
    REVIEW = "review", "Review"
    BOARD = "board", "Waiting for the Board"
    DECISION = "decision", "Board decision"
    DELIVERY = "delivery", "Delivery"
    CLOSED = "closed", "Closed"


class Stage(models.Model):
    workflow = models.ForeignKey(Workflow, on_delete=models.CASCADE, related_name="stages")
    name = models.CharField(max_length=80, validators=[OneLineValidator("The name")])
    slug = models.SlugField(max_length=80)
    description = models.CharField(max_length=300, blank=True, help_text="Shown to officers: what happens here.")
    order = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=20, choices=StageKind.choices, default=StageKind.REVIEW)
    is_initial = models.BooleanField(default=False, help_text="New ideas start here (one per workflow).")
    is_final = models.BooleanField(default=False, help_text="No moves out of this stage.")
    days_allowed = models.PositiveIntegerField(
        null=True, blank=True, help_text="Days an idea may stay here before a reminder is due. Blank: no reminder."
    )
    ready_for_board = models.BooleanField(default=False, help_text="Ideas here can be put on a Board agenda.")
    reviewer_role = models.CharField(
        max_length=20, choices=Role.choices, blank=True, help_text="Which role reviews ideas in this stage, if any."
    )
    owners_may_edit = models.BooleanField(default=False, help_text="Owners may still change the idea here.")

    class Meta:
        ordering = ["workflow", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["workflow", "slug"], name="stage_slug_unique_in_workflow"),
            models.UniqueConstraint(fields=["workflow"], condition=Q(is_initial=True), name="one_initial_stage"),
            models.CheckConstraint(condition=~Q(is_initial=True, is_final=True), name="stage_not_initial_and_final"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_draft(self) -> bool:
        return self.kind == StageKind.DRAFT


class Guard(models.TextChoices):
    NONE = "", "None"
    BUSINESS_CASE_COMPLETE = "business_case_complete", "The idea's required answers are complete"
    REVIEWER_ASSIGNED = "reviewer_assigned", "At least one reviewer is assigned for this stage"
    ALL_REVIEWS_COMPLETE = "all_reviews_complete", "All reviews assigned for this stage are complete"


class Outcome(models.TextChoices):
    """Board decisions a transition can carry out (used by the board app)."""

    NONE = "", "Not a Board decision"
    APPROVE = "approve", "Approve"
    APPROVE_WITH_CONDITIONS = "approve_with_conditions", "Approve with conditions"
    PARK = "park", "Park until a date"
    REJECT = "reject", "Reject"
    DEFER = "defer", "Defer to a later meeting"
    MORE_INFORMATION = "more_information", "Ask for more information"


class Transition(models.Model):
    """An allowed move between two stages. A blank source means "from any open stage"."""

    workflow = models.ForeignKey(Workflow, on_delete=models.CASCADE, related_name="transitions")
    source = models.ForeignKey(
        Stage,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transitions_out",
        help_text="Blank: from any stage that is not final (for example, withdrawal).",
    )
    target = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="transitions_in")
    label = models.CharField(max_length=80, help_text="The words on the button, e.g. 'Send to business case review'.")
    allowed_roles = models.JSONField(
        default=list, blank=True, help_text="Roles that may take this move: officer, reviewer, secretary, board_member, admin."
    )
    owners_may_take = models.BooleanField(default=False, help_text="The idea's owners and co-owners may take it.")
    comment_required = models.BooleanField(default=False)
    guard = models.CharField(max_length=40, choices=Guard.choices, blank=True, default=Guard.NONE)
    outcome = models.CharField(max_length=40, choices=Outcome.choices, blank=True, default=Outcome.NONE)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["workflow", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="transition_unique_pair"),
            models.CheckConstraint(condition=~Q(source=models.F("target")), name="transition_not_to_itself"),
        ]

    def __str__(self) -> str:
        source = self.source.name if self.source_id else "Any open stage"
        return f"{source} → {self.target.name}: {self.label}"

    def clean(self) -> None:
        errors = {}
        if self.source_id and self.source.workflow_id != self.workflow_id:
            errors["source"] = "The source stage belongs to another workflow."
        if self.target_id and self.target.workflow_id != self.workflow_id:
            errors["target"] = "The target stage belongs to another workflow."
        if self.source_id and self.source.is_final:
            errors["source"] = "Nothing can move out of a final stage."
        if self.target_id and self.target.is_initial:
            errors["target"] = "Ideas cannot move back to the initial draft stage."
        bad_roles = [r for r in self.allowed_roles or [] if r not in Role.values]
        if bad_roles:
            errors["allowed_roles"] = f"Unknown roles: {', '.join(bad_roles)}. Use: {', '.join(Role.values)}."
        if not self.allowed_roles and not self.owners_may_take:
            errors["allowed_roles"] = "Say who may take this move: at least one role, or the idea's owners."
        if errors:
            raise ValidationError(errors)

    def applies_from(self, stage: Stage) -> bool:
        if self.source_id is None:
            return not stage.is_final and stage.workflow_id == self.workflow_id and stage.pk != self.target_id
        return self.source_id == stage.pk


# --- Ideas ----------------------------------------------------------------------


class Source(models.TextChoices):
    WORKSHOP = "workshop", "A workshop"
    TEAM = "team", "A team already working on it"
    CAMPAIGN = "campaign", "A campaign or call for ideas"
    INDIVIDUAL = "individual", "An individual"
    OTHER = "other", "Somewhere else"


class Idea(models.Model):
    # About the idea
    title = models.CharField(max_length=150, validators=[OneLineValidator("The title")])
    problem = models.TextField("the problem and who has it", blank=True)
    solution = models.TextField("the proposed solution", blank=True)
    departments = models.ManyToManyField(Department, blank=True, related_name="ideas_served")
    services = models.CharField("services it serves", max_length=300, blank=True)
    source = models.CharField("where the idea came from", max_length=20, choices=Source.choices, blank=True)
    source_detail = models.CharField(max_length=200, blank=True)
    # Business case
    cash_savings_per_year = MoneyField("cash savings per year")
    other_benefits = models.TextField(blank=True)
    one_off_cost = MoneyField("one-off cost")
    recurring_cost = MoneyField("recurring cost per year")
    timescale = models.CharField(max_length=200, blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    risks = models.TextField(blank=True)
    future_proofing = models.TextField("how it stays future-proof", blank=True)
    # Resources: staff time and partners are rows (ideas.resource_models)
    # People and access
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ideas_owned")
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="ideas",
        help_text="The owner's department when the idea was created.",
    )
    co_owners = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="ideas_co_owned")
    is_confidential = models.BooleanField(default=False)
    # Workflow
    workflow = models.ForeignKey(Workflow, on_delete=models.PROTECT, related_name="ideas")
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="ideas")
    stage_entered_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    parked_until = models.DateField(null=True, blank=True)
    # Kept up to date by services so lists sort and filter without joins
    weighted_score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    review_count = models.PositiveIntegerField(default=0)
    integration_cost = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0"))
    search_text = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(m2m_fields=[departments, co_owners], excluded_fields=["search_text", "updated_at"])

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["stage", "-created_at"], name="idea_stage_created"),
            models.Index(fields=["-submitted_at"], name="idea_submitted"),
            models.Index(fields=["-weighted_score"], name="idea_score"),
            models.Index(fields=["owner"], name="idea_owner"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="idea_dates_in_order",
            ),
            models.CheckConstraint(
                condition=(
                    (Q(cash_savings_per_year__isnull=True) | Q(cash_savings_per_year__gte=0))
                    & (Q(one_off_cost__isnull=True) | Q(one_off_cost__gte=0))
                    & (Q(recurring_cost__isnull=True) | Q(recurring_cost__gte=0))
                ),
                name="idea_money_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    def save(self, *args, **kwargs):
        self.search_text = " ".join(part for part in (self.title, self.problem, self.solution) if part)
        if "update_fields" in kwargs and kwargs["update_fields"] is not None:
            fields = set(kwargs["update_fields"])
            if fields & {"title", "problem", "solution"}:
                fields.add("search_text")
            kwargs["update_fields"] = fields
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("ideas:detail", kwargs={"pk": self.pk})

    @property
    def reference(self) -> str:
        return f"IDEA-{self.pk:05d}" if self.pk else "IDEA-new"

    @property
    def total_one_off_cost(self) -> Decimal:
        return (self.one_off_cost or Decimal("0")) + (self.integration_cost or Decimal("0"))


class IdeaTally(models.Model):
    """How many ideas are in each stage, confidential or not: the idea list's total without counting every row.

    Kept exact by PostgreSQL triggers on ``ideas_idea`` (migration 0004), in the
    same transaction as the change, whatever makes it (services, admin, bulk
    loads, raw SQL). Read only by ``ideas.selectors.count_ideas``; on SQLite
    (laptop mode) there are no triggers and the list counts its rows instead.
    """

    stage_id = models.BigIntegerField()  # not a foreign key: a zero row must not stop an unused stage being deleted
    is_confidential = models.BooleanField()
    ideas = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["stage_id", "is_confidential"], name="idea_tally_key")]

    def __str__(self) -> str:
        return f"stage {self.stage_id}{' (confidential)' if self.is_confidential else ''}: {self.ideas}"


class IdeaTerm(models.Model):
    """One word (or pair of title words) of an idea's title or problem: the postings of the similar-ideas lookup.

    Kept exact by PostgreSQL triggers on ``ideas_idea`` (migration 0008), in the
    same transaction as the change, whatever makes it. Read only by
    ``ideas.similarity``, which reads a bounded number of postings per word of
    the probe (see there). SQLite (laptop mode) has the table but no triggers.
    """

    pk = models.CompositePrimaryKey("term", "idea")
    term = models.CharField(max_length=100)
    # Rows go with their idea by the trigger, in the database, so the ORM has nothing to collect.
    idea = models.ForeignKey(Idea, on_delete=models.DO_NOTHING, related_name="+")

    def __str__(self) -> str:
        return f"{self.term}: {self.idea_id}"


class IdeaCentralSystem(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="system_links")
    system = models.ForeignKey(CentralSystem, on_delete=models.PROTECT, related_name="idea_links")
    integration_note = models.TextField(blank=True)
    integration_cost = models.DecimalField(
        max_digits=12, decimal_places=2, default=Decimal("0"), validators=money_validators
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["system__name"]
        constraints = [
            models.UniqueConstraint(fields=["idea", "system"], name="idea_system_once"),
            models.CheckConstraint(condition=Q(integration_cost__gte=0), name="integration_cost_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.idea_id} → {self.system}"


class DataOutput(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="data_outputs")
    description = models.CharField("what data it would produce", max_length=300)
    valued_by = models.ManyToManyField(Department, blank=True, related_name="data_outputs_valued")

    history = HistoricalRecords(m2m_fields=[valued_by])

    class Meta:
        ordering = ["pk"]
        # The portfolio's data register lists outputs in this order, a page at a time.
        indexes = [models.Index(fields=["description", "id"], name="dataoutput_description")]

    def __str__(self) -> str:
        return self.description


class DataDependency(models.Model):
    """An idea needs another idea's data output (for example from a cross-department data platform).

    The platform idea shows who depends on it and what they need. The services refuse an
    idea depending on its own output and an output the person cannot see.
    """

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="data_dependencies")
    output = models.ForeignKey(DataOutput, on_delete=models.CASCADE, related_name="dependants")
    need = models.CharField("what they need from it", max_length=500)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["idea", "output"], name="data_dependency_once")]

    def __str__(self) -> str:
        return f"{self.idea_id} needs data output {self.output_id}"


def attachment_path(instance: Attachment, filename: str) -> str:
    # Stored under a generated name: nothing the uploader typed reaches the filesystem.
    return f"attachments/{uuid.uuid4().hex}"


class AttachmentKind(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "Word document"
    XLSX = "xlsx", "Excel spreadsheet"
    PNG = "png", "PNG image"
    JPEG = "jpeg", "JPEG image"


class Attachment(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=200)
    original_name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=AttachmentKind.choices)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    is_removed = models.BooleanField(default=False)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


# Who made a move that nobody made by hand (the nightly return of parked ideas): no user, this name.
SYSTEM_ACTOR_NAME = "The system"


class StageChange(models.Model):
    """One move of an idea: who (no one: the system, carrying out a Board decision), when, from where to where, and why."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="stage_changes")
    transition = models.ForeignKey(Transition, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    from_stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="+")
    to_stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["idea", "at"], name="stagechange_idea_at")]

    def __str__(self) -> str:
        return f"{self.idea_id}: {self.from_stage} → {self.to_stage}"

    @property
    def by_name(self) -> str:
        return str(self.by) if self.by_id else SYSTEM_ACTOR_NAME


class EventKind(models.TextChoices):
    CREATED = "created", "Created"
    EDITED = "edited", "Edited"
    MOVED = "moved", "Moved"
    COMMENTED = "commented", "Commented"
    REVIEW_ASSIGNED = "review_assigned", "Reviewer assigned"
    REVIEWED = "reviewed", "Reviewed"
    ATTACHMENT = "attachment", "Attachment"
    DECISION = "decision", "Board decision"
    AGENDA = "agenda", "On a Board agenda"
    DELIVERY = "delivery", "Delivery update"
    JOINED = "joined", "People joined"
    LINKED = "linked", "Linked ideas"
    MERGED = "merged", "Merged"


class IdeaEvent(models.Model):
    """The idea's timeline: one row per thing that happened, written by services."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30, choices=EventKind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    summary = models.CharField(max_length=300)
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["idea", "-at"], name="ideaevent_idea_at")]

    def __str__(self) -> str:
        return self.summary


class Comment(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Comment {self.pk} on {self.idea_id}"


class Follow(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["idea", "user"], name="follow_once")]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.idea_id}"


# --- Reviews --------------------------------------------------------------------


class Criterion(models.Model):
    """A scoring criterion from the Board's mandate, with its weight."""

    name = models.CharField(max_length=120, unique=True, validators=[OneLineValidator("The name")])
    description = models.TextField(blank=True, help_text="What a reviewer should look for.")
    weight = models.PositiveIntegerField(default=1, validators=[MinValueValidator(1), MaxValueValidator(100)])
    order = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name_plural = "criteria"
        constraints = [models.CheckConstraint(condition=Q(weight__gte=1), name="criterion_weight_positive")]

    def __str__(self) -> str:
        return self.name


class Recommendation(models.TextChoices):
    PROCEED = "proceed", "Take it forward"
    PROCEED_WITH_CHANGES = "proceed_with_changes", "Take it forward with changes"
    MORE_INFORMATION = "more_information", "Needs more information"
    DO_NOT_PROCEED = "do_not_proceed", "Do not take it forward"


class Review(models.Model):
    """A reviewer's assignment for an idea in a stage, and, once submitted, their scores."""

    class Status(models.TextChoices):
        ASSIGNED = "assigned", "Waiting for review"
        SUBMITTED = "submitted", "Complete"
        CANCELLED = "cancelled", "Cancelled"

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="reviews")
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(default=timezone.now)
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ASSIGNED)
    recommendation = models.CharField(max_length=30, choices=Recommendation.choices, blank=True)
    comment = models.TextField(blank=True)
    weighted_score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["assigned_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["idea", "stage", "reviewer"], name="review_once_per_stage"),
            models.CheckConstraint(
                condition=Q(status="submitted", submitted_at__isnull=False) | ~Q(status="submitted"),
                name="submitted_review_has_time",
            ),
        ]
        indexes = [models.Index(fields=["reviewer", "status"], name="review_queue")]

    def __str__(self) -> str:
        return f"Review of {self.idea_id} by {self.reviewer_id}"


class Score(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    score = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    weight = models.PositiveIntegerField(help_text="The criterion's weight when the score was given.")

    class Meta:
        ordering = ["criterion__order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="score_once_per_criterion"),
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="score_between_1_and_5"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.score}"


# Contributors, requests to join, links and merges (kept in their own module; imported so Django finds them).
from .models_joins import Contributor, IdeaLink, IdeaMerge, JoinRequest, LinkKind  # noqa: E402, F401
from .models_overlaps import KeptOverlap, OverlapCheck  # noqa: E402,F401 - Django finds them here
from .resource_models import ExternalResource, ResourceAsk, ResourceAskQuarter  # noqa: E402,F401 - Django finds them here
