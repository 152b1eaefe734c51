"""Similar ideas on an idea's own page: the ranking kept a few minutes, visibility read afresh."""

from __future__ import annotations

import hashlib

from harrow_innovation.people.models import User

from . import similarity
from .models import Idea, StageKind
from .selectors import LIST_COLUMNS, visible_ideas

# How long an idea page's ranking of similar ideas is reused, and how many are ranked so that
# enough remain after the viewer's visibility filter.
SIMILAR_FOR_PAGE_SECONDS = 300
_SIMILAR_RANKED = 15


def similar_for_idea_page(*, user: User, idea: Idea, limit: int = 5) -> list[Idea]:
    """``selectors.similar_ideas`` for an idea's own page, its ranking reused for a few minutes.

    The ranking (the costly part: a few thousand index entries and trigram comparisons) is
    the same for every viewer, so it is made once over every idea that is not a draft, kept
    for ``SIMILAR_FOR_PAGE_SECONDS`` under the idea's title and problem, and each request
    reads only the ranked ideas ``user`` may see, afresh (one query on primary keys): a
    confidential idea or a changed title is never shown from the cache. A new lookalike
    appears on older ideas' pages within those minutes; the drafting panel is never cached.
    """
    from django.core.cache import cache

    text = f"{idea.title}\x00{idea.problem}"
    if len(text.strip()) < 4:
        return []
    digest = hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()
    key = f"ideas:similar:{idea.pk}:{digest}"
    ranked = cache.get(key)
    if ranked is None:
        everyone = Idea.objects.exclude(stage__kind=StageKind.DRAFT).only("id")
        if similarity.uses_postings():
            found = similarity.similar_on_postgresql(
                everyone, title=idea.title, problem=idea.problem, exclude_id=idea.pk, limit=_SIMILAR_RANKED)
        else:
            found = similarity.similar_elsewhere(
                everyone.exclude(pk=idea.pk).only("id", "search_text"), total=Idea.objects.count(),
                title=idea.title, problem=idea.problem, limit=_SIMILAR_RANKED)
        ranked = [(other.pk, float(other.similarity)) for other in found]
        cache.set(key, ranked, SIMILAR_FOR_PAGE_SECONDS)
    if not ranked:
        return []
    score = dict(ranked)
    shown = list(
        visible_ideas(user=user).exclude(stage__kind=StageKind.DRAFT).filter(pk__in=list(score))
        .select_related("stage", "department").only(*LIST_COLUMNS)
    )
    for other in shown:
        other.similarity = score[other.pk]
    shown.sort(key=lambda other: (-other.similarity, -other.pk))
    return shown[:limit]
