"""The idea page's shared parts: rendered once per version of the rows they show, then cached.

Everyone who may see an idea sees the same record (summary, business case,
systems, outputs, people, attachments, reviews), the same comments and the same
timeline. Only the header, the actions, the similar ideas and the comment form
depend on who is looking or on other ideas, and those are rendered on every
request. The shared parts are rendered without the request (no context
processors, no user), so nothing about one viewer can reach another.

They are cached under a key that PostgreSQL computes in the query that loads the
idea (``SIGNATURE_SQL``): a digest of every row they show, as whole rows, so a
changed value or a new column changes the key without being listed here; plus
the deployed code (``code_version``). A change is therefore seen on the very
next request, whoever made it and however (service, admin, SQL). A *table* the
fragments start to show must be added to the signature:
tests/ideas/test_idea_page_cache.py changes each one and checks the page.

On a cache hit the page skips the queries for the record's rows (departments,
systems, outputs, attachments, scores, comments, events). Elsewhere than
PostgreSQL there is no signature and the parts are rendered every time.
"""

from __future__ import annotations

import hashlib
import os
from functools import cache

import django
from django.conf import settings
from django.core.cache import cache as default_cache
from django.db import connection
from django.db.models import Prefetch, QuerySet
from django.db.models.expressions import RawSQL
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from .models import Attachment, Comment, DataOutput, Idea, IdeaCentralSystem, Score
from .resource_models import resource_prefetches

PARTS = {
    "record_html": "ideas/browsing/_idea_record.html",
    "comments_html": "ideas/browsing/_idea_comments.html",
    "timeline_html": "ideas/browsing/_idea_timeline.html",
}
TIMEOUT = 24 * 60 * 60  # keys change with the rows; this only lets unused versions go

# Whole rows, in a fixed order, of everything the shared parts show. ``ideas_idea`` is the
# outer query's idea. Users appear whole (a login changes last_login, so an owner's page is
# rendered once more after they sign in: a wasted render, never a stale one).
SIGNATURE_SQL = """md5(concat_ws('|',
    ROW(ideas_idea.*)::text,
    (SELECT ROW(u.*, d.*)::text FROM people_user u LEFT JOIN people_department d ON d.id = u.department_id
      WHERE u.id = ideas_idea.owner_id),
    (SELECT string_agg(ROW(l.*, d.*)::text, ',' ORDER BY l.id) FROM ideas_idea_departments l
      JOIN people_department d ON d.id = l.department_id WHERE l.idea_id = ideas_idea.id),
    (SELECT string_agg(ROW(l.*, u.*)::text, ',' ORDER BY l.id) FROM ideas_idea_co_owners l
      JOIN people_user u ON u.id = l.user_id WHERE l.idea_id = ideas_idea.id),
    (SELECT string_agg(ROW(l.*, s.*)::text, ',' ORDER BY l.id) FROM ideas_ideacentralsystem l
      JOIN ideas_centralsystem s ON s.id = l.system_id WHERE l.idea_id = ideas_idea.id),
    (SELECT string_agg(ROW(o.*)::text, ',' ORDER BY o.id) FROM ideas_dataoutput o WHERE o.idea_id = ideas_idea.id),
    (SELECT string_agg(ROW(v.*, d.*)::text, ',' ORDER BY v.id) FROM ideas_dataoutput_valued_by v
      JOIN ideas_dataoutput o ON o.id = v.dataoutput_id JOIN people_department d ON d.id = v.department_id
      WHERE o.idea_id = ideas_idea.id),
    (SELECT string_agg(ROW(a.*)::text, ',' ORDER BY a.id) FROM ideas_attachment a WHERE a.idea_id = ideas_idea.id),
    (SELECT string_agg(ROW(r.*, u.*, s.*)::text, ',' ORDER BY r.id) FROM ideas_review r
      JOIN people_user u ON u.id = r.reviewer_id JOIN ideas_stage s ON s.id = r.stage_id
      WHERE r.idea_id = ideas_idea.id),
    (SELECT string_agg(ROW(sc.*, c.*)::text, ',' ORDER BY sc.id) FROM ideas_score sc
      JOIN ideas_review r ON r.id = sc.review_id JOIN ideas_criterion c ON c.id = sc.criterion_id
      WHERE r.idea_id = ideas_idea.id),
    (SELECT string_agg(ROW(c.*, u.*)::text, ',' ORDER BY c.id) FROM ideas_comment c
      JOIN people_user u ON u.id = c.author_id WHERE c.idea_id = ideas_idea.id),
    (SELECT string_agg(ROW(e.*)::text, ',' ORDER BY e.id) FROM ideas_ideaevent e WHERE e.idea_id = ideas_idea.id),
    (SELECT string_agg(ROW(k.*, t.*, td.*)::text, ',' ORDER BY k.id) FROM ideas_resourceask k
      LEFT JOIN people_team t ON t.id = k.team_id LEFT JOIN people_department td ON td.id = t.department_id
      WHERE k.idea_id = ideas_idea.id),
    (SELECT string_agg(ROW(q.*)::text, ',' ORDER BY q.id) FROM ideas_resourceaskquarter q
      JOIN ideas_resourceask k ON k.id = q.ask_id WHERE k.idea_id = ideas_idea.id),
    (SELECT string_agg(ROW(x.*)::text, ',' ORDER BY x.id) FROM ideas_externalresource x WHERE x.idea_id = ideas_idea.id)
))"""


