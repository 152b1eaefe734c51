"""Single sign-on with Microsoft Entra ID (OpenID Connect), read from the environment.

Off unless ``OIDC_RP_CLIENT_ID`` is set. The endpoints follow Entra's layout
under one authority (``https://login.microsoftonline.com/<tenant>`` unless
``OIDC_AUTHORITY`` names another, e.g. a national cloud or the tests' own
provider on 127.0.0.1), so one variable moves them all. A function rather than
module-level code so tests can build the same settings from an environment
they choose.
"""

from __future__ import annotations

from harrow_innovation.config import get_bool, get_int, get_str

ENTRA_BACKEND = "harrow_innovation.people.oidc.EntraBackend"


def sso_settings(backends: list[str]) -> dict:
    """The settings SSO adds, given the authentication backends without it."""
    client_id = get_str("OIDC_RP_CLIENT_ID")
    if not client_id:
        return {"OIDC_ENABLED": False}
    tenant = get_str("OIDC_ENTRA_TENANT_ID", required=True)
    authority = get_str("OIDC_AUTHORITY", f"https://login.microsoftonline.com/{tenant}").rstrip("/")
    return {
        "OIDC_ENABLED": True,
        "OIDC_RP_CLIENT_ID": client_id,
        "OIDC_RP_CLIENT_SECRET": get_str("OIDC_RP_CLIENT_SECRET", required=True),
        "OIDC_ENTRA_TENANT_ID": tenant,
        "OIDC_OP_ISSUER": f"{authority}/v2.0",
        "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{authority}/oauth2/v2.0/authorize",
        "OIDC_OP_TOKEN_ENDPOINT": f"{authority}/oauth2/v2.0/token",
        "OIDC_OP_JWKS_ENDPOINT": f"{authority}/discovery/v2.0/keys",
        # mozilla-django-oidc insists on a userinfo endpoint; the backend never calls it
        # because every claim it needs (oid, tid, email, name) is in the signed ID token.
        "OIDC_OP_USER_ENDPOINT": "https://graph.microsoft.com/oidc/userinfo",
        "OIDC_RP_SIGN_ALGO": "RS256",
        "OIDC_RP_SCOPES": "openid email profile",
        "OIDC_USE_PKCE": True,
        "OIDC_TIMEOUT": get_int("OIDC_TIMEOUT_SECONDS", 10),
        "OIDC_CREATE_USER": get_bool("OIDC_CREATE_USER", True),
        "OIDC_ALLOW_GUESTS": get_bool("OIDC_ALLOW_GUESTS", False),
        "LOGIN_REDIRECT_URL_FAILURE": "login",
        "AUTHENTICATION_BACKENDS": [*backends, ENTRA_BACKEND],
        "AXES_WHITELIST_CALLABLE": "harrow_innovation.people.oidc.is_single_sign_on_attempt",
    }
