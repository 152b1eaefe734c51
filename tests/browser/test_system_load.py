"""In Chromium: an admin sets a central system's thresholds in the admin (a negative one is refused with a clear
message, nothing saved); an officer sees the load on the systems her idea needs on its page; the Board member sees
the load and the crossed threshold on the paper, the secretary the flag in the agenda builder. Axe on each page."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.browser.conftest import axe_violations, sign_in
from tests.browser.form_tracker import submit_form

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_thresholds_and_the_load_on_the_idea_page_the_paper_and_the_agenda_builder(page):
    from board.models import AgendaItem, Board, Meeting
    from harrow_innovation.people.models import User
    from ideas.models import CentralSystem, Idea

    call_command("seed_demo", stdout=open("/dev/null", "w"))
    problems: list[str] = []
    system = CentralSystem.objects.get(name__startswith="Social care case")
    falls = Idea.objects.get(title="Sensors to prevent falls for people living alone")

    sign_in(page, "admin@harrow.example")
    page.goto(reverse("admin:ideas_centralsystem_change", args=[system.pk]))
    page.get_by_label("Integration spend it can take in a year (£)").fill("-5000")
    page.get_by_role("button", name="Save", exact=True).click()
    assert "Give at least £1 a year, or leave it blank for no threshold." in page.locator(".errorlist").first.inner_text()
    system.refresh_from_db()
    assert system.integration_budget is None
    page.get_by_label("Integration spend it can take in a year (£)").fill("15000")
    page.get_by_label("Integration projects it can take at once").fill("1")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url("**/admin/ideas/centralsystem/")
    system.refresh_from_db()
    assert (system.integration_budget, system.max_projects) == (Decimal("15000"), 1)
    page.goto(reverse("home"))
    submit_form(page, "sign_out")

    sign_in(page, "officer@harrow.example")
    page.goto(reverse("ideas:detail", kwargs={"pk": falls.pk}))
    section = page.locator("#system-load")
    section.wait_for()
    table = page.locator("table.app-system-load").first
    assert "Total if this idea is approved" in table.inner_text() and "£20,000" in table.inner_text()
    assert "£15,000 a year" in table.inner_text() and "1 at once" in table.inner_text()
    assert "Over its threshold if approved" in table.inner_text()
    problems += axe_violations(page)
    submit_form(page, "sign_out")

    secretary = User.objects.get(email="secretary@harrow.example")
    meeting = Meeting.objects.create(
        board=Board.objects.first(),
        starts_at=timezone.now() + timedelta(days=9),
        status="agenda_published",
        created_by=secretary,
        published_at=timezone.now(),
    )
    item = AgendaItem.objects.create(
        meeting=meeting, order=1, kind="idea", idea=falls, stage_when_added=falls.stage, title=falls.title
    )
    sign_in(page, "board@harrow.example")
    page.goto(reverse("board:paper", kwargs={"pk": item.pk}))
    body = page.locator("main").inner_text()
    assert "Load on the central systems it needs" in body
    assert "Over a system's threshold if approved" in body or "Over a system’s threshold if approved" in body
    assert "£20,000 for this idea) against a budget of £15,000 a year" in body
    problems += axe_violations(page)

    submit_form(page, "sign_out")
    Meeting.objects.filter(pk=meeting.pk).update(status="planned", published_at=None)
    sign_in(page, secretary.email)
    page.goto(reverse("board:agenda", kwargs={"pk": meeting.pk}))
    flag = page.get_by_text("Over a system's threshold if approved").first
    flag.click()  # opens the details
    assert "of integration if approved" in page.locator("#item-" + str(item.pk)).inner_text()
    problems += axe_violations(page)
    assert not problems, "\n".join(problems)
