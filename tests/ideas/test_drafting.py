"""Drafting an idea through the pages: each question page, bad input, check your answers and submit.

The services do the writing; these tests go through the views, so they also
prove the pages keep what was typed, change nothing on bad input, and are
seen only by the idea's owners.
"""

from __future__ import annotations

import datetime
import html as html_lib
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from harrow_innovation.people.models import Team
from ideas import services
from ideas.models import (
    CentralSystem,
    DataOutput,
    EventKind,
    ExternalResource,
    Idea,
    IdeaCentralSystem,
    IdeaEvent,
    ResourceAsk,
    ResourceAskQuarter,
    StageChange,
)
from tests.factories import DepartmentFactory, UserFactory, make_idea

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def section_url(idea, section: str) -> str:
    return reverse("ideas:edit_section", kwargs={"pk": idea.pk, "section": section})


def summary_of(response) -> str:
    """The text of the GOV.UK error summary, or "" if there is none."""
    html = response.content.decode()
    if "govuk-error-summary" not in html:
        return ""
    start = html.index("govuk-error-summary")
    return html_lib.unescape(html[start:html.index("</ul>", start)])


@pytest.fixture
def officer(people):
    return people["officer"]


@pytest.fixture
def draft(officer):
    """A draft just started: a title and the problem, nothing else."""
    return services.idea_create(by=officer, title="Online forms for housing repairs", problem="Paper forms get lost.")


# --- Starting an idea -----------------------------------------------------------


def test_any_signed_in_officer_starts_a_draft_and_lands_on_its_task_list(people):
    client = client_for(people["officer_other"])
    assert client.get(reverse("ideas:new")).status_code == 200
    response = client.post(reverse("ideas:new"), {"title": "  Sensors in council homes  ", "problem": "Damp goes unnoticed."})
    idea = Idea.objects.get(title="Sensors in council homes")
    assert response.status_code == 302
    assert response["Location"] == reverse("ideas:task_list", kwargs={"pk": idea.pk})
    assert idea.stage.is_draft
    assert idea.owner == people["officer_other"]
    assert idea.problem == "Damp goes unnoticed."
    assert list(idea.departments.all()) == [people["officer_other"].department]
    page = client.get(response["Location"])
    assert "your draft is saved" in page.content.decode()


def test_starting_without_a_title_shows_the_error_summary_keeps_the_problem_and_saves_nothing(officer):
    before = Idea.objects.count()
    response = client_for(officer).post(reverse("ideas:new"), {"title": "", "problem": "Residents wait for weeks."})
    assert response.status_code == 200
    assert "Enter a title for your idea" in summary_of(response)
    assert 'href="#id_title"' in summary_of(response)
    assert "<title>Error: " in response.content.decode()
    assert "Residents wait for weeks." in response.content.decode()
    assert Idea.objects.count() == before


def test_a_title_that_is_too_long_is_refused(officer):
    response = client_for(officer).post(reverse("ideas:new"), {"title": "x" * 151})
    assert "The title must be 150 characters or fewer" in summary_of(response)
    assert not Idea.objects.filter(owner=officer).exists()


# --- Similar ideas while writing ------------------------------------------------


def test_similar_ideas_come_from_every_department_but_only_those_the_user_may_see(people):
    other = people["officer_other"]
    seen = make_idea(other, at="triage", title="Online forms for housing repairs requests")
    hidden_draft = make_idea(other, at="draft", title="Online forms for housing repairs backlog")
    confidential = make_idea(other, at="triage", title="Online forms for housing repairs contract", is_confidential=True)
    url = reverse("ideas:similar") + "?title=Online+forms+for+housing+repairs&problem="

    as_officer = client_for(people["officer"]).get(url)
    html = as_officer.content.decode()
    assert as_officer.status_code == 200
    assert "<html" not in html  # a fragment for drafting.js, not a page
    assert seen.title in html and seen.reference in html and other.department.name in html
    assert hidden_draft.title not in html
    assert confidential.title not in html

    as_secretary = client_for(people["secretary"]).get(url).content.decode()
    assert confidential.title in as_secretary


