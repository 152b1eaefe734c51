"""Overlaps (ideas/overlaps.py, issue 13): the drafting panel's cost and the quality of matching.

1. Cost. The drafting panel (``/ideas/similar/``, fetched while an officer types) with a
   title and problem typed and two central systems chosen, and the idea page with its
   overlaps, timed through the whole middleware stack against the bare list view of
   ``bench_ideas`` in the same run, with 20,000 ideas; and their query counts.
   Targets: the panel at most 3x the bare list, a fixed number of queries.
2. Quality. ``benchmarks/data/overlap_pairs.json``: labelled pairs of council ideas
   (overlapping in words only, in systems or data only, in both, naming the same thing
   in different words, or not overlapping at all). Both ideas of every pair are added
   among the 20,000 seeded ones; each idea of a pair is the probe in turn
   (``overlaps_for_idea``, top 5, as an officer who owns none of them sees it).
   A labelled pair is "found" when the other idea is in the probe's top 5. Printed twice:
   "among labelled ideas" leaves the seeded ideas out of the ranking before the top 5 is
   taken (they are unlabelled, and ``seed_bulk`` writes ~550 near-identical ideas on each
   of its 36 subjects, several of which the pairs share, so they are true overlaps that
   no label accounts for); "among all ideas" takes the top 5 as the panel shows it.
   Recall = overlapping pairs found / overlapping pair probes; precision = overlapping
   pairs found / all labelled pairs found (a non-overlapping pair in the top 5 is a
   false positive). Targets on PostgreSQL: recall at least 0.8, precision at least 0.7.
   The laptop-mode fallback (``ideas.overlaps_fallback``) is run on the same rows.
"""

from __future__ import annotations

import io
import json
import statistics
import time
from collections import Counter
from pathlib import Path

from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import override_settings

from benchmarks.harness import median_seconds, page_medians, page_queries, report

IDEAS = 20_000
ROUNDS = 40
BASELINE = "bare list view"
PAIRS = Path(__file__).parent / "data" / "overlap_pairs.json"


def run() -> None:
    from ideas.models import Idea

    if Idea.objects.count() < IDEAS:
        started = time.perf_counter()
        call_command("seed_bulk", ideas=IDEAS - Idea.objects.count(), stdout=io.StringIO())
        report(f"seed_bulk {IDEAS} ideas", time.perf_counter() - started, "s")
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    measure_cost()
    measure_quality()


# --- Cost -------------------------------------------------------------------------------------


