"""Joining up ideas: "We are working on this too", links between ideas, and merging a duplicate.

Every refusal is checked to change nothing (requests, links, contributors, co-owners,
follows, merges, stages, timelines and the outbox) and to say why.
"""

from __future__ import annotations

import pytest

from harrow_innovation.core.models import OutboxTask
from harrow_innovation.people.roles import Role
from ideas import services
from ideas.models import (
    Comment,
    Contributor,
    EventKind,
    Follow,
    Idea,
    IdeaEvent,
    IdeaLink,
    IdeaMerge,
    JoinRequest,
    LinkKind,
    Review,
    StageChange,
    StageKind,
)
from ideas.notices_joins import Kind
from ideas.services import WorkflowError
from notifications.models import Notification
from tests.factories import UserFactory, make_idea

pytestmark = pytest.mark.django_db


def state() -> tuple:
    """Everything a joining service could write."""
    return (
        list(JoinRequest.objects.order_by("pk").values_list("pk", "status", "joined_as", "decline_reason")),
        list(IdeaLink.objects.order_by("pk").values_list("from_idea", "to_idea", "kind")),
        list(Contributor.objects.order_by("pk").values_list("idea", "user")),
        list(Idea.co_owners.through.objects.order_by("pk").values_list("idea", "user")),
        list(Follow.objects.order_by("pk").values_list("idea", "user")),
        list(IdeaMerge.objects.values_list("merged", "survivor")),
        list(Idea.objects.order_by("pk").values_list("pk", "stage_id")),
        StageChange.objects.count(),
        IdeaEvent.objects.count(),
        OutboxTask.objects.count(),
    )


def refused(call, message: str) -> None:
    before = state()
    with pytest.raises(WorkflowError, match=message) as caught:
        call()
    assert "Nothing was changed." in str(caught.value)
    assert state() == before


def told(kind: str) -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient__full_name", flat=True))


@pytest.fixture
def falls(people):
    """Adult Social Care's falls idea, owned by the officer with a co-owner."""
    idea = make_idea(people["officer"], at="triage", title="Falls sensors for older residents")
    idea.co_owners.add(UserFactory(full_name="Cora Co-owner", roles=[Role.OFFICER]))
    return idea


@pytest.fixture
def housing(people):
    return make_idea(people["officer_other"], at="submitted", title="Falls alerts in sheltered housing")


# --- Requests to join ------------------------------------------------------------------------


def test_a_request_to_join_tells_the_owners_and_accepting_makes_a_contributor(people, falls, django_capture_on_commit_callbacks):
    other = people["officer_other"]
    with django_capture_on_commit_callbacks(execute=True):
        request = services.join_request_create(idea_id=falls.pk, by=other, message="We are piloting sensors in Housing.")
    assert told(Kind.JOIN_REQUESTED) == {"Olive Officer", "Cora Co-owner"}
    with django_capture_on_commit_callbacks(execute=True):
        services.join_request_accept(idea_id=falls.pk, request_id=request.pk, by=people["officer"],
                                     joined_as=JoinRequest.JoinAs.CONTRIBUTOR)
    request.refresh_from_db()
    assert (request.status, request.joined_as, request.decided_by) == ("accepted", "contributor", people["officer"])
    assert Contributor.objects.filter(idea=falls, user=other).exists()
    assert Follow.objects.filter(idea=falls, user=other).exists()
    assert not falls.co_owners.filter(pk=other.pk).exists()
    assert told(Kind.JOIN_ANSWERED) == {"Otto Other"}
    assert IdeaEvent.objects.filter(idea=falls, kind=EventKind.JOINED).count() == 2


def test_the_owner_may_accept_as_a_co_owner(people, falls):
    other = people["officer_other"]
    request = services.join_request_create(idea_id=falls.pk, by=other, message="Please")
    services.join_request_accept(idea_id=falls.pk, request_id=request.pk, by=falls.co_owners.get(),
                                 joined_as=JoinRequest.JoinAs.CO_OWNER)
    assert falls.co_owners.filter(pk=other.pk).exists()
    assert not Contributor.objects.filter(idea=falls, user=other).exists()


def test_declining_needs_a_reason_which_the_requester_is_told(people, falls, django_capture_on_commit_callbacks):
    request = services.join_request_create(idea_id=falls.pk, by=people["officer_other"], message="Please")
    refused(lambda: services.join_request_decline(idea_id=falls.pk, request_id=request.pk, by=people["officer"],
                                                  reason="  "), "Enter a reason for declining")
    with django_capture_on_commit_callbacks(execute=True):
        services.join_request_decline(idea_id=falls.pk, request_id=request.pk, by=people["officer"],
                                      reason="We have finished the pilot; talk to us in April.")
    request.refresh_from_db()
    assert request.status == "declined"
    notice = Notification.objects.get(kind=Kind.JOIN_ANSWERED)
    assert "talk to us in April" in notice.body and notice.recipient == people["officer_other"]
    # Once answered, a second answer (a double click, another owner) changes nothing.
    refused(lambda: services.join_request_accept(idea_id=falls.pk, request_id=request.pk, by=people["officer"],
                                                 joined_as="contributor"), "already been answered")


