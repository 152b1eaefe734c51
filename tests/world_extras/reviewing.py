"""Objects the reviewing URLs point at."""

from __future__ import annotations


def extend(world: dict) -> None:
    from ideas.models import Review

    people = world["people"]
    # A review waiting on a non-confidential idea, for the "cancel a review" URL.
    world["reviewing_open_review"] = Review.objects.create(
        idea=world["submitted"], stage=world["submitted"].stage, reviewer=people["reviewer"], assigned_by=people["secretary"]
    )
