"""Single sign-on: routed always, not found while SSO is off (as in tests; tests/people/test_sso.py turns it on)."""

from tests.permission_matrix import ROLES, Case

MATRIX = {
    "oidc_authentication_init": Case(dict.fromkeys(ROLES, 404)),
    "oidc_authentication_callback": Case(dict.fromkeys(ROLES, 404)),
}
