"""The periodic scans: what falls due, who is told, and that nobody is told twice."""

from __future__ import annotations

import threading
from datetime import datetime, time, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from board import reminders as board_reminders
from board.notices import Kind as BoardKind
from ideas import reminders as idea_reminders
from ideas.models import Review
from ideas.notices import Kind as IdeaKind
from notifications.models import DeliveryKey, Notification
from tests.factories import UserFactory, make_idea, stage
from tests.services import need_postgres

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def at(day, hour=10):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def told(kind) -> set[tuple[str, int]]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient__email", "object_id"))


def assign(idea, reviewer, secretary, *, days_ago: int, due_date=None) -> Review:
    return Review.objects.create(
        idea=idea, stage=idea.stage, reviewer=reviewer, assigned_by=secretary, due_date=due_date,
        assigned_at=at(TODAY - timedelta(days=days_ago)),
    )


# --- Reviews ----------------------------------------------------------------------------


def test_an_overdue_review_reminds_the_reviewer_then_the_secretary(people):
    idea = make_idea(people["officer"], at="business-case-review")  # 14 days allowed
    on_time = assign(idea, people["reviewer"], people["secretary"], days_ago=14)
    other_reviewer = UserFactory(roles=["reviewer"])
    late = assign(idea, other_reviewer, people["secretary"], days_ago=15)
    assert idea_reminders.scan_overdue_reviews() == 1
    assert told(IdeaKind.REVIEW_OVERDUE) == {(other_reviewer.email, late.pk)}
    notice = Notification.objects.get(kind=IdeaKind.REVIEW_OVERDUE)
    assert notice.title == "Your review of “Online requests for repairs” is overdue"
    assert notice.key.due_date == TODAY - timedelta(days=1)
    # Still not done three days later: the secretary hears of it, the reviewer is not told again.
    later = TODAY + timedelta(days=idea_reminders.ESCALATE_AFTER_DAYS - 1)
    assert idea_reminders.scan_overdue_reviews(today=later) == 2  # the secretary about `late`; `on_time` is now late
    assert told(IdeaKind.REVIEW_OVERDUE) == {
        (other_reviewer.email, late.pk), (people["reviewer"].email, on_time.pk), (people["secretary"].email, late.pk),
    }
    assert idea_reminders.scan_overdue_reviews(today=later) == 0
    assert idea_reminders.scan_overdue_reviews(today=later + timedelta(days=1)) == 1  # the secretary about `on_time`
    assert idea_reminders.scan_overdue_reviews(today=later + timedelta(days=30)) == 0


def test_a_due_date_set_by_the_secretary_wins_over_the_stage_allowance(people):
    idea = make_idea(people["officer"], at="business-case-review")
    review = assign(idea, people["reviewer"], people["secretary"], days_ago=2, due_date=TODAY - timedelta(days=1))
    assert idea_reminders.scan_overdue_reviews() == 1
    assert DeliveryKey.objects.get(object_id=review.pk).due_date == TODAY - timedelta(days=1)


def test_finished_and_cancelled_reviews_are_not_chased(people):
    idea = make_idea(people["officer"], at="business-case-review")
    review = assign(idea, people["reviewer"], people["secretary"], days_ago=30)
    Review.objects.filter(pk=review.pk).update(status=Review.Status.CANCELLED)
    assert idea_reminders.scan_overdue_reviews() == 0


# --- Stalled and parked ideas -----------------------------------------------------------


def test_a_stalled_idea_is_reported_to_its_owners_and_the_secretary_once_per_stay(people):
    co_owner = UserFactory()
    stalled = make_idea(people["officer"], at="submitted", stage_entered_at=at(TODAY - timedelta(days=6)))
    stalled.co_owners.add(co_owner)
    make_idea(people["officer"], at="submitted", title="Fresh", stage_entered_at=at(TODAY - timedelta(days=5)))
    make_idea(people["officer"], at="parked", title="Parked: no allowance", stage_entered_at=at(TODAY - timedelta(days=99)))
    assert idea_reminders.scan_stalled_ideas() == 3
    assert {email for email, _ in told(IdeaKind.IDEA_STALLED)} == {
        people["officer"].email, co_owner.email, people["secretary"].email,
    }
    assert idea_reminders.scan_stalled_ideas() == 0
    assert idea_reminders.scan_stalled_ideas(today=TODAY + timedelta(days=1)) == 2  # "Fresh" is now stalled too
    assert Notification.objects.filter(kind=IdeaKind.IDEA_STALLED, object_id=stalled.pk).count() == 3  # the same stay
    assert Notification.objects.filter(kind=IdeaKind.IDEA_STALLED).first().channel == "digest"


def test_a_parked_idea_whose_date_has_come_is_reported(people):
    idea = make_idea(people["officer"], at="parked", parked_until=TODAY)
    make_idea(people["officer"], at="parked", title="Later", parked_until=TODAY + timedelta(days=1))
    assert board_reminders.scan_parked_ideas() == 2
    assert told(BoardKind.PARKED_DATE_REACHED) == {(people["officer"].email, idea.pk), (people["secretary"].email, idea.pk)}
    assert board_reminders.scan_parked_ideas() == 0