def test_similar_ideas_leave_out_the_idea_being_edited_and_say_when_there_are_none(people):
    own = make_idea(people["officer"], at="triage", title="Chatbot for council tax questions")
    url = reverse("ideas:similar") + f"?title=Chatbot+for+council+tax+questions&exclude={own.pk}"
    html = client_for(people["officer"]).get(url).content.decode()
    assert own.title not in html
    assert "No ideas overlap with this one yet" in html


def test_without_javascript_the_task_list_shows_similar_ideas_after_saving(people, draft):
    other = make_idea(people["officer_other"], at="submitted", title="Online forms for housing repairs in Harrow")
    html = client_for(people["officer"]).get(reverse("ideas:task_list", kwargs={"pk": draft.pk})).content.decode()
    assert "Ideas that overlap with yours" in html
    assert other.title in html
    assert f'href="{other.get_absolute_url()}"' in html


# --- The task list --------------------------------------------------------------


def statuses(response) -> dict[str, str]:
    return {row["section"].slug: row["status"] for row in response.context["rows"]}


def test_task_list_shows_each_sections_status(officer, draft):
    client = client_for(officer)
    started = statuses(client.get(reverse("ideas:task_list", kwargs={"pk": draft.pk})))
    assert started["about"] == "Incomplete"  # no solution yet
    assert started["business-case"] == "Not started"
    assert started["risks"] == "Not started"
    assert started["central-systems"] == "Not started"

    complete = make_idea(officer, at="draft", title="Finished draft")
    finished = client.get(reverse("ideas:task_list", kwargs={"pk": complete.pk}))
    assert statuses(finished)["about"] == "Completed"
    assert statuses(finished)["who-it-serves"] == "Completed"
    assert statuses(finished)["business-case"] == "Completed"
    assert statuses(finished)["risks"] == "Completed"
    assert finished.context["required_done"] == finished.context["required_count"] == 4
    assert reverse("ideas:check", kwargs={"pk": complete.pk}) in finished.content.decode()


# --- Question pages: saving each section ----------------------------------------


def test_about_page_saves_and_continues_to_the_next_page(officer, draft):
    response = client_for(officer).post(
        section_url(draft, "about"),
        {"title": "Online repairs", "problem": "Forms get lost.", "solution": "A web form.", "action": "continue"},
    )
    assert response.status_code == 302
    assert response["Location"] == section_url(draft, "who-it-serves")
    draft.refresh_from_db()
    assert (draft.title, draft.problem, draft.solution) == ("Online repairs", "Forms get lost.", "A web form.")


def test_save_and_come_back_later_goes_to_the_task_list_with_a_message(officer, draft):
    client = client_for(officer)
    response = client.post(section_url(draft, "risks"), {"risks": "Low take-up.", "future_proofing": "", "action": "later"})
    assert response["Location"] == reverse("ideas:task_list", kwargs={"pk": draft.pk})
    page = client.get(response["Location"]).content.decode()
    assert "Your draft has been saved" in page
    draft.refresh_from_db()
    assert draft.risks == "Low take-up."


def test_who_it_serves_saves_departments_services_and_source(officer, draft, other_department):
    extra = DepartmentFactory(name="Environment")
    response = client_for(officer).post(
        section_url(draft, "who-it-serves"),
        {"departments": [other_department.pk, extra.pk], "services": "Repairs", "source": "workshop",
         "source_detail": "Digital workshop, May", "action": "continue"},
    )
    assert response["Location"] == section_url(draft, "business-case")
    draft.refresh_from_db()
    assert set(draft.departments.all()) == {other_department, extra}
    assert (draft.services, draft.source, draft.source_detail) == ("Repairs", "workshop", "Digital workshop, May")


