"""The portfolio's aggregates on small known data, for readers who may and may not see a confidential idea."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from ideas.models import Idea, StageChange
from portfolio import selectors
from portfolio.models import BenefitRecord, DeliveryStatus, DeliveryUpdate
from tests.factories import stage, transition
from tests.portfolio.builders import D, decide_series, idea, system

pytestmark = pytest.mark.django_db


@pytest.fixture
def systems(db):
    return system("Alpha ledger"), system("Beta maps")


@pytest.fixture
def portfolio(people, department, other_department, systems):
    """Six ideas around two systems: approved, in delivery, in the pipeline, closed, a draft, and a confidential one."""
    officer, other = people["officer"], people["officer_other"]
    s1, s2 = systems
    return {
        "approved": idea(officer, "approved", title="Approved", one_off="100", recurring="10", savings="1000",
                         systems=[(s1, "50")], outputs=[("Approved data", [other_department, department])]),
        "delivery": idea(officer, "in-delivery", title="Delivering", one_off="200", recurring="20", savings="2000",
                         systems=[(s1, "30"), (s2, "5")], outputs=[("Delivery data", [other_department])]),
        "pipeline": idea(other, "triage", title="In triage", one_off="1000", systems=[(s1, "7")],
                         outputs=[("Triage data", [department])]),
        "closed": idea(officer, "rejected", title="Rejected", one_off="5000", systems=[(s1, "1")]),
        "draft": idea(officer, "draft", title="Draft", one_off="9999", systems=[(s1, "999")],
                      outputs=[("Draft data", [other_department])]),
        "secret": idea(officer, "business-case-review", title="Secret", one_off="300", recurring="3",
                       systems=[(s1, "40")], outputs=[("Secret data", [other_department])], is_confidential=True),
    }


def _load(loads, system):
    return next(load for load in loads if load.system == system)


def test_approved_stages_come_from_the_workflow():
    approved = selectors.approved_stage_ids()
    expected = {stage(slug).pk for slug in ("approved", "approved-with-conditions", "in-delivery", "delivered")}
    assert approved == expected


def test_system_load_splits_approved_from_pipeline_and_skips_drafts_and_closed(people, portfolio, systems):
    s1, s2 = systems
    approved = selectors.approved_stage_ids()
    load = _load(selectors.system_loads(user=people["board_member"], approved_ids=approved), s1)
    assert (load.approved.ideas, load.approved.integration, load.approved.one_off, load.approved.recurring) == (
        2, D("80"), D("300"), D("30"))
    assert (load.pipeline.ideas, load.pipeline.integration, load.pipeline.one_off, load.pipeline.recurring) == (
        2, D("47"), D("1300"), D("3"))
    # The system's load is the integration recorded on its links; the ideas' own costs stay apart,
    # and one-off money is never added to yearly money.
    assert load.integration == D("80") + D("47")
    assert not hasattr(load, "total") and not hasattr(load.approved, "total")
    beta = _load(selectors.system_loads(user=people["board_member"], approved_ids=approved), s2)
    assert (beta.approved.ideas, beta.approved.integration, beta.pipeline.ideas) == (1, D("5"), 0)


def test_system_load_leaves_out_a_confidential_idea_for_those_who_may_not_see_it(people, portfolio, systems):
    s1, _ = systems
    load = _load(selectors.system_loads(user=people["officer_other"], approved_ids=selectors.approved_stage_ids()), s1)
    assert (load.pipeline.ideas, load.pipeline.integration, load.pipeline.one_off) == (1, D("7"), D("1000"))


def test_systems_rank_by_integration_cost_on_the_system_first(people, portfolio, systems):
    s1, s2 = systems
    loads = selectors.system_loads(user=people["board_member"], approved_ids=selectors.approved_stage_ids())
    assert [load.system for load in loads[:2]] == [s1, s2]
    # A costly idea with a cheap link does not make its system look loaded.
    s3 = system("Gamma forms")
    idea(people["officer"], "approved", title="Expensive, light touch", one_off="900000", recurring="90000",
         systems=[(s3, "10"), (s2, "100")])
    loads = selectors.system_loads(user=people["board_member"], approved_ids=selectors.approved_stage_ids())
    assert [(load.system, load.integration) for load in loads[:3]] == [(s1, D("127")), (s2, D("105")), (s3, D("10"))]
    gamma = _load(loads, s3)
    assert (gamma.approved.integration, gamma.approved.one_off, gamma.approved.recurring) == (
        D("10"), D("900000"), D("90000"))
    by_one_off = selectors.system_loads(user=people["board_member"], approved_ids=selectors.approved_stage_ids(), sort="one_off")
    assert [load.system for load in by_one_off[:3]] == [s2, s3, s1]
    by_name = selectors.system_loads(user=people["board_member"], approved_ids=selectors.approved_stage_ids(), sort="name")
    assert [load.system.name for load in by_name] == sorted((load.system.name for load in by_name), key=str.lower)


def test_system_page_groups_ideas_by_stage(people, portfolio, systems):
    s1, _ = systems
    groups = selectors.system_stage_summary(user=people["board_member"], system=s1, approved_ids=selectors.approved_stage_ids())
    assert [(g.name, g.category, g.ideas, g.integration) for g in groups] == [
        ("Triage", "pipeline", 1, D("7")),
        ("Business case review", "pipeline", 1, D("40")),
        ("Approved", "approved", 1, D("50")),
        ("In delivery", "approved", 1, D("30")),
        ("Rejected", "closed", 1, D("1")),
    ]
    links = list(selectors.system_links(user=people["board_member"], system=s1))
    assert [link.idea.title for link in links] == ["In triage", "Secret", "Approved", "Delivering", "Rejected"]
    assert "Secret" not in [link.idea.title for link in selectors.system_links(user=people["officer_other"], system=s1)]


def test_data_register_lists_outputs_with_who_values_them(people, portfolio, department, other_department):
    outputs = list(selectors.data_outputs(user=people["board_member"]))
    assert [o.description for o in outputs] == ["Approved data", "Delivery data", "Secret data", "Triage data"]
    approved = outputs[0]
    assert {d.name for d in approved.valued_by.all()} == {department.name, other_department.name}
    housing = selectors.data_outputs(user=people["board_member"], department_id=department.pk)
    assert [o.description for o in housing] == ["Approved data", "Triage data"]
    assert [o.description for o in selectors.data_outputs(user=people["board_member"], q="triage")] == ["Triage data"]
    assert [o.description for o in selectors.data_outputs(user=people["officer_other"])] == [
        "Approved data", "Delivery data", "Triage data"]


def test_department_page_counts_sources(people, portfolio, department, other_department):
    rows = selectors.data_sources_for_department(user=people["board_member"], department=other_department)
    assert [(r["dataoutput__idea__department__name"], r["ideas"], r["outputs"]) for r in rows] == [
        (department.name, 3, 3)]
    received = selectors.data_for_department(user=people["board_member"], department=other_department)
    assert {o.description for o in received} == {"Approved data", "Delivery data", "Secret data"}


def test_data_flow_matrix_counts_producer_by_receiver(people, portfolio, department, other_department):
    flows = selectors.data_flow_matrix(user=people["board_member"])
    assert flows.counts == {(department.pk, other_department.pk): 3, (department.pk, department.pk): 1,
                            (other_department.pk, department.pk): 1}
    assert flows.total == 5
    rows = {producer.pk: (cells, total) for producer, cells, total in flows.rows()}
    receivers = [r.pk for r in flows.receivers]
    assert rows[department.pk][1] == 4
    assert rows[department.pk][0][receivers.index(other_department.pk)] == 3
    assert sum(flows.column_totals()) == 5
    hidden = selectors.data_flow_matrix(user=people["officer_other"])
    assert hidden.counts[(department.pk, other_department.pk)] == 2


def test_prioritisation_ranks_by_score_then_savings_and_adds_up_cost(people, systems):
    officer = people["officer"]
    s1, _ = systems
    low = idea(officer, "ready-for-board", title="Low", one_off="10", weighted_score=D("2.00"))
    top_small = idea(officer, "ready-for-board", title="Top, small savings", one_off="100", recurring="10",
                     savings="5", systems=[(s1, "40")], weighted_score=D("4.50"))
    top_big = idea(officer, "ready-for-board", title="Top, big savings", savings="500", weighted_score=D("4.50"))
    unscored = idea(officer, "ready-for-board", title="Unscored")
    idea(officer, "triage", title="Not ready", weighted_score=D("5.00"))
    ranked = list(selectors.ready_for_board(user=people["board_member"]))
    assert ranked == [top_big, top_small, low, unscored]
    assert ranked[1].total_cost == D("150")
    with_system = selectors.ready_for_board(user=people["board_member"], filters=selectors.PriorityFilters(system_id=s1.pk))
    assert list(with_system) == [top_small]
    scored = selectors.ready_for_board(user=people["board_member"], filters=selectors.PriorityFilters(min_score=D("3")))
    assert list(scored) == [top_big, top_small]


def test_delivery_shows_stalled_and_realised_against_expected(people, settings):
    settings.PORTFOLIO_STALLED_DAYS = 30
    officer = people["officer"]
    now = timezone.now()
    idea(officer, "approved", title="Quiet", savings="1200", stage_entered_at=now - timedelta(days=40))
    off = idea(officer, "in-delivery", title="Off track", savings="100")
    fine = idea(officer, "in-delivery", title="Fine", savings="300", one_off="50")
    done = idea(officer, "delivered", title="Delivered", savings="10")
    idea(officer, "ready-for-board", title="Not approved", savings="99999")
    DeliveryUpdate.objects.create(idea=off, status=DeliveryStatus.OFF_TRACK, percent_complete=10, narrative="x", by=officer)
    DeliveryUpdate.objects.create(idea=fine, status=DeliveryStatus.AT_RISK, percent_complete=20, narrative="x",
                                  by=officer, at=now - timedelta(days=60))
    DeliveryUpdate.objects.create(idea=fine, status=DeliveryStatus.ON_TRACK, percent_complete=50, narrative="x", by=officer)
    DeliveryUpdate.objects.create(idea=done, status=DeliveryStatus.COMPLETE, percent_complete=100, narrative="x",
                                  by=officer, at=now - timedelta(days=300))
    BenefitRecord.objects.create(idea=fine, period=date.today() - timedelta(days=10), cash_realised=D("1000"), by=officer)
    BenefitRecord.objects.create(idea=fine, period=date.today() - timedelta(days=400), cash_realised=D("500"), by=officer)
    approved = selectors.approved_stage_ids()
    rows = {i.title: i for i in selectors.delivery_ideas(user=people["board_member"], approved_ids=approved)}
    assert set(rows) == {"Quiet", "Off track", "Fine", "Delivered"}
    assert {t for t, i in rows.items() if i.stalled} == {"Quiet", "Off track"}
    assert (rows["Fine"].latest_status, rows["Fine"].latest_percent) == ("on_track", 50)
    assert (rows["Fine"].realised_total, rows["Fine"].realised_year, rows["Fine"].expected_year) == (
        D("1500"), D("1000"), D("300"))
    assert rows["Quiet"].realised_total == D("0")
    stalled = selectors.delivery_ideas(user=people["board_member"], approved_ids=approved, stalled_only=True)
    assert {i.title for i in stalled} == {"Quiet", "Off track"}
    totals = selectors.delivery_totals(user=people["board_member"], approved_ids=approved)
    assert (totals["ideas"], totals["expected_year"], totals["realised_total"], totals["realised_year"],
            totals["stalled"], totals["one_off"]) == (4, D("1610"), D("1500"), D("1000"), 2, D("50"))


def _filters(**kwargs):
    today = timezone.localdate()
    return selectors.DashboardFilters(date_from=today - timedelta(days=365), date_to=today, **kwargs)


def test_dashboard_counts_per_stage_and_department(people, department, other_department):
    officer, other = people["officer"], people["officer_other"]
    now = timezone.now()
    idea(officer, "triage", title="A")
    idea(officer, "triage", title="B")
    idea(other, "approved", title="C")
    idea(officer, "triage", title="Old", submitted_at=now - timedelta(days=800))
    idea(officer, "draft", title="Draft")
    per_stage = selectors.ideas_per_stage(user=people["board_member"], filters=_filters())
    assert per_stage == {stage("triage").pk: 2, stage("approved").pk: 1}
    only_housing = selectors.ideas_per_stage(user=people["board_member"], filters=_filters(department_id=other_department.pk))
    assert only_housing == {stage("approved").pk: 1}
    per_month = selectors.ideas_per_department_month(user=people["board_member"], filters=_filters())
    month = timezone.localdate().replace(day=1)
    assert per_month == {(department.pk, month): 2, (other_department.pk, month): 1}


def test_decisions_by_outcome_count_the_boards_decisions_not_stage_changes(people):
    officer, secretary = people["officer"], people["secretary"]
    decide_series(people, ["approve", "defer", "approve", "more_information", "defer", "reject", "approve",
                            "approve_with_conditions", "park"])
    # Moves that carry an outcome but were not decided by the Board at a meeting: not decisions.
    for title in ("Moved by hand", "Moved by hand again"):
        made = idea(officer, "approved", title=title)
        StageChange.objects.create(idea=made, transition=transition("ready-for-board", "approved"),
                                   from_stage=stage("ready-for-board"), to_stage=stage("approved"), by=secretary)
    other = idea(officer, "triage", title="Not a decision")
    StageChange.objects.create(idea=other, transition=transition("submitted", "triage"), from_stage=stage("submitted"),
                               to_stage=stage("triage"), by=secretary)
    assert selectors.decisions_by_outcome(user=people["board_member"], filters=_filters()) == {
        "approve": 3, "defer": 2, "more_information": 1, "reject": 1, "approve_with_conditions": 1, "park": 1,
    }
    # Another department's view, and a period before the meeting, count none of them.
    assert selectors.decisions_by_outcome(
        user=people["board_member"], filters=_filters(department_id=people["officer_other"].department_id)) == {}
    long_ago = selectors.DashboardFilters(date_from=timezone.localdate() - timedelta(days=400),
                                          date_to=timezone.localdate() - timedelta(days=30))
    assert selectors.decisions_by_outcome(user=people["board_member"], filters=long_ago) == {}


def test_median_days_in_each_stage(people, monkeypatch):
    officer, secretary = people["officer"], people["secretary"]
    start = timezone.now() - timedelta(days=30)

    def history(title, submitted_after, triaged_after):
        made = idea(officer, "triage", title=title, created_at=start)
        StageChange.objects.create(idea=made, from_stage=stage("draft"), to_stage=stage("submitted"), by=officer,
                                   at=start + timedelta(days=submitted_after))
        StageChange.objects.create(idea=made, from_stage=stage("submitted"), to_stage=stage("triage"), by=secretary,
                                   at=start + timedelta(days=triaged_after))

    history("Quick", 2, 5)  # 2 days in draft, 3 in submitted
    history("Slow", 4, 6)  # 4 days in draft, 2 in submitted
    medians = selectors.median_days_in_stage(user=people["board_member"], filters=_filters())
    assert medians[stage("draft").pk] == pytest.approx((3.0, 2))
    assert medians[stage("submitted").pk] == pytest.approx((2.5, 2))
    # The laptop path (SQLite: medians taken in Python) gives the same figures.
    monkeypatch.setattr(connection, "vendor", "sqlite")
    laptop = selectors.median_days_in_stage(user=people["board_member"], filters=_filters())
    assert set(laptop) == set(medians)
    for stage_id, (median, count) in medians.items():
        assert laptop[stage_id] == (pytest.approx(median), count)


def test_approved_cost_against_benefit_per_department(people, department):
    officer = people["officer"]
    idea(officer, "approved", title="A", one_off="100", recurring="10", savings="1000", systems=[(system("S"), "5")])
    idea(officer, "in-delivery", title="B", one_off="200", savings="50")
    idea(officer, "triage", title="Not approved", one_off="999", savings="999")
    rows = selectors.approved_cost_and_benefit(user=people["board_member"], filters=_filters(),
                                               approved_ids=selectors.approved_stage_ids())
    assert rows == [{"department_id": department.pk, "ideas": 2, "one_off": D("305"), "recurring": D("10"),
                     "savings": D("1050")}]


def test_confidential_idea_counts_only_for_those_who_may_see_it_on_dashboards(people):
    officer = people["officer"]
    idea(officer, "triage", title="Secret", is_confidential=True)
    idea(officer, "triage", title="Open")
    assert selectors.ideas_per_stage(user=people["board_member"], filters=_filters()) == {stage("triage").pk: 2}
    assert selectors.ideas_per_stage(user=people["officer_other"], filters=_filters()) == {stage("triage").pk: 1}
    assert Idea.objects.count() == 2
    assert Decimal("0") == selectors.ZERO
