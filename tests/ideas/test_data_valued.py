"""A department's data contacts hear when an idea they may see would produce data the department values.

Told when the idea is submitted (not while it is drafted) and when an output is added to an idea that
has been submitted; never about a confidential idea they may not read; never twice; and they can follow it.
"""

from __future__ import annotations

import pytest

from harrow_innovation.people.roles import Role
from ideas import notices as idea_notices
from ideas import services
from ideas.models import Follow
from ideas.notices import Kind
from notifications.models import Notification
from tests.factories import UserFactory, make_idea

pytestmark = pytest.mark.django_db


@pytest.fixture
def housing_contact(people, other_department):
    contact = UserFactory(full_name="Hana Housing-Data", department=other_department, roles=[Role.OFFICER])
    other_department.data_contacts.add(contact)
    return contact


def told() -> dict[str, Notification]:
    return {n.recipient.email: n for n in Notification.objects.filter(kind=Kind.DATA_VALUED).select_related("recipient")}


def test_contacts_are_told_when_the_idea_is_submitted_not_while_drafting(
    people, other_department, housing_contact, django_capture_on_commit_callbacks
):
    idea = make_idea(people["officer"], at="draft", title="Falls sensors")
    with django_capture_on_commit_callbacks(execute=True):
        services.data_output_add(idea_id=idea.pk, by=people["officer"], description="Falls by ward",
                                 valued_by=[other_department])
    assert told() == {}  # a draft is seen by its owners only
    with django_capture_on_commit_callbacks(execute=True):
        services.idea_submit(idea_id=idea.pk, by=people["officer"])
    notices = told()
    assert set(notices) == {housing_contact.email}
    notice = notices[housing_contact.email]
    assert notice.title == "“Falls sensors” would produce data valued by Housing"
    assert "Falls by ward" in notice.body and "Follow the idea" in notice.body
    assert notice.url == idea.get_absolute_url()
    # Run again (a retry, or the task delivered twice): nobody is told twice.
    assert idea_notices.data_valued(idea_id=idea.pk) == 0
    assert Notification.objects.filter(kind=Kind.DATA_VALUED).count() == 1


def test_an_output_added_to_a_submitted_idea_tells_its_departments_contacts(
    people, department, other_department, housing_contact, django_capture_on_commit_callbacks
):
    social_care = UserFactory(full_name="Sam Social-Data", department=department, roles=[Role.OFFICER])
    department.data_contacts.add(social_care)
    idea = make_idea(people["officer"], at="more-information", title="Falls sensors")
    with django_capture_on_commit_callbacks(execute=True):
        services.data_output_add(idea_id=idea.pk, by=people["officer"], description="Falls by ward",
                                 valued_by=[department, other_department])
    assert set(told()) == {housing_contact.email, social_care.email}
    with django_capture_on_commit_callbacks(execute=True):
        services.data_output_add(idea_id=idea.pk, by=people["officer"], description="Nobody wants this", valued_by=[])
    assert Notification.objects.filter(kind=Kind.DATA_VALUED).count() == 2


def test_the_owner_is_not_told_about_their_own_idea(people, department, django_capture_on_commit_callbacks):
    department.data_contacts.add(people["officer"])
    idea = make_idea(people["officer"], at="more-information")
    with django_capture_on_commit_callbacks(execute=True):
        services.data_output_add(idea_id=idea.pk, by=people["officer"], description="Data", valued_by=[department])
    assert told() == {}


