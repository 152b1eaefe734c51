"""Admins see sent, pending and failed notifications and can retry the failed ones."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ideas.notices import Kind as IdeaKind
from notifications.models import EmailStatus, Notification
from notifications.services import Notice, notify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(people):
    client = Client()
    client.force_login(people["admin"])
    return client


def test_the_list_filters_by_email_status(people, admin_client, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "tests.notifications.backends.BouncingBackend"
    good, bad = UserFactory(email="good@harrow.example"), UserFactory(email="bounce@harrow.example")
    with django_capture_on_commit_callbacks(execute=True):
        notify([Notice(kind=IdeaKind.STAGE_CHANGED, recipient_id=u.pk, object_type="ideas.stagechange", object_id=1,
                       due_date=timezone.localdate(), title=f"Moved for {u.email}", url="/") for u in (good, bad)])
    url = reverse("admin:notifications_notification_changelist")
    html = admin_client.get(url, {"email_status__exact": "failed"}).content.decode()
    assert "Moved for bounce@harrow.example" in html and "Moved for good@harrow.example" not in html
    assert admin_client.get(url, {"email_status__exact": "sent"}).status_code == 200
    failed = Notification.objects.get(email_status=EmailStatus.FAILED)
    assert admin_client.get(reverse("admin:notifications_notification_change", args=[failed.pk])).status_code == 200

    # The address is corrected; the admin retries the failed one.
    bad.email = "fixed@harrow.example"
    bad.save()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    response = admin_client.post(url, {"action": "retry_failed", "_selected_action": [n.pk for n in Notification.objects.all()]},
                                 follow=True)
    assert "Tried 1 failed email(s) again: 1 sent." in response.content.decode()
    assert Notification.objects.get(pk=failed.pk).email_status == EmailStatus.SENT
    assert [m.to for m in mail.outbox[-1:]] == [["fixed@harrow.example"]]


def test_digests_keys_and_preferences_are_listed(admin_client):
    for name in ("digest", "deliverykey", "preference"):
        assert admin_client.get(reverse(f"admin:notifications_{name}_changelist")).status_code == 200


def test_admins_may_change_the_schedules(people):
    from harrow_innovation.people.roles import Role
    from tests.factories import UserFactory as Users

    admin = Users(roles=[Role.ADMIN], is_staff=True)  # not a superuser: the role's permissions alone
    client = Client()
    client.force_login(admin)
    assert client.get(reverse("admin:django_celery_beat_periodictask_changelist")).status_code == 200
    assert client.get(reverse("admin:notifications_notification_changelist")).status_code == 200
