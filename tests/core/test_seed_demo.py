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


def test_seed_demo_refuses_under_production_settings_and_creates_nothing(settings):
    from django.core.management.base import CommandError

    settings.IS_PRODUCTION = True
    with pytest.raises(CommandError, match="refuses to run under production settings.*--i-know-this-creates-published-passwords"):
        call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert not User.objects.exists()
    assert not Department.objects.exists()


def test_seed_demo_runs_under_production_settings_when_the_operator_names_the_risk(settings):
    settings.IS_PRODUCTION = True
    call_command("seed_demo", "--i-know-this-creates-published-passwords", stdout=open("/dev/null", "w"))
    admin = User.objects.get(email="admin@harrow.example")
    # The demo Admin is the role as a council gives it: staff, not a superuser (10.5).
    assert admin.has_role(Role.ADMIN) and admin.is_staff and not admin.is_superuser


def test_the_real_settings_modules_say_which_is_production():
    # The in-process tests above flip the setting; these prove the modules set it, so
    # `make run` (local settings) seeds and `manage.py seed_demo` on a live server refuses.
    from tests.core.test_settings import PRODUCTION, manage

    refused = manage("seed_demo", **PRODUCTION)
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "seed_demo refuses to run under production settings" in refused.stderr
    assert "Demo data ready" not in refused.stdout
    local = manage("shell", "-c", "from django.conf import settings as s; print('RESULT', s.IS_PRODUCTION, s.DEBUG)",
                   DJANGO_SETTINGS_MODULE="harrow_innovation.settings.local")
    assert local.returncode == 0, local.stderr
    assert "RESULT False True" in local.stdout
