import pytest
from django.urls import reverse

from harrow_innovation.people.models import User
from harrow_innovation.people.roles import Role
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def sign_in(client, email, password):
    return client.post(reverse("login"), {"username": email, "password": password}, REMOTE_ADDR="10.1.2.3")


def test_staff_sign_in_with_their_email_in_any_case(client):
    user = UserFactory(email="priya.shah@harrow.example")
    response = sign_in(client, "Priya.Shah@Harrow.example", PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_wrong_password_shows_the_error_summary_and_keeps_the_email(client):
    UserFactory(email="priya.shah@harrow.example")
    response = sign_in(client, "priya.shah@harrow.example", "wrong")
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "Enter a correct email address and password" in html
    assert 'value="priya.shah@harrow.example"' in html
    assert "<title>Error: Sign in" in html


def test_empty_form_names_each_missing_field(client):
    response = client.post(reverse("login"), {})
    html = response.content.decode()
    assert "Enter your email address" in html
    assert "Enter your password" in html


def test_repeated_failures_are_throttled_with_a_clear_message_then_released(client, settings):
    from axes.models import AccessAttempt

    UserFactory(email="target@harrow.example")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "target@harrow.example", "guess")
    response = sign_in(client, "target@harrow.example", PASSWORD)
    assert response.status_code == 429
    assert "Too many attempts to sign in" in response.content.decode()
    assert "Your account is not closed" in response.content.decode()
    # The lock is a cool-off, not permanent: once the attempts expire, the right password works.
    AccessAttempt.objects.all().delete()
    assert sign_in(client, "target@harrow.example", PASSWORD).status_code == 302


def test_throttling_one_address_does_not_lock_the_account_for_others(client, settings):
    UserFactory(email="target@harrow.example")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "target@harrow.example", "guess")
    response = client.post(reverse("login"), {"username": "target@harrow.example", "password": PASSWORD}, REMOTE_ADDR="10.9.9.9")
    assert response.status_code == 302


def test_sign_out_needs_a_post_and_ends_the_session(client):
    user = UserFactory()
    client.force_login(user)
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_roles_are_groups_admins_can_grant():
    from django.contrib.auth.models import Group

    user = UserFactory(roles=[Role.OFFICER])
    assert user.has_role(Role.OFFICER)
    assert not user.has_role(Role.SECRETARY)
    user.groups.add(Group.objects.get(name="Board secretary"))
    fresh = User.objects.get(pk=user.pk)
    assert fresh.has_role(Role.SECRETARY)
    assert set(Group.objects.values_list("name", flat=True)) >= {r.label for r in Role}


def test_a_deactivated_user_cannot_sign_in(client):
    UserFactory(email="gone@harrow.example", is_active=False)
    response = sign_in(client, "gone@harrow.example", PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
