"""API tokens: stored as digests, shown once, expiring, revocable by their owner or an admin; refusals are 401 JSON."""

from __future__ import annotations

import hashlib
import importlib
import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portfolio.api import tokens
from portfolio.models import ApiToken
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _get(secret: str):
    return Client(HTTP_AUTHORIZATION=f"Token {secret}").get(reverse("api:stage-list"))


def _secret_on(response) -> str:
    found = re.search(r'value="(hip_[A-Za-z0-9_-]+)"', response.content.decode())
    assert found, response.content.decode()[:1500]
    return found.group(1)


def test_only_a_digest_is_stored_and_the_token_reads_the_api(people):
    token = tokens.api_token_create(user=people["officer"], name="Report", by=people["officer"])
    row = ApiToken.objects.values().get(pk=token.pk)
    assert token.secret.startswith("hip_") and len(token.secret) > 40
    assert token.secret not in str(row)
    assert row["digest"] == hashlib.sha256(token.secret.encode()).hexdigest()
    assert row["hint"] == token.secret[:8]
    assert _get(token.secret).status_code == 200
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None


def test_tokens_expire_after_the_configured_lifetime(people, settings):
    token = tokens.api_token_create(user=people["officer"], name="Report", by=people["officer"])
    assert token.expires_at - token.created_at == timedelta(days=365)
    settings.API_TOKEN_LIFETIME_DAYS = 30
    short = tokens.api_token_create(user=people["officer"], name="Short", by=people["officer"])
    assert short.expires_at - short.created_at == timedelta(days=30)


def test_an_expired_token_gets_401_saying_so_and_nothing_changes(people):
    token = tokens.api_token_create(user=people["officer"], name="Report", by=people["officer"])
    ApiToken.objects.filter(pk=token.pk).update(created_at=timezone.now() - timedelta(days=400),
                                                expires_at=timezone.now() - timedelta(days=35))
    before = ApiToken.objects.values().get(pk=token.pk)
    response = _get(token.secret)
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"
    assert response.json()["detail"].startswith("This API token expired on ")
    assert ApiToken.objects.values().get(pk=token.pk) == before


def test_a_revoked_token_gets_401_saying_so(people):
    token = tokens.api_token_create(user=people["officer"], name="Report", by=people["officer"])
    tokens.api_token_revoke(token_id=token.pk, by=people["officer"])
    response = _get(token.secret)
    assert (response.status_code, response.json()) == (401, {"detail": tokens.REVOKED})


def test_a_malformed_header_gets_401_and_no_token_keeps_403(people):
    response = Client(HTTP_AUTHORIZATION="Token two parts").get(reverse("api:stage-list"))
    assert (response.status_code, response.json()) == (401, {"detail": tokens.MALFORMED})
    assert Client().get(reverse("api:stage-list")).status_code == 403


# --- Pages -----------------------------------------------------------------------------


def test_a_person_makes_a_token_and_sees_the_secret_only_once(client, people):
    client.force_login(people["officer"])
    form = client.get(reverse("api:token_new")).content.decode()
    assert "Make the token" in form and "Account the token reads as" not in form
    response = client.post(reverse("api:token_new"), {"name": "  Monthly   report ", "account": "admin@x.example"})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    secret = _secret_on(response)
    token = ApiToken.objects.get()
    assert (token.user, token.name, token.created_by) == (people["officer"], "Monthly report", people["officer"])
    listing = client.get(reverse("api:tokens")).content.decode()
    assert "Monthly report" in listing and token.hint in listing and secret not in listing
    assert _get(secret).status_code == 200


def test_a_bad_token_form_shows_errors_and_makes_nothing(client, people):
    client.force_login(people["officer"])
    response = client.post(reverse("api:token_new"), {"name": "   "})
    html = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in html and "Enter what the token is for" in html
    assert not ApiToken.objects.exists()

    client.force_login(people["admin"])
    response = client.post(reverse("api:token_new"), {"name": "Feed", "account": "nobody@harrow.example"})
    html = response.content.decode()
    assert "There is no account with that email address" in html and 'value="Feed"' in html
    closed = UserFactory(email="closed@harrow.example", is_active=False)
    response = client.post(reverse("api:token_new"), {"name": "Feed", "account": closed.email})
    assert "That account is closed." in response.content.decode()
    assert not ApiToken.objects.exists()


