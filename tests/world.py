"""The objects the permission matrix and browser tests point URLs at."""

from __future__ import annotations


def build_world(people: dict) -> dict:
    return {"people": people}
