"""The idea page's overlaps (ideas.overlaps_page): ranked once for an audience and kept a few
minutes, but who may see each overlap, and whether it is theirs, read afresh on every request."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ideas import idea_page, overlaps_page, permissions
from ideas.models import Idea
from tests.factories import make_idea

pytestmark = pytest.mark.django_db

FALLS = "Falls sensors for older people living alone"


def ids(found) -> list[int]:
    return [o.idea_id for o in found]


def test_the_ranking_is_kept_but_visibility_and_ownership_are_read_each_time(people):
    officer, other = people["officer"], people["officer_other"]
    made = make_idea(other, at="triage", title=FALLS)
    close = make_idea(officer, at="triage", title="Falls sensors for older residents living alone")
    # Loaded as the page loads it: the query says its overlaps were never worked out, so they are ranked.
    page_idea = idea_page.with_presence(Idea.objects.select_related("stage")).get(pk=made.pk)
    assert not idea_page.has(page_idea, "kept_overlaps")

    first = overlaps_page.overlaps_for_idea_page(user=officer, idea=page_idea)
    assert ids(first) == [close.pk] and first[0].is_mine  # the officer's own idea is marked as hers
    # Another viewer of the same kind reuses the ranking (one query: the ranked ideas they may see)...
    permissions.reads_confidential(other)  # their roles, read once per request anyway
    with CaptureQueriesContext(connection) as queries:
        theirs = overlaps_page.overlaps_for_idea_page(user=other, idea=page_idea)
    assert len(queries) == 1
    assert ids(theirs) == [close.pk] and not theirs[0].is_mine  # ...and it is not theirs
    assert first[0].is_mine  # the first viewer's copy was not changed

    # Made confidential after the ranking was kept: gone at once for those who may not see it.
    Idea.objects.filter(pk=close.pk).update(is_confidential=True)
    assert overlaps_page.overlaps_for_idea_page(user=other, idea=page_idea) == []
    assert ids(overlaps_page.overlaps_for_idea_page(user=officer, idea=page_idea)) == [close.pk]  # still hers
    # Roles that read every confidential idea get their own ranking, which has it.
    assert ids(overlaps_page.overlaps_for_idea_page(user=people["secretary"], idea=page_idea)) == [close.pk]


def test_a_changed_title_is_ranked_again(people):
    officer, other = people["officer"], people["officer_other"]
    page_idea = make_idea(other, at="triage", title="Drone surveys of cemetery land", problem="Grave plots are mapped by hand.")
    close = make_idea(officer, at="triage", title="Falls sensors for older residents living alone")
    assert overlaps_page.overlaps_for_idea_page(user=officer, idea=page_idea) == []
    page_idea.title = FALLS
    page_idea.save(update_fields=["title"])
    assert ids(overlaps_page.overlaps_for_idea_page(user=officer, idea=page_idea)) == [close.pk]


def test_drafts_never_appear_even_from_a_kept_ranking(people):
    officer, other = people["officer"], people["officer_other"]
    page_idea = make_idea(other, at="triage", title=FALLS)
    close = make_idea(officer, at="triage", title="Falls sensors for older residents living alone")
    assert ids(overlaps_page.overlaps_for_idea_page(user=other, idea=page_idea)) == [close.pk]
    draft_stage = Idea.objects.get(pk=make_idea(officer, at="draft", title="x").pk).stage
    Idea.objects.filter(pk=close.pk).update(stage=draft_stage)  # back to a draft (say, by an admin)
    assert overlaps_page.overlaps_for_idea_page(user=other, idea=page_idea) == []
    assert overlaps_page.overlaps_for_idea_page(user=officer, idea=page_idea) == []

