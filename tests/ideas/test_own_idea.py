"""Nobody judges their own idea.

An owner or co-owner who holds a role takes no role-based step on their own idea
(triage, sending it on, assigning reviewers, reviewing it): the permission
functions withhold it, the services refuse a crafted request with nothing changed,
and the idea's page says why and who must act instead. Owners' own moves
(submit, withdraw, answer a request for more information) stay theirs.
"""

from __future__ import annotations

import html as html_lib

import pytest
from django.test import Client
from django.urls import reverse

from harrow_innovation.people.roles import Role
from ideas import permissions, services
from ideas.models import Criterion, Idea, Recommendation, Review
from ideas.services import WorkflowError
from tests.factories import UserFactory, make_idea, stage, transition
from tests.ideas.test_workflow import refused

pytestmark = pytest.mark.django_db


def page(user, idea) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("ideas:detail", kwargs={"pk": idea.pk}))
    assert response.status_code == 200
    return html_lib.unescape(response.content.decode())


@pytest.fixture
def other_secretary(department):
    return UserFactory(full_name="Sam Second-secretary", department=department, roles=[Role.OFFICER, Role.SECRETARY])


@pytest.mark.parametrize("co_owner", [False, True], ids=["owner", "co-owner"])
def test_the_secretary_cannot_triage_her_own_idea_and_another_secretary_can(people, other_secretary, co_owner):
    secretary = people["secretary"]
    if co_owner:
        idea = make_idea(people["officer"], at="submitted")
        idea.co_owners.add(secretary)
    else:
        idea = make_idea(secretary, at="submitted")
    idea = Idea.objects.get(pk=idea.pk)
    start_triage = transition("submitted", "triage")

    assert not permissions.can_take_transition(secretary, idea, start_triage)
    assert start_triage.pk not in [o.transition.pk for o in services.transitions_for(idea=idea, user=secretary)]
    with refused(idea, "You cannot take the step “Start triage” on this idea because you own it. "
                       "Another Board secretary must. Nothing was changed."):
        services.idea_move(idea_id=idea.pk, transition=start_triage, by=secretary)

    services.idea_move(idea_id=idea.pk, transition=start_triage, by=other_secretary)
    assert Idea.objects.get(pk=idea.pk).stage == stage("triage")


def test_a_crafted_move_post_from_the_owner_is_refused_with_the_reason(people):
    secretary = people["secretary"]
    idea = make_idea(secretary, at="triage")
    send = transition("triage", "business-case-review")
    client = Client()
    client.force_login(secretary)
    response = client.post(reverse("ideas:move", kwargs={"pk": idea.pk, "transition_pk": send.pk}),
                           {"expected_stage_id": idea.stage_id}, follow=True)
    assert "because you own it" in html_lib.unescape(response.content.decode())
    assert Idea.objects.get(pk=idea.pk).stage == stage("triage")


def test_the_owners_page_says_why_the_secretarys_steps_are_not_offered(people):
    secretary = people["secretary"]
    idea = make_idea(secretary, at="triage")
    html = page(secretary, idea)
    assert "You cannot take the step “Send to business case review” on this idea because you own it. " \
           "Another Board secretary must." in html
    assert "You cannot assign reviewers to this idea because you own it. Another Board secretary or an admin must." in html
    assert reverse("ideas:assign_reviewers", kwargs={"pk": idea.pk}) not in html
    assert 'action="' + reverse("ideas:move", kwargs={"pk": idea.pk, "transition_pk": transition("triage", "business-case-review").pk}) not in html
    # Someone else's idea: the steps are offered and nothing is said about ownership.
    other = make_idea(people["officer"], at="triage")
    other_html = page(secretary, other)
    assert "because you own it" not in other_html
    assert reverse("ideas:assign_reviewers", kwargs={"pk": other.pk}) in other_html


