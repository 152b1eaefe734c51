"""Responses no cache may keep, and request bodies refused by size before they are read."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_static_files_keep_their_own_caching(client):
    # Every page is no-store (checked over the whole permission matrix); the GOV.UK assets are not.
    client.force_login(UserFactory())
    response = client.get("/static/govuk/govuk-frontend.min.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_a_view_that_caches_only_partly_is_made_no_store(client):
    # The CSV export used to say only "no-store": shared caches could still keep it under "private" rules.
    from django.http import HttpResponse

    from harrow_innovation.core.middleware import NoStoreMiddleware

    def view(request):
        response = HttpResponse("x")
        response["Cache-Control"] = "max-age=600"
        return response

    assert NoStoreMiddleware(view)(None)["Cache-Control"] == "no-store, private"


class Unreadable:
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def oversized(client, url, *, length: int, content_type: str):
    return client.generic(
        "POST", url, CONTENT_TYPE=content_type, CONTENT_LENGTH=str(length), **{"wsgi.input": Unreadable()}
    )


def test_an_anonymous_25_mb_post_is_refused_from_its_length_without_reading_it():
    from axes.models import AccessAttempt

    client = Client(enforce_csrf_checks=True)
    response = oversized(client, "/accounts/sign-in/", length=25 * 1024 * 1024,
                         content_type="multipart/form-data; boundary=x")
    assert response.status_code == 413
    html = response.content.decode()
    assert "What you sent is too large" in html
    assert "Files you attach must be 10.0\xa0MB or smaller" in html
    assert "govuk-footer" in html  # the service's own page, from the base template
    assert "script-src 'self' 'nonce-" in response["Content-Security-Policy"]
    assert response["Cache-Control"] == "no-store, private"
    assert not AccessAttempt.objects.exists()


def test_a_form_post_over_the_memory_limit_is_refused_and_changes_nothing(people, settings):
    from django.urls import reverse

    from tests.factories import make_idea

    draft = make_idea(people["officer"], title="Unchanged title")
    client = Client()
    client.force_login(people["officer"])
    url = reverse("ideas:edit_section", kwargs={"pk": draft.pk, "section": "about"})
    response = oversized(client, url, length=settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1,
                         content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    draft.refresh_from_db()
    assert draft.title == "Unchanged title"


def test_an_upload_over_the_attachment_limit_is_refused_before_reading(people, settings):
    from django.urls import reverse

    from tests.factories import make_idea

    settings.ATTACHMENT_MAX_BYTES = 1024 * 1024
    draft = make_idea(people["officer"])
    client = Client()
    client.force_login(people["officer"])
    url = reverse("ideas:attachment_add", kwargs={"pk": draft.pk})
    response = oversized(client, url, length=3 * 1024 * 1024, content_type="multipart/form-data; boundary=x")
    assert response.status_code == 413
    assert "Files you attach must be 1.0\xa0MB or smaller" in response.content.decode()
    assert not draft.attachments.exists()