def with_signature(queryset: QuerySet[Idea]) -> QuerySet[Idea]:
    """``queryset`` with ``page_signature`` on each idea (None where the database is not PostgreSQL)."""
    if connection.vendor != "postgresql":
        return queryset
    return queryset.annotate(page_signature=RawSQL(SIGNATURE_SQL, []))  # noqa: S611 - fixed text, no input


# Which of the page's per-viewer sections have any rows at all, as bits of one integer computed in
# the query that loads the idea: a section with none (most ideas have no contributors, join
# requests, links, merges, data needs or central systems) is drawn empty without its queries. Index lookups only.
PRESENT_BITS = {
    "contributors": 1,
    "join_requests": 2,
    "links": 4,
    "merged_in": 8,
    "data_needs": 16,
    "dependants": 32,
    "system_links": 64,
    "kept_overlaps": 128,  # its overlaps have been worked out (ideas.overlaps_kept): read them, do not rank
}
PRESENT_SQL = """(
    CASE WHEN EXISTS (SELECT 1 FROM ideas_contributor x WHERE x.idea_id = ideas_idea.id) THEN 1 ELSE 0 END
  + CASE WHEN EXISTS (SELECT 1 FROM ideas_joinrequest x WHERE x.idea_id = ideas_idea.id) THEN 2 ELSE 0 END
  + CASE WHEN EXISTS (SELECT 1 FROM ideas_idealink x WHERE x.from_idea_id = ideas_idea.id)
           OR EXISTS (SELECT 1 FROM ideas_idealink x WHERE x.to_idea_id = ideas_idea.id) THEN 4 ELSE 0 END
  + CASE WHEN EXISTS (SELECT 1 FROM ideas_ideamerge x WHERE x.survivor_id = ideas_idea.id) THEN 8 ELSE 0 END
  + CASE WHEN EXISTS (SELECT 1 FROM ideas_datadependency x WHERE x.idea_id = ideas_idea.id) THEN 16 ELSE 0 END
  + CASE WHEN EXISTS (SELECT 1 FROM ideas_datadependency x JOIN ideas_dataoutput o ON o.id = x.output_id
                      WHERE o.idea_id = ideas_idea.id) THEN 32 ELSE 0 END
  + CASE WHEN EXISTS (SELECT 1 FROM ideas_ideacentralsystem x WHERE x.idea_id = ideas_idea.id) THEN 64 ELSE 0 END
  + CASE WHEN EXISTS (SELECT 1 FROM ideas_overlapcheck x WHERE x.idea_id = ideas_idea.id) THEN 128 ELSE 0 END
)"""


def with_presence(queryset: QuerySet[Idea]) -> QuerySet[Idea]:
    """``queryset`` with ``page_present``: which per-viewer sections have rows (see ``has``)."""
    return queryset.annotate(page_present=RawSQL(PRESENT_SQL, []))  # noqa: S611 - fixed text, no input


def has(idea: Idea, section: str) -> bool:
    """Whether ``idea`` has any rows for ``section``; True when not known (loaded without ``with_presence``)."""
    present = getattr(idea, "page_present", None)
    return present is None or bool(present & PRESENT_BITS[section])


# What the shared parts read beyond what the page's permission checks load (owner, co-owners, reviews).
RECORD_PREFETCHES = (
    "departments",
    Prefetch("system_links", queryset=IdeaCentralSystem.objects.select_related("system")),
    Prefetch("data_outputs", queryset=DataOutput.objects.prefetch_related("valued_by")),
    Prefetch("attachments", queryset=Attachment.objects.filter(is_removed=False)),
    Prefetch("reviews__scores", queryset=Score.objects.select_related("criterion")),
    Prefetch("comments", queryset=Comment.objects.select_related("author")),
    "events",  # the timeline does not name the actor
    *resource_prefetches(),
)


@cache
def code_version() -> str:
    """A digest of the deployed code and templates and of Django's version: a deploy starts new keys."""
    digest = hashlib.md5(django.get_version().encode(), usedforsecurity=False)
    base = str(settings.BASE_DIR)
    for root, dirs, files in os.walk(base):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in {"var", "static", "node_modules", "tests"})
        for name in sorted(files):
            if name.endswith((".py", ".html", ".txt")):
                path = os.path.join(root, name)
                digest.update(path[len(base):].encode())
                with open(path, "rb") as handle:
                    digest.update(handle.read())
    return digest.hexdigest()


def cache_key(idea: Idea) -> str | None:
    signature = getattr(idea, "page_signature", None)
    if not signature:
        return None
    return f"ideas:page:{idea.pk}:{signature}:{code_version()}"


def shared_parts(*, idea: Idea, submitted_reviews: list, reviews_waiting: int) -> dict[str, str]:
    """The record, comments and timeline HTML: from the cache, or rendered (and kept) if not there.

    ``submitted_reviews`` and ``reviews_waiting`` come from ``idea.reviews`` as the view
    reads them for its own checks.
    """
    key = cache_key(idea)
    if key is not None:
        cached = default_cache.get(key)
        if cached is not None:
            return {name: mark_safe(html) for name, html in cached.items()}  # noqa: S308 - our own rendering
    from django.db.models import prefetch_related_objects

    prefetch_related_objects([idea], *RECORD_PREFETCHES)
    context = {
        "idea": idea,
        "submitted_reviews": submitted_reviews,
        "reviews_waiting": reviews_waiting,
        "comments": list(idea.comments.all()),
        "events": list(idea.events.all()),
    }
    parts = {name: render_to_string(template, context) for name, template in PARTS.items()}
    if key is not None:
        default_cache.set(key, {name: str(html) for name, html in parts.items()}, TIMEOUT)
    return parts
