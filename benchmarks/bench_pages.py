"""Everyday pages with 20,000 ideas: the home page and a Board meeting's page with a full agenda.

Ideas come from `seed_bulk` (topped up to 20,000 if an earlier benchmark made
fewer). The meeting is the next one of the Innovation Board as it looks on the
day: agenda published, 8 members (chair, councillors, officer members,
secretary) with their attendance, 20 ideas for decision and 4 other items with
presenters, 2 declarations of interest and 12 open actions. Each page is timed
through the whole middleware stack (Django's test Client) against the bare list
view of `bench_ideas` (one query for 25 ideas, rendered with the list's table),
measured in the same run; and its query count is printed.
"""

from __future__ import annotations

import io
import time
from datetime import timedelta

from django.core.management import call_command
from django.test import Client
from django.test.utils import override_settings

from benchmarks.harness import page_medians, page_queries, report

IDEAS = 20_000
ROUNDS = 40
BASELINE = "bare list view"
MEMBERS = 8
IDEA_ITEMS = 20
OTHER_ITEMS = 4
ACTIONS = 12


def _ideas() -> None:
    from ideas.models import Idea

    missing = IDEAS - Idea.objects.count()
    if missing > 0:
        started = time.perf_counter()
        call_command("seed_bulk", ideas=missing, seed=707, stdout=io.StringIO())
        report(f"seed_bulk {missing} ideas", time.perf_counter() - started, "s")


def _meeting():
    """The next meeting with a realistic agenda; returns (meeting, a councillor on the Board)."""
    from django.utils import timezone

    from board.models import (
        Action,
        AgendaItem,
        Attendance,
        Board,
        BoardRole,
        Declaration,
        Meeting,
        Membership,
    )
    from harrow_innovation.people.models import User
    from harrow_innovation.people.roles import Role, role_group, sync_role_groups
    from ideas.models import Idea

    sync_role_groups()
    secretary = User.objects.get(email="bulk.secretary@harrow.example")
    board, _ = Board.objects.get_or_create(name="Bench Pages Board", defaults={"default_location": "Civic Centre"})
    roles = [BoardRole.CHAIR] + [BoardRole.COUNCILLOR] * 4 + [BoardRole.OFFICER_MEMBER] * 2
    members = []
    for n, role in enumerate(roles):
        user, _ = User.objects.get_or_create(email=f"bench.pages.member{n}@harrow.example",
                                             defaults={"full_name": f"Cllr Bench Member {n}"})
        user.groups.add(role_group(Role.BOARD_MEMBER))
        Membership.objects.get_or_create(board=board, user=user, defaults={"role": role, "title": "Portfolio Holder"})
        members.append(user)
    Membership.objects.get_or_create(board=board, user=secretary, defaults={"role": BoardRole.SECRETARY})
    members.append(secretary)
    meeting = Meeting.objects.create(
        board=board, starts_at=timezone.now() + timedelta(days=7), location="Civic Centre, Committee Room 1",
        status="agenda_published", created_by=secretary, published_at=timezone.now(),
    )
    for n, user in enumerate(members):
        Attendance.objects.create(meeting=meeting, user=user, status="apologies" if n == 3 else "expected",
                                  note="On leave" if n == 3 else "")
    ready = list(Idea.objects.filter(stage__slug="ready-for-board", is_confidential=False)
                 .select_related("stage", "owner").order_by("pk")[:IDEA_ITEMS])
    items = []
    for order, idea in enumerate(ready, start=1):
        items.append(AgendaItem.objects.create(
            meeting=meeting, order=order, kind="idea", idea=idea, stage_when_added=idea.stage, title=idea.title[:200],
            presenter=idea.owner, minutes_allotted=10, recommendation="Approve, subject to a review at six months.",
        ))
    for n in range(OTHER_ITEMS):
        items.append(AgendaItem.objects.create(
            meeting=meeting, order=IDEA_ITEMS + n + 1, kind="free", title=f"Portfolio update {n + 1}",
            presenter_name="Head of Digital", minutes_allotted=5,
        ))
    for member, item in zip(members[:2], items[:2], strict=True):
        Declaration.objects.create(item=item, member=member, nature="A relative works in the service.")
    for n in range(ACTIONS):
        Action.objects.create(meeting=meeting, item=items[n % len(items)], owner=members[n % len(members)],
                              description=f"Report back on the costs of item {n + 1}",
                              due_date=(timezone.now() + timedelta(days=30 + n)).date())
    return meeting, members[1]


def run() -> None:
    _ideas()
    meeting, councillor = _meeting()
    from harrow_innovation.people.models import User

    officer = User.objects.filter(email__startswith="bulk.officer").order_by("email").first()
    clients = {}
    for name, user in (("officer", officer), ("councillor", councillor)):
        clients[name] = Client()
        clients[name].force_login(user)
    pages = {
        "home page": (clients["officer"], "/home/"),
        "Board meeting page": (clients["councillor"], f"/board/meetings/{meeting.pk}/"),
    }
    with override_settings(ROOT_URLCONF="benchmarks.bench_ideas"):  # its bare list view, and every app page
        measured = {BASELINE: (clients["officer"], "/bench/bare-list/"), **pages}
        medians = page_medians(measured, rounds=ROUNDS)
        baseline = medians.pop(BASELINE) * 1000
        report(f"{BASELINE} median server time", baseline, "ms")
        for name, seconds in medians.items():
            report(f"{name} median server time", seconds * 1000, "ms", baseline=baseline, baseline_name=BASELINE)
        for name, (client, url) in measured.items():
            report(f"{name} queries", page_queries(client, url), "queries")
