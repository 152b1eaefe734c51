"""The idea page's cached shared parts (ideas.idea_page): never stale, never one viewer's page for another.

Each test first renders the page (so the record, comments and timeline are in
the cache), changes one thing the shared parts show, straight in the database
(no service, no ``updated_at``), and checks the very next request shows it.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from harrow_innovation.people.models import Department, User
from harrow_innovation.people.roles import Role
from ideas import idea_page
from ideas.models import (
    Attachment,
    CentralSystem,
    Comment,
    Criterion,
    DataOutput,
    Idea,
    IdeaCentralSystem,
    IdeaEvent,
    Recommendation,
    Review,
    Score,
    Stage,
)
from tests.factories import DepartmentFactory, UserFactory, make_idea
from tests.world import PDF_BYTES

pytestmark = pytest.mark.django_db  # on PostgreSQL, as the whole suite (tests/ideas/test_counting.py)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(client: Client, idea) -> str:
    response = client.get(reverse("ideas:detail", kwargs={"pk": idea.pk}))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def setup(people):
    """A reviewed idea with one of everything the shared parts show, its page already cached."""
    cache.clear()
    owner, other, secretary = people["officer"], people["officer_other"], people["secretary"]
    idea = make_idea(owner, at="business-case-review", title="Smart street lighting sensors", problem="Dark streets")
    idea.co_owners.add(other)
    link = IdeaCentralSystem.objects.create(idea=idea, system=CentralSystem.objects.create(name="Streetworks", slug="streetworks"),
                                            integration_note="Nightly feed", integration_cost=Decimal("500"))
    output = DataOutput.objects.create(idea=idea, description="Lamp faults")
    output.valued_by.add(owner.department)
    attachment = Attachment.objects.create(idea=idea, file=SimpleUploadedFile("plan.pdf", PDF_BYTES),
                                           original_name="plan.pdf", kind="pdf", size=len(PDF_BYTES), uploaded_by=owner)
    reviewer = UserFactory(full_name="Rhea Reviewer", roles=[Role.REVIEWER])
    review = Review.objects.create(idea=idea, stage=idea.stage, reviewer=reviewer, assigned_by=secretary,
                                   status=Review.Status.SUBMITTED, submitted_at=timezone.now(),
                                   recommendation=Recommendation.PROCEED, comment="Sound plan", weighted_score=Decimal("3"))
    criterion = Criterion.objects.filter(is_active=True).first()
    score = Score.objects.create(review=review, criterion=criterion, score=3, weight=criterion.weight)
    comment = Comment.objects.create(idea=idea, author=secretary, body="Looks promising")
    event = IdeaEvent.objects.create(idea=idea, kind="commented", actor=secretary, summary="Sid commented")
    viewer = client_for(people["board_member"])
    html = page(viewer, idea)
    for text in ("Dark streets", "Streetworks", "Lamp faults", "plan.pdf", "Rhea Reviewer", "Looks promising", "Sid commented"):
        assert text in html
    assert idea_page.cache_key(idea_page.with_signature(Idea.objects.filter(pk=idea.pk)).get()) is not None
    return {"idea": idea, "viewer": viewer, "link": link, "output": output, "attachment": attachment, "review": review,
            "score": score, "criterion": criterion, "comment": comment, "event": event, "reviewer": reviewer}


def served_from_cache(client, idea) -> bool:
    with CaptureQueriesContext(connection) as ctx:
        page(client, idea)
    return not any('FROM "ideas_ideaevent"' in q["sql"] for q in ctx.captured_queries)  # the timeline's own query


def test_a_second_request_is_served_from_the_cache(setup):
    assert served_from_cache(setup["viewer"], setup["idea"])


# (what to change, text that must then appear, text that must then be gone)
CHANGES = {
    "the idea's own field": (lambda s: Idea.objects.filter(pk=s["idea"].pk).update(problem="Unlit alleys"), "Unlit alleys", "Dark streets"),
    "the owner's name": (lambda s: User.objects.filter(pk=s["idea"].owner_id).update(full_name="Olivia Owner"), "Olivia Owner", None),
    "the owner's department": (lambda s: Department.objects.filter(pk=s["idea"].owner.department_id).update(name="Adult Care"),
                               "Adult Care", None),
    "a department served": (lambda s: s["idea"].departments.add(DepartmentFactory(name="Highways")), "Highways", None),
    "a co-owner": (lambda s: s["idea"].co_owners.add(UserFactory(full_name="Cora Coowner")), "Cora Coowner", None),
    "a co-owner's name": (lambda s: User.objects.filter(pk__in=s["idea"].co_owners.values("pk")).update(full_name="Otis Renamed"),
                          "Otis Renamed", "Otto Other"),
    "a central system's name": (lambda s: CentralSystem.objects.filter(pk=s["link"].system_id).update(name="Roadworks"),
                                "Roadworks", "Streetworks"),
    "an integration note": (lambda s: IdeaCentralSystem.objects.filter(pk=s["link"].pk).update(integration_note="Hourly feed"),
                            "Hourly feed", "Nightly feed"),
    "a data output": (lambda s: DataOutput.objects.filter(pk=s["output"].pk).update(description="Lamp outages"),
                      "Lamp outages", "Lamp faults"),
    "who values an output": (lambda s: s["output"].valued_by.add(DepartmentFactory(name="Parks")), "Parks", None),
    "an attachment removed": (lambda s: Attachment.objects.filter(pk=s["attachment"].pk).update(is_removed=True),
                              "No attachments.", "plan.pdf"),
    "a review's comment": (lambda s: Review.objects.filter(pk=s["review"].pk).update(comment="Needs costing"),
                           "Needs costing", "Sound plan"),
    "a reviewer's name": (lambda s: User.objects.filter(pk=s["reviewer"].pk).update(full_name="Rhea Renamed"),
                          "Rhea Renamed", "Rhea Reviewer"),
    "a review's stage name": (lambda s: Stage.objects.filter(pk=s["review"].stage_id).update(name="Case review"),
                              "Case review", None),
    "a score": (lambda s: Score.objects.filter(pk=s["score"].pk).update(score=5), "5 out of 5", None),
    "a criterion's name": (lambda s: Criterion.objects.filter(pk=s["criterion"].pk).update(name="Value for residents"),
                           "Value for residents", None),
    "a review still to come": (lambda s: Review.objects.create(idea=s["idea"], stage=s["idea"].stage, reviewer=UserFactory(),
                                                               assigned_by=s["reviewer"]), "1 review is still to come.", None),
    "a comment added": (lambda s: Comment.objects.create(idea=s["idea"], author=s["reviewer"], body="Second thoughts"),
                        "Second thoughts", None),
    "a comment deleted": (lambda s: Comment.objects.filter(pk=s["comment"].pk).delete(), "No comments yet.", "Looks promising"),
    "a comment's author's name": (lambda s: User.objects.filter(pk=s["comment"].author_id).update(full_name="Sidney Sec"),
                                  "Sidney Sec", None),
    "a timeline event": (lambda s: IdeaEvent.objects.create(idea=s["idea"], kind="commented", summary="Moved to review"),
                         "Moved to review", None),
    "a timeline event changed": (lambda s: IdeaEvent.objects.filter(pk=s["event"].pk).update(detail="With a reason"),
                                 "With a reason", None),
}


@pytest.mark.parametrize("change", CHANGES)
def test_every_change_shows_on_the_next_request(setup, change):
    apply, shown, gone = CHANGES[change]
    before = page(setup["viewer"], setup["idea"])
    assert shown not in before
    apply(setup)
    after = page(setup["viewer"], setup["idea"])
    assert shown in after, change
    if gone:
        assert gone not in after, change


def test_viewers_with_different_rights_each_get_their_own_actions_around_the_same_record(people):
    cache.clear()
    owner, board_member, secretary = people["officer"], people["board_member"], people["secretary"]
    idea = make_idea(owner, at="more-information", title="Smart street lighting sensors")
    Comment.objects.create(idea=idea, author=secretary, body="Please add costs")
    pages = {}
    for who in ("officer", "board_member", "secretary", "officer"):  # the owner again, once the others are cached
        pages.setdefault(who, []).append(page(client_for(people[who]), idea))
    change_link = reverse("ideas:task_list", kwargs={"pk": idea.pk})
    assign_link = reverse("ideas:assign_reviewers", kwargs={"pk": idea.pk})
    assert all(change_link in html for html in pages["officer"])  # the owner may change it
    assert change_link not in pages["board_member"][0] and change_link not in pages["secretary"][0]
    assert assign_link in pages["secretary"][0]
    assert assign_link not in pages["board_member"][0] and assign_link not in pages["officer"][1]
    record = "Please add costs"
    assert all(record in html for htmls in pages.values() for html in htmls)
    del board_member


def test_a_cached_confidential_record_is_not_shown_to_someone_who_may_not_see_it(people):
    cache.clear()
    idea = make_idea(people["officer"], at="triage", title="Confidential restructure", problem="Secret plans",
                     is_confidential=True)
    assert "Secret plans" in page(client_for(people["secretary"]), idea)  # reads confidential ideas: now cached
    response = client_for(people["officer_other"]).get(reverse("ideas:detail", kwargs={"pk": idea.pk}))
    assert response.status_code == 404
    assert b"Secret plans" not in response.content


def test_the_shared_parts_do_not_depend_on_the_viewer(people):
    """Rendered without the request: the same record for an officer and for an admin, cache or no cache."""
    idea = make_idea(people["officer"], at="triage", title="Smart street lighting sensors")
    parts = []
    for who in ("officer_other", "admin"):
        cache.clear()
        html = page(client_for(people[who]), idea)
        start, end = html.index('id="summary"'), html.index('id="similar"')
        parts.append(html[start:end])
    assert parts[0] == parts[1]
