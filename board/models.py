"""The Innovation Board: members, meetings, agendas, declarations, decisions,
actions, minutes, and the agenda packs Celery builds.

board imports ideas; ideas never imports board.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from harrow_innovation.core.text import OneLineValidator
from ideas.models import Idea, Outcome, Stage, StageChange, money_validators


def clock(moment) -> str:
    """A time the GOV.UK way: 9am, 2:30pm, midday."""
    local = timezone.localtime(moment)
    if local.hour == 12 and local.minute == 0:
        return "midday"
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    return f"{hour}{suffix}" if local.minute == 0 else f"{hour}:{local.minute:02d}{suffix}"


def item_start_times(meeting, items) -> list:
    """When each item starts: the meeting's start plus the time given to the items before it.

    The one rule for the pack's agenda, the agenda page and the notice each presenter gets.
    ``items`` are in agenda order.
    """
    start = meeting.starts_at
    out = []
    for item in items:
        out.append(start)
        start += timedelta(minutes=item.minutes_allotted)
    return out


class Board(models.Model):
    name = models.CharField(max_length=120, unique=True, validators=[OneLineValidator("The name")])
    description = models.TextField(blank=True)
    default_location = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class BoardRole(models.TextChoices):
    CHAIR = "chair", "Chair"
    COUNCILLOR = "councillor", "Councillor"
    OFFICER_MEMBER = "officer_member", "Officer member"
    SECRETARY = "secretary", "Secretary"


class Membership(models.Model):
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="board_memberships")
    role = models.CharField(max_length=20, choices=BoardRole.choices)
    title = models.CharField(max_length=150, blank=True, help_text="For example, Portfolio Holder for Finance.")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["board", "role", "user__full_name"]
        constraints = [models.UniqueConstraint(fields=["board", "user"], name="membership_once")]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    AGENDA_PUBLISHED = "agenda_published", "Agenda published"
    HELD = "held", "Held"
    MINUTES_APPROVED = "minutes_approved", "Minutes approved"


class Meeting(models.Model):
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="meetings")
    title = models.CharField(max_length=150, blank=True, help_text="Blank: the board's name and the date.",
                             validators=[OneLineValidator("The title")])
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveIntegerField(default=120, validators=[MinValueValidator(15), MaxValueValidator(600)])
    location = models.CharField(max_length=200, blank=True, validators=[OneLineValidator("The place")])
    online_link = models.URLField(blank=True)
    status = models.CharField(max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED)
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, help_text="Stable id for calendars.")
    sequence = models.PositiveIntegerField(default=0, help_text="Calendar revision, raised on each change.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    held_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["board", "starts_at"], name="meeting_board_start")]

    def __str__(self) -> str:
        return self.display_title

    def get_absolute_url(self) -> str:
        return reverse("board:meeting", kwargs={"pk": self.pk})

    @property
    def display_title(self) -> str:
        if self.title:
            return self.title
        local = timezone.localtime(self.starts_at)
        return f"{self.board.name}, {local:%-d %B %Y}"

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def date_display(self) -> str:
        """GOV.UK style: Tuesday 12 May 2026."""
        return f"{timezone.localtime(self.starts_at):%A %-d %B %Y}"

    @property
    def time_display(self) -> str:
        """GOV.UK style: 2pm to 4:30pm."""
        return f"{clock(self.starts_at)} to {clock(self.ends_at)}"

    @property
    def is_upcoming(self) -> bool:
        return self.ends_at >= timezone.now()


class Attendance(models.Model):
    class Status(models.TextChoices):
        EXPECTED = "expected", "Expected"
        PRESENT = "present", "Present"
        APOLOGIES = "apologies", "Sent apologies"
        ABSENT = "absent", "Absent"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.EXPECTED)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["user__full_name"]
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="attendance_once")]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_status_display()}"


class AgendaItem(models.Model):
    class Kind(models.TextChoices):
        IDEA = "idea", "Idea for decision"
        FREE = "free", "Other item"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    idea = models.ForeignKey(Idea, on_delete=models.PROTECT, null=True, blank=True, related_name="agenda_items")
    stage_when_added = models.ForeignKey(
        Stage, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text="The idea's stage when it was put on the agenda: a decision needs it unchanged.",
    )
    title = models.CharField(max_length=200, validators=[OneLineValidator("The title")])
    description = models.TextField(blank=True, help_text="For other items: what the Board will hear.")
    presenter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    presenter_name = models.CharField(max_length=150, blank=True, help_text="If the presenter has no account.",
                                      validators=[OneLineValidator("The presenter's name")])
    minutes_allotted = models.PositiveIntegerField(default=15, validators=[MinValueValidator(1), MaxValueValidator(240)])
    recommendation = models.TextField(blank=True)
    carried_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="carried_to",
        help_text="The deferred item this one continues.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["meeting", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="idea", idea__isnull=False) | Q(kind="free", idea__isnull=True)),
                name="agenda_item_kind_matches_idea",
            ),
            models.UniqueConstraint(fields=["meeting", "idea"], condition=Q(idea__isnull=False), name="idea_once_per_agenda"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("board:paper", kwargs={"pk": self.pk})

    @property
    def presenter_display(self) -> str:
        return str(self.presenter) if self.presenter_id else self.presenter_name


class Declaration(models.Model):
    """A member's declaration of interest in an agenda item."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="declarations")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="declarations")
    nature = models.TextField(help_text="The nature of the interest.")
    leaves_room = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["item", "member"], name="declaration_once")]

    def __str__(self) -> str:
        return f"{self.member} on {self.item}"


