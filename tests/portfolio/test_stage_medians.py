"""The dashboards' kept medians of days in stage (portfolio.models.StageMedianSnapshot, issue 14).

Kept, not exact: a snapshot is shown with the time it was computed until the
hourly job (or its age) computes it again. Visibility stays exact whatever the
snapshot's age: a confidentiality change or a change in a viewer's own links
never shows anyone a stay they may not see. tests/portfolio/test_totals.py runs
the job after every step of its mixed series and compares every role's
medians with a fresh computation.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ideas import services as idea_services
from ideas.models import Idea, StageChange
from portfolio import selectors, services, totals
from portfolio.models import StageMedianSnapshot
from tests.factories import stage
from tests.portfolio.builders import idea

pytestmark = pytest.mark.django_db


def _filters():
    return selectors.DashboardFilters.default()


def _stays(owner, secretary, title, days_in_submitted, *, ago=20, **fields):
    """An idea that spent ``days_in_submitted`` days in "submitted" and left it ``ago`` days ago."""
    now = timezone.now()
    made = idea(owner, "triage", title=title, created_at=now - timedelta(days=ago + days_in_submitted + 1), **fields)
    StageChange.objects.create(
        idea=made,
        from_stage=stage("draft"),
        to_stage=stage("submitted"),
        by=owner,
        at=now - timedelta(days=ago + days_in_submitted),
    )
    StageChange.objects.create(
        idea=made, from_stage=stage("submitted"), to_stage=stage("triage"), by=secretary, at=now - timedelta(days=ago)
    )
    return made


def _submitted(medians):
    return medians.get(stage("submitted").pk)


def _fresh(user):
    return selectors.median_days_in_stage(user=user, filters=_filters(), counted=True)


def test_kept_medians_are_shown_as_of_their_time_until_the_job_or_their_age_computes_them_again(people):
    officer, secretary, board = people["officer"], people["secretary"], people["board_member"]
    _stays(officer, secretary, "Two days", 2)
    medians, as_of = selectors.median_days_in_stage_kept(user=board, filters=_filters())
    assert _submitted(medians) == (pytest.approx(2.0), 1) and as_of is not None

    _stays(officer, secretary, "Six days", 6)
    later = timezone.now() + timedelta(minutes=30)
    kept, kept_as_of = selectors.median_days_in_stage_kept(user=board, filters=_filters(), now=later)
    assert (kept, kept_as_of) == (medians, as_of)  # the snapshot, not the stays: it is what the page reads

    assert services.stage_medians_refresh(now=later) >= 1
    refreshed, refreshed_as_of = selectors.median_days_in_stage_kept(user=board, filters=_filters(), now=later)
    assert _submitted(refreshed) == (pytest.approx(4.0), 2) and refreshed_as_of == later
    assert refreshed == _fresh(board)

    # With no job running, a snapshot older than MEDIANS_STALE_AFTER is computed again when a page asks.
    _stays(officer, secretary, "Ten days", 10)
    much_later = later + totals.MEDIANS_STALE_AFTER + timedelta(minutes=1)
    aged, aged_as_of = selectors.median_days_in_stage_kept(user=board, filters=_filters(), now=much_later)
    assert _submitted(aged) == (pytest.approx(6.0), 3) and aged_as_of == much_later


def test_the_page_says_as_of_when_its_medians_were_computed(people):
    _stays(people["officer"], people["secretary"], "Two days", 2)
    browser = Client()
    browser.force_login(people["board_member"])
    response = browser.get(reverse("portfolio:dashboards"))
    as_of = StageMedianSnapshot.objects.get(viewer="all").computed_at
    assert response.status_code == 200
    assert f"These medians are as of {timezone.localtime(as_of):%-d %B %Y, %H:%M}" in response.content.decode()


def test_an_idea_made_confidential_leaves_the_medians_of_those_who_may_not_see_it_at_once(people):
    officer, secretary = people["officer"], people["secretary"]
    other, board = people["officer_other"], people["board_member"]
    _stays(officer, secretary, "Two days", 2)
    secret = _stays(officer, secretary, "Ten days", 10)
    assert _submitted(selectors.median_days_in_stage(user=other, filters=_filters())) == (pytest.approx(6.0), 2)
    assert _submitted(selectors.median_days_in_stage(user=board, filters=_filters())) == (pytest.approx(6.0), 2)

    Idea.objects.filter(pk=secret.pk).update(is_confidential=True)  # a bulk update, behind the services' back
    assert _submitted(selectors.median_days_in_stage(user=other, filters=_filters())) == (pytest.approx(2.0), 1)
    assert selectors.median_days_in_stage(user=other, filters=_filters()) == _fresh(other)
    # Roles that read every confidential idea keep their snapshot: it already counted the idea.
    assert StageMedianSnapshot.objects.filter(viewer="all").exists()
    assert _submitted(selectors.median_days_in_stage(user=board, filters=_filters())) == (pytest.approx(6.0), 2)


def test_a_reviewer_counts_a_confidential_idea_only_while_reviewing_it_whatever_the_snapshot_age(people):
    officer, secretary, reviewer = people["officer"], people["secretary"], people["reviewer"]
    _stays(officer, secretary, "Two days", 2)
    secret = _stays(people["officer_other"], secretary, "Ten days", 10, is_confidential=True)
    # The reviewer's own confidential idea (no stays in the period) keeps them a viewer of their own throughout.
    idea(reviewer, "triage", title="Their own secret", is_confidential=True)
    assert _submitted(selectors.median_days_in_stage(user=reviewer, filters=_filters())) == (pytest.approx(2.0), 1)

    review = idea_services.review_assign(idea_id=secret.pk, reviewer=reviewer, by=secretary)
    assert _submitted(selectors.median_days_in_stage(user=reviewer, filters=_filters())) == (pytest.approx(6.0), 2)
    assert StageMedianSnapshot.objects.filter(viewer=f"u{reviewer.pk}").exists()

    idea_services.review_cancel(review_id=review.pk, by=secretary)
    assert list(StageMedianSnapshot.objects.filter(viewer__startswith="u").values_list("viewer", flat=True)) == [
        f"u{reviewer.pk}"
    ]  # the same key: the snapshot made while reviewing is not used with the links changed
    assert _submitted(selectors.median_days_in_stage(user=reviewer, filters=_filters())) == (pytest.approx(2.0), 1)


def test_the_job_is_idempotent_and_forgets_snapshots_no_page_read_for_a_week(people):
    _stays(people["officer"], people["secretary"], "Two days", 2)
    for who in ("board_member", "officer_other", "reviewer"):
        selectors.median_days_in_stage(user=people[who], filters=_filters())
    now = timezone.now()
    services.stage_medians_refresh(now=now)
    first = sorted(
        StageMedianSnapshot.objects.values_list("date_from", "date_to", "department_id", "viewer", "medians")
    )
    services.stage_medians_refresh(now=now)
    assert (
        sorted(StageMedianSnapshot.objects.values_list("date_from", "date_to", "department_id", "viewer", "medians"))
        == first
    )
    assert {row[3] for row in first} == {"all", "open"}  # the officer and the reviewer see no confidential idea

    StageMedianSnapshot.objects.update(used_on=timezone.localdate(now) - timedelta(days=8))
    services.stage_medians_refresh(now=now)
    # Only today's default period for the shared classes of viewer, made ready for the day's first visit.
    assert sorted(StageMedianSnapshot.objects.values_list("viewer", flat=True)) == ["all", "open"]
    assert set(StageMedianSnapshot.objects.values_list("used_on", flat=True)) == {timezone.localdate(now)}


def test_the_job_is_declared_to_the_beat_schedule():
    from notifications.schedules import JOBS
    from portfolio.tasks import refresh_stage_medians

    assert [job.task for job in JOBS].count("portfolio.refresh_stage_medians") == 1
    assert refresh_stage_medians.name == "portfolio.refresh_stage_medians"
    assert refresh_stage_medians.run()["computed"] == 2  # today's default period, for "all" and "open"
