"""Browsing ideas at council scale and beyond: 20,000 ideas made by `seed_bulk`.

Prints the median server time of the idea list, a search and an idea page, each
signed in as an officer through the whole middleware stack (Django's test
Client), against a baseline measured in the same run: a bare view, defined here
and not in the app, that fetches the same page of 25 rows with one query and
renders them with the same table template. The target is the list at most 1.5×
the baseline, and the idea page at most 3×.

The idea page is timed twice: as most requests find it, with its shared parts
(record, comments, timeline; see ideas/idea_page.py) in the cache, and with the
cache emptied before every request. Its similar-ideas query is also timed alone,
to show how much of the page it is.
"""

from __future__ import annotations

import io
import time

from django.core.management import call_command
from django.db import connection
from django.http import HttpResponse
from django.template import engines
from django.test import Client
from django.test.utils import override_settings
from django.urls import include, path

from benchmarks.harness import median_seconds, page_medians, page_queries, report

IDEAS = 20_000
ROUNDS = 40
BASELINE = "bare list view"

_table = engines["django"].from_string('{% include "ideas/includes/idea_table.html" %}')


def bare_list(request):
    """One query for the newest 25 ideas and their stage and department, rendered as the list's table."""
    from ideas.models import Idea

    rows = list(Idea.objects.select_related("stage", "department").order_by("-created_at", "-pk")[:25])
    return HttpResponse(_table.render({"ideas": rows, "caption": "Ideas"}))


urlpatterns = [
    path("bench/bare-list/", bare_list),
    path("", include("harrow_innovation.urls")),
]


class _ColdCache:
    """A client whose every request finds the cache empty: the idea page renders its shared parts afresh."""

    def __init__(self, client):
        self.client = client

    def get(self, url):
        from django.core.cache import cache

        cache.clear()
        return self.client.get(url)


def run() -> None:
    started = time.perf_counter()
    call_command("seed_bulk", ideas=IDEAS, stdout=io.StringIO())
    report(f"seed_bulk {IDEAS} ideas", time.perf_counter() - started, "s")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # what autovacuum does soon after a load like this in production
    measure()


def measure() -> None:
    """Time the pages against the ideas already in the database."""
    from django.core.cache import cache

    from harrow_innovation.people.models import User
    from ideas import overlaps, selectors
    from ideas.models import Idea, StageKind

    officer = User.objects.filter(email__startswith="bulk.officer").order_by("email").first()
    client = Client()
    client.force_login(officer)
    idea = (
        Idea.objects.filter(is_confidential=False, review_count__gt=0)
        .exclude(stage__kind=StageKind.DRAFT)
        .order_by("-review_count", "pk")
        .first()
    )
    pages = {
        "idea list": "/ideas/",
        "idea search": "/ideas/?q=street+lighting",
        "idea search with filters": f"/ideas/?q=repairs&stage={idea.stage_id}&sort=score",
        "idea list page 400": "/ideas/?page=400",
        "idea page": f"/ideas/{idea.pk}/",
    }
    with override_settings(ROOT_URLCONF=__name__):
        urls = {BASELINE: "/bench/bare-list/", **pages}
        timed = {name: (client, url) for name, url in urls.items()}
        timed["idea page, shared parts not cached"] = (_ColdCache(client), pages["idea page"])
        medians = page_medians(timed, rounds=ROUNDS)
        baseline = medians.pop(BASELINE) * 1000
        report(f"{BASELINE} median server time", baseline, "ms")
        for name, seconds in medians.items():
            report(f"{name} median server time", seconds * 1000, "ms", baseline=baseline, baseline_name=BASELINE)
        # Part of the idea page: its similar-ideas panel's query, timed alone.
        similar = median_seconds(
            lambda: selectors.similar_ideas(user=officer, title=idea.title, problem=idea.problem, exclude_id=idea.pk),
            repeat=ROUNDS,
        )
        report("similar ideas, the old lookup (selector alone) median time", similar * 1000, "ms",
               baseline=baseline, baseline_name=BASELINE)
        # What the idea page now shows: overlaps by words, systems, data and departments (ideas/overlaps.py).
        found = median_seconds(lambda: overlaps.overlaps_for_idea(user=officer, idea=idea), repeat=ROUNDS)
        report("idea page's overlaps (selector alone) median time", found * 1000, "ms",
               baseline=baseline, baseline_name=BASELINE)
        measure_system_load(client, officer, idea, pages["idea page"], baseline)
        report(f"{BASELINE} queries", page_queries(client, "/bench/bare-list/"), "queries")
        for name, url in pages.items():
            report(f"{name} queries", page_queries(client, url), "queries")
        cache.clear()
        report("idea page, shared parts not cached, queries", page_queries(client, pages["idea page"]), "queries")


def measure_system_load(client, officer, idea, url: str, baseline: float) -> None:
    """The idea page's shared-system load (issue 13 item 4): the page timed with and without it in the same
    rounds, and its selector alone, from the kept totals and counted from every link (what they save)."""
    from unittest import mock

    from ideas import system_load
    from ideas.models import IdeaCentralSystem
    from ideas.templatetags import system_load as tag

    busiest = (IdeaCentralSystem.objects.filter(idea__is_confidential=False).exclude(idea__stage__kind="draft")
               .values_list("idea_id", flat=True).order_by("-integration_cost").first())
    with_load = f"/ideas/{busiest}/" if busiest else url

    class _WithoutLoad:
        def get(self, path):
            with mock.patch.object(tag, "_lines", lambda idea, user: []):
                return client.get(path)

    medians = page_medians({"with": (client, with_load), "without": (_WithoutLoad(), with_load)}, rounds=ROUNDS)
    report("idea page without its system load median server time", medians["without"] * 1000, "ms",
           baseline=baseline, baseline_name=BASELINE)
    report("idea page with its system load median server time", medians["with"] * 1000, "ms",
           baseline=medians["without"] * 1000, baseline_name="the same page without it")
    subject = type(idea).objects.get(pk=busiest) if busiest else idea
    kept = median_seconds(lambda: system_load.loads_for_idea(idea=subject, user=officer), repeat=ROUNDS)
    counted = median_seconds(lambda: system_load.loads_for_idea(idea=subject, user=officer, counted=True),
                             repeat=ROUNDS)
    report("idea page's system load (selector alone, kept totals) median time", kept * 1000, "ms",
           baseline=baseline, baseline_name=BASELINE)
    report("idea page's system load counted from every link instead", counted * 1000, "ms",
           baseline=kept * 1000, baseline_name="kept totals")
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        system_load.loads_for_idea(idea=subject, user=officer)
    report("idea page's system load queries", len(ctx.captured_queries), "queries")
