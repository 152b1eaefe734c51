"""Two workers working out the same idea's kept overlaps at once (a task delivered twice, or the hourly job
meeting the task after a change), on two real PostgreSQL connections: the second waits for the first's row
lock, then replaces its rows; neither fails and no row is kept twice."""

from __future__ import annotations

import pytest

from ideas import overlaps_kept
from ideas.models import KeptOverlap, OverlapCheck
from tests.concurrency import hold_then_race
from tests.factories import make_idea
from tests.services import need_postgres

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_refreshes_of_one_idea_at_once_keep_one_ranking(people):
    need_postgres()
    falls = {"problem": "Older people who fall at home can lie for hours before anyone knows.",
             "solution": "Sensors that alert a carer when someone falls."}
    asc = make_idea(people["officer"], at="triage", title="Falls sensors for older people living alone", **falls)
    housing = make_idea(people["officer_other"], at="triage", title="Falls sensors in sheltered flats", **falls)

    first, second = hold_then_race(
        lambda: overlaps_kept.refresh(asc.pk, tell_others=False),
        lambda: overlaps_kept.refresh(asc.pk, tell_others=False),
    )

    assert first == second == {"idea": asc.pk, "overlaps": 1, "others_checked_again": 0}, (first, second)
    assert list(KeptOverlap.objects.values_list("idea", "other", "rank")) == [(asc.pk, housing.pk, 1)]
    assert OverlapCheck.objects.filter(idea=asc).count() == 1
