"""What `seed_demo` puts in an empty database. Each app adds its part; all idempotent."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

# Apps append (name, function) from their AppConfig.ready(); run in order.
SEEDERS: list[tuple[str, Callable[[], None]]] = []


def register(name: str, fn: Callable[[], None]) -> None:
    if all(existing != name for existing, _ in SEEDERS):
        SEEDERS.append((name, fn))


def seed_demo(*, stdout=None) -> None:
    from harrow_innovation.people.demo import seed_people

    with transaction.atomic():
        seed_people()
        if stdout:
            stdout.write("People and departments: ready")
        for name, fn in SEEDERS:
            fn()
            if stdout:
                stdout.write(f"{name}: ready")