def test_bad_requests_to_join_are_refused_and_change_nothing(people, falls):
    officer, other = people["officer"], people["officer_other"]
    refused(lambda: services.join_request_create(idea_id=falls.pk, by=officer, message="Me"), "You already own this idea")
    refused(lambda: services.join_request_create(idea_id=falls.pk, by=falls.co_owners.get(), message="Me"),
            "You already own this idea")
    refused(lambda: services.join_request_create(idea_id=falls.pk, by=other, message="   "), "Enter a message")
    request = services.join_request_create(idea_id=falls.pk, by=other, message="Please")
    refused(lambda: services.join_request_create(idea_id=falls.pk, by=other, message="Again"), "already asked to join")
    services.join_request_accept(idea_id=falls.pk, request_id=request.pk, by=officer, joined_as="contributor")
    refused(lambda: services.join_request_create(idea_id=falls.pk, by=other, message="Again"), "already a contributor")
    # Someone who is not an owner cannot answer; a made-up role is refused.
    third = UserFactory(roles=[Role.OFFICER])
    pending = services.join_request_create(idea_id=falls.pk, by=third, message="Hello")
    refused(lambda: services.join_request_accept(idea_id=falls.pk, request_id=pending.pk, by=other,
                                                 joined_as="contributor"), "Only the idea's owners")
    refused(lambda: services.join_request_accept(idea_id=falls.pk, request_id=pending.pk, by=officer,
                                                 joined_as="boss"), "Choose whether")


def test_nobody_can_ask_to_join_an_idea_they_cannot_see(people):
    draft = make_idea(people["officer"], at="draft")
    secret = make_idea(people["officer"], at="triage", is_confidential=True)
    for idea in (draft, secret):
        refused(lambda idea=idea: services.join_request_create(idea_id=idea.pk, by=people["officer_other"], message="Hi"),
                "you may not see it")


# --- Links -----------------------------------------------------------------------------------


