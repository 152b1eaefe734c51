"""The similar-ideas lookup (`/ideas/similar/`) over 20 probe titles, against ideas already seeded.

Not part of `make bench` (it needs databases of 20,000 and 200,000 ideas, which take
minutes to seed). Run it against each, seeded with `manage.py seed_bulk` and
vacuumed, and compare the worst probes:

    DATABASE_URL=postgres://…/ideas_20k  .venv/bin/python -m benchmarks.similar_scale
    DATABASE_URL=postgres://…/ideas_200k .venv/bin/python -m benchmarks.similar_scale

Each probe is fetched as the drafting page's script fetches it, signed in as an
officer through the whole middleware stack (Django's test Client); the median of
ROUNDS requests per probe is printed, then the median and the worst over the
probes, and the queries per request; then the lookup an idea page makes (its
title and problem) for 20 seeded ideas. `--quality` also ranks every probe the way
the lookup did before (trigram word similarity over every idea the officer may
see, a full scan: slow) and prints how many of that top 5 the lookup returns.
`make bench-scale` can import PROBES and `measure()`.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from urllib.parse import urlencode

# Ten with close matches among seed_bulk's ideas (its titles are "<approach> <thing> for
# <subject>"), ten with none: new ideas, a typo-ridden one and one made of common words.
PROBES_CLOSE = [
    "Online booking for parking permits",
    "Chatbot for council tax questions",
    "Smart monitoring of damp and mould in council homes",
    "Text reminders for missed bin collections",
    "Mobile inspections for food hygiene",
    "Route planning for meals on wheels",
    "Automated triage of early help referrals",
    "Digital forms for blue badge applications",
    "Predictive alerts for flood risk",
    "Self-service payments for garden waste subscriptions",
]
PROBES_NONE = [
    "Falls sensors for older people living alone",
    "Electric vehicle charging points on lamp posts",
    "Apprenticeship scheme for care leavers",
    "Drone surveys of cemetery land",
    "Warm spaces network in winter",
    "Volunteer befriending for isolated veterans",
    "Solar panels on school roofs",
    "Reusable nappy vouchers for new parents",
    "Onlne bookng for parkng permts",
    "Council services for residents and staff",
]
PROBES = PROBES_CLOSE + PROBES_NONE
ROUNDS = 15


def probe_url(title: str) -> str:
    return "/ideas/similar/?" + urlencode({"title": title, "problem": ""})


def measure(client, *, rounds: int = ROUNDS, warmup: int = 2) -> dict[str, float]:
    """Median milliseconds per probe, the probes sampled in turn round after round."""
    samples: dict[str, list[float]] = {title: [] for title in PROBES}
    for round_number in range(warmup + rounds):
        for title in PROBES:
            start = time.perf_counter()
            response = client.get(probe_url(title))
            elapsed = time.perf_counter() - start
            if response.status_code != 200:
                raise SystemExit(f"{probe_url(title)} answered {response.status_code}")
            if round_number >= warmup:
                samples[title].append(elapsed * 1000)
    return {title: statistics.median(values) for title, values in samples.items()}


def _before(user, title: str, limit: int = 5) -> list[int]:
    """The ranking the lookup used before: word similarity to every visible submitted idea, best first."""
    from django.db.models.expressions import RawSQL

    from ideas.models import StageKind
    from ideas.selectors import visible_ideas

    qs = (
        visible_ideas(user=user).exclude(stage__kind=StageKind.DRAFT)
        .annotate(similarity=RawSQL("word_similarity(%s, ideas_idea.search_text)", [title]))
        .filter(similarity__gte=0.4).order_by("-similarity", "-pk")
    )
    return list(qs.values_list("similarity", flat=True)[:limit])


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harrow_innovation.settings.bench")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from harrow_innovation.people.models import User
    from ideas import selectors
    from ideas.models import Idea

    officer = User.objects.filter(email__startswith="bulk.officer").order_by("email").first()
    if officer is None:
        raise SystemExit("No seeded ideas here: run `manage.py seed_bulk --ideas N` first.")
    client = Client()
    client.force_login(officer)
    ideas = Idea.objects.count()
    print(f"{connection.settings_dict['NAME']}: {ideas} ideas", flush=True)
    medians = measure(client)
    for title, ms in medians.items():
        found = selectors.similar_ideas(user=officer, title=title)
        best = f"{found[0].similarity:.2f} {found[0].title!r}" if found else "none"
        print(f"  {ms:7.1f} ms  {len(found)} found (best {best})  {title!r}", flush=True)
    counts = set()
    for title in PROBES:
        with CaptureQueriesContext(connection) as ctx:
            client.get(probe_url(title))
        counts.add(len(ctx.captured_queries))
    values = list(medians.values())
    print(f"similar ideas over {len(PROBES)} probes, {ideas} ideas: median {statistics.median(values):.1f} ms, "
          f"worst {max(values):.1f} ms; queries per request {sorted(counts)}", flush=True)
    # The panel on an idea page looks up its title and problem: 20 seeded ideas, the same in both databases.
    own = list(Idea.objects.filter(is_confidential=False, submitted_at__isnull=False).order_by("pk")[:20])
    panel = [
        statistics.median(_timed(lambda i=i: selectors.similar_ideas(
            user=officer, title=i.title, problem=i.problem, exclude_id=i.pk)) for _ in range(ROUNDS))
        for i in own
    ]
    print(f"idea page panel (title and problem) over {len(own)} ideas, {ideas} ideas: "
          f"median {statistics.median(panel):.1f} ms, worst {max(panel):.1f} ms", flush=True)
    if "--quality" in sys.argv:
        # Compared by similarity values: ties (several ideas with the same title) make ids arbitrary.
        kept = wanted = 0
        for title in PROBES:
            before = [round(s, 3) for s in _before(officer, title)]
            now = [round(i.similarity, 3) for i in selectors.similar_ideas(user=officer, title=title)]
            same = sum(min(before.count(s), now.count(s)) for s in set(before))
            kept, wanted = kept + same, wanted + len(before)
            print(f"  before {before} now {now}  {title!r}", flush=True)
        print(f"top 5 as before (by similarity): {kept} of {wanted}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
