"""The capacity view with 200 teams × 8 quarters, on top of the 20,000 ideas the other benchmarks made.

Teams are topped up to 200 across the departments, each with a capacity declared for the
eight quarters shown; about 3,000 approved, in-delivery and ready-for-Board ideas ask 1 to 3
teams for days in 1 to 4 of those quarters. Prints, for a Board member through the whole
middleware stack: the query count with 20 teams and with 200 (it must not change), and the
median server time against the bare list view the ideas benchmark uses, measured in this run.
"""

from __future__ import annotations

import io
import random
import time
from decimal import Decimal

from django.core.management import call_command
from django.test import Client
from django.test.utils import override_settings
from django.urls import include, path

from benchmarks.bench_ideas import BASELINE, bare_list
from benchmarks.harness import page_medians, page_queries, report

IDEAS = 20_000
TEAMS = 200
FEW_TEAMS = 20
ASKING_IDEAS = 3_000
ROUNDS = 15

urlpatterns = [
    path("bench/bare-list/", bare_list),
    path("", include("harrow_innovation.urls")),
]


def _teams(count: int, quarters, rng) -> None:
    from harrow_innovation.people.models import Department, Team, TeamCapacity

    departments = list(Department.objects.order_by("pk"))
    start = Team.objects.count()
    teams = Team.objects.bulk_create(
        Team(department=departments[n % len(departments)], name=f"Benchmark team {n + 1}") for n in range(start, count)
    )
    TeamCapacity.objects.bulk_create(
        TeamCapacity(team=team, quarter=quarter, days=Decimal(rng.randrange(10, 60)))
        for team in teams for quarter in quarters
    )


def _asks(quarters, rng) -> None:
    from harrow_innovation.people.models import Team
    from ideas.models import Idea, ResourceAsk, ResourceAskQuarter

    team_ids = list(Team.objects.values_list("pk", flat=True))
    slugs = ["approved", "approved-with-conditions", "in-delivery", "ready-for-board"]
    idea_ids = list(Idea.objects.filter(stage__slug__in=slugs).values_list("pk", flat=True)[:ASKING_IDEAS])
    asks = ResourceAsk.objects.bulk_create(
        ResourceAsk(idea_id=pk, team_id=team, note="Benchmark ask")
        for pk in idea_ids for team in rng.sample(team_ids, k=rng.randint(1, 3))
    )
    ResourceAskQuarter.objects.bulk_create(
        ResourceAskQuarter(ask=ask, quarter=quarter, days=Decimal(rng.randrange(1, 20)))
        for ask in asks for quarter in rng.sample(quarters, k=rng.randint(1, 4))
    )


def run() -> None:
    from harrow_innovation.people.models import User
    from harrow_innovation.people.roles import Role, role_group, sync_role_groups
    from ideas.capacity import quarters_from
    from ideas.models import Idea

    missing = IDEAS - Idea.objects.count()
    if missing > 0:
        started = time.perf_counter()
        call_command("seed_bulk", ideas=missing, seed=707, stdout=io.StringIO())
        report(f"seed_bulk {missing} ideas", time.perf_counter() - started, "s")
    rng = random.Random(707)
    quarters = quarters_from()
    sync_role_groups()
    member, _ = User.objects.get_or_create(email="bench.board@harrow.example", defaults={"full_name": "Bench Board"})
    member.groups.add(role_group(Role.BOARD_MEMBER))
    client = Client()
    client.force_login(member)
    url = "/portfolio/capacity/"
    with override_settings(ROOT_URLCONF=__name__):
        _teams(FEW_TEAMS, quarters, rng)
        _asks(quarters, rng)
        few = page_queries(client, url)
        _teams(TEAMS, quarters, rng)
        _asks(quarters, rng)
        report(f"capacity view queries ({FEW_TEAMS} teams x {len(quarters)} quarters)", few, "queries")
        report(f"capacity view queries ({TEAMS} teams x {len(quarters)} quarters)", page_queries(client, url), "queries")
        medians = page_medians({BASELINE: (client, "/bench/bare-list/"), "capacity view": (client, url)}, rounds=ROUNDS)
        baseline = medians[BASELINE] * 1000
        report(f"{BASELINE} median server time (capacity run)", baseline, "ms")
        report(f"capacity view ({TEAMS} teams x {len(quarters)} quarters) median server time",
               medians["capacity view"] * 1000, "ms", baseline=baseline, baseline_name=BASELINE)