def test_business_case_accepts_pounds_with_symbols_and_commas_and_gov_uk_dates(officer, draft):
    response = client_for(officer).post(
        section_url(draft, "business-case"),
        {"cash_savings_per_year": "£15,000", "other_benefits": "Faster replies.", "one_off_cost": "20000.50",
         "recurring_cost": "0", "timescale": "6 months",
         "start_date_0": "1", "start_date_1": "4", "start_date_2": "2026",
         "end_date_0": "31", "end_date_1": "3", "end_date_2": "2027", "action": "continue"},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.cash_savings_per_year == Decimal("15000")
    assert draft.one_off_cost == Decimal("20000.50")
    assert draft.recurring_cost == Decimal("0")
    assert (draft.start_date, draft.end_date) == (datetime.date(2026, 4, 1), datetime.date(2027, 3, 31))
    # And they read back as a person would type them.
    html = client_for(officer).get(section_url(draft, "business-case")).content.decode()
    assert 'value="15000"' in html and 'value="20000.50"' in html
    assert "govuk-input__prefix" in html


def test_risks_resources_partners_and_confidentiality_pages_save(officer, draft):
    client = client_for(officer)
    client.post(section_url(draft, "risks"), {"risks": "Training.", "future_proofing": "Open standards.", "action": "continue"})
    client.post(reverse("ideas:resource_ask_set", kwargs={"pk": draft.pk}), {"note": "Two developers", "action": "continue"})
    client.post(reverse("ideas:external_resource_add", kwargs={"pk": draft.pk}), {"name": "A supplier", "action": "continue"})
    response = client.post(section_url(draft, "confidentiality"), {"is_confidential": "yes", "action": "continue"})
    assert response["Location"] == reverse("ideas:check", kwargs={"pk": draft.pk})  # the last page leads to the check
    draft.refresh_from_db()
    assert (draft.risks, draft.future_proofing) == ("Training.", "Open standards.")
    assert [ask.note for ask in draft.resource_asks.all()] == ["Two developers"]
    assert [item.name for item in draft.external_resources.all()] == ["A supplier"]
    assert draft.is_confidential is True
    html = client.get(section_url(draft, "confidentiality")).content.decode()
    assert "the Board secretary, Board members and administrators" in html  # who can see confidential ideas


def test_confidentiality_needs_an_answer(officer, draft):
    response = client_for(officer).post(section_url(draft, "confidentiality"), {"action": "continue"})
    assert "Say whether the idea should be confidential" in summary_of(response)
    assert 'href="#id_is_confidential_1"' in summary_of(response)


def test_an_unknown_section_is_not_found(officer, draft):
    assert client_for(officer).get(section_url(draft, "no-such-page")).status_code == 404


# --- Bad input: money and dates -------------------------------------------------


MONEY_CASES = [
    ("-5", "must be £0 or more"),
    ("lots", "as an amount in pounds"),
    ("12k", "as an amount in pounds"),
    ("100000000.01", "must be £100,000,000 or less"),
    ("1e9", "as an amount in pounds"),
    ("10.555", "in pounds and pence"),
]


@pytest.mark.parametrize(("typed", "message"), MONEY_CASES)
def test_bad_money_is_refused_with_a_clear_message_and_nothing_changes(officer, draft, typed, message):
    services.idea_update(idea_id=draft.pk, by=officer, timescale="A year", one_off_cost=Decimal("500"))
    response = client_for(officer).post(
        section_url(draft, "business-case"),
        {"one_off_cost": typed, "timescale": "Changed", "other_benefits": "Typed but not saved", "action": "continue"},
    )
    assert response.status_code == 200
    assert message in summary_of(response)
    assert 'href="#id_one_off_cost"' in summary_of(response)
    assert "govuk-input--error" in response.content.decode()
    assert f'value="{typed}"' in response.content.decode()  # what was typed stays
    assert "Typed but not saved" in response.content.decode()
    draft.refresh_from_db()
    assert (draft.one_off_cost, draft.timescale, draft.other_benefits) == (Decimal("500"), "A year", "")


def test_dates_in_the_wrong_order_are_refused(officer, draft):
    response = client_for(officer).post(
        section_url(draft, "business-case"),
        {"start_date_0": "1", "start_date_1": "6", "start_date_2": "2026",
         "end_date_0": "1", "end_date_1": "1", "end_date_2": "2026", "action": "continue"},
    )
    assert "The end date must be the same as or after the start date" in summary_of(response)
    assert 'href="#id_end_date_0"' in summary_of(response)
    draft.refresh_from_db()
    assert draft.start_date is None and draft.end_date is None


@pytest.mark.parametrize(
    ("day", "month", "year", "message", "anchor"),
    [
        ("1", "", "2026", "The start date must include a month", "id_start_date_1"),
        ("31", "2", "2026", "The start date must be a real date", "id_start_date_0"),
        ("1", "4", "26", "The year of the start date must include 4 numbers", "id_start_date_2"),
        ("first", "4", "2026", "must be a real date, written in numbers", "id_start_date_0"),
    ],
)
def test_incomplete_or_impossible_dates_say_what_is_wrong(officer, draft, day, month, year, message, anchor):
    response = client_for(officer).post(
        section_url(draft, "business-case"),
        {"start_date_0": day, "start_date_1": month, "start_date_2": year, "action": "continue"},
    )
    assert message in summary_of(response)
    assert f'href="#{anchor}"' in summary_of(response)
    assert f'value="{year}"' in response.content.decode()


def test_a_draft_survives_a_validation_error(officer, draft):
    client = client_for(officer)
    client.post(section_url(draft, "about"), {"title": draft.title, "problem": "Kept.", "solution": "Kept too.",
                                              "action": "continue"})
    response = client.post(section_url(draft, "about"), {"title": "", "problem": "New words", "solution": "",
                                                         "action": "continue"})
    assert response.status_code == 200
    assert "Enter a title for your idea" in summary_of(response)
    assert "New words" in response.content.decode()
    draft.refresh_from_db()
    assert (draft.title, draft.problem, draft.solution) == ("Online forms for housing repairs", "Kept.", "Kept too.")
    assert client.get(reverse("ideas:task_list", kwargs={"pk": draft.pk})).status_code == 200


# --- Lists: central systems, data outputs, co-owners ---------------------------


def test_add_change_and_remove_a_central_system(officer, draft):
    client = client_for(officer)
    system = CentralSystem.objects.get(name__startswith="Data warehouse")
    response = client.post(reverse("ideas:system_set", kwargs={"pk": draft.pk}),
                           {"system": system.pk, "integration_note": "Nightly feed.", "integration_cost": "£12,500",
                            "action": "add"})
    assert response["Location"] == section_url(draft, "central-systems")
    link = IdeaCentralSystem.objects.get(idea=draft)
    assert (link.system, link.integration_note, link.integration_cost) == (system, "Nightly feed.", Decimal("12500"))
    draft.refresh_from_db()
    assert draft.integration_cost == Decimal("12500")

    page = client.get(section_url(draft, "central-systems") + f"?change={link.pk}")
    assert f"Change {system.name}" in page.content.decode()
    client.post(reverse("ideas:system_set", kwargs={"pk": draft.pk}) + f"?change={link.pk}",
                {"integration_note": "Hourly feed.", "integration_cost": "15000", "action": "add"})
    link.refresh_from_db()
    assert (link.system, link.integration_note, link.integration_cost) == (system, "Hourly feed.", Decimal("15000"))

    response = client.post(reverse("ideas:system_remove", kwargs={"pk": draft.pk, "link_pk": link.pk}))
    assert response.status_code == 302
    assert not IdeaCentralSystem.objects.filter(idea=draft).exists()
    draft.refresh_from_db()
    assert draft.integration_cost == Decimal("0")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"integration_cost": "100"}, "Choose a central system"),
        ({"system": "SYSTEM", "integration_cost": "-1"}, "The integration cost must be £0 or more"),
        ({"system": "SYSTEM", "integration_cost": ""}, "Enter the integration cost"),
        ({"system": "999999", "integration_cost": "1"}, "Choose a central system from the list"),
    ],
)
def test_a_bad_central_system_is_refused_and_nothing_is_added(officer, draft, data, message):
    system = CentralSystem.objects.first()
    data = {k: (str(system.pk) if v == "SYSTEM" else v) for k, v in data.items()}
    response = client_for(officer).post(reverse("ideas:system_set", kwargs={"pk": draft.pk}), {**data, "action": "continue"})
    assert response.status_code == 200
    assert message in summary_of(response)
    assert not IdeaCentralSystem.objects.filter(idea=draft).exists()


