"""Reads for Board pages: querysets joined for the page, so each page costs a
fixed number of queries whatever the data size, and filtered by what the
person asking may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, Sum, Value
from django.utils import timezone

from harrow_innovation.people.models import User
from ideas.models import Idea, Outcome, Review
from ideas.permissions import owned_filter, owns_expression

from . import permissions
from .models import (
    Action,
    AgendaItem,
    Attendance,
    Board,
    Decision,
    Declaration,
    Meeting,
    MeetingLog,
    MeetingStatus,
    Membership,
    PackVersion,
)

# A meeting counts as upcoming until the end of the day it is held.
RECENT_PAST_DAYS = 1


def default_board() -> Board | None:
    return Board.objects.order_by("pk").first()


def _items_queryset() -> QuerySet[AgendaItem]:
    return AgendaItem.objects.select_related(
        "idea", "idea__stage", "idea__owner", "presenter", "stage_when_added", "decision", "decision__recorded_by",
        "carried_from__meeting",
    ).prefetch_related(
        Prefetch("declarations", queryset=Declaration.objects.select_related("member")),
        "idea__co_owners",
    ).order_by("order", "pk")


def meetings_upcoming() -> QuerySet[Meeting]:
    """Meetings still to come (or today's), soonest first, with their agendas and latest ready pack."""
    since = timezone.now() - timedelta(days=RECENT_PAST_DAYS)
    return (
        Meeting.objects.filter(starts_at__gte=since)
        .select_related("board")
        .prefetch_related(
            Prefetch("items", queryset=AgendaItem.objects.select_related("idea", "decision").order_by("order", "pk")),
            Prefetch("packs", queryset=PackVersion.objects.filter(status=PackVersion.Status.READY).order_by("-number"),
                     to_attr="ready_packs"),
        )
        .annotate(total_minutes=Sum("items__minutes_allotted"))
        .order_by("starts_at", "pk")
    )


def meetings_past() -> QuerySet[Meeting]:
    since = timezone.now() - timedelta(days=RECENT_PAST_DAYS)
    return Meeting.objects.filter(starts_at__lt=since).select_related("board", "minutes").order_by("-starts_at", "-pk")


def meeting_for_page(*, pk: int) -> Meeting | None:
    """One meeting with everything its page shows."""
    return (
        Meeting.objects.select_related("board", "created_by", "minutes", "minutes__approved_at_meeting")
        .prefetch_related(
            Prefetch("board__memberships", queryset=Membership.objects.select_related("user")),
            Prefetch("attendance", queryset=Attendance.objects.select_related("user").order_by("user__full_name")),
            Prefetch("items", queryset=_items_queryset()),
            Prefetch("actions", queryset=Action.objects.select_related("owner", "item").order_by("due_date", "pk")),
            Prefetch("packs", queryset=PackVersion.objects.order_by("-number")),
            Prefetch("log", queryset=MeetingLog.objects.select_related("actor").order_by("-at", "-pk")[:15],
                     to_attr="recent_log"),
        )
        .filter(pk=pk)
        .first()
    )


def meeting_for_agenda(*, pk: int) -> Meeting | None:
    """A meeting with its agenda items, for the agenda builder."""
    return (
        Meeting.objects.select_related("board")
        .prefetch_related(Prefetch("items", queryset=_items_queryset()))
        .filter(pk=pk)
        .first()
    )


def meeting_basic(*, pk: int) -> Meeting | None:
    return Meeting.objects.select_related("board").filter(pk=pk).first()


def meeting_for_minutes(*, pk: int) -> Meeting | None:
    return (
        Meeting.objects.select_related("board", "minutes", "minutes__approved_at_meeting__board")
        .prefetch_related(Prefetch("items", queryset=_items_queryset()), "board__memberships")
        .filter(pk=pk)
        .first()
    )


def item_for_page(*, pk: int) -> AgendaItem | None:
    return (
        AgendaItem.objects.select_related(
            "meeting", "meeting__board", "idea", "idea__stage", "stage_when_added", "decision", "presenter"
        )
        .prefetch_related(Prefetch("declarations", queryset=Declaration.objects.select_related("member")))
        .filter(pk=pk)
        .first()
    )


def running_time(*, items) -> int:
    return sum(item.minutes_allotted for item in items)


def ready_ideas(*, meeting: Meeting, viewer=None) -> QuerySet[Idea]:
    """Ideas the Board can take: their stage is ready for the Board. Best scored first.

    Each carries ``on_this_agenda`` and ``waiting_elsewhere`` (on another meeting's
    agenda without a decision yet), its submitted reviews for the recommendations,
    and ``viewer_owns``: ``viewer`` owns or co-owns it (nobody takes their own idea to the Board).
    """
    on_this = AgendaItem.objects.filter(meeting=meeting, idea_id=OuterRef("pk"))
    elsewhere = AgendaItem.objects.filter(
        idea_id=OuterRef("pk"), decision__isnull=True,
        meeting__status__in=[MeetingStatus.PLANNED, MeetingStatus.AGENDA_PUBLISHED, MeetingStatus.HELD],
    ).exclude(meeting=meeting)

    return (
        Idea.objects.filter(stage__ready_for_board=True)
        .select_related("stage", "department", "owner")
        .prefetch_related(
            Prefetch("reviews", queryset=Review.objects.filter(status=Review.Status.SUBMITTED)
                     .select_related("reviewer").order_by("submitted_at", "pk"), to_attr="submitted_reviews")
        )
        .annotate(on_this_agenda=Exists(on_this), waiting_elsewhere=Exists(elsewhere),
                  viewer_owns=owns_expression(viewer) if viewer is not None else Value(False))
        .order_by(F("weighted_score").desc(nulls_last=True), "stage_entered_at", "pk")
    )


def parked_due_count(*, today: date | None = None) -> int:
    from .services import parked_ideas_due

    return parked_ideas_due(today or timezone.localdate()).count()


@dataclass
class DecisionFilters:
    q: str = ""
    outcome: str = ""
    date_from: date | None = None
    date_to: date | None = None


def decisions_visible_to(*, user: User) -> QuerySet[Decision]:
    """Members see every decision; anyone else only decisions on ideas they own or co-own."""
    qs = Decision.objects.all()
    if permissions.can_read_board_papers(user):
        return qs
    return qs.filter(owned_filter(user, idea_path="item__idea"))


def decisions_search(*, user: User, filters: DecisionFilters) -> QuerySet[Decision]:
    qs = decisions_visible_to(user=user)
    q = filters.q.strip()
    if q:
        qs = qs.filter(Q(item__title__icontains=q) | Q(item__idea__title__icontains=q))
    if filters.outcome in Outcome.values and filters.outcome:
        qs = qs.filter(outcome=filters.outcome)
    if filters.date_from:
        qs = qs.filter(item__meeting__starts_at__date__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(item__meeting__starts_at__date__lte=filters.date_to)
    return qs.select_related(
        "item", "item__idea", "item__idea__stage", "item__meeting", "item__meeting__board", "item__meeting__minutes"
    ).order_by("-item__meeting__starts_at", "item__order", "pk")


def actions_owned_by(*, user: User) -> QuerySet[Action]:
    return (
        Action.objects.filter(owner=user)
        .select_related("meeting", "meeting__board", "item", "owner")
        .order_by("status", "due_date", "pk")
    )


def actions_open() -> QuerySet[Action]:
    return (
        Action.objects.filter(status__in=[Action.Status.OPEN, Action.Status.IN_PROGRESS])
        .select_related("meeting", "meeting__board", "item", "owner")
        .order_by("due_date", "pk")
    )


def actions_waiting_for(*, user: User, limit: int) -> list[Action]:
    """The person's open Board actions, soonest due first, each marked ``overdue`` (one query)."""
    today = timezone.localdate()
    actions = list(
        Action.objects.filter(owner_id=user.pk, status__in=[Action.Status.OPEN, Action.Status.IN_PROGRESS])
        .select_related("meeting", "meeting__board")
        .order_by("due_date", "pk")[:limit]
    )
    for action in actions:
        action.overdue = action.due_date < today
    return actions


def action_for_page(*, pk: int) -> Action | None:
    return Action.objects.select_related("meeting", "meeting__board", "owner", "item").filter(pk=pk).first()


def meetings_for_feed() -> QuerySet[Meeting]:
    """Meetings for a calendar feed: the last year and everything to come."""
    since = timezone.now() - timedelta(days=365)
    return Meeting.objects.filter(starts_at__gte=since).select_related("board").order_by("starts_at", "pk")


def people_for_choice() -> QuerySet[User]:
    return User.objects.filter(is_active=True).order_by("full_name", "pk")
