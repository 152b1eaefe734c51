"""Long answers have a limit: shown with the GOV.UK character count, enforced by the server with a GOV.UK error."""

from __future__ import annotations

import html as html_lib
import importlib
import inspect
import re

import pytest
from django import forms
from django.urls import reverse

from board.models import Decision
from harrow_innovation.core.text import LONG_TEXT_MAX
from tests.factories import make_idea

FORM_MODULES = ["ideas.forms.drafting", "ideas.forms.browsing", "ideas.forms.reviewing", "board.forms",
                "portfolio.forms", "notifications.forms", "harrow_innovation.people.forms"]


def test_every_textarea_in_the_service_forms_has_a_limit():
    unlimited = []
    for module_name in FORM_MODULES:
        module = importlib.import_module(module_name)
        for name, form in inspect.getmembers(module, inspect.isclass):
            if not issubclass(form, forms.BaseForm) or not (form.__module__ == module_name or form.__module__.startswith(module_name + ".")):
                continue
            for field_name, field in form.base_fields.items():
                if isinstance(field.widget, forms.Textarea) and getattr(field, "max_length", None) is None:
                    unlimited.append(f"{module_name}.{name}.{field_name}")
    assert not unlimited, f"Textareas with no maximum length: {unlimited}"


def _summary(response) -> str:
    page = response.content.decode()
    assert "govuk-error-summary" in page, page[:300]
    start = page.index("govuk-error-summary")
    return html_lib.unescape(page[start:page.index("</ul>", start)])


def _textarea(page: str, field_id: str) -> str:
    return re.search(rf'<textarea[^>]*id="{field_id}"[^>]*>', page).group(0)


@pytest.mark.django_db
def test_the_drafting_page_shows_each_answers_limit_with_the_character_count(client, people):
    idea = make_idea(people["officer"])
    client.force_login(people["officer"])
    page = client.get(reverse("ideas:edit_section", kwargs={"pk": idea.pk, "section": "about"})).content.decode()
    assert page.count(f'data-module="govuk-character-count" data-maxlength="{LONG_TEXT_MAX}"') == 2
    for field in ("problem", "solution"):
        textarea = _textarea(page, f"id_{field}")
        assert "govuk-js-character-count" in textarea
        assert f"id_{field}-info" in textarea  # the count is announced with the field
        assert "maxlength" not in textarea  # the browser must not cut a paste short without saying so
        assert f'id="id_{field}-info"' in page


@pytest.mark.django_db
def test_an_answer_over_the_limit_is_refused_with_a_message_and_nothing_changes(client, people):
    idea = make_idea(people["officer"], problem="Short problem.")
    client.force_login(people["officer"])
    url = reverse("ideas:edit_section", kwargs={"pk": idea.pk, "section": "about"})
    too_long = "x" * (LONG_TEXT_MAX + 1)
    response = client.post(url, {"title": idea.title, "problem": too_long, "solution": "s", "action": "continue"})
    assert response.status_code == 200
    assert "The problem must be 5,000 characters or fewer" in _summary(response)
    assert too_long in response.content.decode()  # what was typed is kept
    idea.refresh_from_db()
    assert idea.problem == "Short problem."
    # Exactly at the limit is fine.
    response = client.post(url, {"title": idea.title, "problem": "y" * LONG_TEXT_MAX, "solution": "s",
                                 "action": "continue"})
    assert response.status_code == 302
    idea.refresh_from_db()
    assert len(idea.problem) == LONG_TEXT_MAX


@pytest.mark.django_db
def test_decision_notes_over_the_limit_are_refused_and_no_decision_is_recorded(client, people):
    from tests.world_extras.packs import make_pack_meeting

    meeting = make_pack_meeting(people, ideas=1, free_items=0)
    item = meeting.items.get()
    client.force_login(people["secretary"])
    url = reverse("board:decide", kwargs={"pk": item.pk})
    page = client.get(url).content.decode()
    assert page.count('data-module="govuk-character-count"') == 4  # conditions, people, support, notes
    response = client.post(url, {"outcome": "approve", "notes": "n" * (LONG_TEXT_MAX + 1)})
    assert response.status_code == 200
    summary = _summary(response)
    assert "Notes for the minutes must be 5,000 characters or fewer" in summary
    assert 'href="#id_notes"' in summary
    assert 'id="id_notes-error"' in response.content.decode()
    assert not Decision.objects.exists()
