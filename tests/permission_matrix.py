"""Who may open which URL: the expectations the permission-matrix test checks.

Every named URL in the project must have an entry here, or the matrix test
fails. An entry says, for each role, the status a GET (or the given method)
must return. ``LOGIN`` means "redirected to sign in".

Roles: anonymous, officer, officer_other (an officer of another department),
reviewer, secretary, board_member, admin.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

ROLES = ["anonymous", "officer", "officer_other", "reviewer", "secretary", "board_member", "admin"]
LOGIN = "login"


def everyone(status, anonymous=LOGIN):
    return {role: (anonymous if role == "anonymous" else status) for role in ROLES}


def only(allowed: set[str], ok=200, denied=403, anonymous=LOGIN):
    return {role: (anonymous if role == "anonymous" else ok if role in allowed else denied) for role in ROLES}


@dataclass
class Case:
    expect: dict[str, object]
    kwargs: Callable[[dict], dict] = field(default=lambda world: {})
    method: str = "get"
    data: Callable[[dict], dict] | None = None


PUBLIC = dict.fromkeys(ROLES, 200)

MATRIX: dict[str, Case] = {
    # Service pages
    "start": Case({**dict.fromkeys(ROLES, 302), "anonymous": 200}),
    "home": Case(everyone(200)),
    "healthz": Case(PUBLIC),
    "accessibility": Case(PUBLIC),
    "privacy": Case(PUBLIC),
    # Accounts
    "login": Case({**dict.fromkeys(ROLES, 302), "anonymous": 200}),
    "logout": Case(dict.fromkeys(ROLES, 302), method="post"),
    "password_reset": Case(PUBLIC),
    "password_reset_done": Case(PUBLIC),
    "password_reset_confirm": Case(PUBLIC, kwargs=lambda w: {"uidb64": "MQ", "token": "set-password"}),
    "password_reset_complete": Case(PUBLIC),
}

# Django admin: its own permission system guards every page behind admin:index;
# the matrix checks the index and one changelist for each role.
ADMIN_URLS: dict[str, Case] = {
    "admin:index": Case({**dict.fromkeys(ROLES, 302), "admin": 200}),
    "admin:people_user_changelist": Case({**dict.fromkeys(ROLES, 302), "admin": 200}),
}


def _load_fragments() -> None:
    """Each area keeps its expectations in tests/matrix/<area>.py as a MATRIX dict."""
    import importlib
    import pkgutil

    import tests.matrix

    for info in pkgutil.iter_modules(tests.matrix.__path__):
        module = importlib.import_module(f"tests.matrix.{info.name}")
        overlap = set(module.MATRIX) & set(MATRIX)
        assert not overlap, f"tests/matrix/{info.name}.py repeats {overlap}"
        MATRIX.update(module.MATRIX)


_load_fragments()