def test_save_and_continue_on_a_list_page_adds_what_was_typed_or_just_moves_on(officer, draft):
    client = client_for(officer)
    url = reverse("ideas:system_set", kwargs={"pk": draft.pk})
    moved_on = client.post(url, {"system": "", "integration_note": "", "integration_cost": "", "action": "continue"})
    assert moved_on["Location"] == section_url(draft, "data-outputs")
    assert not IdeaCentralSystem.objects.filter(idea=draft).exists()
    system = CentralSystem.objects.first()
    added = client.post(url, {"system": system.pk, "integration_cost": "0", "action": "later"})
    assert added["Location"] == reverse("ideas:task_list", kwargs={"pk": draft.pk})
    assert IdeaCentralSystem.objects.filter(idea=draft, system=system).exists()


def test_add_and_remove_a_data_output(officer, draft, other_department):
    client = client_for(officer)
    missing = client.post(reverse("ideas:data_output_add", kwargs={"pk": draft.pk}),
                          {"valued_by": [other_department.pk], "action": "add"})
    assert "Enter what data it would produce" in summary_of(missing)
    assert not DataOutput.objects.filter(idea=draft).exists()
    client.post(reverse("ideas:data_output_add", kwargs={"pk": draft.pk}),
                {"description": "Repairs by estate, monthly", "valued_by": [other_department.pk], "action": "add"})
    output = DataOutput.objects.get(idea=draft)
    assert output.description == "Repairs by estate, monthly"
    assert list(output.valued_by.all()) == [other_department]
    client.post(reverse("ideas:data_output_remove", kwargs={"pk": draft.pk, "output_pk": output.pk}))
    assert not DataOutput.objects.filter(idea=draft).exists()


