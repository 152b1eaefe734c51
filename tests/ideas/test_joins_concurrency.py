"""Two secretaries merging A into B and B into A at once, on two real PostgreSQL connections.

The merge locks both ideas in id order, so the second waits for the first (never a
deadlock), then finds its survivor closed and is told; nothing of it is half-done.
"""

from __future__ import annotations

import pytest

from harrow_innovation.core.models import OutboxTask
from harrow_innovation.people.roles import Role
from ideas import services
from ideas.models import EventKind, IdeaEvent, IdeaLink, IdeaMerge, JoinRequest, StageChange
from ideas.services import WorkflowError
from tests.concurrency import hold_then_race
from tests.factories import UserFactory, make_idea
from tests.services import need_postgres

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("holder_merges_lower_id", [True, False])
def test_two_secretaries_merging_each_way_at_once_one_succeeds_the_other_is_told(people, holder_merges_lower_id):
    need_postgres()
    first_secretary, second_secretary = people["secretary"], UserFactory(roles=[Role.OFFICER, Role.SECRETARY])
    a = make_idea(people["officer"], at="triage", title="Falls sensors (Adult Social Care)")
    b = make_idea(people["officer_other"], at="triage", title="Falls sensors (Housing)")
    if not holder_merges_lower_id:
        a, b = b, a

    merged, refused = hold_then_race(
        lambda: services.idea_merge(merged_id=a.pk, survivor_id=b.pk, by=first_secretary, reason="Same idea"),
        lambda: services.idea_merge(merged_id=b.pk, survivor_id=a.pk, by=second_secretary, reason="Same idea"),
    )

    assert isinstance(merged, IdeaMerge), merged
    assert isinstance(refused, WorkflowError), refused
    assert "closed" in str(refused) and "Nothing was changed." in str(refused)
    assert list(IdeaMerge.objects.values_list("merged", "survivor")) == [(a.pk, b.pk)]
    assert StageChange.objects.filter(idea=b).count() == 0
    assert list(StageChange.objects.values_list("idea", flat=True)) == [a.pk]
    assert list(IdeaLink.objects.values_list("from_idea", "to_idea")) == [(a.pk, b.pk)]
    assert IdeaEvent.objects.filter(kind=EventKind.MERGED).count() == 2  # one line on each timeline, from the winner
    published = OutboxTask.objects.filter(task_name="notifications.publish", args__0="ideas.ideas_merged")
    assert published.count() == 1


def test_two_owners_answering_the_same_request_at_once_one_answer_counts(people):
    need_postgres()
    owner = people["officer"]
    co_owner = UserFactory(roles=[Role.OFFICER])
    idea = make_idea(owner, at="triage")
    idea.co_owners.add(co_owner)
    request = services.join_request_create(idea_id=idea.pk, by=people["officer_other"], message="Let us join")

    accepted, declined = hold_then_race(
        lambda: services.join_request_accept(idea_id=idea.pk, request_id=request.pk, by=owner, joined_as="contributor"),
        lambda: services.join_request_decline(idea_id=idea.pk, request_id=request.pk, by=co_owner, reason="No room"),
    )

    assert isinstance(accepted, JoinRequest), accepted
    assert isinstance(declined, WorkflowError) and "already been answered" in str(declined)
    request.refresh_from_db()
    assert (request.status, request.decline_reason) == ("accepted", "")
