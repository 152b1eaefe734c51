"""Sessions end after SESSION_IDLE_MINUTES without a request and SESSION_COOKIE_AGE after signing in;
the person signs in again and lands where they were. "Last seen" is written at most once a minute."""

import time

import pytest
from django.urls import reverse

from harrow_innovation.people.session_expiry import SEEN_AT, SIGNED_IN_AT
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

PAGE = "/notifications/preferences/"


def signed_in(client, **times):
    user = UserFactory(email="officer@harrow.example")
    client.force_login(user)
    session = client.session
    now = int(time.time())
    for key, ago in times.items():
        session[key] = now - ago
    session.save()
    return user


def test_an_idle_session_is_signed_out_and_the_person_returns_where_they_were(client, settings):
    settings.SESSION_IDLE_MINUTES = 60
    signed_in(client, seen_at=61 * 60)
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={PAGE}"
    assert "_auth_user_id" not in client.session

    page = client.get(response.url)
    assert "You were signed out because you had not used the service for 60 minutes." in page.content.decode()
    back = client.post(response.url, {"username": "officer@harrow.example", "password": PASSWORD, "next": PAGE})
    assert back.status_code == 302
    assert back.url == PAGE
    assert client.get(PAGE).status_code == 200


def test_a_session_used_within_the_idle_limit_carries_on(client, settings):
    settings.SESSION_IDLE_MINUTES = 60
    signed_in(client, seen_at=59 * 60)
    assert client.get(PAGE).status_code == 200


def test_the_idle_limit_is_configurable(client, settings):
    settings.SESSION_IDLE_MINUTES = 5
    signed_in(client, seen_at=6 * 60)
    assert client.get(PAGE).status_code == 302
    assert "not used the service for 5 minutes" in client.get(reverse("login")).content.decode()


def test_an_active_session_still_ends_at_the_absolute_limit(client, settings):
    signed_in(client, signed_in_at=settings.SESSION_COOKIE_AGE + 60, seen_at=10)
    response = client.get(PAGE)
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert "You were signed out because you signed in more than 10 hours ago." in client.get(response.url).content.decode()


def test_last_seen_is_written_at_most_once_a_minute(client):
    signed_in(client, seen_at=30)
    before = client.session[SEEN_AT]
    client.get(PAGE)
    assert client.session[SEEN_AT] == before  # not rewritten within the minute

    signed_in_at = client.session[SIGNED_IN_AT]
    session = client.session
    session[SEEN_AT] = int(time.time()) - 90
    session.save()
    client.get(PAGE)
    assert client.session[SEEN_AT] >= int(time.time()) - 2
    assert client.session[SIGNED_IN_AT] == signed_in_at  # activity never moves the absolute limit


@pytest.mark.parametrize("seen_ago", [0, 30])
def test_a_page_view_within_the_minute_does_not_write_the_session(client, seen_ago):
    # Including the first page after signing in: pages' pinned query counts stay as they were.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    signed_in(client, seen_at=seen_ago)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(PAGE).status_code == 200
    writes = [q["sql"] for q in queries.captured_queries if "django_session" in q["sql"] and not q["sql"].startswith("SELECT")]
    assert writes == []


def test_signing_in_starts_both_clocks(client):
    UserFactory(email="officer@harrow.example")
    client.post(reverse("login"), {"username": "officer@harrow.example", "password": PASSWORD})
    now = int(time.time())
    assert now - 5 <= client.session[SIGNED_IN_AT] <= now
    assert now - 5 <= client.session[SEEN_AT] <= now


def test_a_session_from_before_this_rule_gets_its_clocks_started(client):
    signed_in(client)
    session = client.session
    del session[SIGNED_IN_AT], session[SEEN_AT]
    session.save()
    assert client.get(PAGE).status_code == 200
    assert SIGNED_IN_AT in client.session and SEEN_AT in client.session


def test_a_form_sent_after_the_idle_limit_changes_nothing_and_leads_back_to_its_page(client, settings):
    from notifications.models import Preference

    signed_in(client, seen_at=61 * 60)
    before = list(Preference.objects.values())
    response = client.post(PAGE, {"meeting_reminder": "off"}, HTTP_REFERER=f"http://testserver{PAGE}?tab=1")
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={PAGE}%3Ftab%3D1"
    assert "_auth_user_id" not in client.session
    assert list(Preference.objects.values()) == before
    html = client.get(reverse("login")).content.decode()
    assert "What you were sending was not saved" in html


def test_a_form_sent_after_the_idle_limit_from_elsewhere_goes_home_after_sign_in(client):
    signed_in(client, seen_at=61 * 60)
    response = client.post(PAGE, {}, HTTP_REFERER="https://evil.example/phish")
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={reverse('home')}"
