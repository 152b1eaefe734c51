"""The Innovation Board for `seed_demo`: Harrow members, one held meeting with
decisions, declarations, actions and draft minutes, and one upcoming meeting
with a draft agenda. Idempotent: once the Board has meetings, they are left alone.

The held meeting records decisions the demo ideas already carry (ideas.demo
moved them through the workflow), linking each to the move it made.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from harrow_innovation.people.demo import DEMO_PASSWORD, KNOWN_AS
from harrow_innovation.people.models import Department, User
from harrow_innovation.people.roles import Role
from harrow_innovation.people.services import user_ensure
from ideas.models import EventKind, Idea, StageChange
from ideas.services import timeline_add

from . import services
from .models import (
    Action,
    AgendaItem,
    Attendance,
    Board,
    BoardRole,
    Decision,
    Declaration,
    Meeting,
    MeetingStatus,
    Membership,
    Minutes,
)

BOARD_NAME = "Innovation Board"

# email, board role, title on the Board
MEMBERS = [
    ("chair.board@harrow.example", BoardRole.CHAIR, "Chair; Deputy Leader of the Council"),
    ("board@harrow.example", BoardRole.COUNCILLOR, "Portfolio Holder for Finance"),
    ("corporate.board@harrow.example", BoardRole.COUNCILLOR, "Portfolio Holder for Corporate Services"),
    ("chief.board@harrow.example", BoardRole.OFFICER_MEMBER, "Director of Strategy"),
    ("secretary@harrow.example", BoardRole.SECRETARY, "Secretary to the Board"),
]

# Decisions at the held meeting: idea title, conditions, budget, people, external support
HELD_DECISIONS = [
    ("Chatbot for council tax questions", "", Decimal("60000"), "A product owner from the contact centre, 2 days a week.",
     "The chatbot supplier, on a 12-month contract."),
    ("Single sign-on for staff systems", "Connect the five busiest systems first and report back on the rest in six months.",
     Decimal("80000"), "Two engineers from the Digital team for 6 months.", ""),
    ("Library self-service kiosks with council services", "", Decimal("50000"), "Library staff trained as digital helpers.", ""),
    ("Digital parking permits", "", None, "", ""),
    ("Tenancy sign-up on tablets", "", None, "", ""),
]


@transaction.atomic
def seed_demo_board() -> None:
    chair = user_ensure(
        email="chair.board@harrow.example", full_name="Cllr Joan Marsh", password=DEMO_PASSWORD,
        roles=[Role.BOARD_MEMBER], department=Department.objects.filter(name="Corporate").first(),
        job_title="Deputy Leader of the Council", known_as=KNOWN_AS["chair.board@harrow.example"],
    )
    board, _ = Board.objects.get_or_create(
        name=BOARD_NAME,
        defaults={"description": "Prioritises and resources ideas for delivering the council's services.",
                  "default_location": "Committee Room 1, Harrow Civic Centre"},
    )
    for email, role, title in MEMBERS:
        user = chair if email == chair.email else User.objects.filter(email=email).first()
        if user is not None:
            Membership.objects.get_or_create(board=board, user=user, defaults={"role": role, "title": title})
    if Meeting.objects.filter(board=board).exists():
        return
    secretary = User.objects.get(email="secretary@harrow.example")
    _held_meeting(board, secretary)
    _upcoming_meeting(board, secretary)


def _at(days: int, hour: int = 14) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _held_meeting(board: Board, secretary: User) -> Meeting:
    starts = _at(-30)
    meeting = Meeting.objects.create(
        board=board, starts_at=starts, duration_minutes=120, location=board.default_location,
        online_link="https://teams.example/harrow-innovation-board", status=MeetingStatus.HELD, created_by=secretary,
        created_at=starts - timedelta(days=28), published_at=starts - timedelta(days=7), held_at=starts,
    )
    members = list(Membership.objects.filter(board=board, is_active=True).select_related("user"))
    for member in members:
        absent = member.user.email == "chief.board@harrow.example"
        Attendance.objects.create(
            meeting=meeting, user=member.user,
            status=Attendance.Status.APOLOGIES if absent else Attendance.Status.PRESENT,
            note="At the London Councils digital summit." if absent else "",
        )
    order = 0
    items = {}
    for title, conditions, budget, people, external in HELD_DECISIONS:
        idea = Idea.objects.filter(title=title).select_related("stage", "owner").first()
        if idea is None:
            continue
        change = (StageChange.objects.filter(idea=idea, from_stage__ready_for_board=True, transition__outcome__gt="")
                  .select_related("transition", "from_stage").order_by("-at").first())
        if change is None:
            continue
        order += 1
        item = AgendaItem.objects.create(
            meeting=meeting, order=order, kind=AgendaItem.Kind.IDEA, idea=idea, stage_when_added=change.from_stage,
            title=idea.title, presenter=idea.owner, minutes_allotted=15,
            recommendation="Reviewers recommend taking it forward.",
        )
        outcome = change.transition.outcome
        decision = Decision.objects.create(
            item=item, outcome=outcome, conditions=conditions if outcome == "approve_with_conditions" else "",
            park_until=idea.parked_until if outcome == "park" else None, budget_allocated=budget,
            people_allocated=people, external_support=external, recorded_by=secretary,
            recorded_at=starts + timedelta(minutes=15 * order), stage_change=change,
        )
        summary = services.decision_summary(meeting, outcome, decision.park_until)
        timeline_add(idea=idea, kind=EventKind.DECISION, actor=secretary, summary=summary,
                     detail=services.Resources(budget, people, external).describe())
        items[title] = item
    order += 1
    AgendaItem.objects.create(
        meeting=meeting, order=order, kind=AgendaItem.Kind.FREE, title="Innovation programme: quarterly report",
        description="Progress on approved ideas, savings so far and the pipeline for next quarter.",
        presenter=secretary, minutes_allotted=20, recommendation="That the Board notes the report.",
    )
    corporate = User.objects.filter(email="corporate.board@harrow.example").first()
    if corporate and "Single sign-on for staff systems" in items:
        Declaration.objects.create(
            item=items["Single sign-on for staff systems"], member=corporate,
            nature="I chair the Corporate IT steering group that asked for this work.", leaves_room=False,
            created_at=starts,
        )
    finance = User.objects.filter(email="finance.reviewer@harrow.example").first()
    if finance and "Chatbot for council tax questions" in items:
        Action.objects.create(
            meeting=meeting, item=items["Chatbot for council tax questions"], owner=finance,
            description="Confirm the chatbot's integration costs with the CRM owner.",
            due_date=timezone.localdate() + timedelta(days=14),
        )
    Action.objects.create(
        meeting=meeting, owner=secretary, description="Circulate the quarterly report to all directors.",
        due_date=timezone.localdate() - timedelta(days=20), status=Action.Status.DONE,
        completed_at=starts + timedelta(days=3),
    )
    Minutes.objects.create(meeting=meeting, body=services.minutes_compose(meeting), updated_by=secretary,
                           drafted_at=starts + timedelta(days=2))
    return meeting


def _upcoming_meeting(board: Board, secretary: User) -> Meeting:
    meeting = services.meeting_schedule(
        board=board, starts_at=_at(21), by=secretary, duration_minutes=120, location=board.default_location,
        online_link="https://teams.example/harrow-innovation-board",
    )
    platform = Idea.objects.filter(title="Cross-department data platform", stage__ready_for_board=True).first()
    if platform is not None:
        services.agenda_add_idea(
            meeting_id=meeting.pk, idea_id=platform.pk, by=secretary, minutes_allotted=30, presenter=platform.owner,
            recommendation="Approve with conditions: a 6-month discovery with Adult Social Care and Housing first.",
        )
    services.agenda_add_free(
        meeting_id=meeting.pk, by=secretary, title="Update from the Digital team", minutes_allotted=15,
        description="What the Digital team learned from the chatbot pilot.", presenter_name="Head of Digital",
        recommendation="That the Board notes the update.",
    )
    return meeting
