"""Email addresses are stored, looked up and compared in one normal form: trimmed, lower case."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from harrow_innovation.people.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("harrow_innovation.people.migrations.0002_auth_email_normal_form")


class _SchemaEditor:
    connection = connection


def _store_raw(pk, email):
    # Bypasses save(): rows written before this fix, or by a bulk update.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE people_user SET email = %s WHERE id = %s", [email, pk])


def _without_normal_form_constraint():
    # Rolled back with the test's transaction: lets the test hold rows as old data did.
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE people_user DROP CONSTRAINT people_user_email_normal_form")


def test_every_create_path_stores_the_normal_form():
    assert User.objects.create_user(" Priya.Shah@Harrow.Example ", PASSWORD, full_name="Priya").email == "priya.shah@harrow.example"
    assert UserFactory(email="Tom.Jones@HARROW.example").email == "tom.jones@harrow.example"
    assert User.objects.get_by_natural_key("  TOM.JONES@harrow.example") == User.objects.get(email="tom.jones@harrow.example")


def test_the_database_refuses_an_address_not_in_normal_form():
    user = UserFactory(email="priya@harrow.example")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=user.pk).update(email="Priya@harrow.example")


def test_the_migration_normalises_stored_addresses():
    _without_normal_form_constraint()
    first, second = UserFactory(), UserFactory(email="already@harrow.example")
    _store_raw(first.pk, "  Mixed.Case@Harrow.Example ")
    migration.normalise_stored_emails(django_apps, _SchemaEditor())
    assert User.objects.get(pk=first.pk).email == "mixed.case@harrow.example"
    assert User.objects.get(pk=second.pk).email == "already@harrow.example"


def test_the_migration_stops_and_names_accounts_that_would_collide():
    _without_normal_form_constraint()
    kept, clash = UserFactory(email="chair@harrow.example"), UserFactory()
    _store_raw(clash.pk, " chair@harrow.example")
    with pytest.raises(migration.EmailCollision) as error:
        migration.normalise_stored_emails(django_apps, _SchemaEditor())
    message = str(error.value)
    assert "Merge or rename them in Django admin" in message
    assert f"user {kept.pk}" in message and f"user {clash.pk}" in message
    assert User.objects.get(pk=clash.pk).email == " chair@harrow.example"  # nothing changed


def test_admin_adds_a_user_in_normal_form_and_refuses_another_spelling_of_an_existing_one(admin_client):
    url = reverse("admin:people_user_add")
    form = {"email": " New.Person@Harrow.Example ", "full_name": "New Person", "usable_password": "true",
            "password1": "a-long-enough-passphrase", "password2": "a-long-enough-passphrase"}
    assert admin_client.post(url, form).status_code == 302
    assert User.objects.filter(email="new.person@harrow.example").exists()

    count = User.objects.count()
    response = admin_client.post(url, dict(form, email="NEW.PERSON@harrow.example"))
    assert response.status_code == 200
    assert "User with this Email address already exists." in response.content.decode()
    assert User.objects.count() == count


def test_admin_edit_stores_the_normal_form(admin_client):
    user = UserFactory(email="edit.me@harrow.example")
    url = reverse("admin:people_user_change", args=[user.pk])
    form = {"email": "Edited@Harrow.Example", "full_name": user.full_name, "is_active": "on",
            "date_joined_0": "2026-01-01", "date_joined_1": "09:00:00"}
    response = admin_client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:3000]
    user.refresh_from_db()
    assert user.email == "edited@harrow.example"
