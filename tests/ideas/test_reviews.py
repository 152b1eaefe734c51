"""Reviews: assigning reviewers, scoring against weighted criteria, the queue and the ranking."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from harrow_innovation.core.models import OutboxTask
from harrow_innovation.people.roles import Role
from ideas import selectors, services
from ideas.models import Criterion, EventKind, Idea, IdeaEvent, Recommendation, Review, Score, Stage
from ideas.services import WorkflowError, weighted_total
from tests.factories import UserFactory, make_idea, stage, transition

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def criteria() -> list[Criterion]:
    return list(Criterion.objects.filter(is_active=True))


def all_scores(score: int) -> dict[int, int]:
    return {c.pk: score for c in criteria()}


def submit(review: Review, scores: dict[int, int] | int = 4, recommendation=Recommendation.PROCEED, comment=""):
    scores = all_scores(scores) if isinstance(scores, int) else scores
    return services.review_submit(
        review_id=review.pk, by=review.reviewer, scores=scores, recommendation=recommendation, comment=comment
    )


def assert_summary_links_land(html: str) -> None:
    """Each link in the GOV.UK error summary points at an element on the page."""
    import re

    summary = html[html.index("govuk-error-summary"):html.index("</ul>", html.index("govuk-error-summary"))]
    targets = re.findall(r'href="#([^"]+)"', summary)
    assert targets
    for target in targets:
        assert f'id="{target}"' in html, f"the error summary links to #{target}, which is not on the page"


def review_state(idea: Idea) -> tuple:
    idea = Idea.objects.get(pk=idea.pk)
    return (
        sorted(Review.objects.filter(idea=idea).values_list("reviewer_id", "status", "due_date")),
        Score.objects.filter(review__idea=idea).count(),
        idea.weighted_score,
        idea.review_count,
        IdeaEvent.objects.filter(idea=idea).count(),
        OutboxTask.objects.count(),
    )


@pytest.fixture
def idea(people):
    return make_idea(people["officer"], at="business-case-review", title="Digital forms for social care")


@pytest.fixture
def second_reviewer(db):
    return UserFactory(full_name="Rob Second", roles=[Role.OFFICER, Role.REVIEWER])


# --- Assigning reviewers: the service -------------------------------------------------------


def test_the_secretary_assigns_a_reviewer(people, idea):
    due = TODAY() + datetime.timedelta(days=7)
    review = services.review_assign(idea_id=idea.pk, reviewer=people["reviewer"], by=people["secretary"], due_date=due)
    assert (review.stage, review.status, review.due_date, review.assigned_by) == (
        stage("business-case-review"), Review.Status.ASSIGNED, due, people["secretary"])
    assert IdeaEvent.objects.get(idea=idea, kind=EventKind.REVIEW_ASSIGNED).actor == people["secretary"]
    assert OutboxTask.objects.filter(task_name="ideas.review_assigned", args=[review.pk]).exists()


def test_an_admin_may_assign_too(people, idea):
    assert services.review_assign(idea_id=idea.pk, reviewer=people["reviewer"], by=people["admin"]).pk


@pytest.mark.parametrize("role", ["officer", "officer_other", "reviewer", "board_member"])
def test_only_the_secretary_or_an_admin_assigns(people, idea, second_reviewer, role):
    before = review_state(idea)
    with pytest.raises(WorkflowError, match="Only the Board secretary"):
        services.review_assign(idea_id=idea.pk, reviewer=second_reviewer, by=people[role])
    assert review_state(idea) == before


@pytest.mark.parametrize(
    "case, message",
    [
        ("owner", "owns this idea"),
        ("co_owner", "owns this idea"),
        ("not_a_reviewer", "is not a reviewer"),
        ("closed_account", "is not a reviewer"),
        ("already", "already reviewing"),
        ("past_due", "must be today or in the future"),
    ],
)
def test_unsuitable_assignments_are_refused_and_change_nothing(people, idea, second_reviewer, case, message):
    secretary = people["secretary"]
    reviewer = second_reviewer
    due = None
    if case == "owner":
        people["officer"].groups.add(*UserFactory(roles=[Role.REVIEWER]).groups.all())
        reviewer = people["officer"]
        reviewer.__dict__.pop("role_names", None)
    elif case == "co_owner":
        idea.co_owners.add(second_reviewer)
    elif case == "not_a_reviewer":
        reviewer = people["officer_other"]
    elif case == "closed_account":
        second_reviewer.is_active = False
        second_reviewer.save()
    elif case == "already":
        services.review_assign(idea_id=idea.pk, reviewer=second_reviewer, by=secretary)
    elif case == "past_due":
        due = TODAY() - datetime.timedelta(days=1)
    before = review_state(idea)
    with pytest.raises(WorkflowError, match=message):
        services.review_assign(idea_id=idea.pk, reviewer=reviewer, by=secretary, due_date=due)
    assert review_state(idea) == before


def test_drafts_and_closed_ideas_take_no_reviewers(people):
    draft = make_idea(people["officer"], at="draft")
    with pytest.raises(WorkflowError, match="Only the Board secretary"):
        services.review_assign(idea_id=draft.pk, reviewer=people["reviewer"], by=people["secretary"])
    closed = make_idea(people["officer"], at="rejected")
    with pytest.raises(WorkflowError, match="closed"):
        services.review_assign(idea_id=closed.pk, reviewer=people["reviewer"], by=people["secretary"])
    assert not Review.objects.exists()


def test_a_cancelled_reviewer_can_be_asked_again_but_a_finished_one_cannot(people, idea):
    secretary, reviewer = people["secretary"], people["reviewer"]
    first = services.review_assign(idea_id=idea.pk, reviewer=reviewer, by=secretary)
    services.review_cancel(review_id=first.pk, by=secretary)
    again = services.review_assign(idea_id=idea.pk, reviewer=reviewer, by=secretary)
    assert again.pk == first.pk and again.status == Review.Status.ASSIGNED
    submit(again)
    with pytest.raises(WorkflowError, match="already reviewing"):
        services.review_assign(idea_id=idea.pk, reviewer=reviewer, by=secretary)


def test_the_same_reviewer_may_review_again_at_a_later_stage(people):
    secretary, reviewer = people["secretary"], people["reviewer"]
    idea = make_idea(people["officer"], at="triage")
    submit(services.review_assign(idea_id=idea.pk, reviewer=reviewer, by=secretary))
    services.idea_move(idea_id=idea.pk, transition=transition("triage", "business-case-review"), by=secretary)
    later = services.review_assign(idea_id=idea.pk, reviewer=reviewer, by=secretary)
    assert later.stage == stage("business-case-review")
    assert Review.objects.filter(idea=idea, reviewer=reviewer).count() == 2


def test_a_stage_reviewed_by_board_members_takes_board_members(people, idea):
    Stage.objects.filter(pk=idea.stage_id).update(reviewer_role=Role.BOARD_MEMBER)
    with pytest.raises(WorkflowError, match="is not a board member"):
        services.review_assign(idea_id=idea.pk, reviewer=people["reviewer"], by=people["secretary"])
    assert services.review_assign(idea_id=idea.pk, reviewer=people["board_member"], by=people["secretary"]).pk
    idea = Idea.objects.select_related("stage").get(pk=idea.pk)
    assert list(selectors.reviewer_candidates(idea=idea)) == []  # the only board member is already reviewing


def test_cancelling_a_finished_review_is_refused(people, idea):
    review = services.review_assign(idea_id=idea.pk, reviewer=people["reviewer"], by=people["secretary"])
    submit(review)
    with pytest.raises(WorkflowError, match="already complete or cancelled"):
        services.review_cancel(review_id=review.pk, by=people["secretary"])
    with pytest.raises(WorkflowError, match="Only the Board secretary"):
        services.review_cancel(review_id=review.pk, by=people["reviewer"])


def test_reviewer_candidates_are_active_reviewers_who_neither_own_nor_already_review(people, idea, second_reviewer):
    closed = UserFactory(full_name="Zed Closed", roles=[Role.REVIEWER], is_active=False)
    co_owner = UserFactory(full_name="Cy Coowner", roles=[Role.REVIEWER])
    idea.co_owners.add(co_owner)
    services.review_assign(idea_id=idea.pk, reviewer=second_reviewer, by=people["secretary"])
    candidates = list(selectors.reviewer_candidates(idea=Idea.objects.select_related("stage").get(pk=idea.pk)))
    assert candidates == [people["reviewer"]]
    assert closed not in candidates


# --- Assigning reviewers: the page ----------------------------------------------------------


def assign_url(idea) -> str:
    return reverse("ideas:assign_reviewers", kwargs={"pk": idea.pk})


def date_fields(day) -> dict:
    return {"due_date_0": str(day.day), "due_date_1": str(day.month), "due_date_2": str(day.year)} if day else {
        "due_date_0": "", "due_date_1": "", "due_date_2": ""}


def test_the_assign_page_shows_the_idea_its_stage_reviews_and_candidates(people, idea, second_reviewer):
    services.review_assign(idea_id=idea.pk, reviewer=second_reviewer, by=people["secretary"],
                           due_date=TODAY() + datetime.timedelta(days=3))
    response = client_for(people["secretary"]).get(assign_url(idea))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Digital forms for social care" in html and "Business case review" in html
    assert "Rob Second" in html and "Waiting for review" in html
    assert f'type="hidden" name="stage" value="{idea.stage_id}"' in html
    assert reverse("ideas:review_cancel", kwargs={"review_pk": Review.objects.get().pk}) in html
    options = response.context["form"].fields["reviewer"].choices
    assert [label for _, label in options][1:] == [f"Rita Reviewer ({people['reviewer'].department.name})"]


def test_assigning_through_the_page(people, idea):
    due = TODAY() + datetime.timedelta(days=10)
    response = client_for(people["secretary"]).post(
        assign_url(idea), {"reviewer": people["reviewer"].pk, "stage": idea.stage_id, **date_fields(due)}, follow=True
    )
    assert response.redirect_chain[-1][0] == assign_url(idea)
    assert "Rita Reviewer has been asked to review" in response.content.decode()
    review = Review.objects.get(idea=idea)
    assert (review.reviewer, review.due_date) == (people["reviewer"], due)


@pytest.mark.parametrize(
    "case, message",
    [
        ("no_reviewer", "Choose a reviewer"),
        ("owner", "owns this idea"),
        ("not_a_reviewer", "is not a reviewer"),
        ("already", "already reviewing"),
        ("past_date", "The due date must be today or in the future"),
        ("not_a_date", "The due date must be a real date"),
        ("half_a_date", "Enter the month"),
        ("unknown_user", "Choose a reviewer from the list"),
    ],
)
def test_bad_assignments_show_the_error_summary_and_change_nothing(people, idea, case, message):
    data = {"reviewer": people["reviewer"].pk, **date_fields(None)}
    if case == "no_reviewer":
        data["reviewer"] = ""
    elif case == "owner":
        people["officer"].groups.add(*people["reviewer"].groups.all())
        data["reviewer"] = people["officer"].pk
    elif case == "not_a_reviewer":
        data["reviewer"] = people["officer_other"].pk
    elif case == "already":
        services.review_assign(idea_id=idea.pk, reviewer=people["reviewer"], by=people["secretary"])
    elif case == "past_date":
        data.update(date_fields(TODAY() - datetime.timedelta(days=1)))
    elif case == "not_a_date":
        data.update({"due_date_0": "31", "due_date_1": "2", "due_date_2": "2030"})
    elif case == "half_a_date":
        data.update({"due_date_0": "3", "due_date_1": "", "due_date_2": "2030"})
    elif case == "unknown_user":
        data["reviewer"] = 999999
    before = review_state(idea)
    response = client_for(people["secretary"]).post(assign_url(idea), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html and message in html
    assert "<title>Error: " in html
    assert_summary_links_land(html)
    assert review_state(idea) == before
    if case == "past_date":  # what was typed is kept
        for part in ("due_date_0", "due_date_1", "due_date_2"):
            assert f'name="{part}" value="{data[part]}"' in html


def test_a_stale_assign_page_assigns_nothing(people, idea):
    seen = idea.stage_id
    services.idea_move(idea_id=idea.pk, transition=transition("business-case-review", "more-information"),
                       by=people["secretary"], comment="More please.")
    before = review_state(idea)
    response = client_for(people["secretary"]).post(
        assign_url(idea), {"reviewer": people["reviewer"].pk, "stage": seen, **date_fields(None)}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "This idea has moved on to “More information needed” since you opened the page" in html
    assert_summary_links_land(html)
    assert review_state(idea) == before
    with pytest.raises(WorkflowError, match="has moved on"):
        services.review_assign(idea_id=idea.pk, reviewer=people["reviewer"], by=people["secretary"], expected_stage_id=seen)


def test_the_assign_page_for_a_closed_idea_offers_no_form(people):
    closed = make_idea(people["officer"], at="delivered")
    response = client_for(people["secretary"]).get(assign_url(closed))
    assert response.status_code == 200
    assert "This idea is closed" in response.content.decode()
    assert b"Assign reviewer</button>" not in response.content


def test_the_assign_page_is_404_for_ideas_the_user_cannot_see_and_403_without_the_role(people):
    draft = make_idea(people["officer"], at="draft")
    assert client_for(people["secretary"]).get(assign_url(draft)).status_code == 404
    confidential = make_idea(people["officer"], at="triage", is_confidential=True)
    assert client_for(people["officer_other"]).get(assign_url(confidential)).status_code == 404
    assert client_for(people["board_member"]).get(assign_url(confidential)).status_code == 403
    assert client_for(people["officer"]).get(assign_url(confidential)).status_code == 403
    assert client_for(people["secretary"]).get(reverse("ideas:assign_reviewers", kwargs={"pk": 999999})).status_code == 404


def test_cancelling_through_the_page(people, idea):
    review = services.review_assign(idea_id=idea.pk, reviewer=people["reviewer"], by=people["secretary"])
    url = reverse("ideas:review_cancel", kwargs={"review_pk": review.pk})
    client = client_for(people["secretary"])
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == assign_url(idea)
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["The review request has been withdrawn."]
    review.refresh_from_db()
    assert review.status == Review.Status.CANCELLED
    again = client.post(url, follow=True)
    assert "already complete or cancelled" in again.content.decode()
    assert client_for(people["reviewer"]).post(url).status_code == 403


# --- Scoring: the maths ----------------------------------------------------------------------


def test_weighted_total_is_the_weighted_mean_on_the_1_to_5_scale():
    # The Board's five criteria weigh 3, 2, 3, 2, 2.
    assert weighted_total([(5, 3), (4, 2), (5, 3), (5, 2), (3, 2)]) == Decimal("4.50")  # 54 / 12
    assert weighted_total([(1, 3), (1, 2)]) == Decimal("1.00")
    assert weighted_total([(5, 1), (5, 100)]) == Decimal("5.00")
    assert weighted_total([(1, 1), (2, 2)]) == Decimal("1.67")  # 5 / 3
    assert weighted_total([(2, 7), (3, 1)]) == Decimal("2.13")  # 17 / 8 = 2.125, rounded half up
    assert weighted_total([(1, 9), (5, 1)]) == Decimal("1.40")  # a heavy weight dominates
    assert weighted_total([]) == Decimal("0")


def test_a_submitted_review_keeps_each_score_with_the_weight_it_had(people, idea):
    review = services.review_assign(idea_id=idea.pk, reviewer=people["reviewer"], by=people["secretary"])
    by_name = {c.name: c for c in criteria()}
    scores = {c.pk: s for c, s in zip(criteria(), [5, 4, 5, 5, 3], strict=True)}
    submit(review, scores, Recommendation.PROCEED_WITH_CHANGES, "  Confirm the integration cost.  ")
    review.refresh_from_db()
    assert review.status == Review.Status.SUBMITTED and review.submitted_at is not None
    assert review.weighted_score == Decimal("4.50")
    assert review.comment == "Confirm the integration cost."
    assert review.recommendation == Recommendation.PROCEED_WITH_CHANGES
    assert {s.criterion.name: (s.score, s.weight) for s in review.scores.select_related("criterion")} == {
        name: (scores[c.pk], c.weight) for name, c in by_name.items()
    }
    # An admin re-weighting a criterion later does not rewrite what was recorded.
    Criterion.objects.filter(pk=criteria()[0].pk).update(weight=50)
    review.refresh_from_db()
    assert review.weighted_score == Decimal("4.50")
    assert review.scores.get(criterion=criteria()[0]).weight == 3
    event = IdeaEvent.objects.get(idea=idea, kind=EventKind.REVIEWED)
    assert "4.50 out of 5" in event.summary and "Take it forward with changes" in event.summary
    assert OutboxTask.objects.filter(task_name="ideas.review_submitted", args=[review.pk]).exists()


def test_the_idea_score_is_the_mean_of_its_submitted_reviews(people, idea, second_reviewer):
    secretary = people["secretary"]
    third = UserFactory(roles=[Role.REVIEWER])
    first = services.review_assign(idea_id=idea.pk, reviewer=people["reviewer"], by=secretary)
    second = services.review_assign(idea_id=idea.pk, reviewer=second_reviewer, by=secretary)
    services.review_assign(idea_id=idea.pk, reviewer=third, by=secretary)  # still waiting: not counted
    submit(first, {c.pk: s for c, s in zip(criteria(), [5, 4, 5, 5, 3], strict=True)})  # 4.50
    idea.refresh_from_db()
    assert (idea.weighted_score, idea.review_count) == (Decimal("4.50"), 1)
    submit(second, 2)  # 2.00
    idea.refresh_from_db()
    assert (idea.weighted_score, idea.review_count) == (Decimal("3.25"), 2)


def test_inactive_criteria_are_neither_asked_nor_scored(people, idea):
    retired = criteria()[-1]
    retired.is_active = False
    retired.save()
    review = services.review_assign(idea_id=idea.pk, reviewer=people["reviewer"], by=people["secretary"])
    submit(review, 4)
    assert not review.scores.filter(criterion=retired).exists()
    assert review.scores.count() == len(criteria())


# --- Scoring: what is refused ------------------------------------------------------------------


@pytest.mark.parametrize(
    "case, message",
    [
        ("zero", "whole numbers from 1 to 5"),
        ("six", "whole numbers from 1 to 5"),
        ("missing", "Score every criterion: Future-proof."),
        ("no_recommendation", "Choose a recommendation"),
    ],
)
def test_bad_scores_are_refused_and_change_nothing(people, idea, case, message):
    review = services.review_assign(idea_id=idea.pk, reviewer=people["reviewer"], by=people["secretary"])
    scores, recommendation = all_scores(3), Recommendation.PROCEED
    if case == "zero":
        scores[criteria()[0].pk] = 0
    elif case == "six":
        scores[criteria()[2].pk] = 6
    elif case == "missing":
        del scores[Criterion.objects.get(name="Future-proof").pk]
    elif case == "no_recommendation":
        recommendation = ""
    before = review_state(idea)
    with pytest.raises(WorkflowError, match=message):
        services.review_submit(review_id=review.pk, by=people["reviewer"], scores=scores,
                               recommendation=recommendation, comment="")
    assert review_state(idea) == before


def test_a_second_submission_is_refused(people, idea):
    review = services.review_assign(idea_id=idea.pk, reviewer=people["reviewer"], by=people["secretary"])
    submit(review, 4)
    before = review_state(idea)
    with pytest.raises(WorkflowError, match="already submitted"):
        submit(review, 1)
    assert review_state(idea) == before


def test_a_cancelled_review_cannot_be_submitted(people, idea):
    review = services.review_assign(idea_id=idea.pk, reviewer=people["reviewer"], by=people["secretary"])
    services.idea_move(idea_id=idea.pk, transition=transition("business-case-review", "more-information"),
                       by=people["secretary"], comment="More please.")
    before = review_state(idea)
    with pytest.raises(WorkflowError, match="no longer needed"):
        submit(review, 4)
    assert review_state(idea) == before


@pytest.mark.parametrize("role", ["secretary", "admin", "officer", "board_member"])
def test_nobody_may_submit_someone_elses_review(people, idea, role):
    review = services.review_assign(idea_id=idea.pk, reviewer=people["reviewer"], by=people["secretary"])
    before = review_state(idea)
    with pytest.raises(WorkflowError, match="assigned to someone else"):
        services.review_submit(review_id=review.pk, by=people[role], scores=all_scores(5),
                               recommendation=Recommendation.PROCEED, comment="")
    assert review_state(idea) == before


# --- The review page ------------------------------------------------------------------------


def review_url(review) -> str:
    return reverse("ideas:review", kwargs={"review_pk": review.pk})


def form_data(scores: dict[int, int], recommendation="proceed", comment="Good.") -> dict:
    data = {f"score_{pk}": str(score) for pk, score in scores.items()}
    data.update({"recommendation": recommendation, "comment": comment})
    return data


@pytest.fixture
def rich_idea(people, idea):
    from ideas.models import CentralSystem

    # Written directly: owners cannot edit an idea in business case review.
    link_system(idea, CentralSystem.objects.get(name__startswith="Social care"), Decimal("35000"),
                "Forms post into the case record.")
    add_output(idea, "Assessment timings by team", [people["officer_other"].department])
    Idea.objects.filter(pk=idea.pk).update(one_off_cost=Decimal("95000"))
    return idea


def link_system(idea, system, cost, note="x"):
    from django.db.models import Sum

    from ideas.models import IdeaCentralSystem

    IdeaCentralSystem.objects.create(idea=idea, system=system, integration_note=note, integration_cost=cost)
    total = IdeaCentralSystem.objects.filter(idea=idea).aggregate(t=Sum("integration_cost"))["t"]
    Idea.objects.filter(pk=idea.pk).update(integration_cost=total)


def add_output(idea, description, departments):
    from ideas.models import DataOutput

    DataOutput.objects.create(idea=idea, description=description).valued_by.set(departments)


def test_the_review_page_shows_the_ideas_key_facts_and_every_criterion(people, rich_idea):
    review = services.review_assign(idea_id=rich_idea.pk, reviewer=people["reviewer"], by=people["secretary"])
    response = client_for(people["reviewer"]).get(review_url(review))
    assert response.status_code == 200
    html = response.content.decode()
    for fact in ["Residents wait weeks", "An online form that routes", "£95,000", "£35,000", "£130,000",
                 "Social care case management", "Forms post into the case record.", "Assessment timings by team",
                 "Valued by Housing"]:
        assert fact in html, fact
    for criterion in criteria():
        assert criterion.description in html and f"Weight {criterion.weight}." in html
        assert f'name="score_{criterion.pk}"' in html
    for _, label in Recommendation.choices:
        assert label in html


def test_a_reviewer_scores_and_submits_through_the_page(people, idea):
    review = services.review_assign(idea_id=idea.pk, reviewer=people["reviewer"], by=people["secretary"])
    scores = {c.pk: s for c, s in zip(criteria(), [5, 4, 5, 5, 3], strict=True)}
    response = client_for(people["reviewer"]).post(review_url(review), form_data(scores, "proceed_with_changes"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("ideas:review_queue")
    assert "Your review of “Digital forms for social care” has been sent" in response.content.decode()
    review.refresh_from_db()
    assert (review.status, review.weighted_score, review.recommendation, review.comment) == (
        Review.Status.SUBMITTED, Decimal("4.50"), "proceed_with_changes", "Good.")


def test_missing_scores_show_the_error_summary_and_keep_the_scores_chosen(people, idea):
    review = services.review_assign(idea_id=idea.pk, reviewer=people["reviewer"], by=people["secretary"])
    first, second, *rest = criteria()
    before = review_state(idea)
    response = client_for(people["reviewer"]).post(review_url(review), form_data({first.pk: 4, second.pk: 2}, "", "Half done."))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error: " in html and "govuk-error-summary" in html
    for criterion in rest:
        assert f"Score “{criterion.name}” from 1 to 5" in html
    assert "Choose a recommendation" in html
    assert_summary_links_land(html)
    form = response.context["form"]
    assert form[f"score_{first.pk}"].value() == "4" and form[f"score_{second.pk}"].value() == "2"
    assert html.count('checked="checked"') == 2
    assert "Half done." in html
    assert review_state(idea) == before


@pytest.mark.parametrize("bad", ["6", "0", "three", "4.5"])
def test_out_of_range_scores_from_the_page_are_refused(people, idea, bad):
    review = services.review_assign(idea_id=idea.pk, reviewer=people["reviewer"], by=people["secretary"])
    data = form_data(all_scores(3))
    data[f"score_{criteria()[0].pk}"] = bad
    before = review_state(idea)
    response = client_for(people["reviewer"]).post(review_url(review), data)
    assert response.status_code == 200
    assert f"Score “{criteria()[0].name}” with a whole number from 1 to 5" in response.content.decode()
    assert review_state(idea) == before


@pytest.mark.parametrize("role", ["officer", "officer_other", "secretary", "board_member", "admin"])
def test_only_the_assigned_reviewer_may_open_or_post_the_review(people, idea, second_reviewer, role):
    review = services.review_assign(idea_id=idea.pk, reviewer=people["reviewer"], by=people["secretary"])
    for user in (people[role], second_reviewer):
        client = client_for(user)
        assert client.get(review_url(review)).status_code == 404
        assert client.post(review_url(review), form_data(all_scores(5))).status_code == 404
    review.refresh_from_db()
    assert review.status == Review.Status.ASSIGNED


def test_a_submitted_review_is_read_only(people, idea):
    review = services.review_assign(idea_id=idea.pk, reviewer=people["reviewer"], by=people["secretary"])
    submit(review, 4, comment="Solid.")
    client = client_for(people["reviewer"])
    html = client.get(review_url(review)).content.decode()
    assert "You have already submitted this review. It can no longer be changed." in html
    assert "Submit review" not in html and "Solid." in html and "4.00 out of 5" in html
    before = review_state(idea)
    response = client.post(review_url(review), form_data(all_scores(1)), follow=True)
    assert "You have already submitted this review" in response.content.decode()
    assert review_state(idea) == before


def test_a_cancelled_review_is_read_only_and_hides_a_confidential_idea(people):
    idea = make_idea(people["officer"], at="business-case-review", is_confidential=True, title="Secret plan")
    review = services.review_assign(idea_id=idea.pk, reviewer=people["reviewer"], by=people["secretary"])
    services.review_cancel(review_id=review.pk, by=people["secretary"])
    response = client_for(people["reviewer"]).get(review_url(review))
    html = response.content.decode()
    assert response.status_code == 200
    assert "This review is no longer needed" in html
    assert "Submit review" not in html
    assert "Residents wait weeks" not in html  # no longer entitled to the confidential facts


# --- The queue ---------------------------------------------------------------------------------


def test_the_queue_shows_waiting_reviews_soonest_first_with_overdue_marked_and_completed_ones(people, second_reviewer):
    reviewer, secretary = people["reviewer"], people["secretary"]
    late = make_idea(people["officer"], at="business-case-review", title="Late one")
    soon = make_idea(people["officer"], at="business-case-review", title="Soon one")
    done = make_idea(people["officer"], at="business-case-review", title="Done one")
    others = make_idea(people["officer"], at="business-case-review", title="Someone else's")
    late_review = services.review_assign(idea_id=late.pk, reviewer=reviewer, by=secretary)
    Review.objects.filter(pk=late_review.pk).update(due_date=TODAY() - datetime.timedelta(days=2))
    services.review_assign(idea_id=soon.pk, reviewer=reviewer, by=secretary, due_date=TODAY() + datetime.timedelta(days=5))
    submit(services.review_assign(idea_id=done.pk, reviewer=reviewer, by=secretary), 4)
    services.review_assign(idea_id=others.pk, reviewer=second_reviewer, by=secretary)

    response = client_for(reviewer).get(reverse("ideas:review_queue"))
    assert response.status_code == 200
    assert [r.idea.title for r in response.context["waiting"]] == ["Late one", "Soon one"]
    assert [r.idea.title for r in response.context["completed"]] == ["Done one"]
    html = response.content.decode()
    assert html.count("govuk-tag--red") == 1 and "Overdue" in html
    assert "Someone else&#x27;s" not in html and "Someone else's" not in html


def test_the_queue_is_for_reviewers_only(people):
    assert client_for(people["secretary"]).get(reverse("ideas:review_queue")).status_code == 403


def test_anyone_asked_to_review_sees_the_queue_even_without_the_reviewer_role(people, idea):
    # A stage may name Board members as its reviewers: once asked, a member finds the review in their queue.
    member = people["board_member"]
    client = client_for(member)
    queue = reverse("ideas:review_queue")
    assert client.get(queue).status_code == 403
    assert f'href="{queue}"' not in client.get(reverse("home")).content.decode()
    Stage.objects.filter(pk=idea.stage_id).update(reviewer_role=Role.BOARD_MEMBER)
    review = services.review_assign(idea_id=idea.pk, reviewer=member, by=people["secretary"])
    assert f'href="{queue}"' in client.get(reverse("home")).content.decode()
    response = client.get(queue)
    assert response.status_code == 200
    assert [r.pk for r in response.context["waiting"]] == [review.pk]


# --- The ranking ------------------------------------------------------------------------------------


def test_the_ranking_orders_open_submitted_ideas_by_score(people):
    officer = people["officer"]
    rows = [("Middle", "triage", "3.10", 2), ("Top", "ready-for-board", "4.80", 1), ("Unscored", "submitted", None, 0),
            ("Tie more reviews", "business-case-review", "3.10", 3), ("Draft", "draft", "5.00", 1),
            ("Closed", "rejected", "5.00", 2)]
    for title, at, score, count in rows:
        made = make_idea(officer, at=at, title=title)
        Idea.objects.filter(pk=made.pk).update(weighted_score=Decimal(score) if score else None, review_count=count)
    response = client_for(people["board_member"]).get(reverse("ideas:ranked"))
    assert response.status_code == 200
    assert [(row["rank"], row["idea"].title) for row in response.context["rows"]] == [
        (1, "Top"), (2, "Tie more reviews"), (3, "Middle"), (4, "Unscored")]


def test_the_ranking_summarises_recommendations_and_filters_by_stage(people, idea, second_reviewer):
    secretary = people["secretary"]
    submit(services.review_assign(idea_id=idea.pk, reviewer=people["reviewer"], by=secretary), 4, Recommendation.PROCEED)
    submit(services.review_assign(idea_id=idea.pk, reviewer=second_reviewer, by=secretary), 2, Recommendation.DO_NOT_PROCEED)
    other = make_idea(people["officer_other"], at="triage", title="Triage idea")
    client = client_for(secretary)
    rows = client.get(reverse("ideas:ranked")).context["rows"]
    assert [r["idea"].title for r in rows] == ["Digital forms for social care", "Triage idea"]
    assert rows[0]["recommendations"] == [("Take it forward", 1), ("Do not take it forward", 1)]
    assert rows[0]["can_assign"] is True
    html = client.get(reverse("ideas:ranked")).content.decode()
    assert "1 × take it forward" in html and "1 × do not take it forward" in html
    filtered = client.get(reverse("ideas:ranked"), {"stage": [other.stage_id]})
    assert [r["idea"].title for r in filtered.context["rows"]] == ["Triage idea"]
    bad = client.get(reverse("ideas:ranked"), {"stage": ["nonsense"]})
    assert bad.status_code == 200 and "Choose stages from the list" in bad.content.decode()
    assert_summary_links_land(bad.content.decode())


def test_the_ranking_is_paginated(people):
    for n in range(30):
        made = make_idea(people["officer"], at="triage", title=f"Idea {n:02d}")
        Idea.objects.filter(pk=made.pk).update(weighted_score=Decimal(n) / 10 + 1)
    client = client_for(people["secretary"])
    first = client.get(reverse("ideas:ranked"))
    assert len(first.context["rows"]) == 25 and first.context["rows"][0]["idea"].title == "Idea 29"
    second = client.get(reverse("ideas:ranked"), {"page": 2})
    assert [r["rank"] for r in second.context["rows"]] == list(range(26, 31))
    assert 'aria-current="page"' in second.content.decode()


# --- Fixed query counts --------------------------------------------------------------------------


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def page_cost(client, url) -> int:
    """The page's own queries: its total less what every signed-in page costs (session, user, navigation)."""
    return queries(client, url) - queries(client, reverse("accessibility"))