def test_co_owners_are_added_by_email_can_edit_and_can_be_removed(people, draft):
    officer, colleague = people["officer"], people["officer_other"]
    client = client_for(officer)
    assert client_for(colleague).get(reverse("ideas:task_list", kwargs={"pk": draft.pk})).status_code == 404
    client.post(reverse("ideas:co_owner_add", kwargs={"pk": draft.pk}), {"email": colleague.email.upper(), "action": "add"})
    assert list(draft.co_owners.all()) == [colleague]
    as_co_owner = client_for(colleague)
    assert as_co_owner.get(reverse("ideas:task_list", kwargs={"pk": draft.pk})).status_code == 200
    as_co_owner.post(section_url(draft, "risks"), {"risks": "Written by a co-owner", "action": "later"})
    draft.refresh_from_db()
    assert draft.risks == "Written by a co-owner"

    client.post(reverse("ideas:co_owner_remove", kwargs={"pk": draft.pk, "user_pk": colleague.pk}))
    assert not draft.co_owners.exists()
    assert as_co_owner.get(reverse("ideas:task_list", kwargs={"pk": draft.pk})).status_code == 404


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("nobody@harrow.example", "There is no one with that email address"),
        ("not an email", "Enter an email address in the correct format"),
        ("OWNER", "already owns this idea"),
        ("CLOSED", "There is no one with that email address"),
        ("", "Enter the co-owner's email address"),
    ],
)
def test_a_co_owner_who_cannot_be_added_is_explained(officer, draft, email, message):
    closed = UserFactory(is_active=False)
    email = {"OWNER": officer.email, "CLOSED": closed.email}.get(email, email)
    response = client_for(officer).post(reverse("ideas:co_owner_add", kwargs={"pk": draft.pk}), {"email": email, "action": "add"})
    assert message in summary_of(response)
    assert not draft.co_owners.exists()


def test_a_co_owner_who_removes_themselves_goes_home(people, draft):
    colleague = people["officer_other"]
    draft.co_owners.add(colleague)
    response = client_for(colleague).post(reverse("ideas:co_owner_remove", kwargs={"pk": draft.pk, "user_pk": colleague.pk}))
    assert response["Location"] == reverse("home")
    assert not draft.co_owners.exists()


def test_removing_something_that_is_not_on_this_idea_is_not_found(officer, draft):
    other = make_idea(officer, at="draft", title="Another draft")
    link = IdeaCentralSystem.objects.create(idea=other, system=CentralSystem.objects.first())
    client = client_for(officer)
    assert client.post(reverse("ideas:system_remove", kwargs={"pk": draft.pk, "link_pk": link.pk})).status_code == 404
    assert IdeaCentralSystem.objects.filter(pk=link.pk).exists()
    assert client.get(reverse("ideas:system_remove", kwargs={"pk": other.pk, "link_pk": link.pk})).status_code == 405


