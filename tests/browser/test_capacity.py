"""In Chromium: an officer asks teams for time on her draft (add another, remove, an error that keeps
what she typed), adds and removes a partner; a team manager declares capacity (refused for a bad
number, then saved); the Board member sees the capacity view and the flag on the paper. Every form is
pressed through its own button; every page is checked with axe."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.browser.conftest import axe_violations, sign_in
from tests.browser.form_tracker import submit_form

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_asks_for_time_capacity_and_the_flag_on_the_board_paper(page):
    from board.models import AgendaItem, Board, Meeting
    from harrow_innovation.core.quarters import quarter_of
    from harrow_innovation.people.models import Team, TeamCapacity, User
    from ideas import services
    from ideas.models import ExternalResource, Idea, ResourceAsk

    call_command("seed_demo", stdout=open("/dev/null", "w"))
    problems: list[str] = []
    officer = User.objects.get(email="officer@harrow.example")
    first = quarter_of(timezone.localdate())
    draft = services.idea_create(by=officer, title="Falls sensors in sheltered housing", problem="Falls at night.")
    services.idea_update(idea_id=draft.pk, by=officer, start_date=first, end_date=first + timedelta(days=100))
    code = f"days_{first:%Y_%m}"

    sign_in(page, officer.email)
    page.goto(reverse("ideas:edit_section", kwargs={"pk": draft.pk, "section": "resources"}))
    page.get_by_label("Which team?").select_option(label="IT integration (Resources and Finance)")
    page.get_by_label("What would they do?").fill("Connect the sensors to the case system")
    page.locator(f"input[name={code}]").fill("70")
    submit_form(page, "draft_list_add", button="Add this team", errors=True)
    assert "65 or fewer" in page.locator(".govuk-error-summary").inner_text()
    assert page.locator(f"input[name={code}]").input_value() == "70"  # what she typed is kept
    assert page.get_by_label("What would they do?").input_value() == "Connect the sensors to the case system"
    problems += axe_violations(page)
    page.locator(f"input[name={code}]").fill("8.5")
    submit_form(page, "draft_list_add", button="Add this team")
    page.get_by_role("heading", name="IT integration").wait_for()
    page.get_by_label("Which team?").select_option(label="Adult Social Care practice (Adult Social Care)")
    page.locator(f"input[name={code}]").fill("4")
    submit_form(page, "draft_list_add", button="Add this team")
    assert ResourceAsk.objects.filter(idea=draft).count() == 2
    problems += axe_violations(page)
    submit_form(page, "draft_resource_ask_remove", within=page.locator(".govuk-summary-card").nth(1))
    assert [a.team.name for a in ResourceAsk.objects.filter(idea=draft)] == ["IT integration"]

    page.goto(reverse("ideas:edit_section", kwargs={"pk": draft.pk, "section": "partners"}))
    page.get_by_label("Partner or supplier").fill("Sensor supplier")
    page.get_by_label("What would they cost? (optional)").fill("12000")
    submit_form(page, "draft_list_add", button="Add this partner or supplier")
    assert ExternalResource.objects.get(idea=draft).name == "Sensor supplier"
    problems += axe_violations(page)
    submit_form(page, "draft_external_resource_remove")
    assert not ExternalResource.objects.filter(idea=draft).exists()

    # The officer manages Adult Social Care practice in the demo.
    team = Team.objects.get(name="Adult Social Care practice")
    page.goto(reverse("portfolio:capacity_teams"))
    page.get_by_role("link", name="Adult Social Care practice").click()
    page.locator(f"input[name={code}]").fill("-3")
    submit_form(page, "team_capacity", errors=True)
    assert "cannot be negative" in page.locator(".govuk-error-summary").inner_text()
    problems += axe_violations(page)
    page.locator(f"input[name={code}]").fill("12.5")
    submit_form(page, "team_capacity")
    assert TeamCapacity.objects.get(team=team, quarter=first).days == 12.5
    problems += axe_violations(page)
    submit_form(page, "sign_out")

    # The Board member: the capacity view, and the falls idea's paper flags IT integration.
    falls = Idea.objects.get(title="Sensors to prevent falls for people living alone")
    board = Board.objects.first()
    meeting = Meeting.objects.create(board=board, starts_at=timezone.now() + timedelta(days=9), status="agenda_published",
                                     created_by=User.objects.get(email="secretary@harrow.example"),
                                     published_at=timezone.now())
    item = AgendaItem.objects.create(meeting=meeting, order=1, kind="idea", idea=falls, stage_when_added=falls.stage,
                                     title=falls.title)
    sign_in(page, "board@harrow.example")
    page.goto(reverse("portfolio:capacity"))
    assert page.get_by_text("Over if approved").first.is_visible()
    problems += axe_violations(page)
    page.goto(reverse("board:paper", kwargs={"pk": item.pk}))
    assert "Over capacity if approved" in page.content() and "IT integration" in page.content()
    problems += axe_violations(page)
    assert not problems, "\n".join(problems)
