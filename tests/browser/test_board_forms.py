"""In Chromium: the Board forms the meeting journey does not reach, each pressed through its own
button and checked where it lands (tests/form_registry.py), with what it changed."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.browser.conftest import axe_violations, sign_in
from tests.browser.form_tracker import submit_form

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _demo():
    from board.models import Board, Meeting
    from harrow_innovation.people.models import User

    call_command("seed_demo", stdout=open("/dev/null", "w"))
    return {
        "board": Board.objects.get(),
        "held": Meeting.objects.get(status="held"),
        "upcoming": Meeting.objects.get(status="planned"),
        "secretary": User.objects.get(email="secretary@harrow.example"),
        "officer": User.objects.get(email="officer@harrow.example"),
    }


def test_member_withdraws_apologies_and_secretary_runs_the_rest_of_the_board_forms(page):
    from board.models import AgendaItem, Attendance, Minutes, PackVersion
    from harrow_innovation.people.models import User
    from ideas.models import Idea
    from tests.world_extras.board import past_meeting
    from tests.world_extras.packs import failed_pack

    demo = _demo()
    upcoming, held = demo["upcoming"], demo["held"]
    problems: list[str] = []

    # A member sends apologies, then withdraws them.
    member = User.objects.get(email="board@harrow.example")
    sign_in(page, member.email)
    page.goto(reverse("board:apologies", kwargs={"pk": upcoming.pk}))
    page.get_by_label("Reason (optional)").fill("On leave")
    submit_form(page, "apologies")
    page.goto(reverse("board:apologies", kwargs={"pk": upcoming.pk}))
    problems += axe_violations(page)
    submit_form(page, "apologies_withdraw")
    assert Attendance.objects.get(meeting=upcoming, user=member).status != Attendance.Status.APOLOGIES
    submit_form(page, "sign_out")

    sign_in(page, "secretary@harrow.example")

    # Decisions search.
    page.goto(reverse("board:decisions"))
    page.get_by_label("Idea or item title").fill("sign-on")
    submit_form(page, "decision_search")
    assert "1 decision" in page.content()

    # The calendar address: made, then replaced.
    page.goto(reverse("board:calendar"))
    submit_form(page, "calendar_address_create")
    first = page.get_by_label("Your calendar address").input_value()
    submit_form(page, "calendar_address_renew")
    assert page.get_by_label("Your calendar address").input_value() not in ("", first)

    # On the agenda: change an item, remove one, bring parked ideas back.
    items = list(AgendaItem.objects.filter(meeting=upcoming, decision__isnull=True).order_by("order"))
    page.goto(reverse("board:agenda_item_edit", kwargs={"pk": items[0].pk}))
    page.get_by_label("Time on the agenda, in minutes").fill("25")
    submit_form(page, "agenda_item")
    items[0].refresh_from_db()
    assert items[0].minutes_allotted == 25
    removed = items[-1]
    submit_form(page, "agenda_item_remove", within=page.locator(f"tr:has-text('{removed.title}')"))
    assert not AgendaItem.objects.filter(pk=removed.pk).exists()
    parked = Idea.objects.get(title="Digital parking permits")  # the demo Board parked it, so it can come back
    Idea.objects.filter(pk=parked.pk).update(parked_until=timezone.localdate())
    page.reload()
    problems += axe_violations(page)
    submit_form(page, "return_parked")
    assert Idea.objects.get(pk=parked.pk).stage.slug != "parked"

    # A meeting that has happened: recorded as held, attendance saved, minutes drafted from its page.
    past = past_meeting(demo["board"], demo["secretary"])
    page.goto(reverse("board:meeting", kwargs={"pk": past.pk}))
    submit_form(page, "meeting_held")
    past.refresh_from_db()
    assert past.status == "held"
    page.goto(reverse("board:attendance", kwargs={"pk": past.pk}))
    page.locator("form[data-form='attendance'] input[type=radio][value=present]").first.check()
    submit_form(page, "attendance")
    assert Attendance.objects.filter(meeting=past, status=Attendance.Status.PRESENT).exists()
    page.goto(reverse("board:minutes", kwargs={"pk": past.pk}))
    submit_form(page, "minutes_page_draft")
    assert Minutes.objects.filter(meeting=past).exists()

    # The edit page's own draft and redraft buttons.
    Minutes.objects.filter(meeting=held).delete()
    page.goto(reverse("board:minutes_edit", kwargs={"pk": held.pk}))
    submit_form(page, "minutes_draft")
    page.get_by_label("Minutes").fill("Edited by hand.")
    submit_form(page, "minutes")
    page.goto(reverse("board:minutes_edit", kwargs={"pk": held.pk}))
    submit_form(page, "minutes_redraft")
    assert "Edited by hand." not in Minutes.objects.get(meeting=held).body
    problems += axe_violations(page)

    # A pack that failed to build is tried again.
    failed = failed_pack(past)
    page.goto(reverse("board:meeting", kwargs={"pk": past.pk}))
    submit_form(page, "pack_retry")
    assert PackVersion.objects.filter(meeting=past).exclude(pk=failed.pk).exists() or \
        PackVersion.objects.get(pk=failed.pk).status != "failed"
    assert not problems, "\n".join(problems)