def test_a_confidential_idea_reaches_only_contacts_who_may_read_it(
    people, other_department, housing_contact, django_capture_on_commit_callbacks
):
    other_department.data_contacts.add(people["secretary"])
    idea = make_idea(people["officer"], at="more-information", is_confidential=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.data_output_add(idea_id=idea.pk, by=people["officer"], description="Secret data",
                                 valued_by=[other_department])
    assert set(told()) == {people["secretary"].email}


def test_a_told_contact_can_follow_the_idea(people, other_department, housing_contact, client,
                                             django_capture_on_commit_callbacks):
    idea = make_idea(people["officer"], at="more-information")
    with django_capture_on_commit_callbacks(execute=True):
        services.data_output_add(idea_id=idea.pk, by=people["officer"], description="Data",
                                 valued_by=[other_department])
    assert set(told()) == {housing_contact.email}
    client.force_login(housing_contact)
    page = client.get(idea.get_absolute_url())
    assert page.status_code == 200 and "Follow" in page.content.decode()
    services.follow_set(idea_id=idea.pk, by=housing_contact, following=True)
    assert Follow.objects.filter(idea=idea, user=housing_contact).exists()


def test_admins_choose_a_departments_data_contacts_in_django_admin(client, people, other_department):
    client.force_login(people["admin"])
    url = f"/admin/people/department/{other_department.pk}/change/"
    assert 'name="data_contacts"' in client.get(url).content.decode()
    response = client.post(url, {"name": other_department.name, "slug": other_department.slug, "is_active": "on",
                                 "data_contacts": [people["officer_other"].pk]})
    assert response.status_code == 302
    assert list(other_department.data_contacts.all()) == [people["officer_other"]]


def test_contacts_who_could_not_read_a_confidential_idea_are_told_when_it_stops_being_confidential(
    people, other_department, housing_contact, django_capture_on_commit_callbacks
):
    idea = make_idea(people["officer"], at="more-information", is_confidential=True, title="Falls sensors")
    with django_capture_on_commit_callbacks(execute=True):
        services.data_output_add(idea_id=idea.pk, by=people["officer"], description="Falls by ward",
                                 valued_by=[other_department])
    assert told() == {}  # the Housing contact may not read it
    with django_capture_on_commit_callbacks(execute=True):
        services.idea_update(idea_id=idea.pk, by=people["officer"], is_confidential=False)
    assert set(told()) == {housing_contact.email}
    with django_capture_on_commit_callbacks(execute=True):  # confidential again, then not: told once only
        services.idea_update(idea_id=idea.pk, by=people["officer"], is_confidential=True)
        services.idea_update(idea_id=idea.pk, by=people["officer"], is_confidential=False)
    assert Notification.objects.filter(kind=Kind.DATA_VALUED).count() == 1


# --- The owners of data another idea depends on ---------------------------------------------------


def needed() -> dict[str, Notification]:
    return {n.recipient.email: n for n in Notification.objects.filter(kind=Kind.DATA_NEEDED).select_related("recipient")}


@pytest.fixture
def platform(people):
    from ideas.models import DataOutput

    idea = make_idea(people["officer_other"], at="triage", title="Cross-department data platform")
    idea.co_owners.add(people["reviewer"])
    DataOutput.objects.create(idea=idea, description="Resident records joined across services")
    return idea


def test_the_platforms_owners_are_told_when_an_idea_depends_on_its_data(
    people, platform, django_capture_on_commit_callbacks
):
    from ideas.services.data_needs import data_dependency_add

    needing = make_idea(people["officer"], at="more-information", title="Falls prevention")
    output = platform.data_outputs.get()
    with django_capture_on_commit_callbacks(execute=True):
        need = data_dependency_add(idea_id=needing.pk, by=people["officer"], output_id=output.pk,
                                   need="Addresses of frail residents")
    notices = needed()
    assert set(notices) == {people["officer_other"].email, people["reviewer"].email}  # owner and co-owner
    notice = notices[people["officer_other"].email]
    assert notice.title == "“Falls prevention” depends on data from your idea “Cross-department data platform”"
    assert "Resident records joined across services" in notice.body and "Addresses of frail residents" in notice.body
    assert notice.url == platform.get_absolute_url()
    assert idea_notices.data_needed(idea_id=needing.pk, dependency_id=need.pk) == 0  # never twice


def test_a_drafts_needs_are_told_when_it_is_submitted_and_a_confidential_one_only_to_readers(
    people, platform, django_capture_on_commit_callbacks
):
    from ideas.services.data_needs import data_dependency_add

    draft = make_idea(people["officer"], at="draft", title="Falls prevention")
    with django_capture_on_commit_callbacks(execute=True):
        data_dependency_add(idea_id=draft.pk, by=people["officer"], output_id=platform.data_outputs.get().pk,
                            need="Addresses")
    assert needed() == {}  # a draft is seen by its owners only
    with django_capture_on_commit_callbacks(execute=True):
        services.idea_submit(idea_id=draft.pk, by=people["officer"])
    assert set(needed()) == {people["officer_other"].email, people["reviewer"].email}

    secret = make_idea(people["officer"], at="more-information", title="Secret falls work", is_confidential=True)
    with django_capture_on_commit_callbacks(execute=True):
        data_dependency_add(idea_id=secret.pk, by=people["officer"], output_id=platform.data_outputs.get().pk,
                            need="Addresses")
    about_secret = Notification.objects.filter(kind=Kind.DATA_NEEDED, title__contains="Secret falls work")
    assert not about_secret.exists()  # the platform's owners may not read it
    with django_capture_on_commit_callbacks(execute=True):
        services.idea_update(idea_id=secret.pk, by=people["officer"], is_confidential=False)
    assert about_secret.count() == 2
