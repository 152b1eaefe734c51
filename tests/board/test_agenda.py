"""Building an agenda: ready ideas and other items, order, time, presenters, changes after publication."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from board import selectors, services
from board.models import AgendaItem, MeetingStatus, PackVersion
from board.services import BoardError
from ideas.models import Recommendation, Review
from tests.factories import make_idea
from tests.world_extras.board import future, past_meeting

pytestmark = pytest.mark.django_db


def test_adding_an_idea_remembers_its_stage(upcoming, ready_idea, secretary, officer):
    item = services.agenda_add_idea(meeting_id=upcoming.pk, idea_id=ready_idea.pk, by=secretary, minutes_allotted=25,
                                    presenter=officer, recommendation="Approve a pilot.")
    assert item.kind == AgendaItem.Kind.IDEA and item.title == ready_idea.title
    assert item.stage_when_added_id == ready_idea.stage_id
    assert (item.order, item.minutes_allotted, item.presenter, item.recommendation) == (1, 25, officer, "Approve a pilot.")


def test_only_ideas_ready_for_the_board_can_be_added(upcoming, secretary, officer):
    triage = make_idea(officer, at="triage", title="Still in triage")
    with pytest.raises(BoardError, match="not ready for the Board: it is at Triage"):
        services.agenda_add_idea(meeting_id=upcoming.pk, idea_id=triage.pk, by=secretary)
    assert not upcoming.items.exists()


def test_an_idea_goes_on_one_agenda_at_a_time(upcoming, ready_idea, secretary, innovation_board):
    services.agenda_add_idea(meeting_id=upcoming.pk, idea_id=ready_idea.pk, by=secretary)
    with pytest.raises(BoardError, match="already on this agenda"):
        services.agenda_add_idea(meeting_id=upcoming.pk, idea_id=ready_idea.pk, by=secretary)
    later = services.meeting_schedule(board=innovation_board, starts_at=future(40), by=secretary, location="R")
    with pytest.raises(BoardError, match="already on the agenda for the Innovation Board"):
        services.agenda_add_idea(meeting_id=later.pk, idea_id=ready_idea.pk, by=secretary)
    assert upcoming.items.count() == 1 and not later.items.exists()


def test_a_held_meetings_agenda_is_closed(innovation_board, secretary, ready_idea):
    held = past_meeting(innovation_board, secretary, status=MeetingStatus.HELD)
    with pytest.raises(BoardError, match="has been held"):
        services.agenda_add_idea(meeting_id=held.pk, idea_id=ready_idea.pk, by=secretary)
    with pytest.raises(BoardError, match="has been held"):
        services.agenda_add_free(meeting_id=held.pk, by=secretary, title="Late item")


@pytest.mark.parametrize(("title", "minutes", "message"), [
    ("  ", 10, "Enter a title"),
    ("Report", 0, "between 1 and 240"),
    ("Report", 241, "between 1 and 240"),
])
def test_free_item_bad_input_is_refused(upcoming, secretary, title, minutes, message):
    with pytest.raises(BoardError, match=message):
        services.agenda_add_free(meeting_id=upcoming.pk, by=secretary, title=title, minutes_allotted=minutes)
    assert not upcoming.items.exists()


def test_presenter_is_a_person_or_a_name(upcoming, secretary, officer):
    named = services.agenda_add_free(meeting_id=upcoming.pk, by=secretary, title="Supplier demo",
                                     presenter_name="  Ada from Acme  ")
    both = services.agenda_add_free(meeting_id=upcoming.pk, by=secretary, title="Team update", presenter=officer,
                                    presenter_name="ignored")
    assert named.presenter_display == "Ada from Acme"
    assert both.presenter_display == str(officer) and both.presenter_name == ""


def test_move_up_and_down(upcoming, secretary):
    a, b, c = (services.agenda_add_free(meeting_id=upcoming.pk, by=secretary, title=t) for t in "ABC")
    services.agenda_item_move(item_id=c.pk, by=secretary, direction="up")
    assert list(upcoming.items.order_by("order").values_list("title", flat=True)) == ["A", "C", "B"]
    services.agenda_item_move(item_id=a.pk, by=secretary, direction="down")
    assert list(upcoming.items.order_by("order").values_list("title", "order")) == [("C", 1), ("A", 2), ("B", 3)]
    with pytest.raises(BoardError, match="already first"):
        services.agenda_item_move(item_id=c.pk, by=secretary, direction="up")
    with pytest.raises(BoardError, match="already last"):
        services.agenda_item_move(item_id=b.pk, by=secretary, direction="down")
    with pytest.raises(BoardError, match="up or down"):
        services.agenda_item_move(item_id=b.pk, by=secretary, direction="sideways")


def test_remove_from_a_draft_agenda_only(upcoming, secretary, published):
    a = services.agenda_add_free(meeting_id=upcoming.pk, by=secretary, title="Late addition")
    with pytest.raises(BoardError, match="defer the item instead"):
        services.agenda_item_remove(item_id=a.pk, by=secretary)
    assert AgendaItem.objects.filter(pk=a.pk).exists()


def test_remove_renumbers(innovation_board, secretary):
    meeting = services.meeting_schedule(board=innovation_board, starts_at=future(30), by=secretary, location="R")
    a, b, c = (services.agenda_add_free(meeting_id=meeting.pk, by=secretary, title=t) for t in "ABC")
    services.agenda_item_remove(item_id=b.pk, by=secretary)
    assert list(meeting.items.values_list("title", "order")) == [("A", 1), ("C", 2)]


def test_changing_an_item_after_publication_makes_a_new_pack_version(published, secretary, officer):
    item = published.items.get(kind="idea")
    before = PackVersion.objects.filter(meeting=published).count()
    services.agenda_item_update(item_id=item.pk, by=secretary, minutes_allotted=item.minutes_allotted,
                                presenter=item.presenter, recommendation=item.recommendation)  # no change, no new pack
    assert PackVersion.objects.filter(meeting=published).count() == before
    services.agenda_item_update(item_id=item.pk, by=secretary, minutes_allotted=30, presenter=officer,
                                recommendation="Approve with a pilot budget.")
    latest = PackVersion.objects.filter(meeting=published).order_by("-number").first()
    assert PackVersion.objects.filter(meeting=published).count() == before + 1
    assert latest.reason == f"Paper changed: {item.title}"
    item.refresh_from_db()
    assert (item.minutes_allotted, item.presenter, item.recommendation) == (30, officer, "Approve with a pilot budget.")


def test_changing_a_draft_agenda_does_not_build_packs(upcoming, secretary):
    item = services.agenda_add_free(meeting_id=upcoming.pk, by=secretary, title="Report")
    services.agenda_item_update(item_id=item.pk, by=secretary, minutes_allotted=20, title="Quarterly report",
                                description="Numbers")
    item.refresh_from_db()
    assert (item.title, item.description, item.minutes_allotted) == ("Quarterly report", "Numbers", 20)
    assert not PackVersion.objects.filter(meeting=upcoming).exists()


def test_a_late_item_after_publication_is_recorded_on_the_idea_and_rebuilds_the_pack(published, secretary, officer):
    late = make_idea(officer, at="ready-for-board", title="Late idea")
    services.agenda_add_idea(meeting_id=published.pk, idea_id=late.pk, by=secretary)
    assert late.events.filter(kind="agenda").exists()
    assert PackVersion.objects.filter(meeting=published, reason="Item added: Late idea").exists()


def test_ready_list_shows_scores_recommendations_and_where_each_idea_is(upcoming, secretary, officer, people):
    strong = make_idea(officer, at="ready-for-board", title="Strong", weighted_score=Decimal("4.50"))
    weak = make_idea(officer, at="ready-for-board", title="Weak", weighted_score=Decimal("2.10"))
    unscored = make_idea(officer, at="ready-for-board", title="Unscored")
    make_idea(officer, at="triage", title="Not ready")
    Review.objects.create(idea=strong, stage=strong.stage, reviewer=people["reviewer"], assigned_by=secretary,
                          status=Review.Status.SUBMITTED, submitted_at=strong.created_at, weighted_score=Decimal("4.5"),
                          recommendation=Recommendation.PROCEED)
    services.agenda_add_idea(meeting_id=upcoming.pk, idea_id=weak.pk, by=secretary)
    ideas = list(selectors.ready_ideas(meeting=upcoming))
    assert [i.title for i in ideas] == ["Strong", "Weak", "Unscored"]
    assert [r.get_recommendation_display() for r in ideas[0].submitted_reviews] == ["Take it forward"]
    assert [i.on_this_agenda for i in ideas] == [False, True, False]
    assert unscored.pk in {i.pk for i in ideas}


def _fill(meeting, secretary, officer, n):
    for i in range(n):
        idea = make_idea(officer, at="ready-for-board", title=f"Ready {i}", weighted_score=Decimal("3.5"))
        from ideas.models import Review as R

        R.objects.create(idea=idea, stage=idea.stage, reviewer=secretary, assigned_by=secretary,
                         status=R.Status.SUBMITTED, submitted_at=idea.created_at, weighted_score=Decimal("3.5"),
                         recommendation=Recommendation.PROCEED)
        if i % 2:
            services.agenda_add_idea(meeting_id=meeting.pk, idea_id=idea.pk, by=secretary)
        services.agenda_add_free(meeting_id=meeting.pk, by=secretary, title=f"Item {i}", presenter=officer)


def test_agenda_builder_costs_the_same_queries_whatever_the_size(client, upcoming, secretary, officer,
                                                                  django_assert_num_queries):
    client.force_login(secretary)
    url = reverse("board:agenda", kwargs={"pk": upcoming.pk})
    _fill(upcoming, secretary, officer, 2)
    client.get(url)  # warm up: content types, sessions
    # 12 with the over-capacity check (one query when no idea asks a team for time; tests/portfolio/
    # test_capacity.py pins the page when ideas do); 13 with the ideas' central systems (the load on them is read
    # only when they have some: tests/ideas/test_system_load.py pins the page when they do).
    with django_assert_num_queries(13) as small:
        assert client.get(url).status_code == 200
    _fill(upcoming, secretary, officer, 8)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    assert "Running time" in response.content.decode()
