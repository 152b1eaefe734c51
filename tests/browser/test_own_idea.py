"""In Chromium: the Board secretary's own idea. Each page where her role would act says why it
does not (she owns it) and who must act instead; zero axe violations on each."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from tests.browser.conftest import axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_secretary_is_told_why_she_cannot_act_on_her_own_idea(page):
    from board import services as board_services
    from board.models import Meeting, MeetingStatus
    from harrow_innovation.people.models import User
    from tests.factories import make_idea

    call_command("seed_demo", stdout=open("/dev/null", "w"))
    secretary = User.objects.get(email="secretary@harrow.example")
    admin = User.objects.get(email="admin@harrow.example")
    in_triage = make_idea(secretary, at="triage", title="Agenda papers read aloud")
    ready = make_idea(secretary, at="ready-for-board", title="Meeting rooms booked online")
    problems: list[str] = []

    sign_in(page, "secretary@harrow.example")
    page.goto(f"/ideas/{in_triage.pk}/")
    notes = page.locator(".govuk-inset-text")
    assert notes.filter(has_text="You cannot assign reviewers to this idea because you own it.").count() == 1
    assert notes.filter(has_text="“Send to business case review” on this idea because you own it.").count() == 1
    assert page.get_by_role("button", name="Send to business case review").count() == 0
    problems += axe_violations(page)

    meeting = Meeting.objects.filter(status=MeetingStatus.PLANNED).order_by("starts_at").first()
    page.goto(f"/board/meetings/{meeting.pk}/agenda/")
    row = page.get_by_role("row").filter(has_text="Meeting rooms booked online")
    assert "because you own it" in row.inner_text()
    assert row.get_by_role("button").count() == 0
    problems += axe_violations(page)

    # An admin puts it on the agenda and publishes; the secretary may not record the decision.
    item = board_services.agenda_add_idea(meeting_id=meeting.pk, idea_id=ready.pk, by=admin)
    board_services.meeting_publish_agenda(meeting_id=meeting.pk, by=admin)
    page.goto(f"/board/meetings/{meeting.pk}/")
    assert page.get_by_text("You cannot record the Board's decision on this idea because you own it.").count() == 1
    assert page.locator(f'a[href="/board/items/{item.pk}/decide/"]').count() == 0
    problems += axe_violations(page)
    page.goto(f"/board/items/{item.pk}/decide/")
    assert page.locator(".govuk-inset-text", has_text="because you own it").is_visible()
    assert page.locator("input[name=outcome]").count() == 0
    problems += axe_violations(page)
    assert not problems, "\n".join(problems)
