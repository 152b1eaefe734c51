"""An idea's page for every role, and the things done from it: comments, following and workflow moves.

A refused move (stale page, double click, crafted POST, missing comment) changes
nothing: not the stage, the stage changes, the timeline, the outbox nor the history.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from harrow_innovation.core.models import OutboxTask
from harrow_innovation.people.roles import Role
from ideas import services
from ideas.models import (
    CentralSystem,
    Comment,
    Criterion,
    EventKind,
    Follow,
    Idea,
    IdeaEvent,
    Recommendation,
    StageChange,
    Transition,
    Workflow,
)
from tests.factories import DepartmentFactory, UserFactory, make_idea, stage, transition
from tests.world import PDF_BYTES

pytestmark = pytest.mark.django_db

ROLES = ["officer", "officer_other", "reviewer", "secretary", "board_member", "admin"]


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page_url(idea) -> str:
    return reverse("ideas:detail", kwargs={"pk": idea.pk})


def move_url(idea, t) -> str:
    return reverse("ideas:move", kwargs={"pk": idea.pk, "transition_pk": t.pk})


def snapshot(idea) -> tuple:
    return (
        Idea.objects.get(pk=idea.pk).stage_id,
        StageChange.objects.filter(idea=idea).count(),
        IdeaEvent.objects.filter(idea=idea).count(),
        OutboxTask.objects.count(),
        Idea.history.filter(id=idea.pk).count(),
    )


def messages_text(response) -> str:
    return " ".join(str(m) for m in response.wsgi_request._messages) if hasattr(response.wsgi_request, "_messages") else ""


def follow_page(client, response) -> str:
    assert response.status_code == 302, response.status_code
    return client.get(response["Location"]).content.decode()


# --- Who may open the page ----------------------------------------------------------------------


@pytest.fixture
def ideas(people):
    officer, reviewer, secretary = people["officer"], people["reviewer"], people["secretary"]
    draft = make_idea(officer, at="draft", title="A draft")
    draft.co_owners.add(people["board_member"])
    confidential = make_idea(officer, at="business-case-review", title="Confidential one", is_confidential=True)
    services.review_assign(idea_id=confidential.pk, reviewer=reviewer, by=secretary)
    return {
        "draft": draft,
        "submitted": make_idea(officer, at="submitted", title="Submitted one"),
        "confidential": confidential,
        "others_draft": make_idea(people["officer_other"], at="draft", title="Someone else's draft"),
    }


EXPECTED = {
    # idea: roles that get 200 (everyone else gets 404)
    "draft": {"officer", "board_member"},  # owner and co-owner
    "submitted": set(ROLES),
    "confidential": {"officer", "reviewer", "secretary", "board_member", "admin"},
    "others_draft": {"officer_other"},
}


@pytest.mark.parametrize("role", ROLES)
def test_the_idea_page_answers_each_role(role, people, ideas):
    client = client_for(people[role])
    for key, allowed in EXPECTED.items():
        response = client.get(page_url(ideas[key]))
        expected = 200 if role in allowed else 404
        assert response.status_code == expected, (key, response.status_code)
        if expected == 200:
            assert escape(ideas[key].title) in response.content.decode()
        else:
            assert escape(ideas[key].title) not in response.content.decode()


def test_a_missing_idea_is_404(people):
    assert client_for(people["admin"]).get(reverse("ideas:detail", kwargs={"pk": 999999})).status_code == 404


# --- What the page shows ----------------------------------------------------------------------


@pytest.fixture
def full_idea(people):
    """An idea with something in every section."""
    officer, other, reviewer, secretary = people["officer"], people["officer_other"], people["reviewer"], people["secretary"]
    parks = DepartmentFactory(name="Parks")
    idea = make_idea(officer, at="draft", title="Smart sensors for street lighting",
                     problem="Faulty lamps are found only when <b>residents</b> complain.",
                     solution="Sensor nodes on every lamp.", departments=[officer.department, parks],
                     services="Street lighting", source="workshop", source_detail="Industry body workshop")
    services.resource_ask_set(idea_id=idea.pk, by=officer, team=None, note="Two engineers", days_by_quarter={})
    services.external_resource_add(idea_id=idea.pk, by=officer, name="A lighting supplier", cost=None, note="")
    idea.co_owners.add(other)
    lighting = CentralSystem.objects.get(name__startswith="Street lighting")
    gis = CentralSystem.objects.get(name__startswith="Geographic")
    services.system_link_set(idea_id=idea.pk, by=officer, system=lighting, integration_note="Nodes report in.",
                             integration_cost=Decimal("30000"))
    services.system_link_set(idea_id=idea.pk, by=officer, system=gis, integration_note="Asset layer.",
                             integration_cost=Decimal("5000"))
    services.data_output_add(idea_id=idea.pk, by=officer, description="Footfall by street, hourly",
                             valued_by=[parks, other.department])
    services.attachment_add(idea_id=idea.pk, by=officer,
                            upload=SimpleUploadedFile("business-case.pdf", PDF_BYTES, "application/pdf"))
    services.idea_submit(idea_id=idea.pk, by=officer)
    services.idea_move(idea_id=idea.pk, transition=transition("submitted", "triage"), by=secretary)
    services.idea_move(idea_id=idea.pk, transition=transition("triage", "business-case-review"), by=secretary)
    review = services.review_assign(idea_id=idea.pk, reviewer=reviewer, by=secretary)
    criteria = list(Criterion.objects.filter(is_active=True))
    services.review_submit(review_id=review.pk, by=reviewer, scores={c.pk: 4 for c in criteria},
                           recommendation=Recommendation.PROCEED, comment="Strong case; <i>check</i> costs.")
    services.comment_add(idea_id=idea.pk, by=other, body="Housing would use the footfall data.")
    make_idea(other, at="triage", title="Sensors for street lighting in parks")
    return Idea.objects.get(pk=idea.pk)


def test_the_page_shows_everything_about_the_idea(people, full_idea):
    html = client_for(people["board_member"]).get(page_url(full_idea)).content.decode()
    idea = full_idea
    # Summary and business case, text escaped
    assert "Faulty lamps are found only when &lt;b&gt;residents&lt;/b&gt; complain." in html
    assert "Sensor nodes on every lamp." in html
    assert "Parks" in html and "A workshop: Industry body workshop" in html
    assert "£20,000" in html  # one-off cost
    assert "£35,000" in html  # integration total
    assert "£55,000" in html  # one-off including integration
    assert "£3,000" in html and "£15,000" in html
    # Central systems with notes and costs
    assert "Street lighting control" in html and "Nodes report in." in html and "£30,000" in html
    # Data outputs and who values them
    assert "Footfall by street, hourly" in html and "Valued by: Housing, Parks" in html
    # People
    assert "Olive Officer" in html and "Otto Other" in html
    assert "Two engineers" in html and "A lighting supplier" in html
    # Attachments as download links
    attachment = idea.attachments.get()
    assert reverse("ideas:attachment_download", kwargs={"pk": idea.pk, "attachment_pk": attachment.pk}) in html
    assert "business-case.pdf" in html
    # The review with per-criterion scores, recommendation, comment and the weighted total
    assert "Weighted total: <strong>4.00 out of 5</strong> from 1 review" in html
    for criterion in Criterion.objects.filter(is_active=True):
        assert criterion.name in html
    assert "Take it forward" in html
    assert "Strong case; &lt;i&gt;check&lt;/i&gt; costs." in html
    # Similar ideas across departments
    assert "Sensors for street lighting in parks" in html
    # Comments and the timeline: moves, reviews, comments, attachments
    assert "Housing would use the footfall data." in html
    timeline = html.split('id="timeline"', 1)[1]
    for kind in (EventKind.ATTACHMENT, EventKind.MOVED, EventKind.REVIEW_ASSIGNED, EventKind.REVIEWED,
                 EventKind.COMMENTED):
        assert str(kind.label) in timeline, kind
    assert "Sid Secretary: Start triage (Submitted → Triage)" in timeline


def test_owners_see_a_change_link_only_where_they_may_edit(people):
    officer = people["officer"]
    editable = make_idea(officer, at="more-information")
    locked = make_idea(officer, at="triage")
    client = client_for(officer)
    assert reverse("ideas:task_list", kwargs={"pk": editable.pk}) in client.get(page_url(editable)).content.decode()
    assert reverse("ideas:task_list", kwargs={"pk": locked.pk}) not in client.get(page_url(locked)).content.decode()
    # Someone who is not an owner never gets the link.
    other_html = client_for(people["secretary"]).get(page_url(editable)).content.decode()
    assert reverse("ideas:task_list", kwargs={"pk": editable.pk}) not in other_html


def test_only_the_secretary_and_admin_see_the_assign_reviewers_link(people):
    idea = make_idea(people["officer"], at="triage")
    link = reverse("ideas:assign_reviewers", kwargs={"pk": idea.pk})
    for role in ROLES:
        html = client_for(people[role]).get(page_url(idea)).content.decode()
        assert (link in html) == (role in {"secretary", "admin"}), role


def test_moves_are_buttons_blocked_moves_say_why_and_comment_moves_ask_for_one(people):
    idea = make_idea(people["officer"], at="business-case-review")
    html = client_for(people["secretary"]).get(page_url(idea)).content.decode()
    # Guarded: all reviews must be complete.
    assert "Mark ready for Board" in html and "Not possible yet. Assign at least one reviewer first." in html
    assert move_url(idea, transition("business-case-review", "ready-for-board")) not in html
    # Needs a comment: a text box with the form.
    more = transition("business-case-review", "more-information")
    assert move_url(idea, more) in html
    assert f'id="move-{more.pk}-comment" name="comment"' in html
    assert f'name="expected_stage_id" value="{idea.stage_id}"' in html
    # The officer who owns it may only withdraw it.
    owner_html = client_for(people["officer"]).get(page_url(idea)).content.decode()
    assert "Withdraw idea" in owner_html and "Mark ready for Board" not in owner_html
    assert "Ask the owners for more information" not in owner_html
    # Someone else sees no moves at all.
    other_html = client_for(people["officer_other"]).get(page_url(idea)).content.decode()
    assert "/move/" not in other_html


# --- Moves through the view -----------------------------------------------------------------------


def test_the_secretary_moves_an_idea(people):
    idea = make_idea(people["officer"], at="submitted")
    client = client_for(people["secretary"])
    t = transition("submitted", "triage")
    response = client.post(move_url(idea, t), {"expected_stage_id": idea.stage_id})
    html = follow_page(client, response)
    assert Idea.objects.get(pk=idea.pk).stage == stage("triage")
    assert StageChange.objects.filter(idea=idea, to_stage=stage("triage"), by=people["secretary"]).count() == 1
    assert "Start triage: done. The idea is now at “Triage”." in html


def test_a_double_click_moves_once_and_the_second_click_is_told_why(people):
    idea = make_idea(people["officer"], at="submitted")
    client = client_for(people["secretary"])
    t = transition("submitted", "triage")
    client.post(move_url(idea, t), {"expected_stage_id": idea.stage_id})
    before = snapshot(idea)
    html = follow_page(client, client.post(move_url(idea, t), {"expected_stage_id": idea.stage_id}))
    assert "This idea has already moved on: it is now at “Triage”. Nothing was changed." in html
    assert snapshot(idea) == before
    assert StageChange.objects.filter(idea=idea).count() == 1


def test_a_stale_page_changes_nothing(people):
    """Another user moved the idea first: the page the secretary sees is out of date."""
    idea = make_idea(people["officer"], at="triage")
    seen_stage = idea.stage_id
    colleague = UserFactory(full_name="Another Secretary", roles=[Role.SECRETARY])
    services.idea_move(idea_id=idea.pk, transition=transition("triage", "more-information"), by=colleague,
                       comment="Need costs")
    before = snapshot(idea)
    client = client_for(people["secretary"])
    t = transition("triage", "business-case-review")
    html = follow_page(client, client.post(move_url(idea, t), {"expected_stage_id": seen_stage}))
    assert "already moved on" in html and "More information needed" in html
    assert snapshot(idea) == before


@pytest.mark.parametrize(("role", "message"), [
    ("officer", "You are not allowed to make that move."),
    ("officer_other", "You are not allowed to make that move."),
    ("reviewer", "You are not allowed to make that move."),
    ("board_member", "You are not allowed to make that move."),
])
def test_a_crafted_post_for_a_move_the_user_may_not_take_changes_nothing(role, message, people):
    idea = make_idea(people["officer"], at="submitted")
    before = snapshot(idea)
    client = client_for(people[role])
    t = transition("submitted", "triage")
    html = follow_page(client, client.post(move_url(idea, t), {"expected_stage_id": idea.stage_id}))
    assert message in html
    assert snapshot(idea) == before


def test_crafted_posts_for_impossible_moves_change_nothing(people):
    idea = make_idea(people["officer"], at="submitted")
    secretary = client_for(people["secretary"])
    before = snapshot(idea)
    # A move from another stage.
    html = follow_page(secretary, secretary.post(move_url(idea, transition("triage", "business-case-review")),
                                                 {"expected_stage_id": idea.stage_id}))
    assert "That move is not possible from “Submitted”. Nothing was changed." in html
    # A Board decision: only at a meeting.
    ready = make_idea(people["officer"], at="ready-for-board")
    ready_before = snapshot(ready)
    html = follow_page(secretary, secretary.post(move_url(ready, transition("ready-for-board", "approved")),
                                                 {"expected_stage_id": ready.stage_id}))
    assert "Board decisions are recorded at a Board meeting." in html
    assert snapshot(ready) == ready_before
    # A guarded move whose guard fails.
    review = make_idea(people["officer"], at="business-case-review")
    review_before = snapshot(review)
    html = follow_page(secretary, secretary.post(move_url(review, transition("business-case-review", "ready-for-board")),
                                                 {"expected_stage_id": review.stage_id}))
    assert "Assign at least one reviewer first." in html
    assert snapshot(review) == review_before
    # Without the expected stage, or with nonsense in it.
    for data in ({}, {"expected_stage_id": "abc"}):
        html = follow_page(secretary, secretary.post(move_url(idea, transition("submitted", "triage")), data))
        assert "Nothing was changed" in html
    # A transition of another workflow.
    other = Workflow.objects.create(name="Other workflow")
    a = other.stages.create(name="A", slug="a", order=1, is_initial=True, kind="draft")
    b = other.stages.create(name="B", slug="b", order=2)
    foreign = Transition.objects.create(workflow=other, source=a, target=b, label="Jump", allowed_roles=["secretary"])
    html = follow_page(secretary, secretary.post(move_url(idea, foreign), {"expected_stage_id": idea.stage_id}))
    assert "That move is not possible" in html
    assert snapshot(idea) == before
    # A transition that does not exist.
    missing = reverse("ideas:move", kwargs={"pk": idea.pk, "transition_pk": 999999})
    assert secretary.post(missing, {"expected_stage_id": idea.stage_id}).status_code == 404
    assert snapshot(idea) == before


def test_a_move_on_an_idea_the_user_may_not_see_is_404_and_changes_nothing(people):
    idea = make_idea(people["officer"], at="draft")
    before = snapshot(idea)
    response = client_for(people["secretary"]).post(move_url(idea, transition("draft", "submitted")),
                                                    {"expected_stage_id": idea.stage_id})
    assert response.status_code == 404
    assert snapshot(idea) == before


def test_a_move_that_needs_a_comment_asks_for_one_and_keeps_the_page(people):
    idea = make_idea(people["officer"], at="triage")
    client = client_for(people["secretary"])
    t = transition("triage", "more-information")
    before = snapshot(idea)
    response = client.post(move_url(idea, t), {"expected_stage_id": idea.stage_id, "comment": "   "})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error: " in html
    assert f'<a href="#move-{t.pk}-comment">Enter a comment to explain this move</a>' in html
    assert "govuk-textarea--error" in html
    assert snapshot(idea) == before
    response = client.post(move_url(idea, t), {"expected_stage_id": idea.stage_id, "comment": "Please add costs."})
    assert response.status_code == 302
    assert Idea.objects.get(pk=idea.pk).stage == stage("more-information")
    assert StageChange.objects.get(idea=idea).comment == "Please add costs."


def test_the_owner_submits_and_withdraws_from_the_page(people):
    officer = people["officer"]
    idea = make_idea(officer, at="draft")
    client = client_for(officer)
    client.post(move_url(idea, transition("draft", "submitted")), {"expected_stage_id": idea.stage_id})
    idea.refresh_from_db()
    assert idea.stage == stage("submitted") and idea.submitted_at is not None
    withdraw = transition(None, "withdrawn")
    response = client.post(move_url(idea, withdraw), {"expected_stage_id": idea.stage_id})
    assert response.status_code == 200 and "Enter a comment to explain this move" in response.content.decode()
    client.post(move_url(idea, withdraw), {"expected_stage_id": idea.stage_id, "comment": "Housing does this."})
    assert Idea.objects.get(pk=idea.pk).stage == stage("withdrawn")


def test_an_incomplete_draft_shows_why_it_cannot_be_submitted(people):
    idea = make_idea(people["officer"], at="draft", complete=False)
    html = client_for(people["officer"]).get(page_url(idea)).content.decode()
    assert "Submit idea" in html and "Not possible yet. Some answers are still needed" in html


# --- Comments -----------------------------------------------------------------------------------


def test_anyone_who_may_see_the_idea_comments(people):
    idea = make_idea(people["officer"], at="submitted")
    client = client_for(people["officer_other"])
    response = client.post(reverse("ideas:comment", kwargs={"pk": idea.pk}), {"body": "  <b>We</b> do this too.  "})
    assert response.status_code == 302 and response["Location"].endswith("#comments")
    comment = Comment.objects.get(idea=idea)
    assert comment.body == "<b>We</b> do this too." and comment.author == people["officer_other"]
    assert IdeaEvent.objects.filter(idea=idea, kind=EventKind.COMMENTED).count() == 1
    html = client.get(page_url(idea)).content.decode()
    assert "&lt;b&gt;We&lt;/b&gt; do this too." in html
    assert "Your comment has been added." in html


def test_an_empty_comment_shows_an_error_and_adds_nothing(people):
    idea = make_idea(people["officer"], at="submitted")
    response = client_for(people["officer_other"]).post(reverse("ideas:comment", kwargs={"pk": idea.pk}),
                                                        {"body": "   "})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<a href="#comment-body">Enter a comment</a>' in html
    assert "<title>Error: " in html
    assert not Comment.objects.exists()
    too_long = client_for(people["officer_other"]).post(reverse("ideas:comment", kwargs={"pk": idea.pk}),
                                                        {"body": "x" * 5001})
    assert "Comments must be 5,000 characters or fewer" in too_long.content.decode()
    assert 'id="comment-body" name="body" rows="4"' in too_long.content.decode()
    assert not Comment.objects.exists()


def test_nobody_comments_on_an_idea_they_may_not_see(people):
    idea = make_idea(people["officer"], at="draft")
    response = client_for(people["officer_other"]).post(reverse("ideas:comment", kwargs={"pk": idea.pk}),
                                                        {"body": "Sneaky"})
    assert response.status_code == 404
    assert not Comment.objects.exists()


# --- Following ----------------------------------------------------------------------------------


def test_follow_and_unfollow(people):
    idea = make_idea(people["officer"], at="submitted")
    user = people["reviewer"]
    client = client_for(user)
    url = reverse("ideas:follow", kwargs={"pk": idea.pk})
    html = follow_page(client, client.post(url, {"following": "1"}))
    assert "You are following this idea." in html and "Stop following" in html
    client.post(url, {"following": "1"})  # twice: still one
    assert Follow.objects.filter(idea=idea, user=user).count() == 1
    html = follow_page(client, client.post(url, {"following": "0"}))
    assert "You have stopped following this idea." in html and "Follow this idea" in html
    assert not Follow.objects.filter(idea=idea, user=user).exists()


def test_follow_refusals_change_nothing(people):
    draft = make_idea(people["officer"], at="draft")
    client = client_for(people["officer"])
    html = follow_page(client, client.post(reverse("ideas:follow", kwargs={"pk": draft.pk}), {"following": "1"}))
    assert "You cannot follow this idea." in html
    submitted = make_idea(people["officer"], at="submitted")
    html = follow_page(client, client.post(reverse("ideas:follow", kwargs={"pk": submitted.pk}), {"following": "yes"}))
    assert "Nothing was changed" in html
    assert client_for(people["officer_other"]).post(reverse("ideas:follow", kwargs={"pk": draft.pk}),
                                                    {"following": "1"}).status_code == 404
    assert not Follow.objects.exists()


def test_get_on_the_post_only_urls_is_refused(people):
    idea = make_idea(people["officer"], at="submitted")
    client = client_for(people["officer"])
    for url in (reverse("ideas:comment", kwargs={"pk": idea.pk}), reverse("ideas:follow", kwargs={"pk": idea.pk}),
                move_url(idea, transition("submitted", "triage"))):
        assert client.get(url).status_code == 405
