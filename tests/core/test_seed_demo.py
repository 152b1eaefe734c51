import pytest
from django.core.management import call_command

from harrow_innovation.people.models import Department, User
from harrow_innovation.people.roles import Role

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_and_creates_one_user_per_role():
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    counts = (Department.objects.count(), User.objects.count())
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert (Department.objects.count(), User.objects.count()) == counts
    names = set(Department.objects.values_list("name", flat=True))
    assert {"Adult Social Care", "Children's Services", "Environment", "Housing", "Resources and Finance", "Corporate", "Community"} <= names
    expected = {
        "officer@harrow.example": Role.OFFICER,
        "reviewer@harrow.example": Role.REVIEWER,
        "secretary@harrow.example": Role.SECRETARY,
        "board@harrow.example": Role.BOARD_MEMBER,
        "admin@harrow.example": Role.ADMIN,
    }
    for email, role in expected.items():
        user = User.objects.get(email=email)
        assert user.has_role(role), email
        assert user.check_password("innovate-harrow")
