"""The idea list (search, filters, sorting, pagination, bad input), "My ideas" and "Waiting for me".

Lists must never show an idea a role may not see: drafts stay with their owners
and co-owners, confidential ideas with owners, assigned reviewers, the secretary,
board members and admins.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ideas import services
from ideas.models import CentralSystem, Idea, IdeaCentralSystem, Review, Source
from tests.factories import DepartmentFactory, make_idea, stage

pytestmark = pytest.mark.django_db

LIST = reverse("ideas:list")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def listed_titles(response) -> list[str]:
    """The titles in the results table, in order."""
    html = response.content.decode()
    body = html.split('<tbody class="govuk-table__body">', 1)[1].split("</tbody>", 1)[0] if "<tbody" in html else ""
    return [re.sub(r"\s+", " ", t).strip() for t in re.findall(r'<a class="govuk-link" href="/ideas/\d+/">([^<]*)</a>', body)]


def error_summary(response) -> str:
    html = response.content.decode()
    if "govuk-error-summary" not in html:
        return ""
    return html.split('class="govuk-error-summary"', 1)[1].split("</ul>", 1)[0]


# --- Who sees what in lists -----------------------------------------------------------


@pytest.fixture
def visibility_world(people):
    officer, other, reviewer = people["officer"], people["officer_other"], people["reviewer"]
    ideas = {
        "own draft": make_idea(officer, at="draft", title="Officer draft"),
        "co-owned draft": make_idea(officer, at="draft", title="Draft co-owned by the reviewer"),
        "other's draft": make_idea(other, at="draft", title="Other officer draft"),
        "submitted": make_idea(officer, at="submitted", title="Open submitted idea"),
        "other's submitted": make_idea(other, at="triage", title="Open idea from Housing"),
        "confidential reviewed": make_idea(
            officer, at="business-case-review", title="Confidential with reviewer", is_confidential=True
        ),
        "confidential": make_idea(other, at="triage", title="Confidential without reviewer", is_confidential=True),
        "withdrawn": make_idea(other, at="withdrawn", title="Withdrawn idea"),
    }
    ideas["co-owned draft"].co_owners.add(reviewer)
    c = ideas["confidential reviewed"]
    Review.objects.create(idea=c, stage=c.stage, reviewer=reviewer, assigned_by=people["secretary"])
    return ideas


ALL_OPEN = {"Open submitted idea", "Open idea from Housing", "Withdrawn idea"}
CONFIDENTIAL = {"Confidential with reviewer", "Confidential without reviewer"}
EXPECTED_VISIBLE = {
    "officer": ALL_OPEN | {"Officer draft", "Draft co-owned by the reviewer", "Confidential with reviewer"},
    "officer_other": ALL_OPEN | {"Other officer draft", "Confidential without reviewer"},
    "reviewer": ALL_OPEN | {"Draft co-owned by the reviewer", "Confidential with reviewer"},
    "secretary": ALL_OPEN | CONFIDENTIAL,
    "board_member": ALL_OPEN | CONFIDENTIAL,
    "admin": ALL_OPEN | CONFIDENTIAL,
}


@pytest.mark.parametrize("role", sorted(EXPECTED_VISIBLE))
def test_the_list_shows_each_role_exactly_the_ideas_it_may_see(role, people, visibility_world):
    response = client_for(people[role]).get(LIST)
    assert response.status_code == 200
    assert set(listed_titles(response)) == EXPECTED_VISIBLE[role]
    count = len(EXPECTED_VISIBLE[role])
    assert f"{count} ideas" in response.content.decode()


@pytest.mark.parametrize("role", sorted(EXPECTED_VISIBLE))
def test_search_and_filters_never_reveal_hidden_ideas(role, people, visibility_world):
    client = client_for(people[role])
    for query in ("idea", "draft", "confidential", "officer"):
        shown = set(listed_titles(client.get(LIST, {"q": query})))
        assert shown <= EXPECTED_VISIBLE[role], (query, shown - EXPECTED_VISIBLE[role])
    all_stages = [str(visibility_world[k].stage_id) for k in visibility_world]
    shown = set(listed_titles(client.get(LIST, {"stage": all_stages, "sort": "title"})))
    assert shown == EXPECTED_VISIBLE[role]


def test_anonymous_visitors_are_sent_to_sign_in(visibility_world):
    for name in ("ideas:list", "ideas:mine", "ideas:waiting"):
        response = Client().get(reverse(name), {"q": "confidential"})
        assert response.status_code == 302
        assert "/accounts/sign-in/" in response["Location"]


def test_a_closed_account_sees_nothing(people, visibility_world):
    user = people["secretary"]
    client = client_for(user)
    user.is_active = False
    user.save()
    response = client.get(LIST)
    # Django signs a deactivated user out on the next request.
    assert response.status_code == 302


# --- Search ----------------------------------------------------------------------------


@pytest.fixture
def catalogue(people):
    officer, other = people["officer"], people["officer_other"]
    return {
        "lights": make_idea(other, at="triage", title="Smart sensors for street lighting",
                            problem="Faulty lamps are only found when residents complain.",
                            solution="Sensor nodes report faults."),
        "forms": make_idea(officer, at="submitted", title="Digital forms for social care assessments",
                           problem="Social workers retype paper forms.", solution="Tablet forms that save offline."),
        "damp": make_idea(other, at="business-case-review", title="Predicting damp in council homes",
                          problem="Damp and mould go unnoticed.", solution="Humidity sensors in homes."),
    }


def test_search_matches_title_problem_and_solution(people, catalogue):
    client = client_for(people["officer"])
    assert listed_titles(client.get(LIST, {"q": "street lighting"})) == ["Smart sensors for street lighting"]
    assert listed_titles(client.get(LIST, {"q": "retype"})) == ["Digital forms for social care assessments"]
    assert listed_titles(client.get(LIST, {"q": "offline"})) == ["Digital forms for social care assessments"]
    assert set(listed_titles(client.get(LIST, {"q": "sensors"}))) == {
        "Smart sensors for street lighting", "Predicting damp in council homes"}
    response = client.get(LIST, {"q": "helicopter"})
    assert listed_titles(response) == []
    assert "0 ideas" in response.content.decode()
    assert "No ideas match" in response.content.decode()


def test_search_keeps_what_was_typed_and_escapes_it(people, catalogue):
    response = client_for(people["officer"]).get(LIST, {"q": '"damp" <script>alert(1)</script>'})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_search_survives_query_syntax_and_odd_characters(people, catalogue):
    client = client_for(people["officer"])
    for q in ['"unclosed', "a & | ! ( )", "-damp", "damp OR lighting", "'; DROP TABLE ideas_idea; --", "\u00e9\u00e8 \u4e2d\u6587", "%_%"]:
        response = client.get(LIST, {"q": q})
        assert response.status_code == 200, q
    assert Idea.objects.count() == 3


def test_titles_are_escaped_in_the_list(people):
    make_idea(people["officer"], at="submitted", title="<b>Bold</b> & brave")
    html = client_for(people["officer"]).get(LIST).content.decode()
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; brave" in html
    assert "<b>Bold</b>" not in html


# --- Filters ---------------------------------------------------------------------------


def test_filter_by_stage_department_system_source_and_score(people, catalogue):
    client = client_for(people["officer"])
    lights, forms, damp = catalogue["lights"], catalogue["forms"], catalogue["damp"]
    assert listed_titles(client.get(LIST, {"stage": stage("triage").pk})) == [lights.title]
    assert set(listed_titles(client.get(LIST, {"stage": [stage("triage").pk, stage("submitted").pk]}))) == {
        lights.title, forms.title}

    parks = DepartmentFactory(name="Parks")
    damp.departments.add(parks)
    assert listed_titles(client.get(LIST, {"department": parks.pk})) == [damp.title]
    housing = people["officer_other"].department
    assert set(listed_titles(client.get(LIST, {"department": housing.pk}))) == {lights.title, damp.title}

    system = CentralSystem.objects.get(name__startswith="Street lighting")
    IdeaCentralSystem.objects.create(idea=lights, system=system, integration_cost=Decimal("100"))
    assert listed_titles(client.get(LIST, {"system": system.pk})) == [lights.title]

    Idea.objects.filter(pk=damp.pk).update(source=Source.WORKSHOP)
    assert listed_titles(client.get(LIST, {"source": "workshop"})) == [damp.title]

    Idea.objects.filter(pk=lights.pk).update(weighted_score=Decimal("4.20"))
    Idea.objects.filter(pk=damp.pk).update(weighted_score=Decimal("2.50"))
    assert listed_titles(client.get(LIST, {"score": "4-5"})) == [lights.title]
    assert listed_titles(client.get(LIST, {"score": "2-3"})) == [damp.title]
    assert listed_titles(client.get(LIST, {"score": "none"})) == [forms.title]


def test_filter_by_submitted_dates(people, catalogue):
    client = client_for(people["officer"])
    tz = timezone.get_current_timezone()
    dates = {"lights": (2024, 1, 10), "forms": (2024, 3, 5), "damp": (2024, 6, 30)}
    for key, (y, m, d) in dates.items():
        Idea.objects.filter(pk=catalogue[key].pk).update(submitted_at=datetime.datetime(y, m, d, 12, tzinfo=tz))

    def between(start=None, end=None):
        params = {}
        for prefix, value in (("submitted_from", start), ("submitted_to", end)):
            if value:
                params.update({f"{prefix}_day": value[2], f"{prefix}_month": value[1], f"{prefix}_year": value[0]})
        return set(listed_titles(client.get(LIST, params)))

    assert between((2024, 3, 5)) == {catalogue["forms"].title, catalogue["damp"].title}
    assert between(end=(2024, 3, 5)) == {catalogue["lights"].title, catalogue["forms"].title}
    assert between((2024, 2, 1), (2024, 6, 29)) == {catalogue["forms"].title}
    # Typed with spaces and single digits, as people do.
    response = client.get(LIST, {"submitted_from_day": " 5 ", "submitted_from_month": "3", "submitted_from_year": "2024",
                                 "submitted_to_day": "5", "submitted_to_month": "03", "submitted_to_year": "2024"})
    assert listed_titles(response) == [catalogue["forms"].title]


def test_filters_keep_their_values(people, catalogue):
    client = client_for(people["officer"])
    triage = stage("triage")
    html = client.get(LIST, {"q": "sensors", "stage": triage.pk, "score": "none", "sort": "title",
                             "submitted_from_day": "1", "submitted_from_month": "2", "submitted_from_year": "2020"}).content.decode()
    assert 'name="q" type="search" value="sensors"' in html
    assert re.search(rf'name="stage" type="checkbox" value="{triage.pk}" checked', html)
    assert '<option value="none" selected>' in html
    assert '<option value="title" selected>' in html
    assert 'name="submitted_from_year" type="text" inputmode="numeric" value="2020"' in html


BAD_INPUT = [
    ({"stage": "abc"}, "Choose a stage from the list"),
    ({"stage": "999999"}, "Choose a stage from the list"),
    ({"department": "0"}, "Choose a department from the list"),
    ({"system": "x"}, "Choose a central system from the list"),
    ({"source": "bogus"}, "Choose where the idea came from from the list"),
    ({"score": "9-10"}, "Choose a score band from the list"),
    ({"sort": "password"}, "Choose how to sort the ideas from the list"),
    ({"submitted_from_day": "31", "submitted_from_month": "2", "submitted_from_year": "2024"}, "must be a real date"),
    ({"submitted_from_day": "x", "submitted_from_month": "2", "submitted_from_year": "2024"}, "must be a real date"),
    ({"submitted_from_day": "1", "submitted_from_year": "2024"}, "must include a month"),
    ({"submitted_to_day": "1", "submitted_to_month": "2", "submitted_to_year": "24"}, "must include 4 numbers"),
    ({"submitted_from_day": "2", "submitted_from_month": "2", "submitted_from_year": "2024",
      "submitted_to_day": "1", "submitted_to_month": "2", "submitted_to_year": "2024"}, "must be the same as or after"),
    ({"q": "x" * 201}, "Search for 200 characters or fewer"),
]


@pytest.mark.parametrize(("params", "message"), BAD_INPUT)
def test_bad_filter_input_shows_an_error_summary_not_a_500(params, message, people, catalogue):
    response = client_for(people["officer"]).get(LIST, params)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in error_summary(response)
    assert "<title>Error: Ideas" in html
    assert "govuk-form-group--error" in html
    # The valid rest of the page still works: every visible idea is listed.
    assert len(listed_titles(response)) == 3


def test_an_invalid_filter_is_ignored_but_valid_ones_still_apply(people, catalogue):
    response = client_for(people["officer"]).get(LIST, {"stage": ["abc", stage("triage").pk], "q": "lighting"})
    assert "Choose a stage from the list" in error_summary(response)
    assert listed_titles(response) == ["Smart sensors for street lighting"]


def test_error_summary_links_to_the_first_input_of_each_field(people, catalogue):
    html = client_for(people["officer"]).get(LIST, {"stage": "abc", "submitted_from_day": "40",
                                                    "submitted_from_month": "1", "submitted_from_year": "2024"}).content.decode()
    for anchor in re.findall(r'<li><a href="#([^"]+)">', html):
        assert f'id="{anchor}"' in html, anchor


# --- Sorting and pagination ------------------------------------------------------------------


def test_sorting(people, catalogue):
    client = client_for(people["officer"])
    lights, forms, damp = catalogue["lights"], catalogue["forms"], catalogue["damp"]
    now = timezone.now()
    for days, idea in ((3, lights), (2, forms), (1, damp)):
        Idea.objects.filter(pk=idea.pk).update(created_at=now - datetime.timedelta(days=days),
                                               submitted_at=now - datetime.timedelta(days=10 - days))
    Idea.objects.filter(pk=forms.pk).update(weighted_score=Decimal("4.5"))
    Idea.objects.filter(pk=lights.pk).update(weighted_score=Decimal("3.0"))
    assert listed_titles(client.get(LIST)) == [damp.title, forms.title, lights.title]
    assert listed_titles(client.get(LIST, {"sort": "newest"})) == [damp.title, forms.title, lights.title]
    assert listed_titles(client.get(LIST, {"sort": "oldest"})) == [lights.title, forms.title, damp.title]
    assert listed_titles(client.get(LIST, {"sort": "title"})) == [forms.title, damp.title, lights.title]
    # Highest score first; ideas not yet scored come last.
    assert listed_titles(client.get(LIST, {"sort": "score"})) == [forms.title, lights.title, damp.title]
    # Most recently submitted first; drafts, never submitted, come last.
    draft = make_idea(people["officer"], at="draft", title="A draft of mine")
    assert listed_titles(client.get(LIST, {"sort": "submitted"})) == [lights.title, forms.title, damp.title, draft.title]


@pytest.fixture
def sixty(people):
    officer = people["officer"]
    now = timezone.now()
    ideas = [make_idea(officer, at="submitted", title=f"Numbered idea {i:02d}") for i in range(60)]
    for i, idea in enumerate(ideas):
        Idea.objects.filter(pk=idea.pk).update(created_at=now - datetime.timedelta(minutes=i))
    return ideas


def test_pagination_shows_25_a_page_and_keeps_filters(people, sixty):
    client = client_for(people["officer"])
    first = client.get(LIST, {"q": "numbered", "sort": "newest"})
    assert listed_titles(first) == [f"Numbered idea {i:02d}" for i in range(25)]
    html = first.content.decode()
    assert "60 ideas" in html
    assert 'class="govuk-pagination"' in html
    assert 'aria-current="page"' in html
    assert "?q=numbered&amp;sort=newest&amp;page=2" in html
    assert 'rel="next"' in html and 'rel="prev"' not in html
    third = client.get(LIST, {"q": "numbered", "sort": "newest", "page": "3"})
    assert listed_titles(third) == [f"Numbered idea {i:02d}" for i in range(50, 60)]
    assert 'rel="prev"' in third.content.decode() and 'rel="next"' not in third.content.decode()
    assert "Showing 51 to 60 of 60" in third.content.decode()


@pytest.mark.parametrize(("asked", "shown", "note"), [
    ("99", 3, "There is no page 99. This is the last page, page 3."),
    ("99999999999999999999", 3, "This is the last page"),
    ("abc", 1, "is not a page number"),
    ("-1", 3, None),
    ("0", 3, None),
    ("2.5", 1, "is not a page number"),
])
def test_a_page_out_of_range_shows_the_last_page_and_says_so(asked, shown, note, people, sixty):
    response = client_for(people["officer"]).get(LIST, {"page": asked})
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(rf'aria-label="Page {shown}" aria-current="page"', html)
    if note:
        assert note in html


def test_an_empty_list_has_no_pagination(people):
    html = client_for(people["officer_other"]).get(LIST, {"page": "5"}).content.decode()
    assert "0 ideas" in html
    assert "govuk-pagination" not in html


# --- My ideas -----------------------------------------------------------------------------


def test_my_ideas_lists_own_and_co_owned_ideas_including_drafts(people):
    officer, other = people["officer"], people["officer_other"]
    make_idea(officer, at="draft", title="My draft")
    make_idea(officer, at="more-information", title="Needs more from me")
    make_idea(officer, at="triage", title="Being triaged")
    make_idea(officer, at="rejected", title="Turned down")
    shared = make_idea(other, at="draft", title="Shared draft")
    shared.co_owners.add(officer)
    make_idea(other, at="submitted", title="Not mine")
    response = client_for(officer).get(reverse("ideas:mine"))
    html = response.content.decode()
    titles = set(re.findall(r'<a class="govuk-link" href="/ideas/\d+/">([^<]*)</a>', html))
    assert titles == {"My draft", "Needs more from me", "Being triaged", "Turned down", "Shared draft"}
    assert "you are a co-owner" in html
    assert "Finish your answers and submit it." in html
    assert "Add the information asked for" in html
    assert "None: it is closed." in html
    assert "The secretary checks it and finds reviewers." in html
    assert html.count(reverse("ideas:task_list", kwargs={"pk": shared.pk})) == 1


def test_my_ideas_for_someone_with_none(people):
    html = client_for(people["board_member"]).get(reverse("ideas:mine")).content.decode()
    assert "You have no ideas yet." in html


# --- Waiting for me ------------------------------------------------------------------------


def test_waiting_for_me_for_each_kind_of_person(people):
    officer, reviewer, secretary = people["officer"], people["reviewer"], people["secretary"]
    asked = make_idea(officer, at="more-information", title="Asked for more")
    make_idea(officer, at="draft", title="Unfinished draft")
    reviewing = make_idea(people["officer_other"], at="business-case-review", title="To be reviewed")
    services.review_assign(idea_id=reviewing.pk, reviewer=reviewer, by=secretary)
    triage = make_idea(people["officer_other"], at="triage", title="Waiting in triage")

    officer_html = client_for(officer).get(reverse("ideas:waiting")).content.decode()
    assert "Your ideas that need more information" in officer_html and asked.title in officer_html
    assert "Drafts you have not submitted" in officer_html and "Unfinished draft" in officer_html
    assert "Reviews to do" not in officer_html
    assert "Ideas waiting for the Board secretary" not in officer_html

    reviewer_html = client_for(reviewer).get(reverse("ideas:waiting")).content.decode()
    assert "Reviews to do" in reviewer_html and reviewing.title in reviewer_html
    assert "Waiting in triage" not in reviewer_html

    secretary_html = client_for(secretary).get(reverse("ideas:waiting")).content.decode()
    assert "Ideas waiting for the Board secretary" in secretary_html and triage.title in secretary_html
    assert "Unfinished draft" not in secretary_html

    nothing = client_for(people["board_member"]).get(reverse("ideas:waiting")).content.decode()
    assert "Nothing is waiting for you." in nothing


def test_waiting_for_me_never_shows_a_confidential_idea_to_the_wrong_secretary_queue(people):
    # The secretary may see confidential ideas; an officer never sees another's drafts or confidential ideas.
    hidden = make_idea(people["officer_other"], at="triage", title="Secret triage", is_confidential=True)
    assert hidden.title in client_for(people["secretary"]).get(reverse("ideas:waiting")).content.decode()
    assert hidden.title not in client_for(people["officer"]).get(reverse("ideas:waiting")).content.decode()


def test_filter_choices_follow_the_database_at_once_and_no_two_forms_share_them(people, catalogue):
    from ideas.forms.browsing import IdeaFilterForm
    from ideas.models import Stage

    client = client_for(people["officer"])
    first = IdeaFilterForm({})
    new = Stage.objects.create(workflow=stage("triage").workflow, name="Pilot", slug="pilot", order=99)
    CentralSystem.objects.create(name="Street lighting controller")
    second = IdeaFilterForm({})
    assert (new.pk, "Pilot") not in first.fields["stage"].choices
    assert (new.pk, "Pilot") in second.fields["stage"].choices
    assert first.fields["stage"] is not second.fields["stage"]
    html = client.get(LIST).content.decode()
    assert re.search(rf'name="stage" type="checkbox" value="{new.pk}"><label [^>]*>Pilot</label>', html)
    assert "Street lighting controller</label>" in html
    assert client.get(LIST, {"stage": new.pk}).status_code == 200
    assert "Choose a stage from the list" not in client.get(LIST, {"stage": new.pk}).content.decode()


def test_filter_labels_from_the_database_are_escaped(people, catalogue):
    CentralSystem.objects.create(name='<script>alert("x")</script> & CRM')
    html = client_for(people["officer"]).get(LIST).content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; CRM</label>" in html
    assert '<script>alert("x")' not in html


def test_date_filters_show_what_was_typed_or_an_initial_date(db):
    from ideas.forms.browsing import IdeaFilterForm

    def boxes(form, name):
        return [box["value"] for box in form.date_input(name)["boxes"]]

    typed = IdeaFilterForm({"submitted_from_day": "31", "submitted_from_month": "2", "submitted_from_year": "2024"})
    typed.is_valid()
    assert boxes(typed, "submitted_from") == ["31", "2", "2024"]  # kept as typed, though not a real date
    assert typed.date_input("submitted_from")["errors"]
    assert boxes(typed, "submitted_to") == ["", "", ""]
    initial = IdeaFilterForm(initial={"submitted_to": datetime.date(2024, 3, 5)})
    assert boxes(initial, "submitted_to") == [5, 3, 2024]
    ids = [box["id"] for box in initial.date_input("submitted_to")["boxes"]]
    assert ids == ["id_submitted_to", "id_submitted_to_month", "id_submitted_to_year"]
