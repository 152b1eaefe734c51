"""DRF permission classes: thin wrappers over portfolio.permissions."""

from __future__ import annotations

from rest_framework.permissions import BasePermission

from ..permissions import can_read_board_api, can_use_api


class ApiAccess(BasePermission):
    """Signed in (session or token) and holding a role. A service account's token without a role gets 403."""

    message = "This account has no access to the API. Ask an administrator to give it a role."

    def has_permission(self, request, view) -> bool:
        return can_use_api(request.user)


class BoardApiAccess(BasePermission):
    """Meetings and decisions: Board members, the secretary and admins."""

    message = "Only Board members, the Board secretary and admins can read meetings and decisions."

    def has_permission(self, request, view) -> bool:
        return can_read_board_api(request.user)
