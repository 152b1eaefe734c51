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
