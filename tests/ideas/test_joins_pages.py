"""The joining pages and the idea page's "Working together" section, through the views.

Links to ideas the viewer may not see are left out (not even counted); bad input shows
the GOV.UK error summary with the input kept, and changes nothing.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from harrow_innovation.people.roles import Role
from ideas import services
from ideas.models import Contributor, IdeaLink, IdeaMerge, JoinRequest
from tests.factories import UserFactory, make_idea

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(user, idea) -> str:
    response = client_for(user).get(reverse("ideas:detail", kwargs={"pk": idea.pk}))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def falls(people):
    return make_idea(people["officer"], at="triage", title="Falls sensors for older residents")


def test_links_show_on_both_ideas_and_links_to_hidden_ideas_are_not_even_counted(people, falls):
    officer, other = people["officer"], people["officer_other"]
    housing = make_idea(other, at="triage", title="Falls alerts in sheltered housing")
    secret = make_idea(officer, at="triage", title="Secret falls pilot", is_confidential=True)
    draft = make_idea(officer, at="triage", title="Falls idea that becomes a draft again")
    services.idea_link_add(idea_id=housing.pk, other_id=falls.pk, kind="builds_on", by=other)
    services.idea_link_add(idea_id=falls.pk, other_id=secret.pk, kind="related", by=officer)
    services.idea_link_add(idea_id=falls.pk, other_id=draft.pk, kind="related", by=officer)
    draft.stage = make_idea(officer, at="draft").stage
    draft.save(update_fields=["stage"])

    mine = page(officer, falls)
    assert "Built on by" in mine and "Falls alerts in sheltered housing" in mine
    assert "Secret falls pilot" in mine and "becomes a draft again" in mine  # the owner sees both
    theirs = page(other, falls)
    assert "Falls alerts in sheltered housing" in theirs
    assert "Secret falls pilot" not in theirs and secret.reference not in theirs
    assert "becomes a draft again" not in theirs and draft.reference not in theirs
    assert theirs.count("Remove link") == 0
    assert "Builds on" in page(other, housing)


def test_asking_to_join_through_the_pages(people, falls):
    officer, other = people["officer"], people["officer_other"]
    url = reverse("ideas:join_request", kwargs={"pk": falls.pk})
    client = client_for(other)
    assert "We are working on this too" in page(other, falls)
    empty = client.post(url, {"message": "  "})
    assert empty.status_code == 200 and "There is a problem" in empty.content.decode()
    assert not JoinRequest.objects.exists()
    response = client.post(url, {"message": "Housing is piloting the same sensors"})
    assert response.status_code == 302
    again = client.post(url, {"message": "Did you see my request?"})
    body = again.content.decode()
    assert again.status_code == 200 and "already asked to join" in body and "Did you see my request?" in body
    assert JoinRequest.objects.count() == 1
    assert "Its owners have not answered yet" in page(other, falls)
    assert "We are working on this too</a>" not in page(other, falls)

    request = JoinRequest.objects.get()
    answer_url = reverse("ideas:join_answer", kwargs={"pk": falls.pk, "request_pk": request.pk})
    owner = client_for(officer)
    assert "Answer Otto Other" in page(officer, falls)
    declined_without_reason = owner.post(answer_url, {"answer": "decline", "reason": ""})
    assert "Enter a reason for declining" in declined_without_reason.content.decode()
    assert JoinRequest.objects.get().status == "pending"
    assert owner.post(answer_url, {"answer": "decline", "reason": "We stopped the pilot"}).status_code == 302
    assert "declined your request to join" in page(other, falls) and "We stopped the pilot" in page(other, falls)
    # Answering again finds nothing waiting.
    assert owner.post(answer_url, {"answer": "contributor"}).status_code == 302
    assert JoinRequest.objects.get().status == "declined"


def test_the_owner_is_not_offered_joining_their_own_idea_and_is_refused_if_they_post(people, falls):
    officer = people["officer"]
    assert "We are working on this too</a>" not in page(officer, falls)
    response = client_for(officer).post(reverse("ideas:join_request", kwargs={"pk": falls.pk}), {"message": "Me"})
    assert response.status_code == 200 and "You already own this idea" in response.content.decode()
    assert not JoinRequest.objects.exists()


def test_linking_through_the_page_refuses_bad_references(people, falls):
    client = client_for(people["officer"])
    url = reverse("ideas:link_add", kwargs={"pk": falls.pk})
    secret = make_idea(people["secretary"], at="triage", is_confidential=True)
    for reference, message in [("", "Enter the other idea&#x27;s reference"), ("IDEA-x", "No idea with that reference"),
                               (secret.reference, "No idea with that reference"),
                               (falls.reference, "cannot be linked to itself")]:
        body = client.post(url, {"kind": "related", "other": reference}).content.decode()
        assert "There is a problem" in body and message in body, reference
    assert not IdeaLink.objects.exists()
    other = make_idea(people["officer_other"], at="triage")
    assert client.post(url, {"kind": "duplicate_of", "other": str(other.pk)}).status_code == 302
    assert IdeaLink.objects.filter(from_idea=falls, to_idea=other, kind="duplicate_of").exists()


def test_merging_through_the_page_and_the_survivor_lists_what_came_with_it(people, falls):
    secretary = people["secretary"]
    housing = make_idea(people["officer_other"], at="triage", title="Falls alerts in sheltered housing")
    housing.data_outputs.create(description="Falls by estate")
    url = reverse("ideas:merge", kwargs={"pk": housing.pk})
    client = client_for(secretary)
    body = client.post(url, {"survivor": housing.reference, "reason": "Same"}).content.decode()
    assert "cannot be merged into itself" in body and not IdeaMerge.objects.exists()
    response = client.post(url, {"survivor": falls.reference, "reason": "The same sensors"})
    assert response.status_code == 302 and response["Location"] == falls.get_absolute_url()
    survivor_page = page(people["officer"], falls)
    assert "Merged into this idea" in survivor_page and "Falls by estate" in survivor_page
    assert Contributor.objects.filter(idea=falls, user=people["officer_other"]).exists()
    merged_page = page(people["officer_other"], housing)
    assert "This idea was merged into" in merged_page and falls.reference in merged_page
    # A closed idea offers no merge, and the page refuses it.
    assert client.get(url).status_code == 403


def test_merge_is_only_for_the_secretary(people, falls):
    assert client_for(people["officer_other"]).get(reverse("ideas:merge", kwargs={"pk": falls.pk})).status_code == 403
    admin_secretary = UserFactory(roles=[Role.OFFICER, Role.SECRETARY])
    assert client_for(admin_secretary).get(reverse("ideas:merge", kwargs={"pk": falls.pk})).status_code == 200
    assert "Merge this idea into another" in page(admin_secretary, falls)
    assert "Merge this idea into another" not in page(people["officer_other"], falls)