def test_a_removal_refused_by_the_service_is_explained_not_an_error(officer, draft, monkeypatch):
    link = IdeaCentralSystem.objects.create(idea=draft, system=CentralSystem.objects.first())

    def moved_on(**kwargs):
        raise services.WorkflowError("This idea can no longer be changed: it is at “Submitted”.")

    monkeypatch.setattr(services, "system_link_remove", moved_on)
    client = client_for(officer)
    response = client.post(reverse("ideas:system_remove", kwargs={"pk": draft.pk, "link_pk": link.pk}))
    assert response["Location"] == section_url(draft, "central-systems")
    assert "can no longer be changed" in client.get(response["Location"]).content.decode()
    assert IdeaCentralSystem.objects.filter(pk=link.pk).exists()


# --- Check your answers and submit ------------------------------------------------


def test_check_answers_lists_every_section_with_change_links(officer):
    idea = make_idea(officer, at="draft", title="Complete idea", problem="Line one\nLine <b>two</b>")
    html = client_for(officer).get(reverse("ideas:check", kwargs={"pk": idea.pk})).content.decode()
    assert "Check your answers before submitting your idea" in html
    for section in ("about", "who-it-serves", "business-case", "risks", "central-systems", "data-outputs",
                    "resources", "people", "attachments", "confidentiality"):
        assert section_url(idea, section) in html
    assert "£20,000" in html and "£15,000" in html
    assert "Line one<br>Line &lt;b&gt;two&lt;/b&gt;" in html  # stored as typed, escaped on output
    assert "Submit idea" in html


def test_submitting_with_missing_answers_lists_each_one_and_changes_nothing(officer, draft):
    response = client_for(officer).post(reverse("ideas:check", kwargs={"pk": draft.pk}))
    assert response.status_code == 200
    summary = summary_of(response)
    assert "<title>Error: " in response.content.decode()
    for message in ("Describe the proposed solution", "Say where the idea came from", "Describe the expected benefits",
                    "Enter the estimated costs", "Describe the risks", "Say how the idea stays future-proof"):
        assert message in summary
    assert f'href="{section_url(draft, "about")}?return=check#id_solution"' in summary
    assert f'href="{section_url(draft, "who-it-serves")}?return=check#id_source_1"' in summary
    assert f'href="{section_url(draft, "business-case")}?return=check#id_one_off_cost"' in summary
    draft.refresh_from_db()
    assert draft.stage.slug == "draft" and draft.submitted_at is None
    assert not StageChange.objects.filter(idea=draft).exists()


def test_missing_departments_link_to_the_first_checkbox(officer):
    idea = make_idea(officer, at="draft", departments=[])
    summary = summary_of(client_for(officer).post(reverse("ideas:check", kwargs={"pk": idea.pk})))
    assert "Choose at least one department" in summary
    assert f'{section_url(idea, "who-it-serves")}?return=check#id_departments_1' in summary


def test_submitting_a_complete_idea_shows_the_confirmation_with_its_reference(officer):
    idea = make_idea(officer, at="draft", title="Ready to go")
    client = client_for(officer)
    response = client.post(reverse("ideas:check", kwargs={"pk": idea.pk}))
    assert response["Location"] == reverse("ideas:submitted", kwargs={"pk": idea.pk})
    idea.refresh_from_db()
    assert idea.stage.slug == "submitted" and idea.submitted_at is not None
    page = client.get(response["Location"]).content.decode()
    assert "govuk-panel--confirmation" in page
    assert idea.reference in page
    assert "What happens next" in page
    assert idea.get_absolute_url() in page

    # A second click (or the back button and submit again) changes nothing more.
    again = client.post(reverse("ideas:check", kwargs={"pk": idea.pk}))
    assert again["Location"] == reverse("ideas:submitted", kwargs={"pk": idea.pk})
    assert StageChange.objects.filter(idea=idea).count() == 1


def test_the_confirmation_of_a_draft_sends_the_owner_back_to_check(officer, draft):
    response = client_for(officer).get(reverse("ideas:submitted", kwargs={"pk": draft.pk}))
    assert response["Location"] == reverse("ideas:check", kwargs={"pk": draft.pk})


# --- Who may open the drafting pages -----------------------------------------------


DRAFT_PAGES = ["ideas:task_list", "ideas:check"]


