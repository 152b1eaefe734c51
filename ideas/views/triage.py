"""The Board secretary's triage view: incoming ideas grouped with the ideas they overlap.

Thin: the permission is ``permissions.can_see_triage_queue``, the incoming ideas come from
``selectors.ideas_needing_secretary`` and the groups from ``ideas.triage``. The quick actions
(merge, link) are links to their own pages, which check again who is asking.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_safe

from .. import overlaps_kept, permissions, selectors, triage

TRIAGE_LIMIT = 25  # incoming ideas grouped on one page, longest waiting first


@require_safe
def triage_view(request: HttpRequest) -> HttpResponse:
    if not permissions.can_see_triage_queue(request.user):
        raise PermissionDenied("Only the Board secretary triages ideas.")
    rows = list(
        selectors.ideas_needing_secretary(user=request.user).prefetch_related("co_owners", "reviews")[
            : TRIAGE_LIMIT + 1
        ]
    )
    found = triage.triage_clusters(user=request.user, incoming=rows[:TRIAGE_LIMIT], more=len(rows) > TRIAGE_LIMIT)
    if found.unchecked:  # a task lost on the way, or ideas from before overlaps were kept: ask again
        overlaps_kept.enqueue_unchecked(sorted(found.unchecked))
    return render(request, "ideas/triage.html", {"triage": found, "limit": TRIAGE_LIMIT})


urlpatterns = [
    path("triage/", triage_view, name="triage"),
]
