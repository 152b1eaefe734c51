"""Notification pages: the list, marking read, the header count, preferences and unsubscribing."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ideas.notices import Kind as IdeaKind
from notifications.models import Channel, Notification, Preference
from notifications.services import Notice, notify
from notifications.tokens import make_token

pytestmark = pytest.mark.django_db


def give(user, n: int, *, kind=IdeaKind.STAGE_CHANGED, start: int = 0) -> list[int]:
    return notify(
        [Notice(kind=kind, recipient_id=user.pk, object_type="ideas.stagechange", object_id=start + i,
                due_date=timezone.localdate(), title=f"Notice {start + i}", url=f"/ideas/{start + i}/",
                body="It moved.")
         for i in range(n)],
        send=False,
    )


@pytest.fixture
def officer_client(people):
    client = Client()
    client.force_login(people["officer"])
    return client


def test_the_list_shows_my_notifications_newest_first_and_nobody_elses(people, officer_client):
    give(people["officer"], 3)
    give(people["officer_other"], 1, start=10)
    response = officer_client.get(reverse("notifications:list"))
    assert response.status_code == 200
    titles = [n.title for n in response.context["page"]]
    assert titles == ["Notice 2", "Notice 1", "Notice 0"]
    html = response.content.decode()
    assert "You have 3 unread notifications." in html
    assert '<a class="govuk-link" href="/ideas/2/">Notice 2</a>' in html


def test_the_header_shows_the_unread_count_for_one_query(people, officer_client, django_assert_num_queries):
    from notifications.selectors import unread_count

    give(people["officer"], 4)
    html = officer_client.get(reverse("home")).content.decode()
    assert 'Notifications <span class="app-count">4<span class="govuk-visually-hidden"> unread</span></span>' in html

    class Request:
        user = people["officer"]

    request = Request()
    with django_assert_num_queries(1):
        assert unread_count(request) == 4
        assert unread_count(request) == 4  # asked twice in one page: counted once


def test_the_list_costs_the_same_queries_for_few_and_many_notifications(people, officer_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    give(people["officer"], 2)
    with CaptureQueriesContext(connection) as few:
        officer_client.get(reverse("notifications:list"))
    give(people["officer"], 60, start=100)
    with CaptureQueriesContext(connection) as many:
        response = officer_client.get(reverse("notifications:list"))
    assert len(few) == len(many) == 4  # session, user (with roles and the header count), the page's count and rows
    assert len(response.context["page"]) == 25 and 'rel="next"' in response.content.decode()


def test_the_preferences_page_costs_a_fixed_number_of_queries(people, officer_client, django_assert_num_queries):
    Preference.objects.create(user=people["officer"], kind=IdeaKind.COMMENT_ADDED, channel=Channel.OFF)
    with django_assert_num_queries(3):  # session, user (with roles and the header count), the person's choices
        officer_client.get(reverse("notifications:preferences"))


def test_marking_one_read_changes_only_that_one(people, officer_client):
    first, second = give(people["officer"], 2)
    response = officer_client.post(reverse("notifications:read", args=[first]), {"next": "/notifications/?page=1"})
    assert response.status_code == 302 and response["Location"] == "/notifications/?page=1"
    assert Notification.objects.get(pk=first).read_at is not None
    assert Notification.objects.get(pk=second).read_at is None


def test_nobody_can_mark_someone_elses_notification_and_get_does_nothing(people, officer_client):
    [theirs] = give(people["officer_other"], 1)
    assert officer_client.post(reverse("notifications:read", args=[theirs])).status_code == 404
    [mine] = give(people["officer"], 1, start=5)
    assert officer_client.get(reverse("notifications:read", args=[mine])).status_code == 405
    assert not Notification.objects.filter(read_at__isnull=False).exists()


def test_an_outside_next_address_is_ignored(people, officer_client):
    [mine] = give(people["officer"], 1)
    response = officer_client.post(reverse("notifications:read", args=[mine]), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("notifications:list")


def test_mark_all_read(people, officer_client):
    give(people["officer"], 3)
    give(people["officer_other"], 1, start=10)
    response = officer_client.post(reverse("notifications:read_all"), follow=True)
    assert "3 notifications marked as read." in response.content.decode()
    assert not Notification.objects.filter(recipient=people["officer"], read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=people["officer_other"], read_at__isnull=True).count() == 1


# --- Preferences --------------------------------------------------------------------------


def test_the_preferences_page_shows_defaults_and_fixed_kinds(officer_client):
    response = officer_client.get(reverse("notifications:preferences"))
    html = response.content.decode()
    form = response.context["form"]
    assert IdeaKind.REVIEW_ASSIGNED not in form.fields and IdeaKind.REVIEW_OVERDUE not in form.fields
    assert form[IdeaKind.COMMENT_ADDED].value() == Channel.DIGEST
    assert "When you are asked to review an idea" in html and "Always emailed straight away" in html


def test_saving_preferences(people, officer_client):
    data = {kind: field.initial for kind, field in officer_client.get(reverse("notifications:preferences")).context["form"].fields.items()}
    data.update({IdeaKind.STAGE_CHANGED: "digest", IdeaKind.COMMENT_ADDED: "off"})
    response = officer_client.post(reverse("notifications:preferences"), data, follow=True)
    assert "Your notification preferences have been saved." in response.content.decode()
    assert dict(Preference.objects.filter(user=people["officer"]).values_list("kind", "channel")) == {
        IdeaKind.STAGE_CHANGED: "digest", IdeaKind.COMMENT_ADDED: "off",
    }


def test_bad_preferences_show_errors_and_keep_what_was_chosen(people, officer_client):
    response = officer_client.post(
        reverse("notifications:preferences"), {IdeaKind.STAGE_CHANGED: "digest", IdeaKind.COMMENT_ADDED: "sometimes"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in html and "govuk-error-summary" in html
    assert "Choose immediately, in a daily digest, or off" in html
    assert response.context["form"][IdeaKind.STAGE_CHANGED].value() == "digest"
    assert not Preference.objects.exists()


def test_fixed_kinds_cannot_be_switched_off_by_a_crafted_post(people, officer_client):
    data = {kind: field.initial for kind, field in officer_client.get(reverse("notifications:preferences")).context["form"].fields.items()}
    data[IdeaKind.REVIEW_ASSIGNED] = "off"
    officer_client.post(reverse("notifications:preferences"), data)
    assert not Preference.objects.filter(kind=IdeaKind.REVIEW_ASSIGNED).exists()


# --- Unsubscribe ----------------------------------------------------------------------------


def test_unsubscribe_needs_no_sign_in_asks_first_and_changes_only_that_preference(people):
    Preference.objects.create(user=people["officer"], kind=IdeaKind.COMMENT_ADDED, channel=Channel.IMMEDIATE)
    url = reverse("notifications:unsubscribe", args=[make_token(people["officer"].pk, IdeaKind.STAGE_CHANGED)])
    client = Client(enforce_csrf_checks=True)
    response = client.get(url)
    assert response.status_code == 200
    assert "Stop these emails?" in response.content.decode()
    assert "when an idea you own or follow moves to a new stage" in response.content.decode()
    assert not Preference.objects.filter(kind=IdeaKind.STAGE_CHANGED).exists()  # GET changes nothing
    response = client.post(url)  # a mail client's one-click POST carries no CSRF token
    assert response.status_code == 200 and "You have unsubscribed" in response.content.decode()
    assert dict(Preference.objects.filter(user=people["officer"]).values_list("kind", "channel")) == {
        IdeaKind.STAGE_CHANGED: "off", IdeaKind.COMMENT_ADDED: "immediate",
    }
    assert "These emails are already switched off." in client.get(url).content.decode()


def test_a_tampered_or_fixed_kind_token_is_refused(people):
    good = make_token(people["officer"].pk, IdeaKind.STAGE_CHANGED)
    for token in (good[:-2] + "xx", make_token(people["officer"].pk, IdeaKind.REVIEW_ASSIGNED), "nonsense"):
        response = Client().post(reverse("notifications:unsubscribe", args=[token]))
        assert response.status_code == 404 and "This link does not work" in response.content.decode()
    assert not Preference.objects.exists()
