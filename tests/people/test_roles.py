"""Roles are recognised by their stable code, never by the name of the group that carries them.

Admins may rename groups in Django admin; a renamed "Board secretary" group must
leave every secretary's powers exactly as they were.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from harrow_innovation.people.backends import load_request_user
from harrow_innovation.people.models import RoleGroup, User
from harrow_innovation.people.roles import Role, holds_role, role_group, sync_role_groups
from ideas import selectors
from ideas.notices import secretary_ids
from tests.factories import UserFactory, make_idea

pytestmark = pytest.mark.django_db


def rename_every_role_group():
    for link in RoleGroup.objects.select_related("group"):
        link.group.name = f"Renamed {link.role} group"
        link.group.save(update_fields=["name"])


def test_every_role_has_one_group_linked_by_its_code():
    sync_role_groups()
    assert {link.role for link in RoleGroup.objects.all()} == set(Role.values)
    assert role_group(Role.SECRETARY).name == "Board secretary"


def test_renaming_the_role_groups_changes_nobodys_powers(people):
    idea = make_idea(people["officer"], at="business-case-review")
    secretary = people["secretary"]
    rename_every_role_group()
    assert not Group.objects.filter(name="Board secretary").exists()

    # The request user, loaded with their roles in one query, and the same roles read on their own.
    loaded = load_request_user(secretary.pk)
    assert loaded.role_names == {Role.OFFICER.value, Role.SECRETARY.value}
    assert User.objects.get(pk=secretary.pk).has_role(Role.SECRETARY)
    # Pages the role opens, filters on role holders (notices, reviewer candidates).
    client = Client()
    client.force_login(secretary)
    assert client.get(reverse("ideas:ranked")).status_code == 200
    assert client.get(reverse("ideas:assign_reviewers", kwargs={"pk": idea.pk})).status_code == 200
    assert secretary.pk in secretary_ids()
    assert people["reviewer"] in selectors.reviewer_candidates(idea=idea)


def test_syncing_after_a_rename_neither_renames_back_nor_makes_a_second_group(people):
    rename_every_role_group()
    before = set(Group.objects.values_list("pk", "name"))
    sync_role_groups()
    assert set(Group.objects.values_list("pk", "name")) == before
    assert User.objects.get(pk=people["secretary"].pk).has_role(Role.SECRETARY)


def test_a_new_group_named_like_a_role_grants_nothing(people):
    Group.objects.filter(role_group__role=Role.SECRETARY).update(name="Secretariat")
    impostor = Group.objects.create(name="Board secretary")
    officer = people["officer"]
    officer.groups.add(impostor)
    assert not User.objects.get(pk=officer.pk).has_role(Role.SECRETARY)
    assert not load_request_user(officer.pk).has_role(Role.SECRETARY)
    assert officer.pk not in secretary_ids()


def test_groups_named_like_the_roles_are_linked_when_no_link_exists_yet():
    """A database from before role codes: its groups carry the roles they are named after."""
    sync_role_groups()
    groups = {link.role: link.group_id for link in RoleGroup.objects.all()}
    RoleGroup.objects.all().delete()
    sync_role_groups()
    assert {link.role: link.group_id for link in RoleGroup.objects.all()} == groups


def test_the_role_filter_agrees_with_has_role_for_everyone(people):
    closed = UserFactory(roles=[Role.SECRETARY], is_active=False)
    everyone = [*people.values(), closed]
    for role in Role:
        holders = set(User.objects.filter(holds_role(role)).values_list("pk", flat=True))
        for user in everyone:
            fresh = User.objects.get(pk=user.pk)
            assert (user.pk in holders) == fresh.has_role(role), (user, role)
