"""Minutes: drafted from the record, edited, approved at a later meeting, published as HTML and PDF."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from board import services
from board.models import MeetingStatus, Minutes
from board.services import BoardError
from tests.factories import make_idea
from tests.world_extras.board import idea_item_on, past_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(innovation_board, secretary, member, officer, people):
    """A past meeting with attendance, a declaration, two decisions and an action."""
    meeting = past_meeting(innovation_board, secretary)
    mine = idea_item_on(meeting, make_idea(officer, at="ready-for-board", title="Officer's idea"), order=1)
    theirs = idea_item_on(meeting, make_idea(people["officer_other"], at="ready-for-board", title="Other idea"), order=2)
    services.declaration_make(item_id=mine.pk, by=member, nature="I know the supplier.", leaves_room=True)
    services.decision_record(item_id=mine.pk, by=secretary, outcome="approve_with_conditions",
                             conditions="Report back in six months.",
                             resources=services.Resources(budget=None, people="Two analysts"))
    services.decision_record(item_id=theirs.pk, by=secretary, outcome="reject")
    services.action_create(meeting_id=meeting.pk, by=secretary, description="Write to the supplier.", owner=officer,
                           due_date=timezone.localdate() + timedelta(days=5))
    services.attendance_record(meeting_id=meeting.pk, by=secretary, statuses={member.pk: "present",
                                                                              secretary.pk: "apologies"})
    services.meeting_mark_held(meeting_id=meeting.pk, by=secretary)
    return meeting


def test_draft_is_composed_from_the_record(held, secretary):
    minutes = services.minutes_draft(meeting_id=held.pk, by=secretary)
    body = minutes.body
    assert body.startswith("Minutes of the Innovation Board")
    assert "Present\n- Cllr Bea Board (Portfolio Holder for Finance)" in body
    assert "Apologies\n- Sid Secretary (Secretary)" in body
    assert "item 1 (Officer's idea): I know the supplier. They left the room for this item." in body
    assert "1. Officer's idea\nDecision: Approve with conditions.\nConditions: Report back in six months.\nPeople: Two analysts" in body
    assert "2. Other idea\nDecision: Reject." in body
    assert "- Write to the supplier. Owner: Olive Officer." in body


def test_draft_rules(held, secretary, upcoming):
    with pytest.raises(BoardError, match="Publish the agenda"):
        services.minutes_draft(meeting_id=upcoming.pk, by=secretary)
    services.minutes_draft(meeting_id=held.pk, by=secretary)
    with pytest.raises(BoardError, match="already exist"):
        services.minutes_draft(meeting_id=held.pk, by=secretary)
    services.minutes_update(meeting_id=held.pk, by=secretary, body="Edited by hand.")
    assert services.minutes_draft(meeting_id=held.pk, by=secretary, replace=True).body.startswith("Minutes of")
    with pytest.raises(BoardError, match="Enter the minutes"):
        services.minutes_update(meeting_id=held.pk, by=secretary, body="  ")


@pytest.fixture
def approving(innovation_board, secretary):
    """A later meeting of the Board that is being held now: it started an hour ago."""
    meeting = past_meeting(innovation_board, secretary, days_ago=0)
    meeting.starts_at = timezone.now() - timedelta(hours=1)
    meeting.save(update_fields=["starts_at"])
    return meeting


def test_approval_at_a_later_meeting_being_held_publishes_and_closes(held, secretary, approving, innovation_board):
    services.minutes_draft(meeting_id=held.pk, by=secretary)
    earlier = past_meeting(innovation_board, secretary, days_ago=40)
    with pytest.raises(BoardError, match="later meeting of the Board"):
        services.minutes_approve(meeting_id=held.pk, at_meeting_id=earlier.pk, by=secretary)
    with pytest.raises(BoardError, match="Choose the meeting"):
        services.minutes_approve(meeting_id=held.pk, at_meeting_id=None, by=secretary)
    minutes = services.minutes_approve(meeting_id=held.pk, at_meeting_id=approving.pk, by=secretary)
    held.refresh_from_db()
    assert minutes.status == Minutes.Status.APPROVED and minutes.approved_at_meeting == approving
    assert held.status == MeetingStatus.MINUTES_APPROVED
    with pytest.raises(BoardError, match="can no longer change"):
        services.minutes_update(meeting_id=held.pk, by=secretary, body="Too late")
    with pytest.raises(BoardError, match="already been approved"):
        services.minutes_approve(meeting_id=held.pk, at_meeting_id=approving.pk, by=secretary)


def test_a_later_meeting_recorded_as_held_can_approve_minutes(held, secretary, innovation_board):
    services.minutes_draft(meeting_id=held.pk, by=secretary)
    later = past_meeting(innovation_board, secretary, days_ago=5, status=MeetingStatus.HELD)
    assert list(services.meetings_for_minutes_approval(held)) == [later]
    assert services.minutes_approve(meeting_id=held.pk, at_meeting_id=later.pk, by=secretary).approved_at_meeting == later


def test_a_future_meeting_cannot_approve_minutes_and_is_not_offered(held, secretary, published, approving):
    services.minutes_draft(meeting_id=held.pk, by=secretary)
    assert list(services.meetings_for_minutes_approval(held)) == [approving]
    with pytest.raises(BoardError, match="has not happened yet") as refused:
        services.minutes_approve(meeting_id=held.pk, at_meeting_id=published.pk, by=secretary)
    assert refused.value.field == "at_meeting"
    assert Minutes.objects.get(meeting=held).status == Minutes.Status.DRAFT
    held.refresh_from_db()
    assert held.status == MeetingStatus.HELD


def test_a_planned_later_meeting_cannot_approve_minutes(held, secretary, upcoming):
    services.minutes_draft(meeting_id=held.pk, by=secretary)
    with pytest.raises(BoardError, match="has not happened yet"):
        services.minutes_approve(meeting_id=held.pk, at_meeting_id=upcoming.pk, by=secretary)


def test_minutes_of_a_meeting_not_marked_held_cannot_be_approved(innovation_board, secretary, approving):
    meeting = past_meeting(innovation_board, secretary)
    services.minutes_draft(meeting_id=meeting.pk, by=secretary)
    with pytest.raises(BoardError, match="Record the meeting as held"):
        services.minutes_approve(meeting_id=meeting.pk, at_meeting_id=approving.pk, by=secretary)


def _pdf_text(response) -> str:
    data = b"".join(response.streaming_content) if response.streaming else response.content
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_members_read_html_and_pdf_officers_only_their_decisions_once_approved(client, held, secretary, approving,
                                                                              member, officer, people):
    services.minutes_draft(meeting_id=held.pk, by=secretary)
    url = reverse("board:minutes", kwargs={"pk": held.pk})
    pdf_url = reverse("board:minutes_pdf", kwargs={"pk": held.pk})
    client.force_login(officer)
    assert client.get(url).status_code == 403  # draft minutes stay with the Board
    client.force_login(member)
    page = client.get(url).content.decode()
    assert "Draft" in page and "Other idea" in page
    services.minutes_approve(meeting_id=held.pk, at_meeting_id=approving.pk, by=secretary)

    response = client.get(pdf_url)
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(response)
    assert "Minutes" in text and "Other idea" in text and "Approved at the" in text

    client.force_login(officer)
    page = client.get(url).content.decode()
    assert "Officer&#x27;s idea" in page and "Report back in six months." in page
    assert "Other idea" not in page and "I know the supplier" not in page
    text = _pdf_text(client.get(pdf_url))
    assert "Officer's idea" in text and "Other idea" not in text

    client.force_login(people["reviewer"])
    assert client.get(url).status_code == 403
    assert client.get(pdf_url).status_code == 403


def test_approved_minutes_pdf_is_rendered_once_and_kept(client, held, secretary, approving, member):
    services.minutes_draft(meeting_id=held.pk, by=secretary)
    services.minutes_approve(meeting_id=held.pk, at_meeting_id=approving.pk, by=secretary)
    client.force_login(member)
    first = client.get(reverse("board:minutes_pdf", kwargs={"pk": held.pk})).content
    minutes = Minutes.objects.get(meeting=held)
    assert minutes.pdf
    assert client.get(reverse("board:minutes_pdf", kwargs={"pk": held.pk})).content == first


def test_secretary_drafts_edits_and_approves_through_the_pages(client, held, secretary, published, approving):
    client.force_login(secretary)
    edit = reverse("board:minutes_edit", kwargs={"pk": held.pk})
    approve = reverse("board:minutes_approve", kwargs={"pk": held.pk})
    assert client.post(edit, {"draft": "new"}).status_code == 302
    response = client.post(edit, {"body": ""})
    assert response.status_code == 200 and "Enter the minutes" in response.content.decode()
    assert client.post(edit, {"body": "Revised minutes.\n\nSecond paragraph."}).status_code == 302
    page = client.get(reverse("board:minutes", kwargs={"pk": held.pk})).content.decode()
    assert "<p>Revised minutes.</p>" in page and "Record minutes as approved" in page
    # The form posts to the view that approves (the minutes page itself only reads), and
    # only meetings that have happened are offered.
    assert f'action="{approve}"' in page
    assert f'<option value="{approving.pk}">' in page and f'<option value="{published.pk}">' not in page
    response = client.post(approve, {"at_meeting": approving.pk}, follow=True)
    assert "The minutes are approved and published." in response.content.decode()
    assert Minutes.objects.get(meeting=held).approved_at_meeting == approving


def test_approving_at_a_future_meeting_shows_the_error_summary_and_changes_nothing(client, held, secretary, published,
                                                                                   approving):
    services.minutes_draft(meeting_id=held.pk, by=secretary)
    client.force_login(secretary)
    response = client.post(reverse("board:minutes_approve", kwargs={"pk": held.pk}), {"at_meeting": published.pk})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Error: " in page
    summary = page[page.index("govuk-error-summary"):]
    assert 'href="#id_at_meeting"' in summary and "has not happened yet" in summary
    assert Minutes.objects.get(meeting=held).status == Minutes.Status.DRAFT
    response = client.post(reverse("board:minutes_approve", kwargs={"pk": held.pk}), {})
    assert response.status_code == 200 and "Choose the meeting that approved the minutes" in response.content.decode()