def add_reviews(people, n: int) -> None:
    """n ideas, each reviewed by the demo reviewer (half submitted), with systems and outputs."""
    from ideas.models import CentralSystem

    systems = list(CentralSystem.objects.all()[:3])
    for i in range(n):
        made = make_idea(people["officer"], at="business-case-review", title=f"Bulk {i}")
        for system in systems:
            link_system(made, system, Decimal("1000"))
        add_output(made, "Counts by ward", [people["officer"].department])
        review = services.review_assign(idea_id=made.pk, reviewer=people["reviewer"], by=people["secretary"],
                                        due_date=TODAY() + datetime.timedelta(days=i))
        if i % 2:
            submit(review, 3)


QUEUE_QUERIES = 3  # waiting reviews, count of completed ones, a page of completed ones
# The review with its stage, idea, owner and department; then the idea's co-owners, reviews (both for the
# permission check), departments, central systems, data outputs and who values them; the review's scores;
# the active criteria; the load on the idea's central systems (issue 13 item 4: the kept totals, one query);
# overlapping and linked ideas (ideas.triage.overlaps_of_idea: whether they were worked out, the ranking, links,
# the ideas).
REVIEW_PAGE_QUERIES = 14
RANKING_QUERIES = 4  # stages for the filter, count, a page of ideas, the page's recommendation summaries


