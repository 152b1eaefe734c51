"""Single sign-on with Microsoft Entra ID (only loaded when OIDC_RP_CLIENT_ID is set)."""

from __future__ import annotations

from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from .backends import load_request_user
from .roles import Role, role_group


class EntraBackend(OIDCAuthenticationBackend):
    """Match staff by email; new staff start as officers until an admin grants more."""

    def get_user(self, user_id):
        return load_request_user(user_id)  # with roles and the badge, in one query

    def filter_users_by_claims(self, claims):
        email = (claims.get("email") or claims.get("preferred_username") or "").lower()
        if not email:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(email__iexact=email, is_active=True)

    def create_user(self, claims):
        email = (claims.get("email") or claims.get("preferred_username") or "").lower()
        user = self.UserModel.objects.create_user(email, None, full_name=claims.get("name", email))
        user.set_unusable_password()
        user.save(update_fields=["password"])
        user.groups.add(role_group(Role.OFFICER))
        return user

    def update_user(self, user, claims):
        name = claims.get("name")
        if name and name != user.full_name:
            user.full_name = name
            user.save(update_fields=["full_name"])
        return user
