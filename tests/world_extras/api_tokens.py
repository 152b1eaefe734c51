"""Objects the API token URLs point at: ``api_token``, the officer's working token."""

from __future__ import annotations


def extend(world: dict) -> None:
    from portfolio.api.tokens import api_token_create

    officer = world["people"]["officer"]
    world["api_token"] = api_token_create(user=officer, name="Officer's report", by=officer)
