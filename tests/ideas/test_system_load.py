"""Shared-system load (issue 13 item 4): for each system an idea needs, its cost, the load other ideas put on the
system (approved, in delivery, in the pipeline) and the total if it were approved, against the admins' thresholds.

On PostgreSQL: the kept totals agree with a fresh count for every role, confidential ideas count only for those
who may see them (the Board sees all), the SQL split agrees with the Python one whatever the admin does to a
stage, and the cost is a fixed number of queries."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ideas import services, system_load
from ideas.models import CentralSystem, IdeaCentralSystem, LinkKind, Review, Stage
from ideas.permissions import reads_confidential
from tests.factories import make_idea

D = Decimal
pytestmark = pytest.mark.django_db
ROLES = ("officer", "officer_other", "reviewer", "secretary", "board_member", "admin")


def link(idea, system, cost):
    IdeaCentralSystem.objects.create(idea=idea, system=system, integration_cost=D(cost))


def build_systems():
    case = CentralSystem.objects.create(
        name="Case records", slug="case-records", integration_budget=D("100000"), max_projects=3
    )
    web = CentralSystem.objects.create(name="Web forms", slug="web-forms")
    return case, web


def build_load(people, systems):
    """On Case records: approved £40,000; in delivery £30,000; pipeline £20,000 (ready) + £5,000 (submitted); a
    confidential approved idea of the other officer's (£50,000, reviewed by the reviewer); and a draft, a rejected
    and a delivered idea that are no load. The subject is ready for the Board: £12,000 there and £1,000 on Web forms."""
    case, web = systems
    officer, other = people["officer"], people["officer_other"]
    link(make_idea(officer, at="approved", title="Approved"), case, "40000")
    link(make_idea(other, at="in-delivery", title="In delivery"), case, "30000")
    link(make_idea(other, at="ready-for-board", title="Also ready"), case, "20000")
    link(make_idea(officer, at="submitted", title="Submitted"), case, "5000")
    secret = make_idea(other, at="approved-with-conditions", title="Secret", is_confidential=True)
    link(secret, case, "50000")
    Review.objects.create(idea=secret, stage=secret.stage, reviewer=people["reviewer"], assigned_by=people["secretary"])
    for slug in ("draft", "rejected", "delivered"):
        link(make_idea(officer, at=slug, title=slug), case, "99000")
    subject = make_idea(officer, at="ready-for-board", title="Falls sensors")
    link(subject, case, "12000")
    link(subject, web, "1000")
    return subject


@pytest.fixture
def systems(db):
    return build_systems()


@pytest.fixture
def load(people, systems):
    return build_load(people, systems)


def figures(lines):
    return {
        line.name: (
            line.cost,
            (line.approved.ideas, line.approved.integration),
            (line.delivery.ideas, line.delivery.integration),
            (line.pipeline.ideas, line.pipeline.integration),
            line.total_if_approved,
            line.projects_if_approved,
        )
        for line in lines
    }


def test_an_officer_sees_the_load_of_the_ideas_she_may_see(people, load):
    lines = system_load.loads_for_idea(idea=load, user=people["officer"])
    assert figures(lines) == {
        "Case records": (D("12000"), (1, D("40000")), (1, D("30000")), (2, D("25000")), D("82000"), 3),
        "Web forms": (D("1000"), (0, D("0")), (0, D("0")), (0, D("0")), D("1000"), 1),
    }
    assert not any(line.over for line in lines)


def test_the_board_counts_confidential_ideas_and_the_thresholds_are_crossed(people, load):
    for user in (None, people["board_member"], people["secretary"]):
        case = system_load.loads_for_idea(idea=load, user=user)[0]
        assert (case.approved.ideas, case.approved.integration, case.total_if_approved) == (2, D("90000"), D("132000"))
        assert case.over_budget and case.over_projects  # £132,000 > £100,000; 4 projects > 3
        assert "£132,000 of integration if approved" in case.flags[0] and "£100,000 a year" in case.flags[0]
        assert "4 integration projects at once" in case.flags[1]
    assert system_load.threshold_flags(idea_ids=[load.pk]) == {load.pk: case.flags}


def test_confidential_load_counts_for_its_owner_and_reviewer_only(people, load):
    seen = {role: system_load.loads_for_idea(idea=load, user=people[role])[0].approved.ideas for role in ROLES}
    assert seen == {"officer": 1, "officer_other": 2, "reviewer": 2, "secretary": 2, "board_member": 2, "admin": 2}


def test_the_kept_totals_agree_with_a_fresh_count_for_every_role(people, load, systems):
    assert connection.vendor == "postgresql"
    approved = make_idea(people["officer_other"], at="in-delivery", title="Itself in delivery", is_confidential=True)
    link(approved, systems[0], "7000")
    ids = [load.pk, approved.pk]
    for user in [None, *(people[role] for role in ROLES)]:
        kept = system_load.loads_for_ideas(idea_ids=ids, user=user)
        counted = system_load.loads_for_ideas(idea_ids=ids, user=user, counted=True)
        assert {k: figures(v) for k, v in kept.items()} == {k: figures(v) for k, v in counted.items()}, user


def test_an_idea_is_never_counted_in_its_own_load(people, load, systems):
    case = system_load.loads_for_idea(idea=load, user=None)[0]
    # The subject is in the pipeline: left out of the others' pipeline.
    assert case.pipeline == system_load.Part(ideas=2, integration=D("25000"))
    approved = make_idea(people["officer"], at="approved", title="Already approved")
    link(approved, systems[0], "8000")
    line = system_load.loads_for_idea(idea=approved, user=None)[0]
    assert (line.approved.ideas, line.approved.integration, line.total_if_approved) == (2, D("90000"), D("128000"))


def test_the_sql_split_agrees_with_the_python_one_when_an_admin_changes_a_stage(people, load, systems):
    """The split is one rule in two forms (ideas.system_load.stage_category and portfolio.totals' SQL)."""
    for slug, kind in (("in-delivery", "review"), ("ready-for-board", "delivery"), ("approved", "closed")):
        Stage.objects.filter(workflow__is_default=True, slug=slug).update(kind=kind)
        for user in (None, people["officer"], people["reviewer"]):
            kept = system_load.loads_for_idea(idea=load, user=user)
            assert figures(kept) == figures(system_load.loads_for_idea(idea=load, user=user, counted=True)), (
                slug,
                user,
            )


def test_the_load_costs_two_queries_whatever_the_data(people, systems):
    case, web = systems
    ideas = []
    for n in (3, 30):
        for i in range(n):
            made = make_idea(
                people["officer_other"],
                at=("approved", "in-delivery", "triage")[i % 3],
                title=f"Idea {n}-{i}",
                is_confidential=i % 4 == 0,
            )
            link(made, case if i % 2 else web, "100")
            ideas.append(made.pk)
        for user in (None, people["officer"]):
            if user:
                reads_confidential(user)  # a request has the signed-in user's roles loaded already
            with CaptureQueriesContext(connection) as ctx:
                system_load.loads_for_ideas(idea_ids=ideas, user=user)
            assert len(ctx.captured_queries) == 2, (n, user)


# --- The thresholds: admin-managed, bad input refused ---------------------------------------------------


@pytest.mark.parametrize(
    "field,value",
    [
        ("integration_budget", D("-5")),
        ("integration_budget", D("0")),
        ("integration_budget", D("100000001")),
        ("max_projects", 0),
        ("max_projects", 501),
    ],
)
def test_a_nonsense_threshold_is_refused_by_the_model_and_the_database(systems, field, value):
    case = systems[0]
    setattr(case, field, value)
    with pytest.raises(ValidationError) as caught:
        case.full_clean()
    assert field in caught.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        CentralSystem.objects.filter(pk=case.pk).update(**{field: value})
    case.refresh_from_db()
    assert (case.integration_budget, case.max_projects) == (D("100000"), 3)


def _admin_post(client, system, **changes):
    data = {
        "name": system.name,
        "slug": system.slug,
        "description": system.description,
        "is_active": "on",
        "owner_department": "",
        "integration_budget": "",
        "max_projects": "",
        **changes,
    }
    return client.post(reverse("admin:ideas_centralsystem_change", args=[system.pk]), data)


def test_an_admin_sets_thresholds_and_a_negative_one_gets_a_clear_message(people, systems):
    client = Client()
    client.force_login(people["admin"])
    web = systems[1]
    response = _admin_post(client, web, integration_budget="-100", max_projects="abc")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Give at least £1 a year, or leave it blank for no threshold." in html and "Enter a whole number" in html
    web.refresh_from_db()
    assert (web.integration_budget, web.max_projects) == (None, None)
    assert _admin_post(client, web, integration_budget="75000", max_projects="2").status_code == 302
    web.refresh_from_db()
    assert (web.integration_budget, web.max_projects) == (D("75000"), 2)


# --- Where decisions are made ------------------------------------------------------------------------


def test_the_idea_page_and_the_review_page_show_the_load(people, load):
    client = Client()
    client.force_login(people["officer"])
    html = client.get(reverse("ideas:detail", kwargs={"pk": load.pk})).content.decode()
    assert "Load on the central systems it needs" in html and "£82,000" in html and "£132,000" not in html
    review = Review.objects.create(
        idea=load, stage=load.stage, reviewer=people["reviewer"], assigned_by=people["secretary"]
    )
    client.force_login(people["reviewer"])
    html = client.get(reverse("ideas:review", kwargs={"review_pk": review.pk})).content.decode()
    # The reviewer reviews the confidential idea too, so sees its load.
    assert "Load on the central systems it needs" in html and "£132,000" in html
    assert "Over its threshold if approved" in html


def test_the_board_paper_and_agenda_builder_flag_a_crossed_threshold(people, load):
    from django.utils import timezone

    from board.models import Meeting
    from tests.world_extras.board import future, idea_item_on, make_board

    meeting = Meeting.objects.create(
        board=make_board(people),
        starts_at=future(),
        status="agenda_published",
        created_by=people["secretary"],
        published_at=timezone.now(),
    )
    item = idea_item_on(meeting, load, order=1)
    client = Client()
    client.force_login(people["board_member"])
    paper = client.get(reverse("board:paper", kwargs={"pk": item.pk})).content.decode()
    assert "Over a system&#x27;s threshold if approved" in paper or "Over a system's threshold if approved" in paper
    assert "£132,000 of integration if approved" in paper and "Web forms" in paper
    client.force_login(people["secretary"])
    agenda = client.get(reverse("board:agenda", kwargs={"pk": meeting.pk})).content.decode()
    assert "threshold if approved" in agenda and "4 integration projects at once" in agenda


def test_the_paper_and_agenda_builder_with_systems_cost_a_fixed_number_of_queries(
    people, load, systems, django_assert_num_queries
):
    """The paper reads the load once (its links come with the paper); the builder reads links and load (two)."""
    from django.utils import timezone

    from board.models import Meeting
    from tests.world_extras.board import future, idea_item_on, make_board

    meeting = Meeting.objects.create(
        board=make_board(people), starts_at=future(), status="planned", created_by=people["secretary"]
    )
    item = idea_item_on(meeting, load, order=1)
    # A linked idea, so the paper always has an overlapping idea to read, however the ranking turns out.
    linked = make_idea(people["officer_other"], at="triage", title="Cemetery drone surveys")
    services.idea_link_add(idea_id=linked.pk, other_id=load.pk, kind=LinkKind.RELATED, by=people["officer_other"])
    paper_url = reverse("board:paper", kwargs={"pk": item.pk})
    agenda_url = reverse("board:agenda", kwargs={"pk": meeting.pk})
    board, secretary = Client(), Client()
    board.force_login(people["board_member"])
    secretary.force_login(people["secretary"])
    Meeting.objects.filter(pk=meeting.pk).update(status="agenda_published", published_at=timezone.now())
    board.get(paper_url)
    with django_assert_num_queries(18) as paper:  # the paper page, reading the load on its systems once; + overlaps (4)
        assert "£132,000" in board.get(paper_url).content.decode()
    Meeting.objects.filter(pk=meeting.pk).update(status="planned", published_at=None)
    secretary.get(agenda_url)
    with django_assert_num_queries(14) as agenda:  # the builder, + the ideas' links and the load on them
        assert "4 integration projects at once" in secretary.get(agenda_url).content.decode()
    for i in range(6):
        extra = CentralSystem.objects.create(name=f"Extra {i}", slug=f"extra-{i}", max_projects=1)
        link(load, extra, "10")
        ready = make_idea(people["officer"], at="ready-for-board", title=f"Ready {i}")
        link(ready, extra, "10")
        link(make_idea(people["officer_other"], at="in-delivery", title=f"Busy {i}"), extra, "5")
        idea_item_on(meeting, ready, order=10 + i)
    with django_assert_num_queries(len(agenda.captured_queries)):
        secretary.get(agenda_url)
    Meeting.objects.filter(pk=meeting.pk).update(status="agenda_published", published_at=timezone.now())
    with django_assert_num_queries(len(paper.captured_queries)):
        board.get(paper_url)


def test_the_agenda_pack_pdf_shows_the_load_and_the_flag(people):
    from pypdf import PdfReader

    from board import packs
    from board.models import PackVersion
    from tests.world_extras.packs import make_pack_meeting

    meeting = make_pack_meeting(people, ideas=1, free_items=0)
    system = CentralSystem.objects.order_by("pk").first()  # the paper's idea integrates with it for £4,500
    CentralSystem.objects.filter(pk=system.pk).update(max_projects=1, integration_budget=D("50000"))
    busy = make_idea(people["officer_other"], at="in-delivery", title="Busy", is_confidential=True)
    link(busy, system, "50000")
    pack = PackVersion.objects.create(meeting=meeting, number=1, reason="Agenda published")
    assert packs.pack_build(pack_id=pack.pk) == "ready"
    pack.refresh_from_db()
    with pack.file.open("rb") as handle:
        text = " ".join(" ".join(page.extract_text() for page in PdfReader(handle).pages).split())
    assert "Load on the central systems it needs" in text
    assert "Over a system's threshold if approved" in text or "Over a system’s threshold if approved" in text
    assert f"{system.name}: £54,500 of integration if approved (£50,000 already approved or in delivery" in text
    assert "2 integration projects at once if approved" in text and "against a limit of 1" in text
    assert "Busy" not in text  # figures only: the confidential idea is never named
