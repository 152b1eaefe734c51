"""`make bench-scale`: the same pages at 20,000 and at 200,000 ideas (issue 14). Not part of `make bench`.

Seeds 20,000 ideas with `seed_bulk` into a throwaway database, measures every
page below as the Board secretary (the test client through the whole
middleware stack: median of ROUNDS requests, pages sampled in turn so a busy
machine slows them alike), grows to 200,000 ideas with `seed_bulk`, measures
again, and prints one line per page:

    name: value ms (ratio R vs 20,000 ideas)

then the query count of each page at both sizes (they must be equal), and how
long each seeding took. The similar-ideas lookup is called through its URL
(/ideas/similar/) for PROBES titles, some with close matches in the seeded
ideas and some with none; its median and worst probe are printed.

    python -m benchmarks.scale                # the whole run (minutes)
    python -m benchmarks.scale --measure-only # measure the database DATABASE_URL names, as it is
    python -m benchmarks.scale --measure-only --no-similar  # the same without the similar-ideas probes

``--measure-only`` is for iterating against a database kept at a size (for example
one seeded once to 200,000 ideas), with no seeding and no throwaway database.
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import time

IDEAS_SMALL = 20_000
IDEAS_LARGE = 200_000
ROUNDS = 15
WARMUP = 3
PROBE_ROUNDS = 3  # each of the 20 probes; the slowest took seconds at 200,000 ideas before issue 14

# Titles an officer might type. The first ten are close to seeded ideas ("{approach} {thing} for {subject}"),
# the other ten are close to none.
PROBES = [
    "Online booking for parking permits",
    "Automated chatbot for council tax",
    "Mobile case tracking for housing repairs",
    "Predictive alerts for flood risk",
    "Shared scheduling for meals on wheels",
    "Self-service payments for business rates",
    "Digital forms for blue badge applications",
    "Sensor-based monitoring for air quality",
    "Smart route planning for missed bin collections",
    "Paperless referrals for early help referrals",
    "Falls sensors for older people living alone",
    "Chatbot for council tax questions",
    "Drone surveys of roof insulation",
    "Heat pumps for leisure centres",
    "Volunteer befriending for isolated veterans",
    "Wildflower verges to cut mowing",
    "Electric vehicle charging in car parks",
    "Translation of letters into Romanian",
    "Cemetery plot reservations",
    "Youth orchestra instrument library",
]


def _secretary_and_token():
    from harrow_innovation.people.models import User
    from harrow_innovation.people.roles import Role, role_group, sync_role_groups
    from portfolio.api.tokens import api_token_create

    sync_role_groups()
    user = User.objects.filter(email="bulk.secretary@harrow.example").first()
    if user is None:
        user, _ = User.objects.get_or_create(email="bench.secretary@harrow.example",
                                             defaults={"full_name": "Bench Secretary"})
        user.groups.add(role_group(Role.SECRETARY), role_group(Role.OFFICER))
    token = api_token_create(user=user, name="Scale benchmark", by=user).secret
    return user, token


def _pages(probe_idea_id: int) -> dict[str, str]:
    from ideas.models import Stage

    triage = Stage.objects.get(workflow__is_default=True, slug="triage")
    return {
        "central systems": "/portfolio/systems/",
        "dashboards": "/portfolio/dashboards/",
        "data register": "/portfolio/data/",
        "search with a filter": f"/ideas/?q=data&stage={triage.pk}",
        "search": "/ideas/?q=sensors",
        "ranked": "/ideas/ranked/",
        "idea list": "/ideas/",
        "idea page": f"/ideas/{probe_idea_id}/",
        "home page": "/home/",
        "API list": "/api/ideas/",
    }


def _measure(probe_idea_id: int, *, similar: bool = True) -> tuple[dict[str, float], dict[str, int]]:
    """Median milliseconds and query count per page, and the similar-ideas lookup's median and worst probe."""
    from urllib.parse import urlencode

    from django.test import Client

    from benchmarks.harness import page_medians, page_queries

    user, token = _secretary_and_token()
    browser = Client()
    browser.force_login(user)
    api = Client(HTTP_AUTHORIZATION=f"Token {token}")
    pages = {name: (api if name == "API list" else browser, url) for name, url in _pages(probe_idea_id).items()}
    medians = page_medians(pages, rounds=ROUNDS, warmup=WARMUP)
    queries = {name: page_queries(client, url) for name, (client, url) in pages.items()}
    out = {name: seconds * 1000 for name, seconds in medians.items()}
    if not similar:
        out["_worst_probe"] = ""
        return out, queries
    probes = {f"similar: {title}": (browser, "/ideas/similar/?" + urlencode({"title": title})) for title in PROBES}
    per_probe = page_medians(probes, rounds=PROBE_ROUNDS, warmup=1)
    queries["similar-ideas lookup"] = max(page_queries(browser, url) for _, url in probes.values())
    out["similar-ideas lookup (median of probes)"] = statistics.median(per_probe.values()) * 1000
    out["similar-ideas lookup (worst probe)"] = max(per_probe.values()) * 1000
    worst = max(per_probe, key=per_probe.get)
    out["_worst_probe"] = worst.removeprefix("similar: ")
    return out, queries


