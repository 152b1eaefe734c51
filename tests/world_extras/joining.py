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
    # A duplicate the secretary merged into another idea (both open to every signed-in reader).
    from tests.factories import make_idea

    duplicate = make_idea(people["officer_other"], at="triage", title="A duplicate that was merged")
    carries_on = make_idea(people["officer_other"], at="triage", title="The idea the duplicate was merged into")
    world["idea_merge"] = services.idea_merge(
        merged_id=duplicate.pk, survivor_id=carries_on.pk, by=people["secretary"], reason="The same idea twice."
    )
