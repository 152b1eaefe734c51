"""An idea depends on another idea's data output: added and removed by its owners, shown on both ideas.

Bad input (its own output, the same output twice, an output of an idea the person may not see, an
empty need) gets a clear message and changes nothing.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ideas.models import DataDependency, DataOutput, IdeaEvent
from ideas.services import WorkflowError
from ideas.services.data_needs import data_dependency_add, data_dependency_remove
from tests.factories import make_idea

pytestmark = pytest.mark.django_db


@pytest.fixture
def platform(people):
    idea = make_idea(people["officer_other"], at="triage", title="Cross-department data platform")
    DataOutput.objects.create(idea=idea, description="Resident records joined across services")
    return idea


@pytest.fixture
def needing(people):
    return make_idea(people["officer"], at="triage", title="Falls prevention")


def _output(idea) -> DataOutput:
    return idea.data_outputs.get()


def _unchanged(before_events: int):
    assert not DataDependency.objects.exists()
    assert IdeaEvent.objects.count() == before_events


def test_an_owner_says_their_idea_needs_the_platforms_data(people, platform, needing):
    need = data_dependency_add(idea_id=needing.pk, by=people["officer"], output_id=_output(platform).pk,
                               need="  Addresses of frail residents  ")
    assert (need.idea, need.output, need.need, need.added_by) == (needing, _output(platform),
                                                                   "Addresses of frail residents", people["officer"])
    assert "depends on “Resident records joined across services”" in needing.events.get().summary
    data_dependency_remove(idea_id=needing.pk, by=people["officer"], dependency_id=need.pk)
    assert not DataDependency.objects.exists()


def test_its_own_output_is_refused(people, needing):
    own = DataOutput.objects.create(idea=needing, description="Falls by ward")
    with pytest.raises(WorkflowError, match="cannot depend on its own data output"):
        data_dependency_add(idea_id=needing.pk, by=people["officer"], output_id=own.pk, need="x")
    _unchanged(0)


def test_the_same_output_twice_is_refused(people, platform, needing):
    data_dependency_add(idea_id=needing.pk, by=people["officer"], output_id=_output(platform).pk, need="Addresses")
    events = IdeaEvent.objects.count()
    with pytest.raises(WorkflowError, match="already depends on"):
        data_dependency_add(idea_id=needing.pk, by=people["officer"], output_id=_output(platform).pk, need="Again")
    assert DataDependency.objects.count() == 1 and IdeaEvent.objects.count() == events


@pytest.mark.parametrize("hidden", ["confidential", "draft", "missing"])
def test_an_output_of_an_idea_they_may_not_see_is_refused_like_one_that_does_not_exist(people, needing, hidden):
    if hidden == "missing":
        output_id = 999_999
    else:
        fields = {"is_confidential": True} if hidden == "confidential" else {}
        other = make_idea(people["officer_other"], at="triage" if hidden == "confidential" else "draft", **fields)
        output_id = DataOutput.objects.create(idea=other, description="Hidden data").pk
    with pytest.raises(WorkflowError, match="Choose a data output of an idea you can see"):
        data_dependency_add(idea_id=needing.pk, by=people["officer"], output_id=output_id, need="x")
    _unchanged(0)


def test_an_empty_need_is_refused(people, platform, needing):
    with pytest.raises(WorkflowError, match="Say what your idea needs"):
        data_dependency_add(idea_id=needing.pk, by=people["officer"], output_id=_output(platform).pk, need="   ")
    _unchanged(0)


def test_only_owners_of_an_open_idea_may_change_its_needs(people, platform, needing):
    with pytest.raises(WorkflowError, match="Only the idea's owners"):
        data_dependency_add(idea_id=needing.pk, by=people["secretary"], output_id=_output(platform).pk, need="x")
    closed = make_idea(people["officer"], at="withdrawn")
    with pytest.raises(WorkflowError, match="This idea is closed"):
        data_dependency_add(idea_id=closed.pk, by=people["officer"], output_id=_output(platform).pk, need="x")
    _unchanged(0)


def test_both_idea_pages_show_the_need_to_those_who_may_see_it(client, people, platform, needing):
    data_dependency_add(idea_id=needing.pk, by=people["officer"], output_id=_output(platform).pk, need="Frail residents")
    client.force_login(people["officer_other"])
    body = client.get(platform.get_absolute_url()).content.decode()
    section = body.split('id="data-needs"')[1]
    assert "Falls prevention" in section and "Frail residents" in section and people["officer"].email in section
    body = client.get(needing.get_absolute_url()).content.decode()
    assert "Cross-department data platform" in body.split('id="data-needs"')[1]
    assert reverse("ideas:data_needs", kwargs={"pk": needing.pk}) not in body  # not theirs to change
    client.force_login(people["officer"])
    assert reverse("ideas:data_needs", kwargs={"pk": needing.pk}) in client.get(needing.get_absolute_url()).content.decode()


def test_a_confidential_dependant_is_not_shown_on_the_platform_to_those_who_may_not_see_it(client, people, platform):
    secret = make_idea(people["officer"], at="triage", title="Secret dependant", is_confidential=True)
    data_dependency_add(idea_id=secret.pk, by=people["officer"], output_id=_output(platform).pk, need="Hush")
    client.force_login(people["officer_other"])
    body = client.get(platform.get_absolute_url()).content.decode()
    assert "Secret dependant" not in body and "Hush" not in body
    client.force_login(people["secretary"])
    assert "Secret dependant" in client.get(platform.get_absolute_url()).content.decode()


def test_the_page_finds_the_idea_and_adds_the_need(client, people, platform, needing):
    client.force_login(people["officer"])
    url = reverse("ideas:data_needs", kwargs={"pk": needing.pk})
    page = client.get(url, {"reference": platform.reference}).content.decode()
    assert "Resident records joined across services" in page and 'data-form="data_need_add"' in page
    response = client.post(url, {"reference": platform.reference, "output": _output(platform).pk, "need": "Addresses"})
    assert response.status_code == 302 and response.url == url
    assert DataDependency.objects.get().need == "Addresses"


@pytest.mark.parametrize(("reference", "message"), [
    ("", "Enter the reference of an idea, like IDEA-00042"),
    ("IDEA-99999", "No idea you can see has the reference"),
    ("own", "That is this idea: an idea cannot depend on its own data output"),
    ("nodata", "has no data outputs yet"),
])
def test_finding_a_bad_reference_says_why(client, people, needing, reference, message):
    if reference == "own":
        reference = needing.reference
    elif reference == "nodata":
        reference = str(make_idea(people["officer_other"], at="triage").pk)
    client.force_login(people["officer"])
    body = client.get(reverse("ideas:data_needs", kwargs={"pk": needing.pk}), {"reference": reference}).content.decode()
    assert "govuk-error-summary" in body and "<title>Error: " in body and message in body
    assert 'data-form="data_need_add"' not in body


def test_a_duplicate_or_blank_need_posted_keeps_the_input_and_changes_nothing(client, people, platform, needing):
    data_dependency_add(idea_id=needing.pk, by=people["officer"], output_id=_output(platform).pk, need="Addresses")
    client.force_login(people["officer"])
    url = reverse("ideas:data_needs", kwargs={"pk": needing.pk})
    body = client.post(url, {"reference": platform.reference, "output": _output(platform).pk,
                             "need": "Typed again"}).content.decode()
    assert "already depends on" in body and "Typed again" in body and "govuk-error-summary" in body
    body = client.post(url, {"reference": platform.reference, "output": _output(platform).pk, "need": ""}).content.decode()
    assert "Say what your idea needs from this data" in body
    body = client.post(url, {"reference": platform.reference, "output": "abc", "need": "x"}).content.decode()
    assert "Choose the data your idea needs from the list" in body
    assert DataDependency.objects.count() == 1


def test_the_idea_page_costs_the_same_queries_with_one_need_or_many(client, people, platform, needing):
    client.force_login(people["officer_other"])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(platform.get_absolute_url()).status_code == 200
        return len(queries)

    data_dependency_add(idea_id=needing.pk, by=people["officer"], output_id=_output(platform).pk, need="One")
    one = count()
    for n in range(5):
        other = make_idea(people["officer"], at="triage", title=f"Another {n}")
        data_dependency_add(idea_id=other.pk, by=people["officer"], output_id=_output(platform).pk, need=f"Need {n}")
        data_dependency_add(idea_id=platform.pk, by=people["officer_other"],
                            output_id=DataOutput.objects.create(idea=other, description=f"D{n}").pk, need="Back")
    assert count() == one
