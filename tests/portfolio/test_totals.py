"""The portfolio's kept totals (portfolio/tallies.py, portfolio/totals.py) against fresh counts.

On PostgreSQL the central systems, data flows, register count and dashboards
read totals kept by triggers. After every change in a mixed series (made
through the ideas' and the Board's services, and behind their back with bulk
and raw SQL writes), every kept table must equal a fresh GROUP BY over the ideas
tables, and every figure a page reads must equal the row-counting form of the
same selector (``counted=True``, what SQLite runs), for every role's visibility.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Count, F, Sum, Value
from django.db.models.functions import Coalesce, TruncDate, TruncMonth
from django.utils import timezone

from ideas import services
from ideas.models import DataOutput, Idea, IdeaCentralSystem, StageChange, Workflow
from portfolio import selectors
from portfolio.models import FlowTally, OutputTally, PeriodTally, SystemTally
from portfolio.services import stage_medians_refresh
from tests.factories import COMPLETE_ANSWERS, UserFactory, stage, transition
from tests.ideas.test_visibility import ideas, users  # noqa: F401 - fixtures: one user per rule, one idea per kind
from tests.portfolio.builders import D, decide_series, idea, system

pytestmark = pytest.mark.django_db
ZERO = Decimal("0")


def test_the_database_is_postgresql():
    # The totals are kept by PostgreSQL triggers; on SQLite the pages count rows and there is nothing to compare.
    assert connection.vendor == "postgresql"


# --- Fresh counts of every kept table -------------------------------------------------------


def _nonzero(rows: dict) -> dict:
    return {k: v for k, v in rows.items() if any(x != 0 for x in v)}


def _money(name):
    return Coalesce(F(name), Value(ZERO))


def kept_systems():
    return _nonzero({(t.system_id, t.stage_id, t.is_confidential): (t.ideas, t.integration, t.one_off, t.recurring)
                     for t in SystemTally.objects.all()})


def fresh_systems():
    rows = (IdeaCentralSystem.objects.order_by().values("system_id", "idea__stage_id", "idea__is_confidential")
            .annotate(n=Count("pk"), integration=Sum("integration_cost"), one_off=Sum(_money("idea__one_off_cost")),
                      recurring=Sum(_money("idea__recurring_cost"))))
    return _nonzero({(r["system_id"], r["idea__stage_id"], r["idea__is_confidential"]):
                     (r["n"], r["integration"], r["one_off"], r["recurring"]) for r in rows})


def kept_outputs():
    return _nonzero({(t.producer_id, t.stage_id, t.is_confidential): (t.outputs,) for t in OutputTally.objects.all()})


def fresh_outputs():
    rows = (DataOutput.objects.order_by().values("idea__department_id", "idea__stage_id", "idea__is_confidential")
            .annotate(n=Count("pk")))
    return _nonzero({(r["idea__department_id"] or 0, r["idea__stage_id"], r["idea__is_confidential"]): (r["n"],)
                     for r in rows})


def kept_flows():
    return _nonzero({(t.producer_id, t.receiver_id, t.stage_id, t.is_confidential): (t.outputs, t.ideas)
                     for t in FlowTally.objects.all()})


def fresh_flows():
    through = DataOutput.valued_by.through
    rows = (through.objects.order_by()
            .values("dataoutput__idea__department_id", "department_id", "dataoutput__idea__stage_id",
                    "dataoutput__idea__is_confidential")
            .annotate(n=Count("pk"), ideas=Count("dataoutput__idea_id", distinct=True)))
    return _nonzero({(r["dataoutput__idea__department_id"] or 0, r["department_id"], r["dataoutput__idea__stage_id"],
                      r["dataoutput__idea__is_confidential"]): (r["n"], r["ideas"]) for r in rows})


def kept_periods():
    return _nonzero({(t.kind, t.period, t.department_id, t.stage_id, t.is_confidential):
                     (t.ideas, t.one_off, t.recurring, t.savings) for t in PeriodTally.objects.all()})


def fresh_periods():
    tz = timezone.get_current_timezone()
    out = {}
    for kind, trunc in (("m", TruncMonth("submitted_at", tzinfo=tz)), ("d", TruncDate("submitted_at", tzinfo=tz))):
        rows = (Idea.objects.filter(submitted_at__isnull=False).order_by().annotate(period=trunc)
                .values("period", "department_id", "stage_id", "is_confidential")
                .annotate(n=Count("pk"), one_off=Sum(_money("one_off_cost") + F("integration_cost")),
                          recurring=Sum(_money("recurring_cost")), savings=Sum(_money("cash_savings_per_year"))))
        for r in rows:
            period = r["period"].date() if isinstance(r["period"], datetime.datetime) else r["period"]
            out[(kind, period, r["department_id"] or 0, r["stage_id"], r["is_confidential"])] = (
                r["n"], r["one_off"], r["recurring"], r["savings"])
    return _nonzero(out)


KEPT_AND_FRESH = [(kept_systems, fresh_systems), (kept_outputs, fresh_outputs), (kept_flows, fresh_flows),
                  (kept_periods, fresh_periods)]


# --- Every figure a page reads, kept against counted, for every viewer ------------------------------


def _dashboard_filters(department_ids) -> list[selectors.DashboardFilters]:
    today = timezone.localdate()
    mid = today.replace(day=15)
    return [
        selectors.DashboardFilters.default(),
        selectors.DashboardFilters(date_from=today - datetime.timedelta(days=3 * 365), date_to=today + datetime.timedelta(days=1)),
        # Partial months at both ends, whole months between.
        selectors.DashboardFilters(date_from=mid - datetime.timedelta(days=75), date_to=mid - datetime.timedelta(days=2)),
        selectors.DashboardFilters(date_from=today, date_to=today),  # one day: no whole month
        selectors.DashboardFilters(date_from=today.replace(day=1), date_to=today),
        selectors.DashboardFilters(date_from=today + datetime.timedelta(days=30), date_to=today + datetime.timedelta(days=60)),
        *(selectors.DashboardFilters(date_from=today - datetime.timedelta(days=400), date_to=today, department_id=pk)
          for pk in department_ids),
    ]


def _medians_agree(kept: dict, counted: dict) -> bool:
    return kept.keys() == counted.keys() and all(
        kept[k][1] == counted[k][1] and abs(kept[k][0] - counted[k][0]) < 1e-6 for k in kept
    )


def _by_department(rows: list[dict]) -> dict:
    return {r["department_id"]: (r["ideas"], r["one_off"], r["recurring"], r["savings"]) for r in rows}


def assert_every_total_is_exact(viewers: dict) -> None:
    for kept, fresh in KEPT_AND_FRESH:
        assert kept() == fresh(), kept.__name__
    from harrow_innovation.people.models import Department
    from ideas.models import CentralSystem

    systems = list(CentralSystem.objects.all())
    departments = list(Department.objects.all())
    approved = selectors.approved_stage_ids()
    filters = _dashboard_filters([d.pk for d in departments])
    # The medians are kept snapshots refreshed by the hourly job: run it, then every role's medians must be exact.
    stage_medians_refresh()
    for who, user in viewers.items():
        def loads(counted, user=user):
            return [(s.system.pk, s.approved, s.pipeline)
                    for s in selectors.system_loads(user=user, approved_ids=approved, sort="name", counted=counted)]
        assert loads(False) == loads(True), who
        for each in systems:
            assert (selectors.system_stage_summary(user=user, system=each, approved_ids=approved)
                    == selectors.system_stage_summary(user=user, system=each, approved_ids=approved, counted=True)), (who, each)
        assert selectors.data_flow_matrix(user=user).counts == selectors.data_flow_matrix(user=user, counted=True).counts, who
        for department in departments:
            def key(r):
                return r["dataoutput__idea__department_id"] or 0
            kept = sorted(selectors.data_sources_for_department(user=user, department=department), key=key)
            counted = sorted(selectors.data_sources_for_department(user=user, department=department, counted=True), key=key)
            assert kept == counted, (who, department)
        for producer in [None, *(d.pk for d in departments)]:
            assert (selectors.data_output_count(user=user, producer_id=producer)
                    == selectors.data_outputs(user=user, producer_id=producer).count()), (who, producer)
        for f in filters:
            kept = selectors.submitted_in_period(user=user, filters=f)  # as the page reads them: one query for three
            assert selectors.ideas_per_stage(user=user, filters=f) == selectors.ideas_per_stage(user=user, filters=f, counted=True), (who, f)
            assert selectors.ideas_per_stage(user=user, filters=f, kept=kept) == selectors.ideas_per_stage(user=user, filters=f), (who, f)
            assert (selectors.ideas_per_department_month(user=user, filters=f, kept=kept)
                    == selectors.ideas_per_department_month(user=user, filters=f, counted=True)), (who, f)
            assert (_by_department(selectors.approved_cost_and_benefit(user=user, filters=f, approved_ids=approved,
                                                                       kept=kept))
                    == _by_department(selectors.approved_cost_and_benefit(user=user, filters=f, approved_ids=approved,
                                                                          counted=True))), (who, f)
            assert _medians_agree(selectors.median_days_in_stage(user=user, filters=f),
                                  selectors.median_days_in_stage(user=user, filters=f, counted=True)), (who, f)


# --- The mixed series ----------------------------------------------------------------------------


def test_every_kept_total_equals_a_fresh_count_after_a_mixed_series_of_changes(
    people, users, ideas, department, other_department  # noqa: F811
):
    officer, secretary, reviewer = users["owner"], users["secretary"], users["reviewer_assigned"]
    viewers = {**users, "reviewer": reviewer, "officer_other": users["officer_other"]}
    crm, gis, finance = system("CRM"), system("GIS"), system("Finance")

    def check(what):
        try:
            assert_every_total_is_exact(viewers)
        except AssertionError as error:
            raise AssertionError(f"after {what}: {error}") from error

    check("the visibility fixture's ideas")

    # Known ideas with links and outputs, in every kind of stage, some confidential.
    for n, slug in enumerate(["submitted", "triage", "business-case-review", "ready-for-board", "approved",
                              "in-delivery", "delivered", "rejected", "draft"]):
        idea(officer if n % 2 else users["officer_other"], slug, title=f"Known {slug}", one_off=f"{100 + n}",
             recurring="10", savings=f"{50 * n}", systems=[(crm, "20"), (gis if n % 2 else finance, "5")],
             outputs=[(f"Data {n}", [department, other_department]), (f"More {n}", [department])],
             is_confidential=n % 3 == 0)
    check("known ideas")

    # A draft made, linked and filled in through the services, then submitted and moved on.
    draft = services.idea_create(by=officer, title="Sensors for street lighting", problem="Lights stay on all day.")
    services.system_link_set(idea_id=draft.pk, by=officer, system=crm, integration_note="Cases", integration_cost=D("300"))
    services.data_output_add(idea_id=draft.pk, by=officer, description="Faults by ward", valued_by=[other_department])
    answers = {**COMPLETE_ANSWERS, "one_off_cost": D("1000"), "recurring_cost": D("50"), "cash_savings_per_year": D("400")}
    services.idea_update(idea_id=draft.pk, by=officer, **answers)
    check("a draft with links and outputs")
    services.idea_submit(idea_id=draft.pk, by=officer)
    check("submitted")
    services.idea_move(idea_id=draft.pk, transition=transition("submitted", "triage"), by=secretary)
    services.idea_move(idea_id=draft.pk, transition=transition("triage", "business-case-review"), by=secretary)
    check("moved twice")

    # A confidential idea, reviewed: the reviewer now sees it, then no longer once the review is cancelled.
    services.review_assign(idea_id=draft.pk, reviewer=reviewer, by=secretary)
    Idea.objects.filter(pk=draft.pk).update(is_confidential=True)
    check("confidential, with a reviewer")
    review = draft.reviews.get(reviewer=reviewer)
    services.review_cancel(review_id=review.pk, by=secretary)
    check("review cancelled")
    draft.co_owners.add(users["officer_other"])  # as admin would: past the stage where owners add co-owners
    check("a co-owner added")

    # Board decisions move ideas into approved, parked and closed stages.
    decide_series(people, ["approve", "approve_with_conditions", "park", "reject", "defer"])
    check("Board decisions")

    # Systems and costs changed, links removed, outputs and who values them changed.
    known = Idea.objects.get(title="Known triage")
    link = IdeaCentralSystem.objects.get(idea=known, system=crm)
    IdeaCentralSystem.objects.filter(pk=link.pk).update(integration_cost=D("999"), system=finance)
    Idea.objects.filter(title__startswith="Known").update(one_off_cost=F("one_off_cost") + 7, recurring_cost=None)
    check("link moved to another system, costs changed")
    IdeaCentralSystem.objects.filter(idea=draft).delete()  # as admin would: the idea is past editing by its owners
    output = DataOutput.objects.filter(idea=known).first()
    output.valued_by.add(other_department)
    output.valued_by.remove(department)
    DataOutput.objects.filter(idea__title="Known approved").delete()
    check("links and outputs removed, valuers changed")

    # Departments move, ideas are withdrawn and deleted, bulk loads and raw SQL.
    Idea.objects.filter(title="Known in-delivery").update(department=other_department)
    Idea.objects.filter(title="Known business-case-review").update(department=None)
    withdrawn = Idea.objects.get(title="Known submitted")
    services.idea_move(idea_id=withdrawn.pk, transition=transition(None, "withdrawn"), by=withdrawn.owner,
                       comment="Done elsewhere.")
    Idea.objects.get(title="Known delivered").delete()
    check("department changes, a withdrawal and a deletion")

    workflow = Workflow.objects.get(is_default=True)
    now = timezone.now()
    made = Idea.objects.bulk_create([
        Idea(title=f"Bulk {i}", owner=officer if i % 2 else users["officer_other"], department=department,
             workflow=workflow, stage=stage("triage" if i % 3 else "approved"), is_confidential=i % 4 == 0,
             submitted_at=now - datetime.timedelta(days=40 * i), one_off_cost=D(i * 10), integration_cost=D(i))
        for i in range(12)
    ])
    IdeaCentralSystem.objects.bulk_create([IdeaCentralSystem(idea=m, system=gis, integration_cost=D("3")) for m in made])
    StageChange.objects.bulk_create([
        StageChange(idea=m, from_stage=stage("submitted"), to_stage=m.stage, by=secretary,
                    at=now - datetime.timedelta(days=10 * i)) for i, m in enumerate(made)
    ])
    # A stage change recorded out of order: the stays before and after it change.
    StageChange.objects.create(idea=made[3], from_stage=stage("draft"), to_stage=stage("submitted"), by=officer,
                               at=now - datetime.timedelta(days=200))
    check("bulk loads")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE ideas_idea SET stage_id = %s, is_confidential = NOT is_confidential "
                       "WHERE title LIKE 'Bulk%%' AND id %% 2 = 0", [stage("ready-for-board").pk])
        cursor.execute("DELETE FROM ideas_stagechange WHERE idea_id = %s", [made[5].pk])
    check("raw SQL")


def test_the_pages_read_the_kept_totals_not_the_rows(people, department, other_department):
    """Inflate a kept total behind the database's back: the page's figure follows it, so the total is what is read."""
    crm = system("CRM")
    idea(people["officer"], "triage", title="Linked", systems=[(crm, "20")], outputs=[("Data", [department])])
    board = people["board_member"]
    approved = selectors.approved_stage_ids()
    before = {s.system.pk: s.pipeline.ideas for s in selectors.system_loads(user=board, approved_ids=approved)}
    SystemTally.objects.filter(system_id=crm.pk).update(ideas=F("ideas") + 1000)
    OutputTally.objects.update(outputs=F("outputs") + 1000)
    after = {s.system.pk: s.pipeline.ideas for s in selectors.system_loads(user=board, approved_ids=approved)}
    assert after[crm.pk] == before[crm.pk] + 1000
    assert selectors.data_output_count(user=board) == selectors.data_outputs(user=board).count() + 1000


def test_a_change_that_moves_no_total_writes_no_tally_row(people):
    crm = system("CRM")
    made = idea(people["officer"], "triage", title="Linked", systems=[(crm, "20")])
    row = SystemTally.objects.get(system_id=crm.pk)
    with connection.cursor() as cursor:
        cursor.execute("SELECT xmin FROM portfolio_systemtally WHERE id = %s", [row.pk])
        version = cursor.fetchone()[0]
        Idea.objects.filter(pk=made.pk).update(title="Retitled", weighted_score=3, problem="New words")
        cursor.execute("SELECT xmin FROM portfolio_systemtally WHERE id = %s", [row.pk])
        assert cursor.fetchone()[0] == version


def test_a_reviewer_sees_the_confidential_idea_they_review_in_the_totals_only_while_reviewing(people, department):
    reviewer, secretary = people["reviewer"], people["secretary"]
    crm = system("CRM")
    secret = idea(people["officer_other"], "business-case-review", title="Secret", is_confidential=True,
                  systems=[(crm, "20")], outputs=[("Data", [department])])
    approved = selectors.approved_stage_ids()

    def seen(user):
        return next(s.pipeline.ideas for s in selectors.system_loads(user=user, approved_ids=approved) if s.system == crm)

    assert seen(reviewer) == 0 and seen(people["board_member"]) == 1 and seen(people["officer"]) == 0
    review = services.review_assign(idea_id=secret.pk, reviewer=reviewer, by=secretary)
    assert seen(reviewer) == 1 and selectors.data_output_count(user=reviewer) == 1
    services.review_cancel(review_id=review.pk, by=secretary)
    assert seen(reviewer) == 0 and selectors.data_output_count(user=reviewer) == 0
    other = UserFactory(full_name="Closed Account", is_active=False)
    assert seen(other) == 0 and selectors.data_output_count(user=other) == 0


def test_the_backfill_rebuilds_what_the_triggers_keep(people, department):
    crm = system("CRM")
    for n in range(3):
        idea(people["officer"], "triage", title=f"Idea {n}", systems=[(crm, "20")], outputs=[("Data", [department])],
             is_confidential=n == 1)
    kept = [kept() for kept, _ in KEPT_AND_FRESH]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE portfolio_systemtally SET ideas = ideas + 50")  # spoil them
        cursor.execute("SELECT portfolio_totals_rebuild()")
    assert [k() for k, _ in KEPT_AND_FRESH] == kept
    assert kept[0] == fresh_systems()


def test_the_api_idea_list_total_equals_counting_the_rows_for_every_role(users, ideas, token_for):  # noqa: F811
    from django.test import Client

    from ideas.selectors import visible_ideas

    for who, user in users.items():
        if not user.is_authenticated:
            continue
        api = Client(HTTP_AUTHORIZATION=token_for(user))
        response = api.get("/api/ideas/")
        assert response.status_code == 200, who
        assert response.json()["count"] == visible_ideas(user=user).count(), who
