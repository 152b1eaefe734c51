"""One-line fields refuse line breaks and control characters; rows that already hold them stay harmless on the way out."""

from __future__ import annotations

import html as html_lib
import importlib
import inspect
from datetime import timedelta

import pytest
from django import forms
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from board.models import Meeting
from harrow_innovation.core.text import OneLineValidator, one_line, validate_one_line
from ideas import services as idea_services
from ideas.models import Idea
from ideas.notices import Kind as IdeaKind
from notifications.models import EmailStatus, Notification
from tests.factories import make_idea

BREAKS = ["Online\r\nrepairs", "Online\nrepairs", "Online\rrepairs", "Online\trepairs", "Online\x00repairs",
          "Online\x1brepairs", "Online\x85repairs", "Online\u2028repairs"]


@pytest.mark.parametrize("value", BREAKS)
def test_the_validator_refuses_line_breaks_and_control_characters(value):
    with pytest.raises(ValidationError, match="The title must be on one line"):
        validate_one_line(value, name="The title")
    assert one_line(value) == "Online repairs"


@pytest.mark.parametrize("value", ["Café – Harrow’s “smart” bins", "Repairs 24/7 (pilot)", "Ward 🏠 map", ""])
def test_ordinary_text_is_accepted(value):
    validate_one_line(value)
    assert one_line(value) == value


# Forms that only read a query string (searches, filters) and the sign-in forms store nothing.
# Their own format already refuses line breaks.
CHECKED_BY_FORMAT = (forms.EmailField, forms.URLField, forms.SlugField, forms.RegexField)
NOT_STORED = ("FilterForm", "SearchForm")
FORM_MODULES = ["ideas.forms.drafting", "ideas.forms.browsing", "ideas.forms.reviewing", "board.forms",
                "portfolio.forms", "notifications.forms", "harrow_innovation.people.forms"]


def test_every_one_line_text_field_in_the_service_forms_refuses_control_characters():
    unguarded = []
    for module_name in FORM_MODULES:
        module = importlib.import_module(module_name)
        for name, form in inspect.getmembers(module, inspect.isclass):
            if not issubclass(form, forms.BaseForm) or not (form.__module__ == module_name or form.__module__.startswith(module_name + ".")) or name.endswith(NOT_STORED):
                continue
            for field_name, field in form.base_fields.items():
                if not isinstance(field, forms.CharField) or isinstance(field, CHECKED_BY_FORMAT):
                    continue
                if not isinstance(field.widget, forms.TextInput) or isinstance(field.widget, forms.PasswordInput):
                    continue
                if not any(isinstance(v, OneLineValidator) for v in field.validators):
                    unguarded.append(f"{module_name}.{name}.{field_name}")
    assert not unguarded, f"One-line text fields without the one-line check (use OneLineField): {unguarded}"


def _summary(response) -> str:
    page = response.content.decode()
    assert "govuk-error-summary" in page, page[:500]
    start = page.index("govuk-error-summary")
    return html_lib.unescape(page[start:page.index("</ul>", start)])


@pytest.mark.django_db
def test_an_idea_title_with_a_line_break_is_refused_with_a_message_and_nothing_changes(client, people):
    idea = make_idea(people["officer"], title="Online requests for repairs")
    client.force_login(people["officer"])
    url = reverse("ideas:edit_section", kwargs={"pk": idea.pk, "section": "about"})
    response = client.post(url, {"title": "Online requests\r\nBcc: everyone@harrow.gov.uk", "problem": "p",
                                 "solution": "s", "action": "continue"})
    assert response.status_code == 200
    assert "The title must be on one line, without line breaks, tabs or other special characters" in _summary(response)
    idea.refresh_from_db()
    assert idea.title == "Online requests for repairs"


@pytest.mark.django_db
def test_a_meeting_title_or_place_with_a_line_break_is_refused_and_nothing_changes(client, people):
    from board import services
    from tests.world_extras.packs import board_for_packs

    board = board_for_packs()
    meeting = services.meeting_schedule(board=board, starts_at=timezone.now() + timedelta(days=10),
                                        by=people["secretary"], location="Committee Room 1")
    client.force_login(people["secretary"])
    day = timezone.localdate() + timedelta(days=12)
    data = {"board": board.pk, "title": "Special\nmeeting", "date_0": day.day, "date_1": day.month,
            "date_2": day.year, "start_time": "2pm", "duration_minutes": "90", "location": "Room\r1",
            "online_link": ""}
    response = client.post(reverse("board:meeting_edit", kwargs={"pk": meeting.pk}), data)
    summary = _summary(response)
    assert "The title must be on one line" in summary and "The place must be on one line" in summary
    meeting.refresh_from_db()
    assert (meeting.title, meeting.location, meeting.sequence) == ("", "Committee Room 1", 0)


