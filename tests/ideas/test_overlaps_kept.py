"""Overlaps kept for every submitted idea (ideas.overlaps_kept): worked out by a task when an idea is
submitted or changed and by an hourly job, read for many ideas at once by the triage view and the exports,
always under the reader's own visibility, and saying when they were worked out."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from harrow_innovation.core.models import OutboxTask
from ideas import overlaps_kept, services, tasks, triage
from ideas.models import KeptOverlap, OverlapCheck
from notifications import schedules
from tests.factories import make_idea

pytestmark = pytest.mark.django_db

PROBLEM = "Older people who fall at home can lie for hours before anyone knows."
SOLUTION = "Sensors that alert a carer when someone falls."


def falls_idea(owner, at="submitted", title="Falls sensors for older people living alone", **fields):
    return make_idea(owner, at=at, title=title, problem=PROBLEM, solution=SOLUTION, **fields)


def refresh_tasks() -> list[list]:
    return [row.args for row in OutboxTask.objects.filter(task_name=overlaps_kept.TASK).order_by("pk")]


def test_a_kept_ranking_holds_the_overlaps_with_score_reasons_and_when(people):
    asc = falls_idea(people["officer"])
    housing = falls_idea(people["officer_other"], title="Falls sensors for older residents in sheltered flats")
    make_idea(people["officer_other"], at="submitted", title="Drone surveys of cemetery land", departments=[])
    before = timezone.now()
    result = overlaps_kept.refresh(asc.pk)
    assert result["overlaps"] == 1
    row = KeptOverlap.objects.get(idea=asc)
    assert row.other_id == housing.pk and row.rank == 1 and 0 < row.score <= 1
    assert row.reasons[0].startswith("both mention falls, sensors")
    assert OverlapCheck.objects.get(idea=asc).checked_at >= before
    # Run twice, the same rows: safe to run again.
    overlaps_kept.refresh(asc.pk)
    assert list(KeptOverlap.objects.filter(idea=asc).values_list("other_id", flat=True)) == [housing.pk]


def test_a_new_lookalike_has_the_ideas_it_overlaps_checked_again(people):
    asc = falls_idea(people["officer"])
    overlaps_kept.refresh(asc.pk)
    assert not KeptOverlap.objects.filter(idea=asc).exists()  # nothing like it yet
    housing = falls_idea(people["officer_other"], title="Falls sensors for older residents in sheltered flats")
    result = overlaps_kept.refresh(housing.pk)
    assert result["others_checked_again"] == 1
    assert refresh_tasks() == [[asc.pk, False]]  # once, not onwards
    tasks.refresh_overlaps(*refresh_tasks()[0])  # what the worker runs
    assert list(KeptOverlap.objects.filter(idea=asc).values_list("other_id", flat=True)) == [housing.pk]


def test_submitting_or_changing_what_overlaps_weigh_asks_for_the_overlaps_again(people):
    officer = people["officer"]
    idea = falls_idea(officer, at="draft")
    services.idea_update(idea_id=idea.pk, by=officer, title="Falls sensors at home")
    assert refresh_tasks() == []  # a draft's overlaps are not kept
    services.idea_submit(idea_id=idea.pk, by=officer)
    assert refresh_tasks() == [[idea.pk]]
    # Asked for more information, the owners change their answers again.
    asked = falls_idea(officer, at="more-information", title="Falls sensors, more information needed")
    assert asked.stage.owners_may_edit
    idea = asked
    OutboxTask.objects.all().delete()
    services.idea_update(idea_id=idea.pk, by=officer, timescale="9 months")
    assert refresh_tasks() == []  # not something the lookup weighs
    services.idea_update(idea_id=idea.pk, by=officer, title="Falls sensors and alarms at home")
    assert refresh_tasks() == [[idea.pk]]


def test_a_draft_keeps_no_overlaps_and_is_never_read_as_one(people):
    asc = falls_idea(people["officer"])
    housing = falls_idea(people["officer_other"], title="Falls sensors for older residents in sheltered flats")
    overlaps_kept.refresh(asc.pk)
    overlaps_kept.refresh(housing.pk)
    housing.stage = make_idea(people["officer"], at="draft").stage
    housing.save()
    # Until its task runs, the row naming it is still there but is not read.
    assert triage.overlaps_by_idea(user=people["secretary"], ideas=[asc]).get(asc.pk) is None
    assert overlaps_kept.refresh(housing.pk)["status"] == "draft"
    assert not KeptOverlap.objects.filter(idea=housing).exists()
    assert not OverlapCheck.objects.filter(idea=housing).exists()


def test_kept_rows_are_read_under_each_readers_visibility(people):
    asc = falls_idea(people["officer"])
    secret = falls_idea(people["officer_other"], title="Falls sensors at night for older people", is_confidential=True)
    overlaps_kept.refresh(asc.pk)
    assert KeptOverlap.objects.filter(idea=asc, other=secret).exists()  # kept for everyone who may see it...
    for user, shown in ((people["officer"], False), (people["secretary"], True), (None, False)):
        found = triage.overlaps_by_idea(user=user, ideas=[asc])
        assert (secret.pk in [o.idea.pk for o in found.get(asc.pk, [])]) is shown  # ...shown to those only


def test_the_hourly_job_checks_never_checked_ideas_first_then_old_ones_never_drafts(people, settings):
    settings.OVERLAPS_MAX_AGE_HOURS = 24
    checked = falls_idea(people["officer"], title="Falls sensors, checked yesterday")
    overlaps_kept.refresh(checked.pk)
    OverlapCheck.objects.filter(idea=checked).update(checked_at=timezone.now() - timedelta(hours=30))
    fresh = falls_idea(people["officer"], title="Falls sensors, checked just now")
    overlaps_kept.refresh(fresh.pk)
    never = falls_idea(people["officer"], title="Falls sensors, never checked")
    closed = falls_idea(people["officer"], at="rejected", title="Falls sensors, rejected, never checked")
    draft = falls_idea(people["officer"], at="draft", title="Falls sensors, a draft")
    assert overlaps_kept.stale_ids(limit=10) == [never.pk, closed.pk, checked.pk]  # open before closed
    assert overlaps_kept.stale_ids(limit=1) == [never.pk]
    assert tasks.refresh_stale_overlaps() == 3
    assert overlaps_kept.stale_ids(limit=10) == []
    assert not OverlapCheck.objects.filter(idea=draft).exists()
    job = next(j for j in schedules.JOBS if j.task == "ideas.refresh_stale_overlaps")
    assert job.every_minutes == 60


def test_the_command_works_out_every_idea_and_says_how_far_it_got(people):
    ideas = [falls_idea(people["officer"], title=f"Falls sensors, pilot {n}") for n in range(3)]
    out = io.StringIO()
    call_command("refresh_overlaps", stdout=out)
    assert "Overlaps worked out for 3 of 3 ideas" in out.getvalue()
    assert OverlapCheck.objects.filter(idea__in=ideas).count() == 3
    out = io.StringIO()
    call_command("refresh_overlaps", stdout=out)
    assert "up to date" in out.getvalue()
    call_command("refresh_overlaps", "--all", stdout=out)
    assert "Overlaps worked out for 3 of 3 ideas" in out.getvalue()


def test_the_triage_view_says_which_overlaps_are_still_being_worked_out_and_asks_once(people):
    asc = falls_idea(people["officer"])
    late = falls_idea(people["officer_other"], title="Falls sensors for older residents in sheltered flats")
    overlaps_kept.refresh(asc.pk, tell_others=False)
    client = Client()
    client.force_login(people["secretary"])
    page = client.get(reverse("ideas:triage")).content.decode()
    assert "The overlaps of 1 idea below are still being worked out" in page
    assert "Overlaps as of" in page
    asked = OutboxTask.objects.filter(task_name=overlaps_kept.MANY_TASK)
    assert [row.args for row in asked] == [[[late.pk]]]
    client.get(reverse("ideas:triage"))
    assert asked.count() == 1  # asked once, not on every visit
    tasks.refresh_overlaps_of([late.pk])
    page = client.get(reverse("ideas:triage")).content.decode()
    assert "still being worked out" not in page
    assert late.title in page and asc.title in page


def test_the_idea_page_reads_its_kept_overlaps_in_one_query_under_the_viewers_visibility(people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    asc = falls_idea(people["officer"])
    housing = falls_idea(people["officer_other"], title="Falls sensors for older residents in sheltered flats")
    secret = falls_idea(people["officer_other"], title="Falls sensors at night for older people", is_confidential=True)
    mine = falls_idea(people["officer"], title="Falls sensors for older people, my second try")
    for n in range(16):  # so that "falls" and "sensors" are not words most ideas use
        make_idea(people["officer_other"], at="submitted", title=f"Parking permit renewals online, area {n}")
    overlaps_kept.refresh(asc.pk)

    def page(user):
        client = Client()
        client.force_login(user)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(asc.get_absolute_url())
        assert response.status_code == 200
        return response, [q["sql"] for q in captured.captured_queries]

    response, queries = page(people["officer_other"])
    shown = {o.idea_id: o for o in response.context["overlaps"]}
    assert set(shown) == {housing.pk, secret.pk, mine.pk}  # the owner of the confidential idea sees it
    assert shown[housing.pk].is_mine and not shown[mine.pk].is_mine
    assert shown[housing.pk].owner_email == people["officer_other"].email
    assert shown[housing.pk].reasons[0].startswith("both mention falls, sensors")
    assert sum("ideas_keptoverlap" in sql for sql in queries) == 1
    assert not any("ideas_similar_candidates" in sql for sql in queries)  # not ranked again
    response, _ = page(people["reviewer"])  # may not read confidential ideas
    assert {o.idea_id for o in response.context["overlaps"]} == {housing.pk, mine.pk}
    page_text = response.content.decode()
    assert "Contact Otto Other" in page_text and secret.title not in page_text
    # More overlaps kept, the same queries.
    before = len(page(people["reviewer"])[1])
    for n in range(6):
        falls_idea(people["officer_other"], title=f"Falls sensors for older people, ward {n}")
    overlaps_kept.refresh(asc.pk)
    assert len(page(people["reviewer"])[1]) == before


def test_an_idea_never_worked_out_is_ranked_when_its_page_is_shown(people):
    asc = falls_idea(people["officer"])
    housing = falls_idea(people["officer_other"], title="Falls sensors for older residents in sheltered flats")
    client = Client()
    client.force_login(people["reviewer"])
    assert [o.idea_id for o in client.get(asc.get_absolute_url()).context["overlaps"]] == [housing.pk]


def test_the_review_page_and_the_paper_show_the_kept_overlaps_once_worked_out(people):
    asc = falls_idea(people["officer"])
    housing = falls_idea(people["officer_other"], title="Falls sensors for older residents in sheltered flats")
    live = triage.overlaps_of_idea(user=None, idea=asc)  # never worked out: ranked now
    assert [o.idea.pk for o in live] == [housing.pk]
    overlaps_kept.refresh(asc.pk)
    KeptOverlap.objects.filter(idea=asc).update(reasons=["both integrate with the kept system"])
    for user in (None, people["reviewer"]):
        [kept] = triage.overlaps_of_idea(user=user, idea=asc)
        assert (kept.idea.pk, kept.reasons) == (housing.pk, ["Both integrate with the kept system"])
