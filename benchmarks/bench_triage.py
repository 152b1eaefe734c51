"""Triage sees clusters (issue 13 item 3) at council scale: 20,000 ideas made by `seed_bulk`.

Prints the median server time of the secretary's triage view (the 25 longest-waiting
incoming ideas grouped with their kept overlaps) and of a reviewer's review page (which
ranks the idea's overlaps when shown), against the bare list view defined in
``bench_ideas`` and measured in the same run, with each page's query count; and the time
the task takes to work out one idea's kept overlaps (``ideas.overlaps_kept.refresh``).
Seeds the ideas only when an earlier benchmark has not.
"""

from __future__ import annotations

import io
import time
from unittest import mock

from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import override_settings

from benchmarks.harness import median_seconds, page_medians, page_queries, report

IDEAS = 20_000
ROUNDS = 30
BASELINE = "bare list view"


def run() -> None:
    from ideas.models import Idea

    if Idea.objects.count() < IDEAS:
        started = time.perf_counter()
        call_command("seed_bulk", ideas=IDEAS, stdout=io.StringIO())
        report(f"seed_bulk {IDEAS} ideas", time.perf_counter() - started, "s")
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    measure()


def measure() -> None:
    from harrow_innovation.people.models import User
    from ideas import overlaps_kept, selectors, triage
    from ideas.management.commands.seed_bulk import BULK_SECRETARY
    from ideas.models import Review
    from ideas.views.triage import TRIAGE_LIMIT

    secretary = User.objects.get(email=BULK_SECRETARY)
    review = Review.objects.select_related("reviewer").order_by("-pk").first()  # seed_bulk writes submitted reviews
    officer = User.objects.filter(email__startswith="bulk.officer").order_by("email").first()
    clients = {}
    for name, user in (("officer", officer), ("secretary", secretary), ("reviewer", review.reviewer)):
        clients[name] = Client()
        clients[name].force_login(user)
    incoming = list(selectors.ideas_needing_secretary(user=secretary)[:TRIAGE_LIMIT])
    started = time.perf_counter()
    for idea in incoming:  # what the task does as each is submitted
        overlaps_kept.refresh(idea.pk, tell_others=False)
    refresh_ms = (time.perf_counter() - started) * 1000 / max(len(incoming), 1)
    pages = {
        BASELINE: (clients["officer"], "/bench/bare-list/"),
        "triage view (25 incoming ideas and their overlaps)": (clients["secretary"], "/ideas/triage/"),
        "review page with overlapping and linked ideas": (clients["reviewer"], f"/ideas/reviews/{review.pk}/"),
    }
    with override_settings(ROOT_URLCONF="benchmarks.bench_ideas"):
        medians = page_medians(pages, rounds=ROUNDS)
        baseline = medians.pop(BASELINE) * 1000
        report(f"{BASELINE} median server time (triage run)", baseline, "ms")
        for name, seconds in medians.items():
            report(f"{name} median server time", seconds * 1000, "ms", baseline=baseline, baseline_name=BASELINE)
        report("working out one idea's kept overlaps (the task, mean of the incoming ideas)", refresh_ms, "ms",
               baseline=baseline, baseline_name=BASELINE)
        alone = median_seconds(lambda: triage.overlaps_by_idea(user=secretary, ideas=incoming), repeat=ROUNDS)
        report(
            f"overlaps for {len(incoming)} incoming ideas (ideas.triage alone) median time",
            alone * 1000,
            "ms",
            baseline=baseline,
            baseline_name=BASELINE,
        )
        for name, (client, url) in pages.items():
            report(f"{name} queries", page_queries(client, url), "queries")
        # What the overlaps add to the review page: the same page with them switched off, measured just after.
        review_page = {"review": pages["review page with overlapping and linked ideas"]}
        on = page_medians(review_page, rounds=ROUNDS)["review"]
        with mock.patch.object(triage, "overlaps_of_idea", lambda **kwargs: []):
            off = page_medians(review_page, rounds=ROUNDS)["review"]
        report(
            "review page with its overlaps, median server time",
            on * 1000,
            "ms",
            baseline=off * 1000,
            baseline_name="the same page without them",
        )
