"""Board background work. Each task takes ids, calls one service, and is safe to run twice.

Periodic jobs (declared in board.notices; notifications.schedules creates their beat rows once):

* ``board.rescue_stale_packs`` hands builds stuck "building" (a worker died) or
  "queued" (a lost message) back to a worker;
* ``board.refresh_published_packs`` makes a new pack version when a paper of a
  published agenda changed (ideas never import board, so this scan finds edits).
"""

from __future__ import annotations

from celery import shared_task

from . import packs


@shared_task(name="board.build_pack", acks_late=True)
def build_pack(pack_id: int) -> dict:
    return {"pack": pack_id, "result": packs.pack_build(pack_id=pack_id)}


@shared_task(name="board.rescue_stale_packs", acks_late=True)
def rescue_stale_packs() -> dict:
    return packs.rescue_stale_packs()


@shared_task(name="board.refresh_published_packs", acks_late=True)
def refresh_published_packs() -> dict:
    return {"new_versions": packs.refresh_published_packs()}