@pytest.mark.parametrize("name", DRAFT_PAGES)
def test_draft_pages_are_for_owners_and_co_owners_only(people, name):
    idea = make_idea(people["officer"], at="draft")
    co_owner = UserFactory()
    idea.co_owners.add(co_owner)
    url = reverse(name, kwargs={"pk": idea.pk})
    assert client_for(people["officer"]).get(url).status_code == 200
    assert client_for(co_owner).get(url).status_code == 200
    for role in ("officer_other", "reviewer", "secretary", "board_member", "admin"):
        assert client_for(people[role]).get(url).status_code == 404, role
    assert client_for(people["officer_other"]).get(section_url(idea, "about")).status_code == 404
    assert Client().get(url).status_code == 302


def test_post_views_refuse_people_who_do_not_own_the_draft(people, draft):
    before = draft.title
    response = client_for(people["officer_other"]).post(
        section_url(draft, "about"), {"title": "Hijacked", "action": "continue"}
    )
    assert response.status_code == 404
    draft.refresh_from_db()
    assert draft.title == before


def test_a_submitted_idea_cannot_be_changed_and_its_owner_is_told_why(people):
    idea = make_idea(people["officer"], at="triage", title="In triage")
    owner = client_for(people["officer"])
    response = owner.get(reverse("ideas:task_list", kwargs={"pk": idea.pk}))
    assert response.status_code == 403
    assert "You can no longer change this idea" in response.content.decode()
    posted = owner.post(section_url(idea, "about"), {"title": "Changed", "action": "continue"})
    assert posted.status_code == 403
    idea.refresh_from_db()
    assert idea.title == "In triage"
    # Another officer may see it but not change it; a confidential one stays unknown.
    assert client_for(people["officer_other"]).get(reverse("ideas:task_list", kwargs={"pk": idea.pk})).status_code == 403
    secret = make_idea(people["officer"], at="triage", is_confidential=True)
    assert client_for(people["officer_other"]).get(reverse("ideas:task_list", kwargs={"pk": secret.pk})).status_code == 404


# --- Editing after submission -------------------------------------------------------


def test_owners_edit_when_more_information_is_needed_and_changes_reach_the_timeline(officer):
    idea = make_idea(officer, at="more-information", title="Needs more")
    client = client_for(officer)
    page = client.get(reverse("ideas:task_list", kwargs={"pk": idea.pk}))
    assert page.status_code == 200
    assert "you can still change it" in page.content.decode()
    response = client.post(section_url(idea, "risks"), {"risks": "Updated risks", "future_proofing": "Open standards",
                                                        "action": "later"})
    assert response.status_code == 302
    assert IdeaEvent.objects.filter(idea=idea, kind=EventKind.EDITED, summary__contains="risks").exists()
    client.post(reverse("ideas:system_set", kwargs={"pk": idea.pk}),
                {"system": CentralSystem.objects.first().pk, "integration_cost": "100", "action": "add"})
    assert IdeaEvent.objects.filter(idea=idea, kind=EventKind.EDITED, summary__contains="central system").exists()
    # Check your answers shows them, but sending it on happens on the idea's page.
    check = client.get(reverse("ideas:check", kwargs={"pk": idea.pk})).content.decode()
    assert "Updated risks" in check and "Submit idea" not in check
    refused = client.post(reverse("ideas:check", kwargs={"pk": idea.pk}))
    assert "already been submitted" in summary_of(refused)
    idea.refresh_from_db()
    assert idea.stage.slug == "more-information"


def test_when_the_stage_moves_on_while_editing_nothing_is_saved(officer, draft):
    client = client_for(officer)
    page = client.get(section_url(draft, "risks"))
    assert page.status_code == 200
    services.idea_update(idea_id=draft.pk, by=officer, solution="s", source="team", other_benefits="b",
                         timescale="t", risks="r", future_proofing="f", one_off_cost=Decimal("1"))
    services.idea_submit(idea_id=draft.pk, by=officer)
    response = client.post(section_url(draft, "risks"), {"risks": "Too late", "action": "continue"})
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.risks == "r"


# --- Page cost does not grow with the data -------------------------------------------