def measure_cost() -> None:
    from urllib.parse import urlencode

    from harrow_innovation.people.models import User
    from ideas import overlaps, selectors
    from ideas.models import CentralSystem, Idea, StageKind

    officer = User.objects.filter(email__startswith="bulk.officer").order_by("email").first()
    client = Client()
    client.force_login(officer)
    systems = list(CentralSystem.objects.order_by("pk").values_list("pk", flat=True)[:2])
    draft = urlencode(
        [
            ("title", "Falls sensors for older people living alone"),
            (
                "problem",
                "Older residents who fall at home can lie undiscovered for hours; telecare alerts reach nobody.",
            ),
            *[("system", pk) for pk in systems],
        ]
    )
    idea = (
        Idea.objects.filter(is_confidential=False, review_count__gt=0)
        .exclude(stage__kind=StageKind.DRAFT)
        .order_by("-review_count", "pk")
        .first()
    )
    pages = {
        "overlap panel for a draft (title, problem, 2 systems)": f"/ideas/similar/?{draft}",
        "overlap panel, title only": "/ideas/similar/?title=Smart+sensors+for+street+lighting",
        "idea page with overlaps": f"/ideas/{idea.pk}/",
        "API overlaps of an idea": f"/api/ideas/{idea.pk}/overlaps/",
    }
    with override_settings(ROOT_URLCONF="benchmarks.bench_ideas"):
        timed = {name: (client, url) for name, url in {BASELINE: "/bench/bare-list/", **pages}.items()}
        medians = page_medians(timed, rounds=ROUNDS)
        baseline = medians.pop(BASELINE) * 1000
        report(f"{BASELINE} median server time (overlaps run)", baseline, "ms")
        for name, seconds in medians.items():
            report(f"{name} median server time", seconds * 1000, "ms", baseline=baseline, baseline_name=BASELINE)
        for name, url in pages.items():
            report(f"{name} queries", page_queries(client, url), "queries")
    # The idea page with its overlaps and system load against the same page without them (today's idea page
    # before this sections), in the same run: the target is at most 1.2x. Kept: the overlaps worked
    # out when the idea was submitted (ideas.overlaps_kept), as for every submitted idea; never worked out:
    # ranked on every request (an idea the task has not reached yet, its few-minute cache left out).
    from contextlib import contextmanager, nullcontext
    from unittest import mock

    from ideas import overlaps_kept, overlaps_page
    from ideas.models import OverlapCheck
    from ideas.templatetags import system_load as load_tag

    url = f"/ideas/{idea.pk}/"
    started = time.perf_counter()
    overlaps_kept.refresh(idea.pk, tell_others=False)
    report("working out one idea's kept overlaps (the task)", (time.perf_counter() - started) * 1000, "ms")
    checked_at = OverlapCheck.objects.get(idea=idea).checked_at

    @contextmanager
    def never_worked_out():
        OverlapCheck.objects.filter(idea=idea).delete()
        try:
            with mock.patch.object(overlaps_page, "cache", _NoCache()):
                yield
        finally:
            OverlapCheck.objects.create(idea=idea, checked_at=checked_at)

    @contextmanager
    def without_them():
        with (
            mock.patch.object(overlaps_page, "overlaps_for_idea_page", lambda **kwargs: []),
            mock.patch.object(load_tag, "_lines", lambda idea, user: []),
        ):
            yield

    @contextmanager
    def as_it_was():
        # The page before this issue: its similar-ideas lookup (selectors.similar_ideas, run and its result
        # dropped, so the old section's drawing is not counted: in the old page's favour), no system load.
        def similar_only(**kwargs):
            selectors.similar_ideas(user=officer, title=idea.title, problem=idea.problem, exclude_id=idea.pk)
            return []

        with (
            mock.patch.object(overlaps_page, "overlaps_for_idea_page", similar_only),
            mock.patch.object(load_tag, "_lines", lambda idea, user: []),
        ):
            yield

    variants = {"kept": nullcontext, "never worked out": never_worked_out, "without": without_them,
                "as it was": as_it_was}
    samples: dict[str, list[float]] = {name: [] for name in variants}
    with override_settings(ROOT_URLCONF="benchmarks.bench_ideas"):
        report("idea page with kept overlaps queries", page_queries(client, url), "queries")
        for round_number in range(3 + ROUNDS):  # in turn, round after round, so a busy machine slows all alike
            for name, variant in variants.items():
                with variant():
                    start = time.perf_counter()
                    assert client.get(url).status_code == 200
                    elapsed = time.perf_counter() - start
                if round_number >= 3:
                    samples[name].append(elapsed)
    without = statistics.median(samples["without"])
    was = statistics.median(samples["as it was"])
    report("idea page as it was before this issue (its similar-ideas lookup, no system load), median server time",
           was * 1000, "ms", baseline=without * 1000, baseline_name="the idea page without either")
    for name, label in (("kept", "kept overlaps and system load"),
                        ("never worked out", "overlaps ranked on every request (never worked out) and system load")):
        median = statistics.median(samples[name]) * 1000
        report(f"idea page with its {label}, median server time", median, "ms", baseline=was * 1000,
               baseline_name="the idea page as it was (target <= 1.2)")
        report(f"idea page with its {label}, against the page without either", median, "ms",
               baseline=without * 1000, baseline_name="the idea page without overlaps or system load")
    # The idea page's part, alone: its overlaps against the similar-ideas lookup it replaced.
    old = median_seconds(
        lambda: selectors.similar_ideas(user=officer, title=idea.title, problem=idea.problem, exclude_id=idea.pk),
        repeat=ROUNDS,
    )
    new = median_seconds(lambda: overlaps.overlaps_for_idea(user=officer, idea=idea), repeat=ROUNDS)
    report("idea page's similar ideas, the lookup replaced (selector alone) median time", old * 1000, "ms")
    report(
        "idea page's overlaps (selector alone) median time",
        new * 1000,
        "ms",
        baseline=old * 1000,
        baseline_name="the lookup replaced",
    )


class _NoCache:
    """Stands in for the overlaps' cache alone (the page's other caches stay): nothing is ever kept."""

    def get(self, key, default=None):
        return default

    def set(self, *args, **kwargs):
        return None


# --- Quality ----------------------------------------------------------------------------------


