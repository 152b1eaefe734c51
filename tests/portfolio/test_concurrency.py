"""An owner's delivery report racing another owner's move, on two real PostgreSQL connections."""

from __future__ import annotations

import pytest

from ideas import services as idea_services
from ideas.models import StageChange
from portfolio import services
from portfolio.models import DeliveryStatus, DeliveryUpdate
from tests.concurrency import hold_then_race
from tests.factories import make_idea, stage, transition
from tests.services import need_postgres

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_delivery_report_made_while_the_idea_is_marked_delivered_is_refused_cleanly(people):
    need_postgres()
    owner = people["officer"]
    idea = make_idea(owner, at="in-delivery")
    won, lost = hold_then_race(
        lambda: idea_services.idea_move(idea_id=idea.pk, transition=transition("in-delivery", "delivered"), by=owner,
                                        expected_stage_id=idea.stage_id),
        lambda: services.delivery_update_record(idea_id=idea.pk, by=owner, status=DeliveryStatus.ON_TRACK,
                                                percent_complete=50, narrative="Halfway."),
    )
    assert isinstance(won, StageChange), won
    assert isinstance(lost, services.PortfolioError), lost
    assert "it is at “Delivered”. Nothing was saved." in str(lost)
    idea.refresh_from_db()
    assert idea.stage == stage("delivered")
    assert not DeliveryUpdate.objects.exists()
