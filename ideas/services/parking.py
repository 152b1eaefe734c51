"""Parking an idea until a date: the Board's "park" decision, carried out on the idea's row."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from ..models import Idea


def idea_park(*, idea: Idea, until: date) -> Idea:
    """Record that ``idea`` is parked until ``until``, with the reason in its history, and return it re-read.

    The caller has locked the idea (``lock_idea``) in the transaction it is in, and has already moved
    it to its parked stage; the idea leaves ``parked_until`` when it next moves on (``idea_move``
    clears it). Raises ``RuntimeError`` outside a transaction, where there could be no lock.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("idea_park needs the transaction that holds the idea's lock (lock_idea).")
    idea.refresh_from_db()
    idea.parked_until = until
    idea._change_reason = f"Parked until {until:%-d %B %Y}"
    idea.save(update_fields=["parked_until", "updated_at"])
    return idea