@pytest.mark.django_db
def test_the_model_refuses_a_title_with_a_line_break_too():
    # Django admin and any ModelForm validate against the model.
    with pytest.raises(ValidationError) as refused:
        Meeting(title="A\r\nB").clean_fields(exclude=[f.name for f in Meeting._meta.fields if f.name != "title"])
    assert "The title must be on one line" in str(refused.value)


@pytest.mark.django_db
def test_an_idea_stored_with_a_line_break_in_its_title_still_gets_its_emails(people, django_capture_on_commit_callbacks):
    idea = make_idea(people["officer"], at="business-case-review")
    Idea.objects.filter(pk=idea.pk).update(title="Online requests\r\nfor repairs")  # saved before the forms refused it
    with django_capture_on_commit_callbacks(execute=True):
        idea_services.review_assign(idea_id=idea.pk, reviewer=people["reviewer"], by=people["secretary"],
                                    due_date=timezone.localdate() + timedelta(days=5))
    notice = Notification.objects.get(kind=IdeaKind.REVIEW_ASSIGNED)
    assert notice.email_status == EmailStatus.SENT, notice.email_error
    [message] = [m for m in mail.outbox if m.to == [people["reviewer"].email]]
    assert message.subject == "Please review “Online requests for repairs”"
    message.message()  # the headers serialise


@pytest.mark.django_db
def test_a_meeting_stored_with_line_breaks_still_downloads_as_a_calendar(client, people):
    from board import services
    from tests.world_extras.packs import board_for_packs

    meeting = services.meeting_schedule(board=board_for_packs([(people["board_member"], None)]),
                                        starts_at=timezone.now() + timedelta(days=10), by=people["secretary"],
                                        location="Committee Room 1")
    Meeting.objects.filter(pk=meeting.pk).update(title="Special\r\nBoard meeting", location="Room\n1\u2028Civic Centre")
    client.force_login(people["secretary"])
    response = client.get(reverse("board:meeting_ics", kwargs={"pk": meeting.pk}))
    assert response.status_code == 200
    [event] = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Special Board meeting"
    assert str(event["LOCATION"]) == "Room 1 Civic Centre"


# Names typed in Django admin (people, departments, systems, stages, the Board) reach pages,
# emails and calendars just as titles do, and single sign-on writes a person's name too.
NAMED_IN_ADMIN = [
    ("people.User", "full_name"), ("people.User", "known_as"), ("people.User", "job_title"),
    ("people.Department", "name"), ("ideas.CentralSystem", "name"), ("ideas.Workflow", "name"),
    ("ideas.Stage", "name"), ("ideas.Criterion", "name"), ("board.Board", "name"),
]


@pytest.mark.parametrize(("model", "field"), NAMED_IN_ADMIN)
def test_names_kept_on_models_refuse_control_characters(model, field):
    from django.apps import apps

    validators = apps.get_model(model)._meta.get_field(field).validators
    assert any(isinstance(v, OneLineValidator) for v in validators), f"{model}.{field}"


@pytest.mark.django_db
def test_an_admin_typing_a_line_break_in_a_persons_name_is_told_and_nothing_changes(client, people):
    officer = people["officer"]
    client.force_login(people["admin"])
    url = reverse("admin:people_user_change", args=[officer.pk])
    page = client.get(url).content.decode()
    assert "full_name" in page
    data = {"email": officer.email, "full_name": "Olive\r\nOfficer", "known_as": "Ol\nive", "job_title": "",
            "department": officer.department_id, "is_active": "on", "groups": list(officer.groups.values_list("pk", flat=True))}
    response = client.post(url, data)
    assert response.status_code == 200
    text = html_lib.unescape(response.content.decode())
    assert "The full name must be on one line" in text
    assert "The known-as name must be on one line" in text
    officer.refresh_from_db()
    assert officer.full_name == "Olive Officer" and officer.known_as == ""
