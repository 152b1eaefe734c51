"""Objects the joining URLs point at: a pending request to join, and a link from the confidential idea."""

from __future__ import annotations


def extend(world: dict) -> None:
    from ideas import services
    from ideas.models import LinkKind

    people = world["people"]
    world["join_request"] = services.join_request_create(
        idea_id=world["submitted"].pk, by=people["officer_other"], message="Housing is trying this too."
    )
    world["confidential_link"] = services.idea_link_add(
        idea_id=world["confidential"].pk, other_id=world["submitted"].pk, kind=LinkKind.RELATED, by=people["officer"]
    )
