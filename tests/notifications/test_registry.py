"""The apps declare their notice kinds, events and jobs to notifications, which knows none of them by name."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import NoReverseMatch, resolve

import notifications
from board.notices import Kind as BoardKind
from harrow_innovation.core.models import OutboxTask
from ideas import notices as idea_notices
from ideas import services
from notifications import events, kinds
from notifications.kinds import NoticeKind
from notifications.models import Channel, Notification
from notifications.schedules import registered_task_names
from tests.factories import make_idea

pytestmark = pytest.mark.django_db

# The preferences page and the digest's headings, in the order people saw them before the apps declared them.
ORDER_BEFORE = [
    "review_assigned", "review_overdue", "stage_changed", "comment_added", "decision_recorded", "review_submitted",
    "idea_stalled", "parked_date_reached", "agenda_published", "pack_ready", "meeting_soon", "idea_on_agenda",
    "action_assigned", "action_due_soon", "action_overdue",
    "data_valued", "data_needed",  # new in issue 13: after all the kinds people already knew
]


# Added by issue 13 (ideas.notices_joins), between "moved to a new stage" and "a comment".
JOINING = ["join_requested", "join_answered", "ideas_linked", "ideas_merged"]


def test_the_apps_declare_every_kind_and_the_order_people_see_is_unchanged():
    assert list(kinds.KINDS) == ORDER_BEFORE[:3] + JOINING + ORDER_BEFORE[3:]
    assert [code for code in ORDER_BEFORE if kinds.is_fixed(code)] == [
        "review_assigned", "review_overdue", "action_assigned",
    ]
    assert [code for code in JOINING if kinds.is_fixed(code)] == ["join_requested", "ideas_merged"]
    assert dict(Notification._meta.get_field("kind").flatchoices)["decision_recorded"] == "The Board decided on an idea"


def test_a_kind_declared_twice_differently_is_refused():
    info = kinds.KINDS["stage_changed"]
    kinds.declare(info)  # the same declaration again: harmless
    with pytest.raises(ImproperlyConfigured, match="declared twice"):
        kinds.declare(NoticeKind(info.code, info.label, "Another question", "", Channel.DIGEST))
    assert kinds.KINDS["stage_changed"] == info


def test_an_undeclared_event_fails_at_once_and_writes_nothing():
    with pytest.raises(ImproperlyConfigured, match="No app declared"):
        notifications.publish("board.decision_recorderd", decision_id=1)
    assert not OutboxTask.objects.exists()


def test_publishing_writes_one_outbox_row_and_hands_it_over_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notifications.publish("board.action_assigned", action_id=12345)
        row = OutboxTask.objects.get()
        assert (row.task_name, row.args, row.dispatched_at) == ("notifications.publish", ["board.action_assigned",
                                                                                           {"action_id": 12345}], None)
    assert callbacks
    for callback in callbacks:
        callback()  # eager in tests: the board's handler runs, finds no such action, tells nobody
    row.refresh_from_db()
    assert row.dispatched_at is not None and row.last_error == ""


def test_the_board_events_are_declared_and_the_old_task_names_still_run():
    assert {"board.agenda_published", "board.ideas_on_agenda", "board.pack_ready", "board.decision_recorded",
            "board.action_assigned"} <= set(events.EVENTS)
    # Rows queued, and beat rows saved, before the apps took their notices over name these tasks.
    old = {"notifications.agenda_published", "notifications.pack_ready", "notifications.ideas_on_agenda",
           "notifications.action_assigned", "notifications.decision_recorded", "notifications.scan_overdue_reviews",
           "notifications.scan_stalled_ideas", "notifications.scan_parked_ideas", "notifications.scan_meetings",
           "notifications.scan_actions", "notifications.scan_board_events",
           "notifications.send_pending", "notifications.daily_digest", "ideas.stage_changed", "ideas.review_assigned",
           "ideas.review_submitted", "ideas.comment_added"}
    assert old | {"notifications.publish"} <= registered_task_names()
    assert BoardKind.ACTION_ASSIGNED in kinds.KINDS


def test_a_notice_links_to_the_page_it_is_about(people):
    idea = make_idea(people["officer"], at="business-case-review")
    review = services.review_assign(idea_id=idea.pk, reviewer=people["reviewer"], by=people["secretary"])
    assert idea_notices.review_assigned(review_id=review.pk) == 1
    notice = Notification.objects.get(kind="review_assigned")
    assert resolve(notice.url).view_name == "ideas:review"


@pytest.mark.urls("tests.notifications.urls_without_review_page")
def test_a_renamed_page_fails_loudly_instead_of_linking_to_the_home_page(people):
    idea = make_idea(people["officer"], at="business-case-review")
    review = services.review_assign(idea_id=idea.pk, reviewer=people["reviewer"], by=people["secretary"])
    with pytest.raises(NoReverseMatch):
        idea_notices.review_assigned(review_id=review.pk)
    assert not Notification.objects.exists()
