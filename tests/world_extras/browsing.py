"""Objects the browsing URLs point at."""

from __future__ import annotations


def extend(world: dict) -> None:
    from tests.factories import transition

    # A move out of the confidential idea's stage (business case review), taken with a stale
    # expected stage by the permission matrix, so it never actually happens.
    world["browsing_confidential_move"] = transition("business-case-review", "more-information")