def _seed(ideas: int, seed: int) -> float:
    from django.core.management import call_command
    from django.db import connection

    started = time.perf_counter()
    call_command("seed_bulk", ideas=ideas, seed=seed, batch_size=2000, stdout=io.StringIO())
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return seconds


def _decisions() -> None:
    """A year of Board meetings with decisions (the Board's pace does not grow with the ideas)."""
    from benchmarks.bench_portfolio import _meetings
    from harrow_innovation.people.models import User

    secretary = User.objects.get(email="bulk.secretary@harrow.example")
    _meetings(secretary.pk)


def _print_run(small: dict, large: dict, small_queries: dict, large_queries: dict) -> None:
    for name, value in large.items():
        if name.startswith("_"):
            continue
        print(f"{name}: {value:.1f} ms (ratio {value / small[name]:.2f} vs 20,000 ideas)", flush=True)
    print(f"worst similar-ideas probe at 200,000: {large['_worst_probe']!r}; at 20,000: {small['_worst_probe']!r}")
    for name, count in large_queries.items():
        same = "same" if count == small_queries[name] else "CHANGED"
        print(f"queries: {name}: {small_queries[name]} at 20,000, {count} at 200,000 ({same})", flush=True)


def _probe_idea_id() -> int:
    from ideas.models import Idea

    # The same submitted idea at both sizes: the first seeded one that is not a draft.
    return Idea.objects.exclude(stage__kind="draft").order_by("pk").values_list("pk", flat=True)[0]


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harrow_innovation.settings.bench")
    import django

    django.setup()
    from django.db import connection

    from benchmarks.harness import bench_database

    if connection.vendor != "postgresql":
        raise SystemExit("bench-scale runs on PostgreSQL: set DATABASE_URL=postgres://…")
    if "--measure-only" in argv:
        from ideas.models import Idea

        values, queries = _measure(_probe_idea_id(), similar="--no-similar" not in argv)
        print(f"ideas: {Idea.objects.count()}")
        for name, value in values.items():
            if not name.startswith("_"):
                print(f"{name}: {value:.1f} ms, {queries.get(name, queries.get('similar-ideas lookup'))} queries")
        print(f"worst similar-ideas probe: {values['_worst_probe']!r}")
        return 0
    print("bench-scale: timings from one machine that may be shared with other work; read the ratios.", flush=True)
    with bench_database():
        seeded_small = _seed(IDEAS_SMALL, seed=1400)
        print(f"seed_bulk {IDEAS_SMALL:,} ideas: {seeded_small:.0f} s (with VACUUM ANALYZE)", flush=True)
        _decisions()
        probe = _probe_idea_id()
        small, small_queries = _measure(probe)
        for name, value in small.items():  # printed now, so a run stopped later still shows the baseline
            if not name.startswith("_"):
                print(f"at 20,000 ideas: {name}: {value:.1f} ms, {small_queries.get(name, '')} queries", flush=True)
        seeded_large = _seed(IDEAS_LARGE - IDEAS_SMALL, seed=1401)
        print(f"seed_bulk {IDEAS_LARGE - IDEAS_SMALL:,} more ideas: {seeded_large:.0f} s (with VACUUM ANALYZE)",
              flush=True)
        large, large_queries = _measure(probe)
        _print_run(small, large, small_queries, large_queries)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
