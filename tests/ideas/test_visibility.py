"""Who sees which idea: permissions.can_view_idea (one idea) and selectors.visible_ideas
(lists, through permissions.visible_filter) must both follow the rules, for every role
and kind of idea, and so always agree.

Rules (issue 3, §6): drafts only for the owner and co-owners; submitted ideas for all
signed-in staff unless confidential; confidential ones for owners, reviewers assigned
to it (not cancelled), the secretary, Board members and admins. Closed accounts see nothing.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from harrow_innovation.people.roles import ROLE_PERMISSIONS, Role
from ideas import permissions, selectors, services
from ideas.admin import IdeaAdmin
from ideas.models import Idea, Review
from tests.factories import UserFactory, make_idea, transition

pytestmark = pytest.mark.django_db

EVERYONE = {"owner", "co_owner", "officer_other", "reviewer_assigned", "reviewer_not_assigned", "secretary", "board_member", "admin"}
OWNERS = {"owner", "co_owner"}
CONFIDENTIAL_READERS = OWNERS | {"secretary", "board_member", "admin"}

# idea kind → who may see it (anonymous never may)
EXPECTED = {
    "draft": OWNERS,
    "confidential_draft": OWNERS,
    "submitted": EVERYONE,
    "withdrawn": EVERYONE,
    "confidential": CONFIDENTIAL_READERS,
    "confidential_with_assigned_reviewer": CONFIDENTIAL_READERS | {"reviewer_assigned"},
    "confidential_with_submitted_review": CONFIDENTIAL_READERS | {"reviewer_assigned"},
    "confidential_with_cancelled_review": CONFIDENTIAL_READERS,
}


@pytest.fixture
def users(people):
    co_owner = UserFactory(full_name="Cora Co-owner", roles=[Role.OFFICER])
    return {
        "anonymous": AnonymousUser(),
        "owner": people["officer"],
        "co_owner": co_owner,
        "officer_other": people["officer_other"],
        "reviewer_assigned": people["reviewer"],
        "reviewer_not_assigned": UserFactory(full_name="Ned Notassigned", roles=[Role.OFFICER, Role.REVIEWER]),
        "secretary": people["secretary"],
        "board_member": people["board_member"],
        "admin": people["admin"],
    }


@pytest.fixture
def ideas(users):
    owner, secretary, reviewer = users["owner"], users["secretary"], users["reviewer_assigned"]

    def idea(kind, at, **fields):
        made = make_idea(owner, at=at, title=kind.replace("_", " "), **fields)
        made.co_owners.add(users["co_owner"])
        return made

    made = {
        "draft": idea("draft", "draft"),
        "confidential_draft": idea("confidential_draft", "draft", is_confidential=True),
        "submitted": idea("submitted", "submitted"),
        "withdrawn": idea("withdrawn", "triage"),
        "confidential": idea("confidential", "triage", is_confidential=True),
        "confidential_with_assigned_reviewer": idea("confidential_with_assigned_reviewer", "business-case-review", is_confidential=True),
        "confidential_with_submitted_review": idea("confidential_with_submitted_review", "business-case-review", is_confidential=True),
        "confidential_with_cancelled_review": idea("confidential_with_cancelled_review", "business-case-review", is_confidential=True),
    }
    services.idea_move(idea_id=made["withdrawn"].pk, transition=transition(None, "withdrawn"), by=owner, comment="Done elsewhere.")
    services.review_assign(idea_id=made["confidential_with_assigned_reviewer"].pk, reviewer=reviewer, by=secretary)
    submitted = services.review_assign(idea_id=made["confidential_with_submitted_review"].pk, reviewer=reviewer, by=secretary)
    from ideas.models import Criterion, Recommendation

    services.review_submit(
        review_id=submitted.pk, by=reviewer, scores={c.pk: 3 for c in Criterion.objects.filter(is_active=True)},
        recommendation=Recommendation.PROCEED, comment="",
    )
    cancelled = services.review_assign(idea_id=made["confidential_with_cancelled_review"].pk, reviewer=reviewer, by=secretary)
    services.review_cancel(review_id=cancelled.pk, by=secretary)
    # The other reviewer reviews an unrelated confidential idea: that must not open these.
    unrelated = make_idea(users["officer_other"], at="business-case-review", title="Unrelated", is_confidential=True)
    services.review_assign(idea_id=unrelated.pk, reviewer=users["reviewer_not_assigned"], by=secretary)
    return made


def fresh(idea: Idea) -> Idea:
    """A newly loaded idea, so permission checks read the database, not a cached relation."""
    return Idea.objects.select_related("stage").get(pk=idea.pk)


def visible_titles(user) -> set[str]:
    return set(selectors.visible_ideas(user=user).values_list("title", flat=True))


@pytest.mark.parametrize("who", ["anonymous", *sorted(EVERYONE)])
def test_each_role_sees_exactly_the_ideas_the_rules_allow(users, ideas, who):
    user = users[who]
    listed = set(selectors.visible_ideas(user=user).filter(pk__in=[i.pk for i in ideas.values()]).values_list("pk", flat=True))
    for kind, idea in ideas.items():
        expected = who in EXPECTED[kind]
        assert permissions.can_view_idea(user, fresh(idea)) is expected, f"can_view_idea: {who} / {kind}"
        assert (idea.pk in listed) is expected, f"visible_ideas: {who} / {kind}"


def test_the_list_and_the_single_idea_check_agree_for_every_pair(users, ideas):
    everything = list(Idea.objects.all())
    for user in users.values():
        listed = set(selectors.visible_ideas(user=user).values_list("pk", flat=True))
        single = {idea.pk for idea in everything if permissions.can_view_idea(user, fresh(idea))}
        assert listed == single


def test_visible_ideas_lists_each_idea_once(users, ideas):
    # Two co-owners and two reviews on one idea must not duplicate it through joins.
    idea = ideas["confidential_with_assigned_reviewer"]
    idea.co_owners.add(users["officer_other"])
    services.review_assign(idea_id=idea.pk, reviewer=users["reviewer_not_assigned"], by=users["secretary"])
    for user in users.values():
        qs = selectors.visible_ideas(user=user)
        assert qs.count() == qs.values("pk").distinct().count()


@pytest.mark.parametrize("who", sorted(EVERYONE))
def test_a_closed_account_sees_nothing(users, ideas, who):
    user = users[who]
    user.is_active = False
    user.save(update_fields=["is_active"])
    user.__dict__.pop("role_names", None)
    assert not selectors.visible_ideas(user=user).exists()
    assert not any(permissions.can_view_idea(user, fresh(idea)) for idea in Idea.objects.all())


def test_a_co_owner_removed_from_a_draft_no_longer_sees_it(users, ideas):
    draft = ideas["draft"]
    services.co_owner_remove(idea_id=draft.pk, by=users["owner"], user=users["co_owner"])
    assert not permissions.can_view_idea(users["co_owner"], fresh(draft))
    assert draft.title not in visible_titles(users["co_owner"])


def test_making_an_idea_confidential_hides_it_at_once(users, ideas):
    idea = ideas["submitted"]
    assert idea.title in visible_titles(users["officer_other"])
    Idea.objects.filter(pk=idea.pk).update(is_confidential=True)
    assert idea.title not in visible_titles(users["officer_other"])
    assert not permissions.can_view_idea(users["officer_other"], fresh(idea))
    assert permissions.can_view_idea(users["board_member"], fresh(idea))


def test_a_reviewer_loses_sight_of_a_confidential_idea_when_their_review_is_cancelled(users, ideas):
    idea = ideas["confidential_with_assigned_reviewer"]
    reviewer = users["reviewer_assigned"]
    assert permissions.can_view_idea(reviewer, fresh(idea))
    review = Review.objects.get(idea=idea, reviewer=reviewer)
    services.review_cancel(review_id=review.pk, by=users["secretary"])
    assert not permissions.can_view_idea(reviewer, fresh(idea))
    assert idea.title not in visible_titles(reviewer)


# --- Nobody hard-deletes an idea ---------------------------------------------------------


def test_ideas_cannot_be_deleted_in_django_admin(users, ideas):
    admin = users["admin"]
    assert "ideas.delete_idea" not in ROLE_PERMISSIONS[Role.ADMIN]
    assert IdeaAdmin.has_delete_permission(IdeaAdmin(Idea, None), request=None) is False
    client = Client()
    client.force_login(admin)
    idea = ideas["submitted"]
    assert client.get(reverse("admin:ideas_idea_delete", args=[idea.pk])).status_code == 403
    assert client.post(reverse("admin:ideas_idea_delete", args=[idea.pk]), {"post": "yes"}).status_code == 403
    changelist = client.get(reverse("admin:ideas_idea_changelist"))
    assert changelist.status_code == 200
    assert b"delete_selected" not in changelist.content
    response = client.post(
        reverse("admin:ideas_idea_changelist"), {"action": "delete_selected", "_selected_action": [idea.pk], "post": "yes"}
    )
    assert response.status_code in (200, 302)
    assert Idea.objects.filter(pk=idea.pk).exists()


def test_no_page_deletes_ideas(users):
    from tests.core.test_permission_matrix import named_urls

    assert not [name for name in named_urls() if name.startswith("ideas:") and "delete" in name]


def test_owners_withdraw_instead_and_the_idea_and_its_history_stay(users, ideas):
    idea = ideas["submitted"]
    services.idea_move(idea_id=idea.pk, transition=transition(None, "withdrawn"), by=users["owner"], comment="Not needed.")
    kept = Idea.objects.get(pk=idea.pk)
    assert kept.stage.slug == "withdrawn"
    assert kept.history.filter(history_change_reason="Moved to Withdrawn").exists()
    # Still visible to everyone entitled, as a closed idea.
    assert permissions.can_view_idea(users["officer_other"], fresh(kept))


def test_the_visibility_rules_work_inside_a_subquery(users, ideas):
    # visible_filter is one SQL expression about the query's own alias for the idea table:
    # used as a subquery (relabelled U0, V0...) it must still mean the same ideas.
    from ideas.models import IdeaEvent

    for idea in ideas.values():
        IdeaEvent.objects.create(idea=idea, kind="commented", summary="A comment")
    for who, user in users.items():
        direct = set(selectors.visible_ideas(user=user).values_list("pk", flat=True))
        through = set(
            IdeaEvent.objects.filter(idea__in=selectors.visible_ideas(user=user).values("pk")).values_list("idea_id", flat=True)
        )
        nested = set(Idea.objects.filter(pk__in=selectors.visible_ideas(user=user).filter(pk__in=selectors.visible_ideas(user=user)))
                     .values_list("pk", flat=True))
        assert direct == through == nested, who
