"""Signing in and loading the signed-in user on each request.

What almost every page asks about the signed-in user is read in the one query
that loads them: their roles (role codes through ``people_rolegroup``, never
group names, which admins may change; on PostgreSQL) and the columns apps
register in ``REQUEST_USER_COLUMNS`` (the notifications badge, whether they
have reviews). Values are as of the start of the request. Plain SQL: built with the ORM, the same query cost
three times as much to compose as the three separate queries it replaces.
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.db import connection

from .models import User

# Column name -> an SQL expression about the user row ``u``, without parameters.
REQUEST_USER_COLUMNS: dict[str, str] = {}

_ROLE_CODES = (
    "ARRAY(SELECT rg.role FROM people_rolegroup rg JOIN people_user_groups ug ON ug.group_id = rg.group_id"
    " WHERE ug.user_id = u.id)"
)


def load_request_user(user_id) -> User | None:
    """The user with ``request_role_codes`` (PostgreSQL) and the registered columns, or None."""
    columns = dict(REQUEST_USER_COLUMNS)
    if connection.vendor == "postgresql":
        columns["request_role_codes"] = _ROLE_CODES
    extra = "".join(f", {sql} AS {name}" for name, sql in columns.items())
    sql = f"SELECT u.*{extra} FROM people_user u WHERE u.id = %s"  # noqa: S608 - constants from code; the id is a parameter
    return next(iter(User.objects.raw(sql, [int(user_id)])), None)


class AccountBackend(ModelBackend):
    """Django's email-and-password backend, loading the user with what each request asks about them."""

    def get_user(self, user_id):
        user = load_request_user(user_id)
        if user is None or not self.user_can_authenticate(user):
            return None
        return user