def _load_pairs(data: dict):
    """The labelled ideas, created among the seeded ones; returns [(pair, idea a, idea b)] and a reader."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from harrow_innovation.people.models import Department, RoleGroup, User
    from harrow_innovation.people.roles import Role
    from harrow_innovation.people.services import department_ensure
    from ideas.models import CentralSystem, DataOutput, Idea, IdeaCentralSystem, Stage, Workflow

    officers = RoleGroup.objects.get(role=Role.OFFICER).group

    def officer(email: str, department: Department) -> User:
        user = User.objects.create(
            email=email, full_name=email.split("@")[0], password=make_password(None), department=department
        )
        user.groups.add(officers)
        return user

    departments = {code: department_ensure(name=name) for code, name in data["departments"].items()}
    systems = {
        code: CentralSystem.objects.get_or_create(name=name, defaults={"slug": f"bench-{code.lower()}"})[0]
        for code, name in data["systems"].items()
    }
    workflow = Workflow.objects.get(is_default=True)
    stage = Stage.objects.get(workflow=workflow, slug="triage")
    owners: dict[str, User] = {}

    def owner_for(code: str, n: int) -> User:
        key = f"{code}-{n}"
        if key not in owners:
            owners[key] = officer(f"pairs.{key.lower()}@harrow.example", departments[code])
        return owners[key]

    def make(spec: dict, n: int) -> Idea:
        idea = Idea.objects.create(
            title=spec["title"],
            problem=spec["problem"],
            services=spec.get("services", ""),
            owner=owner_for(spec["dept"], n),
            department=departments[spec["dept"]],
            workflow=workflow,
            stage=stage,
            submitted_at=timezone.now(),
        )
        idea.departments.set([departments[c] for c in spec["served"]])
        for code in spec["systems"]:
            IdeaCentralSystem.objects.create(idea=idea, system=systems[code])
        for description, valued in spec["data"]:
            output = DataOutput.objects.create(idea=idea, description=description)
            output.valued_by.set([departments[c] for c in valued])
        return idea

    with transaction.atomic():
        loaded = [(pair, make(pair["a"], 2 * n), make(pair["b"], 2 * n + 1)) for n, pair in enumerate(data["pairs"])]
        reader = officer("pairs.reader@harrow.example", departments["CORP"])
    return loaded, reader


def _score(loaded, reader, find, *, labelled_only: bool) -> dict:
    """Recall and precision at top 5. ``labelled_only``: seeded (unlabelled) ideas are left out of the ranking first."""
    from ideas.overlaps import Probe

    labelled = {idea.pk for _, a, b in loaded for idea in (a, b)}
    found_by_kind: Counter = Counter()
    probes_by_kind: Counter = Counter()
    true_found = false_found = positives = 0
    for pair, a, b in loaded:
        for probe_idea, other in ((a, b), (b, a)):
            probe = Probe(
                title=probe_idea.title, problem=probe_idea.problem, services=probe_idea.services, idea_id=probe_idea.pk
            )
            ranked, _ = find(user=reader, probe=probe, limit=50 if labelled_only else 5)
            top = [o.idea_id for o in ranked if not labelled_only or o.idea_id in labelled][:5]
            hit = other.pk in top
            probes_by_kind[pair["kind"]] += 1
            found_by_kind[pair["kind"]] += hit
            if pair["overlap"]:
                positives += 1
                true_found += hit
            else:
                false_found += hit
    return {
        "recall": true_found / positives if positives else 0.0,
        "precision": true_found / (true_found + false_found) if true_found + false_found else 0.0,
        "by_kind": {kind: f"{found_by_kind[kind]}/{probes_by_kind[kind]}" for kind in sorted(probes_by_kind)},
    }


def measure_quality() -> None:
    from ideas import overlaps_fallback, overlaps_sql

    data = json.loads(PAIRS.read_text())
    loaded, reader = _load_pairs(data)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"overlap pairs: {len(loaded)} labelled pairs, {sum(p['overlap'] for p, _, _ in loaded)} overlapping, "
        f"among {IDEAS:,} seeded ideas; each idea of a pair probes in turn",
        flush=True,
    )
    finders = (
        ("PostgreSQL", overlaps_sql.find_on_postgresql),
        ("fallback (laptop mode)", overlaps_fallback.find_elsewhere),
    )
    for labelled_only, how in ((True, "among labelled ideas"), (False, "among all ideas")):
        for name, find in finders:
            result = _score(loaded, reader, find, labelled_only=labelled_only)
            report(f"overlaps {name} recall at top 5 {how}", result["recall"], "(target >= 0.8)")
            report(f"overlaps {name} precision at top 5 {how}", result["precision"], "(target >= 0.7)")
            print(f"overlaps {name} {how}, found by kind (found/probes): {result['by_kind']}", flush=True)
