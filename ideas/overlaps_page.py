"""Overlaps on an idea's own page: the kept ranking when there is one, who may see what read afresh.

Ranking an idea's overlaps (``ideas.overlaps``: postings, trigrams, shared systems, data
and departments) is the costly part of the idea page, and it is the same for every viewer.
On PostgreSQL a submitted idea's page therefore reads its kept overlaps
(``ideas.overlaps_kept``: ranked among every idea that is not a draft when it was
submitted or changed, and again when a new lookalike appears), keeping only those this
viewer may see, with whether each is theirs, in one query. An idea never worked out yet
(and a draft, shown to its owners) is ranked for an audience (``permissions.Audience``:
every idea that is not a draft, confidential ones only for the roles that read them all),
kept for ``SECONDS`` under the idea's words, and filtered for the viewer (one query on
primary keys). Either way an idea made confidential, or a draft again, leaves every page
at once. The drafting panel is never cached. Elsewhere (SQLite, laptop mode) the
overlaps are found on every request.
"""

from __future__ import annotations

import copy
import hashlib

from django.core.cache import cache
from django.db import connection

from harrow_innovation.people.models import User

from . import idea_page, overlaps, overlaps_kept, permissions
from .models import Idea, StageKind
from .selectors import visible_ideas

SECONDS = 300
# Ranked for the audience: enough that the page still has its five after the viewer's own filter.
RANKED = 15


def ranked_for_audience(*, idea: Idea, reads_all: bool, mine: str = "yours", limit: int = RANKED) -> list[overlaps.Overlap]:
    """``idea``'s overlaps among every idea that is not a draft (confidential ones only if ``reads_all``), best first.

    Kept ``SECONDS`` under the idea's words on PostgreSQL; the caller keeps those its reader may see.
    """
    audience = permissions.Audience(reads_all=reads_all)
    if connection.vendor != "postgresql":
        return overlaps.overlaps_for_idea(user=audience, idea=idea, limit=limit, mine=mine)
    words = f"{idea.title}\x00{idea.problem}\x00{idea.services}\x00{mine}\x00{limit}"
    digest = hashlib.md5(words.encode(), usedforsecurity=False).hexdigest()
    key = f"ideas:overlaps:{idea.pk}:{digest}:{int(reads_all)}"
    ranked = cache.get(key)
    if ranked is None:
        ranked = overlaps.overlaps_for_idea(user=audience, idea=idea, limit=limit, mine=mine)
        cache.set(key, ranked, SECONDS)
    return ranked


def overlaps_for_idea_page(*, user: User, idea: Idea, limit: int = 5) -> list[overlaps.Overlap]:
    if connection.vendor != "postgresql" or not user.is_authenticated:
        return overlaps.overlaps_for_idea(user=user, idea=idea, limit=limit)
    # Read the kept overlaps when the query that loaded the idea says they were worked out (or did not say).
    if not idea.stage.is_draft and idea_page.has(idea, "kept_overlaps"):
        kept = overlaps_kept.for_idea_page(user=user, idea_id=idea.pk, limit=limit)
        if kept is not None:
            return kept
    ranked = ranked_for_audience(idea=idea, reads_all=permissions.reads_confidential(user))
    if not ranked:
        return []
    mine = dict(
        visible_ideas(user=user)
        .exclude(stage__kind=StageKind.DRAFT)  # not even the viewer's own: a draft is no overlap
        .filter(pk__in=[overlap.idea_id for overlap in ranked])
        .annotate(is_mine=permissions.owned_filter(user))
        .values_list("pk", "is_mine")
    )
    shown = []
    for overlap in ranked:
        if overlap.idea_id in mine:
            shown.append(copy.copy(overlap))
            shown[-1].is_mine = bool(mine[overlap.idea_id])
        if len(shown) == limit:
            break
    return shown
