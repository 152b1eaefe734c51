from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from harrow_innovation.people.roles import Role
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "https://innovation.example.gov.uk"


@pytest.fixture
def board(people):
    """A Board with the board member and the secretary on it."""
    from board.models import Board, BoardRole, Membership

    board = Board.objects.create(name="Innovation Board")
    Membership.objects.create(board=board, user=people["board_member"], role=BoardRole.COUNCILLOR)
    Membership.objects.create(board=board, user=people["secretary"], role=BoardRole.SECRETARY)
    return board


@pytest.fixture
def meeting(board, people):
    from board.models import Meeting

    return Meeting.objects.create(
        board=board, starts_at=timezone.now() + timedelta(days=7), created_by=people["secretary"]
    )


@pytest.fixture
def member(board):
    from board.models import BoardRole, Membership

    user = UserFactory(full_name="Cllr Second Member", roles=[Role.BOARD_MEMBER])
    Membership.objects.create(board=board, user=user, role=BoardRole.COUNCILLOR)
    return user
