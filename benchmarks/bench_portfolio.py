"""The portfolio at council scale and beyond: 20,000 ideas, 30 central systems, 2,000 data outputs.

Ideas come from `seed_bulk` (topped up to 20,000 if an earlier benchmark made
fewer); central systems are topped up to 30 with links to ideas; data outputs
are trimmed or topped up to 2,000. Prints, for a Board member through the whole
middleware stack: the median server time and the query count of every
dashboard, register and API list page; the time to stream the CSV of all ideas;
and the peak memory of that stream against a 2,000-idea export (same code path,
a submitted-date filter that keeps the first 2,000 ideas), which must not grow
more than 20%.
"""

from __future__ import annotations

import io
import random
import time
import tracemalloc
from decimal import Decimal

from django.core.management import call_command
from django.db import connection
from django.test import Client

from benchmarks.harness import page_medians, page_queries, report

IDEAS = 20_000
SMALL = 2_000
SYSTEMS = 30
OUTPUTS = 2_000
ROUNDS = 12


def _prepare() -> None:
    from ideas.models import CentralSystem, DataOutput, Idea, IdeaCentralSystem

    missing = IDEAS - Idea.objects.count()
    if missing > 0:
        started = time.perf_counter()
        call_command("seed_bulk", ideas=missing, seed=606, stdout=io.StringIO())
        report(f"seed_bulk {missing} ideas", time.perf_counter() - started, "s")
    rng = random.Random(606)
    idea_ids = list(Idea.objects.values_list("pk", flat=True))
    for n in range(CentralSystem.objects.count(), SYSTEMS):
        system = CentralSystem.objects.create(name=f"Benchmark system {n + 1}", slug=f"benchmark-system-{n + 1}")
        IdeaCentralSystem.objects.bulk_create([
            IdeaCentralSystem(idea_id=pk, system=system, integration_cost=Decimal(rng.randrange(1000, 50000, 500)))
            for pk in rng.sample(idea_ids, k=len(idea_ids) // 20)
        ])
    with connection.cursor() as cursor:
        # Keep the ideas' integration-cost totals true to their links, as the services do.
        cursor.execute(
            "UPDATE ideas_idea SET integration_cost = COALESCE("
            "(SELECT SUM(l.integration_cost) FROM ideas_ideacentralsystem l WHERE l.idea_id = ideas_idea.id), 0)"
        )
        outputs = DataOutput.objects.count()
        if outputs > OUTPUTS:
            # A throwaway benchmark database: trim straight in SQL, keeping outputs spread over all ideas.
            keep = "SELECT id FROM ideas_dataoutput ORDER BY md5(id::text) LIMIT %s"
            cursor.execute(f"DELETE FROM ideas_dataoutput_valued_by WHERE dataoutput_id NOT IN ({keep})", [OUTPUTS])  # noqa: S608
            cursor.execute(f"DELETE FROM ideas_dataoutput WHERE id NOT IN ({keep})", [OUTPUTS])  # noqa: S608
    if DataOutput.objects.count() < OUTPUTS:
        from harrow_innovation.people.models import Department

        departments = list(Department.objects.all())
        made = DataOutput.objects.bulk_create([
            DataOutput(idea_id=rng.choice(idea_ids), description=f"Benchmark data set {n}")
            for n in range(OUTPUTS - DataOutput.objects.count())
        ])
        DataOutput.valued_by.through.objects.bulk_create([
            DataOutput.valued_by.through(dataoutput_id=o.pk, department_id=d.pk)
            for o in made for d in rng.sample(departments, k=min(2, len(departments)))
        ])
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def _board_member():

    from harrow_innovation.people.models import User
    from harrow_innovation.people.roles import Role, role_group, sync_role_groups

    sync_role_groups()
    user, _ = User.objects.get_or_create(email="bench.board@harrow.example", defaults={"full_name": "Bench Board"})
    user.groups.add(role_group(Role.BOARD_MEMBER))
    from portfolio.api.tokens import api_token_create

    return user, api_token_create(user=user, name="Benchmarks", by=user).secret


def _meetings(secretary_id: int) -> None:
    """A year of meetings with decisions on approved ideas, if earlier benchmarks made none."""
    from datetime import timedelta

    from django.utils import timezone

    from board.models import AgendaItem, Board, Decision, Meeting
    from ideas.models import Idea

    if Decision.objects.exists():
        return
    board, _ = Board.objects.get_or_create(name="Innovation Board")
    approved = list(Idea.objects.filter(stage__slug__in=["approved", "in-delivery"]).select_related("stage")[:240])
    for month in range(12):
        meeting = Meeting.objects.create(board=board, starts_at=timezone.now() - timedelta(days=30 * month),
                                         status="held", created_by_id=secretary_id)
        for order, idea in enumerate(approved[month * 20:(month + 1) * 20]):
            item = AgendaItem.objects.create(meeting=meeting, order=order, kind="idea", idea=idea,
                                             stage_when_added=idea.stage, title=idea.title[:200])
            Decision.objects.create(item=item, outcome="approve", recorded_by_id=secretary_id)


def _export_peak(client: Client, url: str) -> tuple[float, int, float]:
    """Peak Python memory (MB) while streaming one CSV export, its rows, and the seconds it took."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    started = time.perf_counter()
    response = client.get(url)
    rows = -1  # the header line
    for chunk in response.streaming_content:
        rows += chunk.count(b"\n")
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1024 / 1024, rows, seconds


def run() -> None:
    from django.utils import timezone

    from harrow_innovation.people.models import User
    from ideas.models import CentralSystem, DataOutput, Idea
    from ideas.selectors import visible_ideas

    _prepare()
    board, token = _board_member()
    secretary = User.objects.filter(email__startswith="bulk.secretary").first() or board
    _meetings(secretary.pk)
    report("portfolio data: ideas", Idea.objects.count(), "ideas")
    report("portfolio data: central systems", CentralSystem.objects.count(), "systems")
    report("portfolio data: data outputs", DataOutput.objects.count(), "outputs")

    session = Client()
    session.force_login(board)
    api = Client(HTTP_AUTHORIZATION=f"Token {token}")
    system = CentralSystem.objects.order_by("pk").first()
    department = DataOutput.valued_by.through.objects.select_related("department").first().department
    pages = {
        "portfolio central systems": (session, "/portfolio/systems/"),
        "portfolio one system": (session, f"/portfolio/systems/{system.slug}/"),
        "portfolio data outputs register": (session, "/portfolio/data/"),
        "portfolio data outputs search": (session, "/portfolio/data/?q=data"),
        "portfolio department data": (session, f"/portfolio/data/departments/{department.slug}/"),
        "portfolio data-flow matrix": (session, "/portfolio/data/matrix/"),
        "portfolio prioritisation": (session, "/portfolio/prioritisation/"),
        "portfolio delivery": (session, "/portfolio/delivery/"),
        "portfolio dashboards": (session, "/portfolio/dashboards/"),
        "api ideas": (api, "/api/ideas/"),
        "api ideas filtered": (api, "/api/ideas/?stage_slug=ready-for-board&min_score=3"),
        "api stages": (api, "/api/stages/"),
        "api review totals": (api, "/api/review-totals/"),
        "api meetings": (api, "/api/meetings/"),
        "api decisions": (api, "/api/decisions/"),
        "api central systems": (api, "/api/central-systems/"),
        "api data outputs": (api, "/api/data-outputs/"),
    }
    for name, seconds in page_medians(pages, rounds=ROUNDS, warmup=2).items():
        report(f"{name} median server time", seconds * 1000, "ms")
    for name, (client, url) in pages.items():
        report(f"{name} queries", page_queries(client, url), "queries")

    # CSV export: every idea the Board member may see (all but other people's drafts) against the first
    # 2,000 by submission date (a submitted-date filter), through the same code path.
    exporter = session
    submitted = visible_ideas(user=board).exclude(submitted_at=None).order_by("submitted_at", "pk")
    last = timezone.localtime(submitted.values_list("submitted_at", flat=True)[SMALL - 1]).date()
    small_url = ("/portfolio/export/ideas.csv?"
                 f"submitted_to_day={last.day}&submitted_to_month={last.month}&submitted_to_year={last.year}")
    _export_peak(exporter, small_url)  # warm up: imports and templates load once
    small_mb, small_rows, _ = _export_peak(exporter, small_url)
    large_mb, large_rows, _ = _export_peak(exporter, "/portfolio/export/ideas.csv")
    started = time.perf_counter()  # timed again without tracemalloc, which slows Python down
    for _ in exporter.get("/portfolio/export/ideas.csv").streaming_content:
        pass
    report(f"CSV export of {large_rows:,} ideas", time.perf_counter() - started, "s")
    report(f"export memory at {small_rows:,} ideas", small_mb, "MB")
    print(f"export memory: {large_mb:.2f} MB for {large_rows:,} ideas (ratio {large_mb / small_mb:.2f} vs 2,000 ideas)",
          flush=True)
    xlsx_started = time.perf_counter()
    response = exporter.get("/portfolio/export/ideas.xlsx")
    size = sum(len(chunk) for chunk in response.streaming_content)
    report(f"XLSX export of {large_rows:,} ideas ({size / 1024 / 1024:.1f} MB)", time.perf_counter() - xlsx_started, "s")
