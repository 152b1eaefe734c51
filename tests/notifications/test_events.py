"""Who hears about what: ideas events (through the real services and outbox) and Board events (board models)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from board import notices as board_notices
from board.notices import Kind as BoardKind
from harrow_innovation.people.roles import Role
from ideas import notices as idea_notices
from ideas import services
from ideas.models import Follow
from ideas.notices import Kind as IdeaKind
from notifications.models import Channel, DeliveryKey, EmailStatus, Notification, Preference
from tests.factories import UserFactory, make_idea, transition

pytestmark = pytest.mark.django_db


def told(kind: str) -> dict[str, Notification]:
    return {n.recipient.email: n for n in Notification.objects.filter(kind=kind).select_related("recipient")}


def emails_to(address: str) -> list:
    return [m for m in mail.outbox if m.to == [address]]


@pytest.fixture
def co_owner(people):
    return UserFactory(full_name="Cora Co-owner", roles=[Role.OFFICER])


@pytest.fixture
def follower(people):
    return UserFactory(full_name="Fred Follower", roles=[Role.OFFICER])


def test_a_stage_change_reaches_owners_co_owners_and_followers_but_not_the_mover(
    people, co_owner, follower, django_capture_on_commit_callbacks
):
    idea = make_idea(people["officer"], at="submitted")
    idea.co_owners.add(co_owner)
    Follow.objects.create(idea=idea, user=follower)
    Follow.objects.create(idea=idea, user=people["secretary"])  # the mover follows it too
    with django_capture_on_commit_callbacks(execute=True):
        services.idea_move(idea_id=idea.pk, transition=transition("submitted", "triage"), by=people["secretary"])
    notices = told(IdeaKind.STAGE_CHANGED)
    assert set(notices) == {people["officer"].email, co_owner.email, follower.email}
    notice = notices[people["officer"].email]
    assert notice.title == "“Online requests for repairs” is now at Triage"
    assert notice.url == f"/ideas/{idea.pk}/"
    assert (notice.channel, notice.email_status, notice.attempts) == (Channel.IMMEDIATE, EmailStatus.SENT, 1)
    assert len(mail.outbox) == 3
    message = emails_to(people["officer"].email)[0]
    assert message.subject == notice.title
    assert f"https://innovation.example.gov.uk/ideas/{idea.pk}/" in message.body
    html = message.alternatives[0].content
    assert message.alternatives[0].mimetype == "text/html"
    assert '<html lang="en-GB">' in html and f'href="https://innovation.example.gov.uk/ideas/{idea.pk}/"' in html
    assert "style=" not in html
    assert "/notifications/unsubscribe/" in message.body and "List-Unsubscribe" in message.extra_headers


def test_running_the_event_again_tells_nobody_twice(people, co_owner, django_capture_on_commit_callbacks):
    idea = make_idea(people["officer"], at="submitted")
    idea.co_owners.add(co_owner)
    with django_capture_on_commit_callbacks(execute=True):
        change = services.idea_move(idea_id=idea.pk, transition=transition("submitted", "triage"), by=people["secretary"])
    with django_capture_on_commit_callbacks(execute=True):
        assert idea_notices.stage_changed(change_id=change.pk) == 0  # a retry, or the task delivered twice
        assert idea_notices.stage_changed(change_id=change.pk) == 0
    assert Notification.objects.count() == 2 and DeliveryKey.objects.count() == 2
    assert len(mail.outbox) == 2


def test_a_follower_who_can_no_longer_see_a_confidential_idea_hears_nothing(
    people, follower, django_capture_on_commit_callbacks
):
    idea = make_idea(people["officer"], at="submitted")
    Follow.objects.create(idea=idea, user=follower)
    Follow.objects.create(idea=idea, user=people["board_member"])
    idea.is_confidential = True
    idea.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.idea_move(idea_id=idea.pk, transition=transition("submitted", "triage"), by=people["secretary"])
    assert set(told(IdeaKind.STAGE_CHANGED)) == {people["officer"].email, people["board_member"].email}


def test_deactivated_people_get_nothing(people, co_owner, django_capture_on_commit_callbacks):
    idea = make_idea(people["officer"], at="submitted")
    idea.co_owners.add(co_owner)
    co_owner.is_active = False
    co_owner.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.idea_move(idea_id=idea.pk, transition=transition("submitted", "triage"), by=people["secretary"])
    assert set(told(IdeaKind.STAGE_CHANGED)) == {people["officer"].email}
    assert [m.to for m in mail.outbox] == [[people["officer"].email]]


def test_submitting_tells_co_owners(people, co_owner, django_capture_on_commit_callbacks):
    idea = make_idea(people["officer"], at="draft")
    idea.co_owners.add(co_owner)
    with django_capture_on_commit_callbacks(execute=True):
        services.idea_submit(idea_id=idea.pk, by=people["officer"])
    assert set(told(IdeaKind.STAGE_CHANGED)) == {co_owner.email}
    assert len(emails_to(co_owner.email)) == 1


def test_a_review_assignment_is_emailed_at_once_even_if_the_reviewer_switched_everything_off(
    people, django_capture_on_commit_callbacks
):
    Preference.objects.create(user=people["reviewer"], kind=IdeaKind.REVIEW_ASSIGNED, channel=Channel.OFF)  # a stale row
    idea = make_idea(people["officer"], at="business-case-review")
    with django_capture_on_commit_callbacks(execute=True):
        review = services.review_assign(idea_id=idea.pk, reviewer=people["reviewer"], by=people["secretary"],
                                        due_date=timezone.localdate() + timedelta(days=5))
    notice = told(IdeaKind.REVIEW_ASSIGNED)[people["reviewer"].email]
    assert notice.object_type == "ideas.review" and notice.object_id == review.pk
    assert notice.url == f"/ideas/reviews/{review.pk}/"  # the review form itself, not the idea's page
    assert (notice.channel, notice.email_status) == (Channel.IMMEDIATE, EmailStatus.SENT)
    message = emails_to(people["reviewer"].email)[0]
    assert message.subject == "Please review “Online requests for repairs”"
    assert "unsubscribe" not in message.body.lower()  # assignments cannot be switched off
    assert "List-Unsubscribe" not in message.extra_headers


def test_a_cancelled_review_is_not_announced(people):
    idea = make_idea(people["officer"], at="business-case-review")
    review = services.review_assign(idea_id=idea.pk, reviewer=people["reviewer"], by=people["secretary"])
    services.review_cancel(review_id=review.pk, by=people["secretary"])
    assert idea_notices.review_assigned(review_id=review.pk) == 0


def test_a_comment_reaches_owners_and_followers_but_not_its_author(
    people, follower, django_capture_on_commit_callbacks
):
    idea = make_idea(people["officer"], at="submitted")
    Follow.objects.create(idea=idea, user=follower)
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_add(idea_id=idea.pk, by=people["officer_other"], body="We tried this in Housing.")
    notices = told(IdeaKind.COMMENT_ADDED)
    assert set(notices) == {people["officer"].email, follower.email}
    assert notices[follower.email].channel == Channel.DIGEST  # comments default to the digest
    assert notices[follower.email].body == "We tried this in Housing."


def test_the_off_preference_keeps_the_notice_in_the_service_but_sends_no_email(
    people, django_capture_on_commit_callbacks
):
    Preference.objects.create(user=people["officer"], kind=IdeaKind.STAGE_CHANGED, channel=Channel.OFF)
    idea = make_idea(people["officer"], at="submitted")
    with django_capture_on_commit_callbacks(execute=True):
        services.idea_move(idea_id=idea.pk, transition=transition("submitted", "triage"), by=people["secretary"])
    notice = told(IdeaKind.STAGE_CHANGED)[people["officer"].email]
    assert notice.email_status == EmailStatus.SKIPPED and notice.read_at is None
    assert mail.outbox == []


# --- Board events, against the board models ---------------------------------------------


def test_agenda_published_reaches_active_members_once(people, meeting, member, django_capture_on_commit_callbacks):
    from board.models import MeetingStatus, Membership

    Membership.objects.filter(user=member).update(is_active=False)  # left the Board
    assert board_notices.agenda_published(meeting_id=meeting.pk) == 0  # not published yet
    meeting.status, meeting.published_at = MeetingStatus.AGENDA_PUBLISHED, timezone.now()
    meeting.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert board_notices.agenda_published(meeting_id=meeting.pk) == 2
        assert board_notices.agenda_published(meeting_id=meeting.pk) == 0
    assert set(told(BoardKind.AGENDA_PUBLISHED)) == {people["board_member"].email, people["secretary"].email}
    assert len(mail.outbox) == 2


def test_a_ready_pack_reaches_members_and_marks_the_pack_notified(people, meeting):
    from board.models import PackVersion

    pack = PackVersion.objects.create(meeting=meeting, number=1, reason="Agenda published")
    assert board_notices.pack_ready(pack_id=pack.pk) == 0  # still queued
    PackVersion.objects.filter(pk=pack.pk).update(status=PackVersion.Status.READY, file="packs/p.pdf",
                                                  finished_at=timezone.now())
    assert board_notices.pack_ready(pack_id=pack.pk) == 2
    assert board_notices.pack_ready(pack_id=pack.pk) == 0
    pack.refresh_from_db()
    assert pack.notified_at is not None
    second = PackVersion.objects.create(meeting=meeting, number=2, reason="A paper changed", status="ready",
                                        file="packs/p2.pdf")
    assert board_notices.pack_ready(pack_id=second.pk) == 2
    titles = {n.title for n in Notification.objects.filter(kind=BoardKind.PACK_READY)}
    assert any("updated agenda pack (version 2)" in title for title in titles)


def _decide(meeting, idea, secretary, outcome="approve", park_until=None):
    from board.models import AgendaItem, Decision

    item = AgendaItem.objects.create(meeting=meeting, kind="idea", idea=idea, title=idea.title,
                                     stage_when_added=idea.stage)
    change = None
    if outcome != "defer":
        target = {"approve": "approved", "park": "parked"}[outcome]
        change = services.idea_move(idea_id=idea.pk, transition=transition("ready-for-board", target), by=secretary,
                                    as_board_decision=True)
    return Decision.objects.create(item=item, outcome=outcome, park_until=park_until, recorded_by=secretary,
                                   stage_change=change)


def test_a_decision_reaches_the_owners_once_from_the_board_and_followers_hear_of_the_move(
    people, meeting, co_owner, follower
):
    idea = make_idea(people["officer"], at="ready-for-board")
    idea.co_owners.add(co_owner)
    Follow.objects.create(idea=idea, user=follower)
    decision = _decide(meeting, idea, people["secretary"])
    # The move is the workflow's: followers hear of it, owners do not (they hear the decision itself).
    assert idea_notices.stage_changed(change_id=decision.stage_change_id) == 1
    assert set(told(IdeaKind.STAGE_CHANGED)) == {follower.email}
    assert told(BoardKind.DECISION_RECORDED) == {}
    assert board_notices.decision_recorded(decision_id=decision.pk) == 2
    assert board_notices.decision_recorded(decision_id=decision.pk) == 0  # run twice, nobody is told twice
    decided = told(BoardKind.DECISION_RECORDED)
    assert set(decided) == {people["officer"].email, co_owner.email}
    assert decided[people["officer"].email].title == "The Board decided on “Online requests for repairs”: Approve"


def test_a_deferral_reaches_the_owners_through_the_one_event_the_board_publishes(
    people, meeting, django_capture_on_commit_callbacks
):
    from board.models import AgendaItem, MeetingStatus
    from board.reminders import scan_board_events
    from board.services import decision_record

    meeting.status, meeting.published_at = MeetingStatus.AGENDA_PUBLISHED, timezone.now()
    meeting.save()
    idea = make_idea(people["officer"], at="ready-for-board")
    item = AgendaItem.objects.create(meeting=meeting, kind="idea", idea=idea, title=idea.title,
                                     stage_when_added=idea.stage)
    with django_capture_on_commit_callbacks(execute=True):
        decision_record(item_id=item.pk, by=people["secretary"], outcome="defer")
    assert "Defer to a later meeting" in told(BoardKind.DECISION_RECORDED)[people["officer"].email].title
    # The scan that catches held agenda notices is not a second way for decisions.
    Notification.objects.filter(kind=BoardKind.DECISION_RECORDED).delete()
    DeliveryKey.objects.filter(kind=BoardKind.DECISION_RECORDED).delete()  # so a second telling would show
    scan_board_events()
    assert told(BoardKind.DECISION_RECORDED) == {}


def test_notices_are_keyed_by_the_day_the_event_happened_not_the_day_they_run(people, meeting):
    idea = make_idea(people["officer"], at="ready-for-board")
    decision = _decide(meeting, idea, people["secretary"])
    decision.recorded_at = timezone.make_aware(timezone.datetime(2026, 3, 2, 10, 0))
    decision.save()
    board_notices.decision_recorded(decision_id=decision.pk)
    key = DeliveryKey.objects.get(kind=BoardKind.DECISION_RECORDED)
    assert key.due_date == date(2026, 3, 2)
    assert (key.object_type, key.object_id) == ("board.decision", decision.pk)


# --- One notice when the agenda and its pack are out together (11.8) ---------------------


def _publish(meeting):
    from board.models import MeetingStatus, PackVersion

    meeting.status, meeting.published_at = MeetingStatus.AGENDA_PUBLISHED, timezone.now()
    meeting.save()
    return PackVersion.objects.create(meeting=meeting, number=1, reason="Agenda published")


def _ready(pack):
    from board.models import PackVersion

    PackVersion.objects.filter(pk=pack.pk).update(status=PackVersion.Status.READY, file="packs/p.pdf",
                                                  finished_at=timezone.now())


def test_the_publish_notice_waits_for_the_pack_and_members_get_one_combined_email(
    people, meeting, django_capture_on_commit_callbacks
):
    pack = _publish(meeting)
    with django_capture_on_commit_callbacks(execute=True):
        assert board_notices.agenda_published(meeting_id=meeting.pk) == 0  # held while the pack is built
        _ready(pack)
        assert board_notices.pack_ready(pack_id=pack.pk) == 2
        assert board_notices.pack_ready(pack_id=pack.pk) == 0
        assert board_notices.agenda_published(meeting_id=meeting.pk) == 0  # the same key: told once
    assert not Notification.objects.filter(kind=BoardKind.PACK_READY).exists()
    notices = told(BoardKind.AGENDA_PUBLISHED)
    assert set(notices) == {people["board_member"].email, people["secretary"].email}
    assert all(n.title.startswith("Agenda published and pack ready: ") for n in notices.values())
    assert len(emails_to(people["board_member"].email)) == 1 and len(mail.outbox) == 2


def test_a_pack_already_ready_at_publication_gives_one_combined_email(people, meeting,
                                                                      django_capture_on_commit_callbacks):
    pack = _publish(meeting)
    _ready(pack)
    with django_capture_on_commit_callbacks(execute=True):
        assert board_notices.agenda_published(meeting_id=meeting.pk) == 2
        assert board_notices.pack_ready(pack_id=pack.pk) == 0
    assert len(emails_to(people["board_member"].email)) == 1
    assert "Agenda published and pack ready" in emails_to(people["board_member"].email)[0].subject
    pack.refresh_from_db()
    assert pack.notified_at is not None


def test_a_failed_or_slow_pack_does_not_hold_the_agenda_back(people, meeting, django_capture_on_commit_callbacks):
    from board.models import PackVersion

    pack = _publish(meeting)
    PackVersion.objects.filter(pk=pack.pk).update(status=PackVersion.Status.FAILED)
    assert board_notices.agenda_published(meeting_id=meeting.pk) == 2
    assert all(n.title.startswith("Agenda published: ") for n in told(BoardKind.AGENDA_PUBLISHED).values())


def test_after_the_hold_the_agenda_goes_alone_and_the_pack_follows_as_its_own_notice(people, meeting):
    from board.models import Meeting

    pack = _publish(meeting)
    Meeting.objects.filter(pk=meeting.pk).update(published_at=timezone.now() - board_notices.PUBLISH_NOTICE_HOLD
                                                 - timedelta(minutes=1))
    from board.models import PackVersion

    PackVersion.objects.filter(pk=pack.pk).update(created_at=timezone.now())
    assert board_notices.agenda_published(meeting_id=meeting.pk) == 2
    _ready(pack)
    assert board_notices.pack_ready(pack_id=pack.pk) == 2
    assert len(told(BoardKind.PACK_READY)) == 2 and len(told(BoardKind.AGENDA_PUBLISHED)) == 2
