"""The signed-in user is loaded once per request with what every page asks about them.

``people.backends.AccountBackend`` reads the user, their roles (group names) and
the header's unread-notifications count in one query. Roles and the count are
as of the start of each request: a change shows on the next page.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from harrow_innovation.people.backends import AccountBackend, load_request_user
from harrow_innovation.people.roles import Role, role_group
from notifications.selectors import unread_count
from tests.notifications.test_views import give

pytestmark = pytest.mark.django_db


def test_one_query_reads_the_user_their_roles_and_their_unread_count(people, django_assert_num_queries):
    reviewer = people["reviewer"]
    give(reviewer, 3)

    class Request:
        pass

    request = Request()
    with django_assert_num_queries(1):
        request.user = AccountBackend().get_user(reviewer.pk)
        assert request.user == reviewer
        assert request.user.role_names == {Role.OFFICER.value, Role.REVIEWER.value}
        assert request.user.has_role(Role.REVIEWER) and not request.user.has_role(Role.SECRETARY)
        assert unread_count(request) == 3


def test_roles_read_with_the_user_match_roles_read_on_their_own(people):
    for user in people.values():
        loaded = load_request_user(user.pk)
        user.__dict__.pop("role_names", None)
        assert loaded.role_names == user.role_names, user


def test_an_unknown_or_closed_account_is_not_signed_in(people):
    assert AccountBackend().get_user(999_999) is None
    officer = people["officer"]
    officer.is_active = False
    officer.save(update_fields=["is_active"])
    assert AccountBackend().get_user(officer.pk) is None


def test_a_page_costs_two_queries_for_the_signed_in_user(people, django_assert_num_queries):
    client = Client()
    client.force_login(people["officer"])
    client.get(reverse("notifications:preferences"))
    with django_assert_num_queries(3):  # the session, the user with roles and badge, the page's own query
        assert client.get(reverse("notifications:preferences")).status_code == 200


def test_a_role_granted_or_taken_away_applies_from_the_next_page(people):
    officer = people["officer"]
    client = Client()
    client.force_login(officer)
    ranking = reverse("ideas:ranked")
    assert client.get(ranking).status_code == 403
    officer.groups.add(role_group(Role.SECRETARY))
    assert client.get(ranking).status_code == 200
    assert f'href="{ranking}"' in client.get(reverse("home")).content.decode()
    officer.groups.remove(role_group(Role.SECRETARY))
    assert client.get(ranking).status_code == 403


def test_the_badge_shows_the_count_at_the_start_of_each_page(people):
    officer = people["officer"]
    client = Client()
    client.force_login(officer)
    give(officer, 2)
    assert 'Notifications <span class="app-count">2<' in client.get(reverse("home")).content.decode()
    client.post(reverse("notifications:read_all"))
    assert 'class="app-count"' not in client.get(reverse("home")).content.decode()
