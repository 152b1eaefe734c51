"""ideas.services.lock_idea: the one way any app locks an idea (its row alone, then a fresh read)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ideas.models import Idea
from ideas.services import lock_idea
from tests.factories import make_idea

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_lock_idea_returns_the_idea_read_after_the_lock_with_its_stage(people, django_assert_num_queries):
    idea = make_idea(people["officer"], at="submitted")
    with django_assert_num_queries(2):  # the lock, then the read with stage and workflow
        locked = lock_idea(idea_id=idea.pk)
        assert (locked.stage.slug, locked.workflow.is_default) == ("submitted", True)
    with pytest.raises(Idea.DoesNotExist):
        lock_idea(idea_id=idea.pk + 1000)


@pytest.mark.parametrize("app", ["board", "portfolio"])
def test_other_apps_never_lock_ideas_themselves(app):
    # A select_for_update on Idea joined to its stage returns no row when the idea moves at the same moment.
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / app).rglob("*.py")
                 if "Idea.objects.select_for_update" in p.read_text()]
    assert offenders == []


@pytest.mark.django_db
def test_timeline_add_writes_one_line_cut_to_300_characters(people):
    from ideas.models import EventKind
    from ideas.services import timeline_add

    idea = make_idea(people["officer"], at="submitted")
    event = timeline_add(idea=idea, kind=EventKind.AGENDA, actor=people["secretary"], summary="x" * 400, detail="d")
    assert list(idea.events.values_list("pk", "kind", "detail")) == [(event.pk, EventKind.AGENDA, "d")]
    assert len(event.summary) == 300


@pytest.mark.django_db
def test_idea_park_sets_the_date_under_the_callers_lock_and_says_why_in_the_history(people):
    import datetime

    from ideas.services import idea_park

    idea = make_idea(people["officer"], at="parked")
    until = datetime.date(2031, 3, 1)
    parked = idea_park(idea=lock_idea(idea_id=idea.pk), until=until)
    assert parked.parked_until == until
    assert Idea.objects.get(pk=idea.pk).parked_until == until
    latest = idea.history.latest()
    assert (latest.parked_until, latest.history_change_reason) == (until, "Parked until 1 March 2031")
