import pytest
from django.test import Client, override_settings
from django.urls import path

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def boom(request):
    raise RuntimeError("secret internals")


urlpatterns = [path("boom/", boom)]
handler500 = "harrow_innovation.core.views.server_error"


def test_404_is_a_govuk_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert "govuk-footer" in html


@override_settings(ROOT_URLCONF=__name__)
def test_500_shows_no_stack_trace():
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory())
    response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Sorry, there is a problem with the service" in html
    assert "secret internals" not in html
    assert "Traceback" not in html


def test_csrf_failure_is_explained():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/sign-in/", {"username": "a@b.c", "password": "x"})
    assert response.status_code == 403
    assert "Your form could not be sent" in response.content.decode()


def test_pages_send_a_strict_content_security_policy(client):
    response = client.get("/accessibility/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "'unsafe-inline'" not in policy
    assert "script-src 'self' 'nonce-" in policy
