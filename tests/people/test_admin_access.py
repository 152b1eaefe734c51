"""An Admin by role grants and removes the service's roles; only superusers change superuser
status, individual permissions or a group's permissions (people/admin_access.py)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from harrow_innovation.people.models import User
from harrow_innovation.people.roles import Role, role_group
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def role_admin():
    """An admin by role (staff, the Admin group), not a superuser."""
    return UserFactory(full_name="Ada Role-admin", roles=[Role.ADMIN], is_staff=True)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def change_data(user: User, **overrides) -> dict:
    data = {
        "email": user.email, "full_name": user.full_name, "job_title": user.job_title,
        "department": user.department_id or "", "is_active": "on",
        "groups": [g.pk for g in user.groups.all()],
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"), "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "last_login_0": "", "last_login_1": "",
    }
    if user.is_staff:
        data["is_staff"] = "on"
    data.update(overrides)
    return data


def test_a_crafted_post_does_not_make_an_admin_a_superuser_or_give_them_permissions(role_admin):
    change = Permission.objects.get(codename="change_permission")
    response = client_for(role_admin).post(
        reverse("admin:people_user_change", args=[role_admin.pk]),
        change_data(role_admin, is_superuser="on", user_permissions=[change.pk]),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    fresh = User.objects.get(pk=role_admin.pk)
    assert not fresh.is_superuser
    assert not fresh.user_permissions.exists()
    assert fresh.has_role(Role.ADMIN)


def test_the_admin_change_form_shows_superuser_status_and_permissions_read_only(role_admin, people):
    html = client_for(role_admin).get(reverse("admin:people_user_change", args=[people["officer"].pk])).content.decode()
    assert 'name="groups"' in html
    assert 'name="is_superuser"' not in html
    assert 'name="user_permissions"' not in html
    superuser_html = client_for(people["admin"]).get(
        reverse("admin:people_user_change", args=[people["officer"].pk])
    ).content.decode()
    assert 'name="is_superuser"' in superuser_html


def test_an_admin_grants_and_removes_roles(role_admin, people):
    officer = people["officer"]
    client = client_for(role_admin)
    granted = [role_group(Role.OFFICER).pk, role_group(Role.SECRETARY).pk]
    response = client.post(reverse("admin:people_user_change", args=[officer.pk]), change_data(officer, groups=granted))
    assert response.status_code == 302
    assert User.objects.get(pk=officer.pk).has_role(Role.SECRETARY)
    response = client.post(
        reverse("admin:people_user_change", args=[officer.pk]), change_data(officer, groups=[role_group(Role.OFFICER).pk])
    )
    assert response.status_code == 302
    assert not User.objects.get(pk=officer.pk).has_role(Role.SECRETARY)


def test_an_admin_cannot_grant_a_group_that_is_not_a_role_and_others_are_kept(role_admin, people):
    powerful = Group.objects.create(name="Everything")
    powerful.permissions.set(Permission.objects.all())
    auditors = Group.objects.create(name="Auditors")
    officer = people["officer"]
    officer.groups.add(auditors)
    client = client_for(role_admin)
    url = reverse("admin:people_user_change", args=[role_admin.pk])
    response = client.post(url, change_data(role_admin, groups=[role_group(Role.ADMIN).pk, powerful.pk]))
    assert response.status_code == 200  # refused: not a choice
    assert not User.objects.get(pk=role_admin.pk).groups.filter(pk=powerful.pk).exists()
    response = client.post(
        reverse("admin:people_user_change", args=[officer.pk]),
        change_data(officer, groups=[role_group(Role.OFFICER).pk, role_group(Role.REVIEWER).pk]),
    )
    assert response.status_code == 302
    assert set(User.objects.get(pk=officer.pk).groups.values_list("name", flat=True)) == {
        role_group(Role.OFFICER).name, role_group(Role.REVIEWER).name, "Auditors",
    }


def test_an_admin_cannot_change_a_superusers_account(role_admin, people):
    superuser = people["admin"]
    client = client_for(role_admin)
    response = client.post(
        reverse("admin:people_user_change", args=[superuser.pk]),
        change_data(superuser, email="mine@harrow.example", is_staff=""),
    )
    assert response.status_code == 403
    assert User.objects.get(pk=superuser.pk).email == superuser.email
    response = client.post(
        reverse("admin:auth_user_password_change", args=[superuser.pk]),
        {"password1": "taken-over-passphrase", "password2": "taken-over-passphrase", "usable_password": "true"},
    )
    assert response.status_code == 403
    assert not User.objects.get(pk=superuser.pk).check_password("taken-over-passphrase")


def test_only_superusers_change_a_groups_permissions(role_admin, people):
    group = role_group(Role.SECRETARY)
    before = set(group.permissions.values_list("pk", flat=True))
    delete_users = Permission.objects.get(codename="delete_user")
    url = reverse("admin:auth_group_change", args=[group.pk])
    response = client_for(role_admin).post(url, {"name": "Innovation Board secretariat", "permissions": [delete_users.pk]})
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.name == "Innovation Board secretariat"  # admins may rename it; the role stays with it
    assert set(group.permissions.values_list("pk", flat=True)) == before
    assert User.objects.get(pk=people["secretary"].pk).has_role(Role.SECRETARY)
    response = client_for(people["admin"]).post(url, {"name": "Board secretary", "permissions": [delete_users.pk]})
    assert response.status_code == 302
    assert set(group.permissions.values_list("pk", flat=True)) == {delete_users.pk}


def test_an_admin_sees_an_accounts_single_sign_on_id_and_cannot_change_it(role_admin):
    officer = UserFactory(full_name="Priya Shah", roles=[Role.OFFICER])
    User.objects.filter(pk=officer.pk).update(sso_id="00000000-aaaa-bbbb-cccc-000000000001")
    url = reverse("admin:people_user_change", args=[officer.pk])
    page = client_for(role_admin).get(url).content.decode()
    assert "00000000-aaaa-bbbb-cccc-000000000001" in page and "Single sign-on ID" in page
    assert 'name="sso_id"' not in page  # shown, not a field
    response = client_for(role_admin).post(url, change_data(officer, sso_id="someone-else"))
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.sso_id == "00000000-aaaa-bbbb-cccc-000000000001"
