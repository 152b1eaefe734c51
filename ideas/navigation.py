"""The ideas entries in the service header."""

from __future__ import annotations

from harrow_innovation.core.navigation import NavEntry, register

from . import permissions


def register_entries() -> None:
    register(NavEntry("ideas:list", "Ideas", order=10))
    register(NavEntry("ideas:mine", "My ideas", order=20))
    register(NavEntry("ideas:waiting", "Waiting for me", order=25))
    register(NavEntry("ideas:triage", "Triage", visible=permissions.can_see_triage_queue, order=27))
    register(NavEntry("ideas:review_queue", "Reviews", visible=permissions.can_see_review_queue, order=30))
    register(NavEntry("ideas:ranked", "Ranking", visible=permissions.can_see_ranking, order=35))
