"""Browsing ideas at council scale and beyond: 20,000 ideas made by `seed_bulk`.

Prints the median server time of the idea list, a search and an idea page, each
signed in as an officer through the whole middleware stack (Django's test
Client), against a baseline measured in the same run: a bare view, defined here
and not in the app, that fetches the same page of 25 rows with one query and
renders them with the same table template. The target is the list at most 1.5×
the baseline.
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

from benchmarks.harness import page_medians, page_queries, report

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


def run() -> None:
    started = time.perf_counter()
    call_command("seed_bulk", ideas=IDEAS, stdout=io.StringIO())
    report(f"seed_bulk {IDEAS} ideas", time.perf_counter() - started, "s")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # what autovacuum does soon after a load like this in production
    measure()


def measure() -> None:
    """Time the pages against the ideas already in the database."""
    from harrow_innovation.people.models import User
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
        medians = page_medians({name: (client, url) for name, url in urls.items()}, rounds=ROUNDS)
        baseline = medians.pop(BASELINE) * 1000
        report(f"{BASELINE} median server time", baseline, "ms")
        for name, seconds in medians.items():
            report(f"{name} median server time", seconds * 1000, "ms", baseline=baseline, baseline_name=BASELINE)
        report(f"{BASELINE} queries", page_queries(client, "/bench/bare-list/"), "queries")
        for name, url in pages.items():
            report(f"{name} queries", page_queries(client, url), "queries")
