from __future__ import annotations

from functools import cached_property

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from .roles import Role


class Department(models.Model):
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


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
        user = self.model(email=self.normalize_email(email).lower(), **extra)
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

    def get_by_natural_key(self, username: str):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A member of staff. Signs in with their email address."""

    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=150)
    known_as = models.CharField(
        "known as", max_length=60, blank=True,
        help_text="The name used to greet them, for example “Bea”. Leave blank to use the first name in their full name.",
    )
    job_title = models.CharField(max_length=150, blank=True)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(
        "staff status", default=False, help_text="Can sign in to Django admin."
    )
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="people_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def save(self, *args, **kwargs):
        self.email = self.email.lower()
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
        labels = {role.label: role.value for role in Role}
        groups = getattr(self, "request_group_names", None)  # read with the user by people.backends
        if groups is None:
            groups = self.groups.values_list("name", flat=True)
        names = {labels[g] for g in groups if g in labels}
        if self.is_superuser:
            names.add(Role.ADMIN.value)
        return frozenset(names)

    def has_role(self, role: Role | str) -> bool:
        return self.is_active and str(role) in self.role_names
