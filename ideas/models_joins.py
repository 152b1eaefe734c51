"""Joining up ideas: contributors, requests to join, links between ideas and merges.

Kept apart from ``ideas.models`` (which imports this module at its end, so Django
finds these models) to keep that file's one schema readable. Written only by
``ideas.services.joins`` and ``ideas.services.merging``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone


class Contributor(models.Model):
    """Someone named as working on an idea without owning it: listed on the idea and told of its news."""

    class Via(models.TextChoices):
        JOIN = "join", "Asked to join"
        MERGE = "merge", "Worked on a merged idea"

    idea = models.ForeignKey("ideas.Idea", on_delete=models.CASCADE, related_name="contributors")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ideas_contributed")
    via = models.CharField(max_length=10, choices=Via.choices, default=Via.JOIN)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["idea", "user"], name="contributor_once")]

    def __str__(self) -> str:
        return f"{self.user_id} contributes to {self.idea_id}"


class JoinRequest(models.Model):
    """"We are working on this too": a request to the idea's owners, accepted (with a role) or declined (with a reason)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for the owners"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"

    class JoinAs(models.TextChoices):
        CONTRIBUTOR = "contributor", "Contributor"
        CO_OWNER = "co_owner", "Co-owner"

    idea = models.ForeignKey("ideas.Idea", on_delete=models.CASCADE, related_name="join_requests")
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="join_requests")
    message = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    joined_as = models.CharField(max_length=15, choices=JoinAs.choices, blank=True)
    decline_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["idea", "requester"], condition=Q(status="pending"), name="join_request_one_pending"
            ),
            models.CheckConstraint(condition=~Q(status="declined") | ~Q(decline_reason=""), name="join_decline_has_reason"),
            models.CheckConstraint(condition=~Q(status="accepted") | ~Q(joined_as=""), name="join_accept_has_role"),
        ]

    def __str__(self) -> str:
        return f"{self.requester_id} asks to join {self.idea_id} ({self.status})"


class LinkKind(models.TextChoices):
    RELATED = "related", "Related to"
    BUILDS_ON = "builds_on", "Builds on"
    DUPLICATE_OF = "duplicate_of", "Duplicate of"


# How each kind reads from the other end ("IDEA-2 builds on this idea").
LINK_KIND_REVERSED = {
    LinkKind.RELATED: "Related to",
    LinkKind.BUILDS_ON: "Built on by",
    LinkKind.DUPLICATE_OF: "Has a duplicate",
}


class IdeaLink(models.Model):
    """One idea linked to another by its owners: at most one link between any two ideas, either way round."""

    from_idea = models.ForeignKey("ideas.Idea", on_delete=models.CASCADE, related_name="links_out")
    to_idea = models.ForeignKey("ideas.Idea", on_delete=models.CASCADE, related_name="links_in")
    kind = models.CharField(max_length=15, choices=LinkKind.choices)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["from_idea", "to_idea"], name="idea_link_once"),
            models.CheckConstraint(condition=~Q(from_idea=F("to_idea")), name="idea_link_not_to_itself"),
        ]
        indexes = [models.Index(fields=["to_idea"], name="idealink_to")]

    def __str__(self) -> str:
        return f"{self.from_idea_id} {self.kind} {self.to_idea_id}"


class IdeaMerge(models.Model):
    """A duplicate idea merged by the secretary into the idea that carries on (the survivor)."""

    merged = models.OneToOneField("ideas.Idea", on_delete=models.CASCADE, related_name="merge")
    survivor = models.ForeignKey("ideas.Idea", on_delete=models.PROTECT, related_name="merges_in")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    reason = models.TextField()
    followers_copied = models.PositiveIntegerField(default=0)
    contributors_added = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [models.CheckConstraint(condition=~Q(merged=F("survivor")), name="idea_merge_not_into_itself")]

    def __str__(self) -> str:
        return f"{self.merged_id} merged into {self.survivor_id}"
