"""What the ideas app tells people, and who hears it. Declared to ``notifications`` from ``IdeasConfig.ready``.

Each event function takes an id, is safe to run twice and returns how many
were told; ``ideas.tasks`` runs them after the change commits (the services
enqueue those tasks through the outbox). The periodic scans are in
``ideas.reminders``. ``notifications`` delivers, deduplicates and schedules;
it knows nothing of ideas.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import reverse

from harrow_innovation.people.roles import Role, holds_role
from notifications import events, kinds, schedules
from notifications.events import day, object_type, tell
from notifications.kinds import NoticeKind
from notifications.models import Channel

from .models import Comment, DataDependency, DataOutput, Idea, Review, StageChange, StageKind
from .permissions import can_view_idea


class Kind:
    """The ideas app's notice kinds (the codes are stored: never rename them)."""

    REVIEW_ASSIGNED = "review_assigned"
    REVIEW_OVERDUE = "review_overdue"
    STAGE_CHANGED = "stage_changed"
    COMMENT_ADDED = "comment_added"
    REVIEW_SUBMITTED = "review_submitted"
    IDEA_STALLED = "idea_stalled"
    DATA_VALUED = "data_valued"
    DATA_NEEDED = "data_needed"


KINDS = [
    NoticeKind(Kind.REVIEW_ASSIGNED, "You were asked to review an idea", "When you are asked to review an idea",
               "You are one of its reviewers.", Channel.IMMEDIATE, fixed=True, order=10),
    NoticeKind(Kind.REVIEW_OVERDUE, "A review is overdue", "When a review is overdue",
               "Reviewers are told first; the Board secretary is told if it is still not done a few days later.",
               Channel.IMMEDIATE, fixed=True, order=20),
    NoticeKind(Kind.STAGE_CHANGED, "An idea moved to a new stage",
               "When an idea you own or follow moves to a new stage", "For example, from triage to business case review.",
               Channel.IMMEDIATE, order=30),
    NoticeKind(Kind.COMMENT_ADDED, "A comment on an idea", "When someone comments on an idea you own or follow", "",
               Channel.DIGEST, order=40),
    NoticeKind(Kind.REVIEW_SUBMITTED, "A review you asked for is complete", "When a review you asked for is complete",
               "For the Board secretary.", Channel.DIGEST, order=60),
    NoticeKind(Kind.IDEA_STALLED, "An idea has been in its stage too long",
               "When an idea has been in its stage longer than allowed", "For the idea's owners and the Board secretary.",
               Channel.DIGEST, order=70),
    NoticeKind(Kind.DATA_VALUED, "An idea would produce data your department values",
               "When an idea would produce data valued by a department you are a data contact for",
               "Data contacts are chosen by admins for each department. You can follow the idea from its page.",
               Channel.IMMEDIATE, order=160),
    NoticeKind(Kind.DATA_NEEDED, "Another idea depends on your idea's data",
               "When another idea says it depends on a data output of an idea you own",
               "Your idea's page lists every idea that depends on its data and what each needs.",
               Channel.IMMEDIATE, order=165),
]

JOBS = [
    # The task names predate the scans' move to this app: beat rows in existing databases name them.
    schedules.Job("Remind reviewers of overdue reviews", "notifications.scan_overdue_reviews",
                  "Reviewers first, then the Board secretary a few days later.", at=(6, 30)),
    schedules.Job("Tell owners and the secretary about stalled ideas", "notifications.scan_stalled_ideas",
                  "Ideas that have stayed in a stage longer than the stage's allowance.", at=(6, 35)),
    schedules.Job("Work out overlaps between ideas", "ideas.refresh_stale_overlaps",
                  "Overlaps for the triage view, the overlaps spreadsheet and the idea export, for ideas never "
                  "checked or checked longer ago than OVERLAPS_MAX_AGE_HOURS (24), up to OVERLAPS_REFRESH_BATCH "
                  "(500) a run. Ideas are also checked as they are submitted or changed.", every_minutes=60),
]


def register() -> None:
    from .notices_joins import register as register_joins  # it imports this module's recipients

    kinds.declare(*KINDS)
    schedules.declare(*JOBS)
    register_joins()
    events.declare("ideas.data_valued", data_valued)
    events.declare("ideas.data_needed", data_needed)


# --- Who hears ----------------------------------------------------------------------


def secretary_ids() -> set[int]:
    return set(get_user_model().objects.filter(holds_role(Role.SECRETARY)).values_list("pk", flat=True))


def idea_owner_ids(idea) -> set[int]:
    return {idea.owner_id, *idea.co_owners.values_list("pk", flat=True)}


def idea_follower_ids(idea) -> set[int]:
    """Followers who may still see the idea (it may have become confidential since they followed it)."""
    followers = get_user_model().objects.filter(follows__idea=idea, is_active=True)
    if idea.stage.kind != StageKind.DRAFT and not idea.is_confidential:
        return set(followers.values_list("pk", flat=True))
    return {user.pk for user in followers if can_view_idea(user, idea)}


# --- Events -------------------------------------------------------------------------


def stage_changed(*, change_id: int) -> int:
    """Owners, co-owners and followers hear that an idea moved (not the person who moved it).

    A move that records an outcome (a Board decision) is not told to the owners
    as a stage change: they hear the decision itself, which the board publishes.
    """
    change = StageChange.objects.select_related("idea__stage", "from_stage", "to_stage", "by", "transition").filter(
        pk=change_id
    ).first()
    if change is None:
        return 0
    idea = change.idea
    people = idea_follower_ids(idea)
    if not (change.transition_id and change.transition.outcome):
        people |= idea_owner_ids(idea)
    people.discard(change.by_id)
    body = f"{change.by_name} moved it from {change.from_stage.name} to {change.to_stage.name}."
    if change.comment:
        body += f"\n\n{change.comment}"
    return tell(
        people, kind=Kind.STAGE_CHANGED, object_type=object_type(change), object_id=change.pk, due_date=day(change.at),
        title=f"“{idea.title}” is now at {change.to_stage.name}", body=body, url=idea.get_absolute_url(),
    )