class Decision(models.Model):
    item = models.OneToOneField(AgendaItem, on_delete=models.PROTECT, related_name="decision")
    outcome = models.CharField(max_length=40, choices=[c for c in Outcome.choices if c[0]])
    conditions = models.TextField(blank=True)
    park_until = models.DateField(null=True, blank=True)
    budget_allocated = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True, validators=money_validators)
    people_allocated = models.TextField(blank=True)
    external_support = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    stage_change = models.OneToOneField(StageChange, on_delete=models.PROTECT, null=True, blank=True, related_name="decision")

    class Meta:
        ordering = ["-recorded_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(outcome="park") | Q(park_until__isnull=False), name="park_needs_date"),
            models.CheckConstraint(
                condition=Q(budget_allocated__isnull=True) | Q(budget_allocated__gte=Decimal("0")), name="budget_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.get_outcome_display()}"


class Action(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    item = models.ForeignKey(AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions")
    description = models.TextField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="board_actions")
    due_date = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "pk"]
        indexes = [models.Index(fields=["owner", "status", "due_date"], name="action_owner_due")]

    def __str__(self) -> str:
        return self.description[:80]


class Minutes(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        APPROVED = "approved", "Approved"

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes")
    body = models.TextField(help_text="Plain text; paragraphs separated by blank lines.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    drafted_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_at_meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="minutes_approved_here"
    )
    pdf = models.FileField(upload_to="minutes/", blank=True)

    class Meta:
        verbose_name_plural = "minutes"

    def __str__(self) -> str:
        return f"Minutes of {self.meeting}"


class PackVersion(models.Model):
    """One build of a meeting's agenda pack. Earlier versions are kept and labelled."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        BUILDING = "building", "Building"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="packs")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    reason = models.CharField(max_length=300, help_text="Why this version was made, e.g. 'Agenda published'.")
    failure = models.TextField(blank=True, help_text="What went wrong, in words a secretary can act on.")
    warnings = models.JSONField(default=list, blank=True, help_text="Attachments skipped or flagged.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="packs/", blank=True)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    size = models.PositiveIntegerField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)
    content_hashes = models.JSONField(
        default=dict, blank=True, help_text="Hash of each paper and of the agenda this version was built from."
    )

    class Meta:
        ordering = ["meeting", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="pack_number_once"),
            models.CheckConstraint(condition=~Q(status="ready") | ~Q(file=""), name="ready_pack_has_file"),
        ]

    def __str__(self) -> str:
        return f"Pack v{self.number} for {self.meeting}"


class PaperRender(models.Model):
    """A rendered paper, keyed by a hash of its content, so a rebuild renders only what changed."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="renders")
    content_hash = models.CharField(max_length=64)
    file = models.FileField(upload_to="papers/")
    page_count = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "content_hash"], name="render_once_per_content")]

    def __str__(self) -> str:
        return f"Render of {self.item_id} ({self.content_hash[:8]})"


class MeetingLog(models.Model):
    """The audit trail of a meeting: one row per change made through board.services."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="log")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    action = models.CharField(max_length=50, help_text="What was done, e.g. 'agenda.published'.")
    summary = models.CharField(max_length=300)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["meeting", "-at"], name="meetinglog_meeting_at")]

    def __str__(self) -> str:
        return self.summary


class CalendarFeedToken(models.Model):
    """A person's calendar feed address, so calendar apps can subscribe without signing in.

    Only the SHA-256 of the secret in the address is stored (core.hashed_secrets):
    the address is shown once, when it is made, and can be made again.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="board_calendar_token")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "calendar feed token"

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"



from .pack_opened import PackOpened  # noqa: E402, F401 - the reminders' record of who opened a pack
