"""Two databases kept at two sizes, measured in one process, switching every round (issue 14).

    python -m benchmarks.scale_pair SMALL_DB LARGE_DB [--rounds 15] [--pages "name,name"] [--words officer]

SMALL_DB and LARGE_DB are database names on the server DATABASE_URL names (for example ones seeded once to
20,000 and 200,000 ideas with ``seed_bulk``, then ``VACUUM ANALYZE``). Each round requests every chosen page of
``benchmarks.scale`` once from each database in turn, as the Board secretary through the whole middleware
stack, so a busy machine slows both alike (and the two databases compete for the shared buffers, as several
would on a shared server). ``--pages`` picks pages by name (default: search with a filter, search, idea list);
``--words`` adds the filtered search for other words (default "officer", in every seeded idea). Prints each page's median at both sizes and the ratio, and the query counts.
"""

from __future__ import annotations

import os
import statistics
import sys
import time

WARMUP = 3


_WRAPPERS: dict = {}


def _use(name: str) -> None:
    """Make ``name`` the default database, each keeping its own open connection (as a web process would)."""
    import copy

    from django.db import connections

    if name not in _WRAPPERS:
        settings = copy.deepcopy(connections.settings["default"])
        settings["NAME"] = name
        _WRAPPERS[name] = type(connections["default"])(settings, "default")
    connections["default"] = _WRAPPERS[name]


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harrow_innovation.settings.bench")
    import django

    django.setup()
    from django.test import Client

    from benchmarks.harness import page_queries
    from benchmarks.scale import _pages, _probe_idea_id, _secretary_and_token

    options = dict(zip(argv, argv[1:], strict=False))
    args = [a for i, a in enumerate(argv) if not a.startswith("--") and (i == 0 or not argv[i - 1].startswith("--"))]
    rounds = int(options.get("--rounds", 15))
    wanted = [p.strip() for p in options.get("--pages", "search with a filter,search,idea list").split(",")]
    words = [w for w in options.get("--words", "officer").split(",") if w]
    if len(args) < 2:
        raise SystemExit(__doc__)
    small_db, large_db = args[0], args[1]
    sides = {}
    for label, db in (("small", small_db), ("large", large_db)):
        _use(db)
        user, token = _secretary_and_token()
        browser, api = Client(), Client(HTTP_AUTHORIZATION=f"Token {token}")
        browser.force_login(user)
        urls = _pages(_probe_idea_id())
        pages = {name: (api if name == "API list" else browser, url) for name, url in urls.items() if name in wanted}
        for word in words:  # the same filtered search for other words (in every seeded idea: "officer")
            pages[f"search with a filter, q={word}"] = (
                browser,
                urls["search with a filter"].replace("q=data", f"q={word}"),
            )
        sides[label] = (db, pages, {name: [] for name in pages})
    for round_number in range(WARMUP + rounds):
        for db, pages, samples in sides.values():
            _use(db)
            for name, (client, url) in pages.items():
                start = time.perf_counter()
                response = client.get(url)
                elapsed = time.perf_counter() - start
                if response.status_code != 200:
                    raise SystemExit(f"{db} {url} answered {response.status_code}")
                if round_number >= WARMUP:
                    samples[name].append(elapsed * 1000)
    queries = {}
    for label, (db, pages, _) in sides.items():
        _use(db)
        queries[label] = {name: page_queries(client, url) for name, (client, url) in pages.items()}
    small, large = sides["small"][2], sides["large"][2]
    for name in small:
        s, la = statistics.median(small[name]), statistics.median(large[name])
        print(
            f"{name}: {s:.1f} ms at {small_db}, {la:.1f} ms at {large_db}, ratio {la / s:.2f}; "
            f"queries {queries['small'][name]} and {queries['large'][name]}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
