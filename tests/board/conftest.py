"""Fixtures for the Board meeting tests (the pack tests use tests/world_extras/packs.py)."""

from __future__ import annotations

import pytest

from tests.factories import make_idea
from tests.world_extras.board import future, make_board


@pytest.fixture
def innovation_board(people):
    return make_board(people)


@pytest.fixture
def secretary(people):
    return people["secretary"]


@pytest.fixture
def member(people):
    return people["board_member"]


@pytest.fixture
def officer(people):
    return people["officer"]


@pytest.fixture
def upcoming(innovation_board, secretary):
    """A planned meeting ten days from now, with an empty agenda."""
    from board import services

    return services.meeting_schedule(board=innovation_board, starts_at=future(10), by=secretary,
                                     location="Committee Room 1")


@pytest.fixture
def ready_idea(officer):
    return make_idea(officer, at="ready-for-board", title="Smart sensors for street lighting")


@pytest.fixture
def published(upcoming, ready_idea, secretary):
    """The upcoming meeting with one idea item and one other item, agenda published."""
    from board import services

    services.agenda_add_idea(meeting_id=upcoming.pk, idea_id=ready_idea.pk, by=secretary)
    services.agenda_add_free(meeting_id=upcoming.pk, by=secretary, title="Programme report")
    services.meeting_publish_agenda(meeting_id=upcoming.pk, by=secretary)
    upcoming.refresh_from_db()
    return upcoming


@pytest.fixture
def idea_item(published):
    return published.items.get(kind="idea")