def _fill(idea, owner, n: int) -> None:
    systems = list(CentralSystem.objects.all()[:n])
    for i in range(n):
        department = DepartmentFactory(name=f"Department for query count {idea.pk}-{i}")
        idea.departments.add(department)
        idea.co_owners.add(UserFactory())
        IdeaCentralSystem.objects.create(idea=idea, system=systems[i], integration_cost=Decimal("10"))
        output = DataOutput.objects.create(idea=idea, description=f"Output {i}")
        output.valued_by.add(department)
        make_idea(owner, at="submitted", title=f"Online forms for housing repairs, version {i}")
        team = Team.objects.create(department=department, name=f"Team {i}")
        ask = ResourceAsk.objects.create(idea=idea, team=team, note="A business analyst")
        ResourceAskQuarter.objects.create(ask=ask, quarter=datetime.date(2026, 4, 1), days=Decimal("5"))
        ExternalResource.objects.create(idea=idea, name=f"Supplier {i}", cost=Decimal("100"))


# Session, the user (with their roles and the header's notification count), the idea and its nine
# prefetches (staff time asks, their quarters, partners among them); the task list adds the similar-ideas search.
QUERIES_TASK_LIST = 13
QUERIES_CHECK = 12


@pytest.mark.parametrize("name", ["ideas:task_list", "ideas:check"])
def test_drafting_pages_cost_a_fixed_number_of_queries(officer, name, django_assert_num_queries):
    small = services.idea_create(by=officer, title="Online forms for housing repairs", problem="Lost forms.")
    large = services.idea_create(by=officer, title="Online forms for housing repairs", problem="Lost forms.")
    _fill(small, officer, 1)
    _fill(large, officer, 6)
    client = client_for(officer)
    client.get(reverse(name, kwargs={"pk": small.pk}))  # warm caches (content types, sessions)
    expected = {"ideas:task_list": QUERIES_TASK_LIST, "ideas:check": QUERIES_CHECK}[name]
    for idea in (small, large):
        with django_assert_num_queries(expected):
            assert client.get(reverse(name, kwargs={"pk": idea.pk})).status_code == 200




# --- Change links on "Check your answers" ----------------------------------------------


def test_check_your_answers_change_links_ask_to_come_back(officer):
    idea = make_idea(officer, at="draft")
    html = client_for(officer).get(reverse("ideas:check", kwargs={"pk": idea.pk})).content.decode()
    hrefs = re.findall(r'<a class="govuk-link" href="([^"]+)">Change<', html)
    assert len(hrefs) > 10
    assert all("?return=check" in href for href in hrefs), hrefs


@pytest.mark.parametrize(("query", "lands"), [
    ("?return=check", "check"),
    ("?return=https://evil.example/", "next"),
    ("?return=//evil.example", "next"),
    ("?return=/ideas/", "next"),
    ("", "next"),
])
def test_saving_comes_back_to_check_only_for_the_known_return_value(officer, query, lands):
    idea = make_idea(officer, at="draft")
    client = client_for(officer)
    data = {"title": "Changed title", "problem": idea.problem, "solution": idea.solution, "action": "continue"}
    response = client.post(section_url(idea, "about") + query, data)
    expected = (reverse("ideas:check", kwargs={"pk": idea.pk}) if lands == "check"
                else section_url(idea, "who-it-serves"))
    assert response.status_code == 302 and response["Location"] == expected
    later = client.post(section_url(idea, "about") + query, {**data, "action": "later"})
    assert later["Location"] == reverse("ideas:task_list", kwargs={"pk": idea.pk})


def test_a_list_page_opened_from_check_keeps_the_way_back(officer):
    idea = make_idea(officer, at="draft")
    client = client_for(officer)
    page = client.get(section_url(idea, "data-outputs") + "?return=check").content.decode()
    assert f'action="{reverse("ideas:data_output_add", kwargs={"pk": idea.pk})}?return=check"' in page
    assert "Back to check your answers" in page
    added = client.post(reverse("ideas:data_output_add", kwargs={"pk": idea.pk}) + "?return=check",
                        {"description": "Visit counts", "action": "add"})
    assert added["Location"] == section_url(idea, "data-outputs") + "?return=check"
    done = client.post(reverse("ideas:data_output_add", kwargs={"pk": idea.pk}) + "?return=check",
                       {"description": "", "action": "continue"})
    assert done["Location"] == reverse("ideas:check", kwargs={"pk": idea.pk})
