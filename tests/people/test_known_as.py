"""People are greeted by the name they are known by, never by a title ("Hello, Cllr")."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from harrow_innovation.people.models import User, name_without_titles
from harrow_innovation.people.roles import Role
from ideas.notices import Kind as IdeaKind
from notifications import delivery
from notifications.services import Notice, notify
from tests.factories import UserFactory


@pytest.mark.parametrize(("full_name", "expected"), [
    ("Cllr Bea Board", "Bea"),
    ("Cllr. Dr Amir Khan", "Amir"),
    ("Councillor Joan Marsh", "Joan"),
    ("Dr. Helen Wu", "Helen"),
    ("Mr Tom Okafor", "Tom"),
    ("Mrs Grace Lee", "Grace"),
    ("Ms Priya Shah", "Priya"),
    ("Miss Ada Lovelace", "Ada"),
    ("Prof Sam Patel", "Sam"),
    ("Sir Olu Adeyemi", "Olu"),
    ("Dame Nadia Hussain", "Nadia"),
    ("Lord Ben Clarke", "Ben"),
    ("Lady Marta Nowak", "Marta"),
    ("The Rev Liam Byrne", "Liam"),
    ("The Rt Hon Aisha Rahman", "Aisha"),
    ("CLLR  DAVID ASHTON", "DAVID"),
    ("Priya Shah", "Priya"),
    ("Cllr", ""),
    ("", ""),
])
def test_a_name_without_its_titles(full_name, expected):
    assert name_without_titles(full_name) == expected


@pytest.mark.django_db
def test_the_known_as_name_comes_first_then_the_name_after_titles_then_the_email():
    assert UserFactory(full_name="Cllr Beatrice Board", known_as=" Bea ").known_name == "Bea"
    assert UserFactory(full_name="Cllr Beatrice Board").known_name == "Beatrice"
    titled_only = UserFactory(full_name="Cllr", email="member@harrow.example")
    assert titled_only.known_name == "member@harrow.example"
    assert titled_only.get_short_name() == titled_only.known_name


@pytest.mark.django_db
def test_the_home_page_greets_a_councillor_by_name():
    client = Client()
    client.force_login(UserFactory(full_name="Cllr Bea Board", roles=[Role.BOARD_MEMBER]))
    html = client.get(reverse("home")).content.decode()
    assert "Hello, Bea</h1>" in html and "Hello, Cllr" not in html
    chosen = UserFactory(full_name="Cllr Beatrice Board", known_as="Trixie", roles=[Role.BOARD_MEMBER])
    client.force_login(chosen)
    assert "Hello, Trixie</h1>" in client.get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_emails_greet_by_the_known_name():
    member = UserFactory(full_name="Cllr Bea Board")
    chosen = UserFactory(full_name="Dr Amir Khan", known_as="Am")
    for person in (member, chosen):
        ids = notify([Notice(kind=IdeaKind.STAGE_CHANGED, recipient_id=person.pk, object_type="ideas.idea", object_id=1,
                             due_date=timezone.localdate(), title="An idea moved", url="/ideas/1/", body="Moved.")],
                     send=False)
        delivery.send_notification_emails(ids)
    by_address = {m.to[0]: m for m in mail.outbox}
    assert by_address[member.email].body.startswith("Hello Bea,")
    assert "<p>Hello Bea,</p>" in by_address[member.email].alternatives[0].content
    assert by_address[chosen.email].body.startswith("Hello Am,")
    notify([Notice(kind=IdeaKind.COMMENT_ADDED, recipient_id=member.pk, object_type="ideas.comment", object_id=7,
                   due_date=timezone.localdate(), title="A comment", url="/ideas/1/", body="Good.")], send=False)
    mail.outbox.clear()
    delivery.digest_run()
    [digest] = mail.outbox
    assert digest.body.startswith("Hello Bea,")


@pytest.mark.django_db
def test_the_password_reset_email_greets_by_the_known_name(client, django_capture_on_commit_callbacks):
    UserFactory(email="cllr@harrow.example", full_name="Cllr Bea Board")
    with django_capture_on_commit_callbacks(execute=True):  # the email is sent by a task after commit
        client.post(reverse("password_reset"), {"email": "cllr@harrow.example"})
    [message] = mail.outbox
    assert message.body.startswith("Hello Bea,")


@pytest.mark.django_db
def test_an_admin_sets_the_known_as_name(people):
    member = people["board_member"]
    client = Client()
    client.force_login(people["admin"])
    url = reverse("admin:people_user_change", args=[member.pk])
    form = client.get(url).content.decode()
    assert 'name="known_as"' in form
    data = {
        "email": member.email, "full_name": member.full_name, "known_as": "Beatrix", "job_title": "",
        "department": member.department_id or "", "is_active": "on", "groups": list(member.groups.values_list("pk", flat=True)),
        "last_login_0": "", "last_login_1": "", "date_joined_0": "2026-01-01", "date_joined_1": "09:00:00",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    member.refresh_from_db()
    assert member.known_as == "Beatrix" and member.known_name == "Beatrix"


@pytest.mark.django_db
def test_seed_demo_gives_councillors_the_name_they_go_by():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    councillors = User.objects.filter(full_name__startswith="Cllr ")
    assert councillors.count() >= 3
    for councillor in councillors:
        assert councillor.known_as and councillor.known_as == councillor.full_name.split()[1], councillor.full_name
    assert User.objects.get(email="board@harrow.example").known_name == "David"
