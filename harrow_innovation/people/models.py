from __future__ import annotations

from functools import cached_property

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, Group, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower, Trim
from django.utils import timezone

from harrow_innovation.core.quarters import validate_days
from harrow_innovation.core.text import OneLineValidator

from .emails import normalise_email
from .roles import Role


class Department(models.Model):
    name = models.CharField(max_length=120, unique=True, validators=[OneLineValidator("The name")])
    slug = models.SlugField(max_length=120, unique=True)
    is_active = models.BooleanField(default=True)
    data_contacts = models.ManyToManyField(
        "User", blank=True, related_name="data_contact_for",
        help_text="People told when an idea they may see would produce data this department values.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RoleGroup(models.Model):
    """Which Django group carries which role.

    Code recognises a role by ``role`` (the stable code), never by the group's
    name: admins may rename a group ("Board secretary" to "Innovation Board
    secretariat") without taking anyone's powers away. Created by migration and
    by ``roles.sync_role_groups``.
    """

    role = models.CharField(max_length=20, choices=Role.choices, primary_key=True)
    group = models.OneToOneField(Group, on_delete=models.PROTECT, related_name="role_group")

    class Meta:
        ordering = ["role"]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.group_id}"


# Honorifics and offices that stand before a name: never a name to greet someone by.
TITLES = frozenset({
    "cllr", "councillor", "alderman", "dr", "doctor", "mr", "mrs", "ms", "mx", "miss", "master", "prof",
    "professor", "sir", "dame", "lord", "lady", "baron", "baroness", "rev", "revd", "reverend", "rt", "hon",
    "right", "honourable", "the", "father", "canon", "rabbi", "imam", "sister", "brother",
})


def name_without_titles(full_name: str) -> str:
    """The first word of a full name that is not a title ("Cllr Dr Bea Board" → "Bea"); "" if there is none."""
    for word in (full_name or "").split():
        if word.strip(".,").lower() not in TITLES:
            return word.strip(",")
    return ""


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)

    @classmethod
    def normalize_email(cls, email: str | None) -> str:
        return normalise_email(email)

    def get_by_natural_key(self, username: str):
        return self.get(email=normalise_email(username))


class User(AbstractBaseUser, PermissionsMixin):
    """A member of staff. Signs in with their email address."""

    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=150, validators=[OneLineValidator("The full name")])
    known_as = models.CharField(
        "known as", max_length=60, blank=True, validators=[OneLineValidator("The known-as name")],
        help_text="The name used to greet them, for example “Bea”. Leave blank to use the first name in their full name.",
    )
    job_title = models.CharField(max_length=150, blank=True, validators=[OneLineValidator("The job title")])
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(
        "staff status", default=False, help_text="Can sign in to Django admin."
    )
    date_joined = models.DateTimeField(default=timezone.now)
    # The identity provider's immutable id for this person (Entra's ``oid``, else ``sub``),
    # stored at the first single sign-on. Later sign-ins find the account by it, never by
    # the email claim, which the directory can change and reassign.
    sso_id = models.CharField("single sign-on ID", max_length=255, unique=True, null=True, blank=True, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="people_user_email_ci_unique"),
            # Every path that writes an address (forms, admin, SSO, bulk updates) ends in one spelling.
            models.CheckConstraint(
                condition=models.Q(email=Lower(Trim("email"))),
                name="people_user_email_normal_form",
                violation_error_message="Enter the email address in lower case without spaces.",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self):
        super().clean()
        self.email = normalise_email(self.email)

    def save(self, *args, **kwargs):
        self.email = normalise_email(self.email)
        super().save(*args, **kwargs)

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.known_name

    @property
    def known_name(self) -> str:
        """The name to greet them by: their "known as" name, else the first word of their name after any titles."""
        return self.known_as.strip() or name_without_titles(self.full_name) or self.email

    @cached_property
    def role_names(self) -> frozenset[str]:
        """The roles this user holds, read once per request."""
        codes = getattr(self, "request_role_codes", None)  # read with the user by people.backends
        if codes is None:
            codes = self.groups.filter(role_group__isnull=False).values_list("role_group__role", flat=True)
        names = set(codes) & set(Role.values)
        if self.is_superuser:
            names.add(Role.ADMIN.value)
        return frozenset(names)

    def has_role(self, role: Role | str) -> bool:
        return self.is_active and str(role) in self.role_names


class PasswordResetRequest(models.Model):
    """A password-reset email asked for and accepted: what the per-address and per-client limits count.

    Kept whether or not an account has the address, so the limits (and the time a
    request takes) say nothing about which addresses have accounts.
    """

    email = models.EmailField()  # the normal form (people.emails)
    client_ip = models.GenericIPAddressField(null=True, blank=True)
    requested_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["email", "requested_at"], name="people_reset_email_idx"),
            models.Index(fields=["client_ip", "requested_at"], name="people_reset_client_idx"),
            models.Index(fields=["requested_at"], name="people_reset_time_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.email} at {self.requested_at:%Y-%m-%d %H:%M}"


class Team(models.Model):
    """A team within a department that gives staff time to ideas, such as “IT integration”. Admin-managed."""

    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=120, validators=[OneLineValidator("The name")])
    manager = models.ForeignKey(
        "people.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="teams_managed",
        help_text="Declares the days a quarter the team can give to innovation (admins can too).",
    )
    is_active = models.BooleanField(default=True, help_text="Only active teams can be asked for time.")

    class Meta:
        ordering = ["department__name", "name"]
        constraints = [models.UniqueConstraint(fields=["department", "name"], name="team_unique_name_in_department")]

    def __str__(self) -> str:
        return f"{self.name} ({self.department.name})"


class TeamCapacity(models.Model):
    """The working days a team can give to innovation in one quarter (stored as the quarter's first day)."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="capacities")
    quarter = models.DateField(help_text="The first day of the quarter: 1 January, 1 April, 1 July or 1 October.")
    days = models.DecimalField(max_digits=4, decimal_places=1, validators=[validate_days])
    updated_by = models.ForeignKey("people.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["team", "quarter"]
        verbose_name_plural = "team capacities"
        constraints = [
            models.UniqueConstraint(fields=["team", "quarter"], name="team_capacity_one_per_quarter"),
            models.CheckConstraint(condition=models.Q(days__gte=0, days__lte=65), name="team_capacity_days_in_range"),
            models.CheckConstraint(condition=models.Q(quarter__day=1, quarter__month__in=[1, 4, 7, 10]),
                                   name="team_capacity_quarter_start"),
        ]

    def __str__(self) -> str:
        return f"{self.team.name}, {self.quarter:%Y-%m}: {self.days} days"
