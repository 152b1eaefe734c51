"""Password reset: a link that works, sent by a task, limited per address and per client, and a page
that says the same whether the account exists and whether the request was one too many."""

import pytest
from django.core import mail
from django.urls import reverse

from harrow_innovation.core.models import OutboxTask
from harrow_innovation.people.models import PasswordResetRequest
from harrow_innovation.people.password_reset import password_reset_send
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.1"


def ask(client, email, *, forwarded="198.51.100.7"):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)


@pytest.fixture(autouse=True)
def behind_the_proxy(settings):
    settings.CLIENT_PROXY_COUNT = 1
    settings.SITE_URL = "https://innovation.harrow.example"


def test_password_reset_sends_a_link_that_works(client, django_capture_on_commit_callbacks):
    user = UserFactory(email="forgetful@harrow.example")
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client, " Forgetful@Harrow.example ")
    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["forgetful@harrow.example"]
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/password-reset/" in line)
    assert link.startswith("https://innovation.harrow.example/accounts/password-reset/")
    response = client.get(link.split("innovation.harrow.example", 1)[1], follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": "a-brand-new-passphrase", "new_password2": "a-brand-new-passphrase"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-brand-new-passphrase")


def test_the_email_is_sent_by_a_task_after_commit_not_by_the_request(client, django_capture_on_commit_callbacks):
    UserFactory(email="forgetful@harrow.example")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ask(client, "forgetful@harrow.example")
    assert mail.outbox == []  # nothing sent while the request runs
    assert len(callbacks) == 1
    task = OutboxTask.objects.get()
    assert task.task_name == "people.send_password_reset"
    assert task.args == [PasswordResetRequest.objects.get().pk]  # an id, never the address or a token


def test_running_the_task_twice_sends_one_email(django_capture_on_commit_callbacks):
    UserFactory(email="forgetful@harrow.example")
    row = PasswordResetRequest.objects.create(email="forgetful@harrow.example")
    assert password_reset_send(request_id=row.pk) is True
    assert password_reset_send(request_id=row.pk) is False
    assert len(mail.outbox) == 1


def test_an_unknown_address_gets_the_same_page_and_the_same_work_and_no_email(client, django_capture_on_commit_callbacks):
    UserFactory(email="someone@harrow.example")
    with django_capture_on_commit_callbacks(execute=True):
        known = ask(client, "someone@harrow.example", forwarded="198.51.100.1")
        unknown = ask(client, "nobody@harrow.example", forwarded="198.51.100.2")
    assert (known.status_code, known.url) == (unknown.status_code, unknown.url)
    assert OutboxTask.objects.count() == 2  # queued either way: the request's timing reveals nothing
    assert [m.to for m in mail.outbox] == [["someone@harrow.example"]]


def test_one_address_gets_a_few_emails_an_hour_whatever_the_spelling(client, settings, django_capture_on_commit_callbacks):
    UserFactory(email="target@harrow.example")
    spellings = ["target@harrow.example", "Target@harrow.example", "TARGET@HARROW.EXAMPLE", " target@Harrow.example"]
    responses = []
    with django_capture_on_commit_callbacks(execute=True):
        for n, spelling in enumerate(spellings + spellings):
            responses.append(ask(client, spelling, forwarded=f"203.0.113.{n}"))
    assert {(r.status_code, r.url) for r in responses} == {(302, reverse("password_reset_done"))}
    assert len(mail.outbox) == settings.PASSWORD_RESET_PER_EMAIL_PER_HOUR
    assert PasswordResetRequest.objects.count() == settings.PASSWORD_RESET_PER_EMAIL_PER_HOUR


def test_one_client_cannot_spray_reset_emails_across_many_addresses(client, settings, django_capture_on_commit_callbacks):
    settings.PASSWORD_RESET_PER_CLIENT_PER_HOUR = 3
    for n in range(5):
        UserFactory(email=f"member{n}@harrow.example")
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(5):
            assert ask(client, f"member{n}@harrow.example", forwarded="203.0.113.66").url == reverse("password_reset_done")
        # Another client behind the same proxy is not held back by the first.
        ask(client, "member4@harrow.example", forwarded="198.51.100.7")
    assert [m.to[0] for m in mail.outbox] == [
        "member0@harrow.example", "member1@harrow.example", "member2@harrow.example", "member4@harrow.example",
    ]


def test_old_requests_stop_counting_and_are_pruned(client, settings, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    UserFactory(email="target@harrow.example")
    long_ago = timezone.now() - timedelta(hours=2)
    for _ in range(settings.PASSWORD_RESET_PER_EMAIL_PER_HOUR):
        PasswordResetRequest.objects.create(email="target@harrow.example", requested_at=long_ago)
    PasswordResetRequest.objects.create(email="gone@harrow.example", requested_at=timezone.now() - timedelta(days=2))
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, "target@harrow.example")
    assert len(mail.outbox) == 1
    assert not PasswordResetRequest.objects.filter(email="gone@harrow.example").exists()


def test_a_bad_address_keeps_what_was_typed_and_stores_nothing(client):
    response = ask(client, "not an email")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter an email address in the correct format" in html
    assert 'value="not an email"' in html
    assert not PasswordResetRequest.objects.exists() and not OutboxTask.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_requests_at_once_for_one_address_count_each_other(settings):
    """The second waits for the first to commit, then sees its row: the limit holds under concurrency."""
    import threading

    from django.db import connection, transaction

    from harrow_innovation.people.password_reset import password_reset_request

    settings.PASSWORD_RESET_PER_EMAIL_PER_HOUR = 1
    first_inside, release_first = threading.Event(), threading.Event()
    results = {}

    def first():
        try:
            with transaction.atomic():
                results["first"] = password_reset_request(email="target@harrow.example", client_ip="203.0.113.1")
                first_inside.set()
                release_first.wait(10)
        finally:
            connection.close()

    def second():
        try:
            results["second"] = password_reset_request(email="TARGET@harrow.example", client_ip="198.51.100.2")
        finally:
            connection.close()

    one = threading.Thread(target=first)
    one.start()
    assert first_inside.wait(10)
    two = threading.Thread(target=second)
    two.start()
    two.join(1.0)
    assert two.is_alive()  # waiting for the first request's transaction
    release_first.set()
    one.join(10)
    two.join(10)
    assert results["first"] is not None
    assert results["second"] is None
    assert PasswordResetRequest.objects.count() == 1
