"""Periodic scans: find what has fallen due in the database and tell the right people, once.

Beat runs each scan daily (admins can change when in Django admin). There are
no long ETA or countdown tasks: a scan that runs late, twice, or in two beat
processes at once still issues each reminder once, because every reminder's
key (kind, recipient, object, due date) is unique in the database.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from .events import board_member_ids, object_type, secretary_ids, url_of
from .models import Kind, PackOpened
from .services import Notice, chunked, notify

ESCALATE_AFTER_DAYS = 3  # an overdue review goes to the secretary this many days after the reviewer
ACTION_DUE_SOON_DAYS = 3
PARKED_LOOKBACK_DAYS = 14  # park decisions whose date came this recently are still checked
BOARD_EVENTS_LOOKBACK_DAYS = 2


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _on(day: date) -> str:
    return f"{day:%-d %B %Y}"


def meeting_days() -> list[int]:
    """Days before a meeting when members are reminded (setting NOTIFY_MEETING_DAYS, default "7,1")."""
    raw = getattr(settings, "NOTIFY_MEETING_DAYS", ["7", "1"])
    return sorted({int(str(value).strip()) for value in raw})


def _co_owners(idea_ids) -> dict[int, set[int]]:
    from ideas.models import Idea

    found: dict[int, set[int]] = defaultdict(set)
    for batch in chunked(idea_ids, 1000):
        for idea_id, user_id in Idea.co_owners.through.objects.filter(idea_id__in=batch).values_list("idea_id", "user_id"):
            found[idea_id].add(user_id)
    return found


def scan_overdue_reviews(*, today: date | None = None) -> int:
    """Reviewers whose review is past its due date; the secretary if it is still not done days later.

    A review is due on its due date if the secretary set one, else its stage's
    allowance (``days_allowed``) after it was assigned.
    """
    from ideas.models import Review

    today = today or timezone.localdate()
    reviews = (
        Review.objects.filter(status=Review.Status.ASSIGNED, idea__stage_id=F("stage_id"))
        .filter(Q(due_date__isnull=False) | Q(stage__days_allowed__isnull=False))
        .values_list("pk", "reviewer_id", "reviewer__full_name", "due_date", "assigned_at", "stage__days_allowed",
                     "idea_id", "idea__title")
    )
    secretaries = None
    notices = []
    for pk, reviewer_id, reviewer_name, due, assigned_at, allowance, idea_id, title in reviews:
        due = due or timezone.localdate(assigned_at) + timedelta(days=allowance)
        if due >= today:
            continue
        url = url_of(None, ("ideas:detail", {"pk": idea_id}))
        notices.append(Notice(
            kind=Kind.REVIEW_OVERDUE, recipient_id=reviewer_id, object_type="ideas.review", object_id=pk, due_date=due,
            title=f"Your review of “{title}” is overdue", url=url,
            body=f"It was due on {_on(due)}. Please complete it, or tell the Board secretary if you cannot.",
        ))
        if today >= due + timedelta(days=ESCALATE_AFTER_DAYS):
            secretaries = secretary_ids() if secretaries is None else secretaries
            notices += [
                Notice(
                    kind=Kind.REVIEW_OVERDUE, recipient_id=person, object_type="ideas.review", object_id=pk,
                    due_date=due, title=f"{reviewer_name}'s review of “{title}” is overdue", url=url,
                    body=f"It was due on {_on(due)} and is still not done. You may want to ask someone else.",
                )
                for person in secretaries
            ]
    return len(notify(notices))


def scan_stalled_ideas(*, today: date | None = None) -> int:
    """Ideas that have stayed in a stage longer than its allowance: their owners and the secretary."""
    from ideas.models import Idea, Stage, StageKind

    today = today or timezone.localdate()
    stages = {
        s.pk: s for s in Stage.objects.filter(days_allowed__isnull=False, is_final=False).exclude(kind=StageKind.DRAFT)
    }
    if not stages:
        return 0
    late = Q()
    for stage in stages.values():
        late |= Q(stage_id=stage.pk, stage_entered_at__lt=_start_of(today - timedelta(days=stage.days_allowed)))
    ideas = list(Idea.objects.filter(late).values_list("pk", "title", "owner_id", "stage_id", "stage_entered_at"))
    co_owners = _co_owners([row[0] for row in ideas])
    secretaries = secretary_ids() if ideas else set()
    notices = []
    for pk, title, owner_id, stage_id, entered in ideas:
        stage = stages[stage_id]
        due = timezone.localdate(entered) + timedelta(days=stage.days_allowed)
        url = url_of(None, ("ideas:detail", {"pk": pk}))
        for person in {owner_id, *co_owners[pk], *secretaries}:
            notices.append(Notice(
                kind=Kind.IDEA_STALLED, recipient_id=person, object_type="ideas.idea", object_id=pk, due_date=due,
                title=f"“{title}” has been at {stage.name} for more than {stage.days_allowed} days", url=url,
                body=f"It reached {stage.name} on {_on(timezone.localdate(entered))}.",
            ))
    return len(notify(notices))


def scan_parked_ideas(*, today: date | None = None) -> int:
    """Parked ideas whose date has come: the secretary, and owners of ideas still parked.

    The Board's decisions are read as well as the ideas: ``board.return_parked_ideas``
    may already have moved an idea back (clearing its date) before this scan runs.
    Its owners then heard of that move, so only the secretary is told here.
    """
    from ideas.models import Idea

    today = today or timezone.localdate()
    due: dict[tuple[int, date], bool] = {}  # (idea, date) -> still parked
    for pk, until in Idea.objects.filter(
        parked_until__isnull=False, parked_until__lte=today, stage__is_final=False
    ).values_list("pk", "parked_until"):
        due[(pk, until)] = True
    from django.apps import apps

    if apps.is_installed("board"):
        from board.models import Decision

        for pk, until in Decision.objects.filter(
            outcome="park", park_until__lte=today, park_until__gte=today - timedelta(days=PARKED_LOOKBACK_DAYS)
        ).values_list("item__idea_id", "park_until"):
            due.setdefault((pk, until), False)
    if not due:
        return 0
    ideas = {
        pk: (title, owner)
        for pk, title, owner in Idea.objects.filter(pk__in={pk for pk, _ in due}).values_list("pk", "title", "owner_id")
    }
    co_owners = _co_owners(list(ideas))
    secretaries = secretary_ids()
    notices = []
    for (pk, until), still_parked in due.items():
        if pk not in ideas:
            continue
        title, owner_id = ideas[pk]
        people = set(secretaries) | ({owner_id, *co_owners[pk]} if still_parked else set())
        notices += [
            Notice(
                kind=Kind.PARKED_DATE_REACHED, recipient_id=person, object_type="ideas.idea", object_id=pk,
                due_date=until, title=f"“{title}” was parked until {_on(until)}",
                url=url_of(None, ("ideas:detail", {"pk": pk})),
                body="Its date has come: it goes back on the Board secretary's list of ideas ready for the Board.",
            )
            for person in people
        ]
    return len(notify(notices))


def scan_meetings(*, today: date | None = None) -> int:
    """Board members before each meeting, N days ahead for each N in NOTIFY_MEETING_DAYS.

    A meeting inside a window whose reminder was missed (beat was down, or the
    meeting was arranged late) gets that window's reminder on the next run.
    Members who have not opened a ready pack get a firmer nudge.
    """
    from board.models import Meeting, MeetingStatus, PackVersion

    today = today or timezone.localdate()
    days = meeting_days()
    meetings = list(
        Meeting.objects.filter(
            status__in=[MeetingStatus.PLANNED, MeetingStatus.AGENDA_PUBLISHED],
            starts_at__gte=_start_of(today),
            starts_at__lt=_start_of(today + timedelta(days=max(days) + 1)),
        ).select_related("board")
    )
    if not meetings:
        return 0
    ids = [m.pk for m in meetings]
    with_pack = set(
        PackVersion.objects.filter(meeting_id__in=ids, status=PackVersion.Status.READY).values_list("meeting_id", flat=True)
    )
    opened = set(PackOpened.objects.filter(meeting_id__in=ids).values_list("meeting_id", "user_id"))
    members = {board_id: board_member_ids(board_id) for board_id in {m.board_id for m in meetings}}
    notices = []
    for meeting in meetings:
        on = timezone.localdate(meeting.starts_at)
        until = (on - today).days
        window = min(n for n in days if n >= until)
        when = "today" if until == 0 else "tomorrow" if until == 1 else f"in {until} days"
        for person in members[meeting.board_id]:
            unread = meeting.pk in with_pack and (meeting.pk, person) not in opened
            title = f"Board meeting {when}: {meeting.display_title}"
            body = f"The meeting is on {_on(on)}."
            if unread:
                title = f"Please read the agenda pack before the meeting {when}"
                body = f"You have not opened the pack for {meeting.display_title} yet. The meeting is on {_on(on)}."
            notices.append(Notice(
                kind=Kind.MEETING_SOON, recipient_id=person, object_type=object_type(meeting), object_id=meeting.pk,
                due_date=on - timedelta(days=window), title=title, body=body, url=url_of(meeting),
            ))
    return len(notify(notices))


def scan_actions(*, today: date | None = None) -> int:
    """Owners of Board actions due in the next few days, and of actions now overdue."""
    from board.models import Action

    today = today or timezone.localdate()
    actions = (
        Action.objects.filter(
            status__in=[Action.Status.OPEN, Action.Status.IN_PROGRESS],
            due_date__lte=today + timedelta(days=ACTION_DUE_SOON_DAYS),
        )
        .order_by("pk")
        .values_list("pk", "owner_id", "description", "due_date", "meeting_id")
    )
    notices = []
    urls: dict[int, str] = {}
    for pk, owner_id, description, due, meeting_id in actions.iterator(chunk_size=5000):
        if meeting_id not in urls:
            urls[meeting_id] = url_of(None, ("board:meeting", {"pk": meeting_id}))
        short = description if len(description) <= 80 else description[:79] + "…"
        overdue = due < today
        notices.append(Notice(
            kind=Kind.ACTION_OVERDUE if overdue else Kind.ACTION_DUE_SOON, recipient_id=owner_id,
            object_type="board.action", object_id=pk, due_date=due,
            title=f"Board action {'overdue' if overdue else 'due ' + ('today' if due == today else _on(due))}: {short}",
            body=f"It {'was' if overdue else 'is'} due on {_on(due)}.",
            url=urls[meeting_id],
        ))
    return len(notify(notices))


def scan_board_events(*, today: date | None = None) -> int:
    """Safety net for Board events: agendas published and decisions recorded recently.

    The board hands these over as they happen (``notifications.agenda_published``,
    ``notifications.decision_recorded``); this scan, every few minutes, issues any
    that were not handed over. Keys make a notice issued both ways count once.
    """
    from django.apps import apps

    if not apps.is_installed("board"):
        return 0
    from board.models import Decision, Meeting

    from . import events

    today = today or timezone.localdate()
    since = _start_of(today - timedelta(days=BOARD_EVENTS_LOOKBACK_DAYS))
    told = 0
    for meeting_id in Meeting.objects.filter(published_at__gte=since).values_list("pk", flat=True):
        told += events.agenda_published(meeting_id=meeting_id)
        told += events.ideas_on_agenda(meeting_id=meeting_id)
    for decision_id in Decision.objects.filter(recorded_at__gte=since).values_list("pk", flat=True):
        told += events.decision_recorded(decision_id=decision_id)
    return told