def test_owners_still_take_the_owners_moves(people):
    secretary = people["secretary"]
    idea = make_idea(secretary, at="draft")
    services.idea_submit(idea_id=idea.pk, by=secretary)
    idea = Idea.objects.get(pk=idea.pk)
    assert idea.stage == stage("submitted")
    labels = [o.transition.label for o in services.transitions_for(idea=idea, user=secretary)]
    assert labels == ["Withdraw idea"]
    answering = make_idea(secretary, at="more-information", title="Answering a question")
    services.idea_move(idea_id=answering.pk, transition=transition("more-information", "triage"), by=secretary)
    assert Idea.objects.get(pk=answering.pk).stage == stage("triage")


def test_an_owner_cannot_assign_or_withdraw_reviewers(people, other_secretary):
    secretary = people["secretary"]
    idea = Idea.objects.get(pk=make_idea(secretary, at="business-case-review").pk)
    assert not permissions.can_assign_reviewers(secretary, idea)
    with refused(idea, "You cannot assign reviewers to this idea because you own it. "
                       "Another Board secretary or an admin must. Nothing was changed."):
        services.review_assign(idea_id=idea.pk, reviewer=people["reviewer"], by=secretary)
    review = services.review_assign(idea_id=idea.pk, reviewer=people["reviewer"], by=other_secretary)
    with pytest.raises(WorkflowError, match="You cannot change the reviewers of this idea because you own it"):
        services.review_cancel(review_id=review.pk, by=secretary)
    assert Review.objects.get(pk=review.pk).status == Review.Status.ASSIGNED
    client = Client()
    client.force_login(secretary)
    assert client.get(reverse("ideas:assign_reviewers", kwargs={"pk": idea.pk})).status_code == 403


def test_a_reviewer_who_becomes_a_co_owner_cannot_submit_the_review(people):
    reviewer = people["reviewer"]
    idea = make_idea(people["officer"], at="business-case-review")
    review = services.review_assign(idea_id=idea.pk, reviewer=reviewer, by=people["secretary"])
    idea.co_owners.add(reviewer)
    scores = {c.pk: 4 for c in Criterion.objects.filter(is_active=True)}
    with pytest.raises(WorkflowError, match="You cannot review this idea because you own it. Another reviewer must."):
        services.review_submit(review_id=review.pk, by=reviewer, scores=scores,
                               recommendation=Recommendation.PROCEED, comment="")
    assert Review.objects.get(pk=review.pk).status == Review.Status.ASSIGNED
    client = Client()
    client.force_login(reviewer)
    url = reverse("ideas:review", kwargs={"review_pk": review.pk})
    html = html_lib.unescape(client.get(url).content.decode())
    assert "You cannot review this idea because you own it. Another reviewer must." in html
    assert 'name="recommendation"' not in html
    response = client.post(url, {"recommendation": Recommendation.PROCEED, **{f"score_{k}": 4 for k in scores}})
    assert response.status_code == 302
    assert Review.objects.get(pk=review.pk).status == Review.Status.ASSIGNED


def test_an_admin_who_owns_the_idea_cannot_assign_its_reviewers_either(people):
    admin = people["admin"]
    idea = Idea.objects.get(pk=make_idea(admin, at="triage").pk)
    assert not permissions.can_assign_reviewers(admin, idea)
    other = Idea.objects.get(pk=make_idea(people["officer"], at="triage").pk)
    assert permissions.can_assign_reviewers(admin, other)


def test_the_ranking_offers_reviewers_for_others_ideas_only(people):
    secretary = people["secretary"]
    own = make_idea(secretary, at="triage", title="Her own idea")
    other = make_idea(people["officer"], at="triage", title="Someone else's idea")
    client = Client()
    client.force_login(secretary)
    html = client.get(reverse("ideas:ranked")).content.decode()
    assert reverse("ideas:assign_reviewers", kwargs={"pk": other.pk}) in html
    assert reverse("ideas:assign_reviewers", kwargs={"pk": own.pk}) not in html
