"""In Chromium: an admin brings a parked idea back from the agenda page; the idea's timeline names
the admin who pressed the button, not the secretary who recorded the park decision."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.browser.conftest import axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_bringing_parked_ideas_back_by_hand_is_recorded_in_the_presser_s_name(page):
    from board import services
    from board.models import Board
    from harrow_innovation.people.models import User
    from ideas.models import Idea

    call_command("seed_demo", stdout=open("/dev/null", "w"))
    idea = Idea.objects.get(title="Digital parking permits")
    Idea.objects.filter(pk=idea.pk).update(parked_until=timezone.localdate())
    meeting = services.meeting_schedule(
        board=Board.objects.get(), starts_at=timezone.now() + timedelta(days=14),
        by=User.objects.get(email="secretary@harrow.example"), location="Committee Room 1",
    )

    sign_in(page, "admin@harrow.example")
    page.goto(reverse("board:agenda", kwargs={"pk": meeting.pk}))
    assert "1 parked idea is due back on this list" in page.locator("#main-content").inner_text()
    page.get_by_role("button", name="Bring them back now").click()
    page.wait_for_url(f"**{reverse('board:agenda', kwargs={'pk': meeting.pk})}")
    assert "1 parked idea is back on the list." in page.locator(".govuk-notification-banner").inner_text()
    assert axe_violations(page) == []

    page.goto(reverse("ideas:detail", kwargs={"pk": idea.pk}))
    timeline = page.locator("#timeline + ol").inner_text()
    assert "Sam Patel: Return to the Board's list (Parked → Ready for Board)" in timeline
    assert "Grace Lee: Return to the Board's list" not in timeline
    assert Idea.objects.get(pk=idea.pk).stage.slug == "ready-for-board"
