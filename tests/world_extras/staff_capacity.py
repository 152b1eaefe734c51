"""Objects for staff capacity: a team the officer manages (``capacity_team``), another team nobody in the
world manages (``capacity_other_team``), and one ask for time and one partner on the drafting draft
(``capacity_ask``, ``capacity_partner``)."""

from __future__ import annotations

from decimal import Decimal


def extend(world: dict) -> None:
    from harrow_innovation.people.models import Team
    from ideas.models import ExternalResource, ResourceAsk

    officer = world["people"]["officer"]
    team = Team.objects.create(department=officer.department, name="IT integration", manager=officer)
    other_team = Team.objects.create(department=world["people"]["officer_other"].department,
                                     name="Adult Social Care practice")
    draft = world["drafting_draft"]
    world.update(
        capacity_team=team,
        capacity_other_team=other_team,
        capacity_ask=ResourceAsk.objects.create(idea=draft, team=team, note="A business analyst"),
        capacity_partner=ExternalResource.objects.create(idea=draft, name="A university partner", cost=Decimal("5000")),
    )