def test_only_admins_make_tokens_for_other_accounts(people):
    with pytest.raises(tokens.TokenError):
        tokens.api_token_create(user=people["officer_other"], name="Theirs", by=people["officer"])
    assert not ApiToken.objects.exists()


def test_the_owner_revokes_after_confirming_and_a_second_revoke_changes_nothing(client, people):
    token = tokens.api_token_create(user=people["officer"], name="Report", by=people["officer"])
    client.force_login(people["officer"])
    url = reverse("api:token_revoke", kwargs={"pk": token.pk})
    assert "Revoke the token" in client.get(url).content.decode()
    response = client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("api:tokens")
    assert "has been revoked" in response.content.decode()
    token.refresh_from_db()
    revoked_at = token.revoked_at
    assert revoked_at is not None and token.revoked_by == people["officer"]

    again = client.post(url, follow=True)
    assert "This token was already revoked." in again.content.decode()
    token.refresh_from_db()
    assert token.revoked_at == revoked_at
    assert "Revoke the token" not in client.get(url).content.decode()


def test_others_cannot_revoke_but_an_admin_can(client, people):
    token = tokens.api_token_create(user=people["officer"], name="Report", by=people["officer"])
    url = reverse("api:token_revoke", kwargs={"pk": token.pk})
    client.force_login(people["officer_other"])
    assert client.post(url).status_code == 404
    with pytest.raises(tokens.TokenError):
        tokens.api_token_revoke(token_id=token.pk, by=people["secretary"])
    assert ApiToken.objects.get().revoked_at is None

    client.force_login(people["admin"])
    listing = client.get(reverse("api:tokens")).content.decode()
    assert "Everyone else" in listing and url in listing
    client.post(url)
    assert ApiToken.objects.get().revoked_by == people["admin"]
    assert _get(token.secret).status_code == 401


# --- Migration from rest_framework.authtoken -------------------------------------------


def test_the_migration_hashes_plain_tokens_so_they_keep_working_and_deletes_the_plain_keys(people):
    migration = importlib.import_module("portfolio.migrations.0002_sso_api_tokens")
    key = "0123456789abcdef0123456789abcdef01234567"
    with connection.cursor() as cursor:  # the table rest_framework.authtoken left behind
        cursor.execute("CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, created timestamptz NOT NULL, "
                       "user_id bigint NOT NULL)")
        cursor.execute("INSERT INTO authtoken_token VALUES (%s, %s, %s)", [key, timezone.now(), people["officer"].pk])
    migration.copy_plain_tokens(apps, SimpleNamespace(connection=connection))
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM authtoken_token")
        assert cursor.fetchone() == (0,)
    token = ApiToken.objects.get()
    assert token.digest == hashlib.sha256(key.encode()).hexdigest() and token.user == people["officer"]
    assert token.expires_at > timezone.now() + timedelta(days=364)
    assert _get(key).status_code == 200


def test_an_admin_setting_an_expiry_before_the_token_was_made_is_told_and_nothing_changes(client, people):
    token = tokens.api_token_create(user=people["officer"], name="Report", by=people["officer"])
    before = ApiToken.objects.get(pk=token.pk).expires_at
    client.force_login(people["admin"])
    url = reverse("admin:portfolio_apitoken_change", args=[token.pk])
    response = client.post(url, {"expires_at_0": "01/01/2020", "expires_at_1": "09:00:00"})
    assert response.status_code == 200
    assert "A token must expire after it was made" in response.content.decode()
    assert ApiToken.objects.get(pk=token.pk).expires_at == before

    later = (before + timedelta(days=30)).astimezone()
    response = client.post(url, {"expires_at_0": f"{later:%d/%m/%Y}", "expires_at_1": f"{later:%H:%M:%S}"})
    assert response.status_code == 302
    assert ApiToken.objects.get(pk=token.pk).expires_at.date() == later.date()