def test_the_queue_costs_a_fixed_number_of_queries(people):
    client = client_for(people["reviewer"])
    add_reviews(people, 2)
    assert page_cost(client, reverse("ideas:review_queue")) == QUEUE_QUERIES
    add_reviews(people, 12)
    assert page_cost(client, reverse("ideas:review_queue")) == QUEUE_QUERIES


def test_the_review_page_costs_a_fixed_number_of_queries(people):
    client = client_for(people["reviewer"])
    add_reviews(people, 2)
    review = Review.objects.filter(status=Review.Status.ASSIGNED).first()
    assert page_cost(client, review_url(review)) == REVIEW_PAGE_QUERIES
    # More criteria, central systems and data outputs on the idea cost nothing more.
    from ideas.models import CentralSystem

    for n in range(4):
        Criterion.objects.create(name=f"Extra {n}", weight=1, order=100 + n)
    for system in CentralSystem.objects.all()[3:8]:
        link_system(review.idea, system, Decimal("10"))
    for n in range(5):
        add_output(review.idea, f"Output {n}", [people["officer"].department, people["officer_other"].department])
    assert page_cost(client, review_url(review)) == REVIEW_PAGE_QUERIES


def test_the_ranking_costs_a_fixed_number_of_queries(people):
    client = client_for(people["secretary"])
    add_reviews(people, 2)
    url = reverse("ideas:ranked")
    assert page_cost(client, url) == RANKING_QUERIES
    add_reviews(people, 30)  # more than a page
    assert page_cost(client, url) == RANKING_QUERIES
    assert page_cost(client, url + f"?stage={stage('business-case-review').pk}&page=2") == RANKING_QUERIES


ASSIGN_PAGE_QUERIES = 5  # the idea with stage and owner; its co-owners; its reviews; the candidates; this stage's reviews


def test_the_assign_page_costs_a_fixed_number_of_queries(people, idea):
    client = client_for(people["secretary"])
    url = assign_url(idea)
    services.review_assign(idea_id=idea.pk, reviewer=people["reviewer"], by=people["secretary"])
    assert page_cost(client, url) == ASSIGN_PAGE_QUERIES
    for n in range(8):
        reviewer = UserFactory(full_name=f"Extra Reviewer {n}", roles=[Role.REVIEWER])
        review = services.review_assign(idea_id=idea.pk, reviewer=reviewer, by=people["secretary"])
        if n % 2:
            submit(review, 3)
        UserFactory(full_name=f"Spare Reviewer {n}", roles=[Role.REVIEWER])
    idea.co_owners.add(UserFactory(), UserFactory())
    assert page_cost(client, url) == ASSIGN_PAGE_QUERIES