def review_assigned(*, review_id: int) -> int:
    review = Review.objects.select_related("idea", "stage", "assigned_by").filter(pk=review_id).first()
    if review is None or review.status != Review.Status.ASSIGNED:
        return 0
    body = f"{review.assigned_by} asked you to review it at {review.stage.name}."
    if review.due_date:
        body += f" Please complete your review by {review.due_date:%-d %B %Y}."
    return tell(
        {review.reviewer_id}, kind=Kind.REVIEW_ASSIGNED, object_type=object_type(review), object_id=review.pk,
        due_date=day(review.assigned_at), title=f"Please review “{review.idea.title}”", body=body,
        url=reverse("ideas:review", kwargs={"review_pk": review.pk}),
    )


def review_submitted(*, review_id: int) -> int:
    review = Review.objects.select_related("idea", "reviewer").filter(pk=review_id).first()
    if review is None or review.status != Review.Status.SUBMITTED:
        return 0
    people = {review.assigned_by_id} - {review.reviewer_id}
    return tell(
        people, kind=Kind.REVIEW_SUBMITTED, object_type=object_type(review), object_id=review.pk,
        due_date=day(review.submitted_at), title=f"{review.reviewer} has reviewed “{review.idea.title}”",
        body=f"Weighted score {review.weighted_score} out of 5: “{review.get_recommendation_display()}”.",
        url=review.idea.get_absolute_url(),
    )


def comment_added(*, comment_id: int) -> int:
    comment = Comment.objects.select_related("idea__stage", "author").filter(pk=comment_id).first()
    if comment is None:
        return 0
    idea = comment.idea
    people = (idea_owner_ids(idea) | idea_follower_ids(idea)) - {comment.author_id}
    return tell(
        people, kind=Kind.COMMENT_ADDED, object_type=object_type(comment), object_id=comment.pk,
        due_date=day(comment.created_at), title=f"{comment.author} commented on “{idea.title}”",
        body=comment.body[:500], url=idea.get_absolute_url(),
    )


def data_valued(*, idea_id: int, output_id: int = 0) -> int:
    """The data contacts of each department that values the idea's data outputs (or of one output) hear of it.

    Published when an idea leaves its draft and when an output is added to an idea that has.
    Only contacts who may see the idea are told (never of a draft; of a confidential idea only
    those who may read it), and not its own owners. One notice per person and output, keyed on
    the day the idea was submitted, so running it again tells nobody twice.
    """
    idea = Idea.objects.select_related("stage", "owner").filter(pk=idea_id).first()
    if idea is None or idea.stage.kind == StageKind.DRAFT:
        return 0
    outputs = DataOutput.objects.filter(idea=idea).prefetch_related("valued_by__data_contacts")
    if output_id:
        outputs = outputs.filter(pk=output_id)
    owners = idea_owner_ids(idea)
    told = 0
    for output in outputs:
        contacts: dict[int, list[str]] = {}
        for department in output.valued_by.all():
            for contact in department.data_contacts.all():
                if contact.pk in owners or not can_view_idea(contact, idea):
                    continue
                contacts.setdefault(contact.pk, []).append(department.name)
        for person, departments in contacts.items():
            told += tell(
                {person}, kind=Kind.DATA_VALUED, object_type=object_type(output), object_id=output.pk,
                due_date=day(idea.submitted_at),
                title=f"“{idea.title}” would produce data valued by {', '.join(departments)}",
                body=(f"{idea.owner} put this idea forward. It would produce: {output.description}\n\n"
                      "Follow the idea from its page to hear when it moves on."),
                url=idea.get_absolute_url(),
            )
    return told


def data_needed(*, idea_id: int, dependency_id: int = 0) -> int:
    """The owners of an idea whose data output another idea depends on hear of it (of every need, or of one).

    Published when the depending idea leaves its draft, when a need is added to an idea that has, and when
    an idea stops being confidential. Only owners who may see the depending idea are told (never of a draft;
    of a confidential one only those who may read it), never the depending idea's own owners. One notice
    per person and need, keyed on the day the idea was submitted, so running it again tells nobody twice.
    """
    idea = Idea.objects.select_related("stage", "owner").filter(pk=idea_id).first()
    if idea is None or idea.stage.kind == StageKind.DRAFT:
        return 0
    needs = DataDependency.objects.filter(idea=idea).select_related("output__idea__owner", "output__idea__stage")
    if dependency_id:
        needs = needs.filter(pk=dependency_id)
    own = idea_owner_ids(idea)
    told = 0
    for need in needs:
        platform = need.output.idea
        people = {
            person.pk for person in get_user_model().objects.filter(pk__in=idea_owner_ids(platform) - own)
            if can_view_idea(person, idea)
        }
        told += tell(
            people, kind=Kind.DATA_NEEDED, object_type=object_type(need), object_id=need.pk,
            due_date=day(idea.submitted_at),
            title=f"“{idea.title}” depends on data from your idea “{platform.title}”",
            body=(f"{idea.owner} put this idea forward. It depends on: {need.output.description}\n\n"
                  f"What it needs: {need.need}\n\nYour idea's page lists every idea that depends on its data."),
            url=platform.get_absolute_url(),
        )
    return told