def test_an_owner_links_two_ideas_and_it_shows_on_both_timelines(people, falls, housing, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        link = services.idea_link_add(idea_id=housing.pk, other_id=falls.pk, kind=LinkKind.BUILDS_ON,
                                      by=people["officer_other"])
    assert (link.from_idea, link.to_idea, link.kind) == (housing, falls, "builds_on")
    assert IdeaEvent.objects.filter(idea=falls, kind=EventKind.LINKED).exists()
    assert IdeaEvent.objects.filter(idea=housing, kind=EventKind.LINKED).exists()
    assert told(Kind.IDEAS_LINKED) == {"Olive Officer", "Cora Co-owner"}
    # The owners of either idea may remove it; nobody else.
    refused(lambda: services.idea_link_remove(link_id=link.pk, by=people["secretary"]), "Only the owners of either idea")
    services.idea_link_remove(link_id=link.pk, by=people["officer"])
    assert not IdeaLink.objects.exists()
    refused(lambda: services.idea_link_remove(link_id=link.pk, by=people["officer"]), "already been removed")


def test_bad_links_are_refused_and_change_nothing(people, falls, housing):
    officer, other = people["officer"], people["officer_other"]
    refused(lambda: services.idea_link_add(idea_id=falls.pk, other_id=falls.pk, kind="related", by=officer),
            "cannot be linked to itself")
    refused(lambda: services.idea_link_add(idea_id=falls.pk, other_id=housing.pk, kind="enemy_of", by=officer),
            "Choose how the ideas are linked")
    refused(lambda: services.idea_link_add(idea_id=falls.pk, other_id=housing.pk, kind="related", by=other),
            "Only the idea's owners")
    services.idea_link_add(idea_id=falls.pk, other_id=housing.pk, kind="related", by=officer)
    refused(lambda: services.idea_link_add(idea_id=housing.pk, other_id=falls.pk, kind="builds_on", by=other),
            "already linked")
    secret = make_idea(people["secretary"], at="triage", is_confidential=True)
    draft = make_idea(people["officer_other"], at="draft")
    for hidden in (secret, draft):
        refused(lambda hidden=hidden: services.idea_link_add(idea_id=falls.pk, other_id=hidden.pk, kind="related",
                                                             by=officer), "you may not see it")


def test_a_chain_of_duplicates_that_would_loop_is_refused(people):
    officer = people["officer"]
    a, b, c = (make_idea(officer, at="triage", title=f"Idea {n}") for n in "ABC")
    services.idea_link_add(idea_id=a.pk, other_id=b.pk, kind=LinkKind.DUPLICATE_OF, by=officer)
    services.idea_link_add(idea_id=b.pk, other_id=c.pk, kind=LinkKind.DUPLICATE_OF, by=officer)
    refused(lambda: services.idea_link_add(idea_id=c.pk, other_id=a.pk, kind=LinkKind.DUPLICATE_OF, by=officer),
            "the chain would loop")
    # "Related" between the same two closes no chain of duplicates.
    services.idea_link_add(idea_id=c.pk, other_id=a.pk, kind=LinkKind.RELATED, by=officer)


# --- Merging ---------------------------------------------------------------------------------


def test_the_secretary_merges_a_duplicate(people, falls, housing, django_capture_on_commit_callbacks):
    secretary, other = people["secretary"], people["officer_other"]
    follower = UserFactory(full_name="Fay Follower", roles=[Role.OFFICER])
    Follow.objects.create(idea=housing, user=follower)
    Comment.objects.create(idea=housing, author=follower, body="Tried this in 2024")
    reviewer = UserFactory(roles=[Role.REVIEWER])
    review = Review.objects.create(idea=housing, stage=housing.stage, reviewer=reviewer, assigned_by=secretary)
    housing_stage = housing.stage
    with django_capture_on_commit_callbacks(execute=True):
        merge = services.idea_merge(merged_id=housing.pk, survivor_id=falls.pk, by=secretary,
                                    reason="The same sensors for the same residents.")
    housing.refresh_from_db()
    assert housing.stage.kind == StageKind.CLOSED and housing.stage.is_final and housing.stage.slug == "merged"
    assert (merge.merged, merge.survivor) == (housing, falls)
    change = StageChange.objects.get(idea=housing)
    assert (change.from_stage, change.to_stage, change.by) == (housing_stage, housing.stage, secretary)
    assert IdeaLink.objects.filter(from_idea=housing, to_idea=falls, kind=LinkKind.DUPLICATE_OF).exists()
    # People move to the survivor; records stay with the merged idea (and are listed on the survivor's page).
    assert Follow.objects.filter(idea=falls, user=follower).exists()
    assert Contributor.objects.filter(idea=falls, user=other, via="merge").exists()
    assert Comment.objects.filter(idea=housing).count() == 1
    review.refresh_from_db()
    assert review.status == Review.Status.CANCELLED
    assert IdeaEvent.objects.filter(idea=housing, kind=EventKind.MERGED).exists()
    assert IdeaEvent.objects.filter(idea=falls, kind=EventKind.MERGED).exists()
    assert told(Kind.IDEAS_MERGED) == {"Olive Officer", "Cora Co-owner", "Otto Other"}
    # A closed idea takes no more workflow moves.
    from tests.factories import transition
    with pytest.raises(WorkflowError, match="closed"):
        services.idea_move(idea_id=housing.pk, transition=transition(None, "withdrawn"), by=other)


def test_bad_merges_are_refused_and_change_nothing(people, falls, housing):
    secretary = people["secretary"]
    refused(lambda: services.idea_merge(merged_id=falls.pk, survivor_id=falls.pk, by=secretary, reason="x"),
            "cannot be merged into itself")
    refused(lambda: services.idea_merge(merged_id=housing.pk, survivor_id=falls.pk, by=secretary, reason=" "),
            "Enter why")
    refused(lambda: services.idea_merge(merged_id=housing.pk, survivor_id=falls.pk, by=people["officer"], reason="x"),
            "You cannot merge an idea you own")
    refused(lambda: services.idea_merge(merged_id=housing.pk, survivor_id=falls.pk, by=people["reviewer"], reason="x"),
            "Only the Board secretary")
    rejected = make_idea(people["officer"], at="rejected", title="Rejected falls idea")
    refused(lambda: services.idea_merge(merged_id=housing.pk, survivor_id=rejected.pk, by=secretary, reason="x"),
            "cannot be merged into a closed idea")
    # Falls is recorded as a duplicate of Housing: merging Housing into it would merge the original into its copy.
    services.idea_link_add(idea_id=falls.pk, other_id=housing.pk, kind=LinkKind.DUPLICATE_OF, by=people["officer"])
    refused(lambda: services.idea_merge(merged_id=housing.pk, survivor_id=falls.pk, by=secretary, reason="x"),
            "is recorded as a duplicate of")
    # ... and through a chain: a third idea is a duplicate of Falls, so of Housing too.
    third = make_idea(people["officer"], at="triage", title="Third falls idea")
    services.idea_link_add(idea_id=third.pk, other_id=falls.pk, kind=LinkKind.DUPLICATE_OF, by=people["officer"])
    refused(lambda: services.idea_merge(merged_id=housing.pk, survivor_id=third.pk, by=secretary, reason="x"),
            "is recorded as a duplicate of")
    services.idea_merge(merged_id=falls.pk, survivor_id=housing.pk, by=secretary, reason="Falls copies Housing")
    refused(lambda: services.idea_merge(merged_id=housing.pk, survivor_id=falls.pk, by=secretary, reason="x"),
            "closed")
    refused(lambda: services.idea_merge(merged_id=falls.pk, survivor_id=housing.pk, by=secretary, reason="x"),
            "already closed")


def test_the_merged_stage_is_not_reported_as_unreachable_in_the_workflow_checks(people, falls, housing):
    from ideas.workflow_checks import workflow_problems

    before = workflow_problems(falls.workflow_id)
    services.idea_merge(merged_id=housing.pk, survivor_id=falls.pk, by=people["secretary"], reason="Twice")
    assert workflow_problems(falls.workflow_id) == before
