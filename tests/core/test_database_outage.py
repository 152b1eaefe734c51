"""While PostgreSQL cannot be reached, pages answer 503 with the GOV.UK page; ordinary faults stay 500s."""

from __future__ import annotations

import socket
from contextlib import contextmanager

import pytest
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import path

from harrow_innovation.people.models import User
from harrow_innovation.urls import urlpatterns as service_urlpatterns
from tests.factories import UserFactory


@login_not_required
def count_users(request):
    return HttpResponse(str(User.objects.count()))


@login_not_required
def bad_sql(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM no_such_table_at_all")
    return HttpResponse("unreachable")


@login_not_required
def statement_timeout(request):
    # An OperationalError from a live database (query cancelled): a fault, not an outage.
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 1")
        try:
            cursor.execute("SELECT pg_sleep(1)")
        finally:
            cursor.execute("RESET statement_timeout")
    return HttpResponse("unreachable")


urlpatterns = [
    path("count/", count_users),
    path("bad-sql/", bad_sql),
    path("timeout/", statement_timeout),
    *service_urlpatterns,  # the base template links to the service's own pages
]
handler500 = "harrow_innovation.core.views.server_error"


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def database_unreachable():
    """The default connection points at a port nobody listens on, as when PostgreSQL restarts."""
    connection.close()
    saved = connection.settings_dict["PORT"]
    connection.settings_dict["PORT"] = closed_port()
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["PORT"] = saved


def assert_unavailable_page(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    assert "Sorry, the service is unavailable" in html
    assert "govuk-footer" in html  # the base template, rendered without the database
    assert "Traceback" not in html and "could not connect" not in html
    assert "script-src 'self' 'nonce-" in response["Content-Security-Policy"]


@pytest.mark.django_db(transaction=True)
def test_a_signed_in_page_answers_503_while_the_database_is_down():
    # The session is read by middleware before any view runs: this outage reaches server_error.
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory())
    with database_unreachable():
        response = client.get("/ideas/")
    assert_unavailable_page(response)
    assert response.wsgi_request.COOKIES  # the person kept their session cookie ...
    assert "sessionid" not in response.cookies  # ... and it was not cleared by the outage
    assert client.get("/ideas/").status_code == 200  # back as soon as the database is


@pytest.mark.django_db(transaction=True)
@override_settings(ROOT_URLCONF=__name__)
def test_a_view_that_queries_a_down_database_answers_503():
    client = Client(raise_request_exception=False)
    with database_unreachable():
        response = client.get("/count/")
    assert_unavailable_page(response)


@pytest.mark.django_db(transaction=True)
def test_healthz_still_says_which_part_is_down():
    client = Client(raise_request_exception=False)
    with database_unreachable():
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
@pytest.mark.parametrize("url", ["/bad-sql/", "/timeout/"])
def test_ordinary_database_errors_are_still_500s(url):
    client = Client(raise_request_exception=False)
    response = client.get(url)
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()
    assert "Retry-After" not in response
