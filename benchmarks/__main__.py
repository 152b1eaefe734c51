"""Run every benchmark on PostgreSQL and print one line per figure."""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harrow_innovation.settings.bench")
    import django

    django.setup()
    from benchmarks.harness import bench_database

    only = sys.argv[1:]
    with bench_database():
        import benchmarks

        for info in sorted(pkgutil.iter_modules(benchmarks.__path__), key=lambda m: m.name):
            if not info.name.startswith("bench_") or (only and info.name not in only):
                continue
            module = importlib.import_module(f"benchmarks.{info.name}")
            module.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
