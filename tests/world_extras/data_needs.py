"""An idea of the officer's that depends on another department's data platform."""

from __future__ import annotations


def extend(world: dict) -> None:
    from ideas.models import DataDependency, DataOutput
    from tests.factories import make_idea

    people = world["people"]
    platform = make_idea(people["officer_other"], at="triage", title="Cross-department data platform")
    output = DataOutput.objects.create(idea=platform, description="Resident records joined across services")
    needing = make_idea(people["officer"], at="triage", title="Falls prevention that needs the platform")
    api_needing = make_idea(people["officer"], at="triage", title="Another idea that needs the platform")
    world.update(
        data_need_api=DataDependency.objects.create(idea=api_needing, output=output, need="Ward totals",
                                                    added_by=people["officer"]),
        data_platform=platform,
        data_needing=needing,
        data_need=DataDependency.objects.create(idea=needing, output=output, need="Addresses of frail residents",
                                                added_by=people["officer"]),
    )