def test_a_parked_idea_already_returned_to_the_board_list_still_reaches_the_secretary(people, meeting):
    """board.return_parked_ideas may run first and clear the date; the Board's decision remembers it."""
    from board.models import AgendaItem, Decision

    idea = make_idea(people["officer"], at="ready-for-board")  # already moved back, date cleared
    item = AgendaItem.objects.create(meeting=meeting, kind="idea", idea=idea, title=idea.title, stage_when_added=stage("ready-for-board"))
    Decision.objects.create(item=item, outcome="park", park_until=TODAY - timedelta(days=1), recorded_by=people["secretary"])
    assert board_reminders.scan_parked_ideas() == 1
    assert told(BoardKind.PARKED_DATE_REACHED) == {(people["secretary"].email, idea.pk)}  # owners heard of the move


# --- Meetings and actions ---------------------------------------------------------------


def test_members_are_reminded_7_and_1_days_before_a_meeting(people, board, settings):
    from board.models import Meeting

    settings.NOTIFY_MEETING_DAYS = ["7", "1"]
    meeting = Meeting.objects.create(board=board, starts_at=at(TODAY + timedelta(days=7), 14), created_by=people["secretary"])
    far = Meeting.objects.create(board=board, starts_at=at(TODAY + timedelta(days=8), 14), created_by=people["secretary"])
    assert board_reminders.scan_meetings() == 2
    assert told(BoardKind.MEETING_SOON) == {(people["board_member"].email, meeting.pk), (people["secretary"].email, meeting.pk)}
    assert Notification.objects.filter(kind=BoardKind.MEETING_SOON).first().title.startswith("Board meeting in 7 days")
    for days_later in range(1, 6):  # nothing new until the day before
        assert board_reminders.scan_meetings(today=TODAY + timedelta(days=days_later)) == (2 if days_later == 1 else 0)
    assert board_reminders.scan_meetings(today=TODAY + timedelta(days=6)) == 2  # "tomorrow"
    titles = set(Notification.objects.filter(kind=BoardKind.MEETING_SOON, object_id=meeting.pk).values_list("title", flat=True))
    assert any(title.startswith("Board meeting tomorrow") for title in titles)
    assert Notification.objects.filter(kind=BoardKind.MEETING_SOON, object_id=far.pk).count() == 2  # its own 7 days


def test_the_reminder_days_are_configurable(people, board, settings):
    from board.models import Meeting

    settings.NOTIFY_MEETING_DAYS = ["3"]
    Meeting.objects.create(board=board, starts_at=at(TODAY + timedelta(days=5), 14), created_by=people["secretary"])
    assert board_reminders.scan_meetings() == 0
    assert board_reminders.scan_meetings(today=TODAY + timedelta(days=2)) == 2


def test_members_who_have_not_opened_a_ready_pack_get_a_firmer_nudge(people, board):
    from board.models import Meeting, PackVersion

    meeting = Meeting.objects.create(board=board, starts_at=at(TODAY + timedelta(days=1), 14), created_by=people["secretary"],
                                     status="agenda_published", published_at=timezone.now())
    PackVersion.objects.create(meeting=meeting, number=1, reason="Agenda published", status="ready", file="packs/a.pdf")
    board_reminders.pack_opened(user_id=people["secretary"].pk, meeting_id=meeting.pk)
    board_reminders.pack_opened(user_id=people["secretary"].pk, meeting_id=meeting.pk)  # twice: one record
    board_reminders.scan_meetings()
    titles = dict(Notification.objects.filter(kind=BoardKind.MEETING_SOON).values_list("recipient__email", "title"))
    assert titles[people["board_member"].email] == "Please read the agenda pack before the meeting tomorrow"
    assert titles[people["secretary"].email].startswith("Board meeting tomorrow")


def test_action_owners_hear_when_an_action_is_due_soon_and_again_when_it_is_overdue(people, meeting):
    from board.models import Action

    soon = Action.objects.create(meeting=meeting, description="Cost the data platform", owner=people["officer"],
                                 due_date=TODAY + timedelta(days=3))
    Action.objects.create(meeting=meeting, description="Later", owner=people["officer"], due_date=TODAY + timedelta(days=4))
    Action.objects.create(meeting=meeting, description="Done", owner=people["officer"], due_date=TODAY, status="done")
    assert board_reminders.scan_actions() == 1
    assert told(BoardKind.ACTION_DUE_SOON) == {(people["officer"].email, soon.pk)}
    assert board_reminders.scan_actions(today=TODAY + timedelta(days=1)) == 1  # "Later" is now due soon
    assert board_reminders.scan_actions(today=TODAY + timedelta(days=4)) == 1  # soon is overdue
    assert told(BoardKind.ACTION_OVERDUE) == {(people["officer"].email, soon.pk)}
    assert board_reminders.scan_actions(today=TODAY + timedelta(days=10)) == 1  # Later is overdue; soon is not told again
    assert Notification.objects.filter(kind=BoardKind.ACTION_OVERDUE).count() == 2


def test_deactivated_people_are_not_reminded(people, meeting):
    from board.models import Action

    people["officer"].is_active = False
    people["officer"].save()
    Action.objects.create(meeting=meeting, description="X", owner=people["officer"], due_date=TODAY)
    assert board_reminders.scan_actions() == 0
    assert not Notification.objects.exists() and not DeliveryKey.objects.exists()


# --- Two beat processes at once --------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_scans_racing_each_other_issue_each_reminder_once(people, meeting):
    need_postgres()
    from board.models import Action

    for n in range(30):
        Action.objects.create(meeting=meeting, description=f"Action {n}", owner=people["officer"], due_date=TODAY)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def scan():
        try:
            barrier.wait(timeout=10)
            results.append(board_reminders.scan_actions())
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=scan) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert sum(results) == 30
    assert Notification.objects.filter(kind=BoardKind.ACTION_DUE_SOON).count() == 30
    assert DeliveryKey.objects.count() == 30
