"""Periodic scans over the board: find what has fallen due and tell the right people, once.

Beat runs each scan (their rows are declared in ``board.notices``; admins can
change when in Django admin). There are no long ETA or countdown tasks: a scan
that runs late, twice, or in two beat processes at once still issues each
reminder once, because every reminder's key (kind, recipient, object, due date)
is unique in the database.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from ideas.models import Idea
from ideas.notices import secretary_ids
from ideas.reminders import co_owner_ids, long_date, start_of
from notifications.events import object_type
from notifications.services import Notice, notify

from .models import Action, Decision, Meeting, MeetingStatus, PackOpened, PackVersion
from .notices import Kind, agenda_published, board_member_ids, ideas_on_agenda

ACTION_DUE_SOON_DAYS = 3
PARKED_LOOKBACK_DAYS = 14  # park decisions whose date came this recently are still checked
BOARD_EVENTS_LOOKBACK_DAYS = 2


def pack_opened(*, user_id: int, meeting_id: int) -> None:
    """Record that a member opened a meeting's pack or a paper, so ``scan_meetings`` nudges only the others. Idempotent."""
    PackOpened.objects.bulk_create([PackOpened(user_id=user_id, meeting_id=meeting_id)], ignore_conflicts=True)


def meeting_days() -> list[int]:
    """Days before a meeting when members are reminded (setting NOTIFY_MEETING_DAYS, default "7,1")."""
    raw = getattr(settings, "NOTIFY_MEETING_DAYS", ["7", "1"])
    return sorted({int(str(value).strip()) for value in raw})


def scan_parked_ideas(*, today: date | None = None) -> int:
    """Parked ideas whose date has come: the secretary, and owners of ideas still parked.

    The Board's decisions are read as well as the ideas: ``board.return_parked_ideas``
    may already have moved an idea back (clearing its date) before this scan runs.
    Its owners then heard of that move, so only the secretary is told here.
    """
    today = today or timezone.localdate()
    due: dict[tuple[int, date], bool] = {}  # (idea, date) -> still parked
    for pk, until in Idea.objects.filter(
        parked_until__isnull=False, parked_until__lte=today, stage__is_final=False
    ).values_list("pk", "parked_until"):
        due[(pk, until)] = True
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
    co_owners = co_owner_ids(list(ideas))
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
                due_date=until, title=f"“{title}” was parked until {long_date(until)}",
                url=reverse("ideas:detail", kwargs={"pk": pk}),
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
    today = today or timezone.localdate()
    days = meeting_days()
    meetings = list(
        Meeting.objects.filter(
            status__in=[MeetingStatus.PLANNED, MeetingStatus.AGENDA_PUBLISHED],
            starts_at__gte=start_of(today),
            starts_at__lt=start_of(today + timedelta(days=max(days) + 1)),
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
            body = f"The meeting is on {long_date(on)}."
            if unread:
                title = f"Please read the agenda pack before the meeting {when}"
                body = f"You have not opened the pack for {meeting.display_title} yet. The meeting is on {long_date(on)}."
            notices.append(Notice(
                kind=Kind.MEETING_SOON, recipient_id=person, object_type=object_type(meeting), object_id=meeting.pk,
                due_date=on - timedelta(days=window), title=title, body=body, url=meeting.get_absolute_url(),
            ))
    return len(notify(notices))


def scan_actions(*, today: date | None = None) -> int:
    """Owners of Board actions due in the next few days, and of actions now overdue."""
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
            urls[meeting_id] = reverse("board:meeting", kwargs={"pk": meeting_id})
        short = description if len(description) <= 80 else description[:79] + "…"
        overdue = due < today
        notices.append(Notice(
            kind=Kind.ACTION_OVERDUE if overdue else Kind.ACTION_DUE_SOON, recipient_id=owner_id,
            object_type="board.action", object_id=pk, due_date=due,
            title=f"Board action {'overdue' if overdue else 'due ' + ('today' if due == today else long_date(due))}: {short}",
            body=f"It {'was' if overdue else 'is'} due on {long_date(due)}.",
            url=urls[meeting_id],
        ))
    return len(notify(notices))


def scan_board_events(*, today: date | None = None) -> int:
    """Agenda notices held back for the pack, and agendas not yet told: the recently published ones again.

    ``agenda_published`` waits (up to ``PUBLISH_NOTICE_HOLD``) for the pack made at
    publication, so members get one notice for both; if that build failed or is
    slow, this scan, every few minutes, announces the agenda alone once the wait
    is over. Keys make a notice issued both ways count once.
    """
    today = today or timezone.localdate()
    since = start_of(today - timedelta(days=BOARD_EVENTS_LOOKBACK_DAYS))
    told = 0
    for meeting_id in Meeting.objects.filter(published_at__gte=since).values_list("pk", flat=True):
        told += agenda_published(meeting_id=meeting_id)
        told += ideas_on_agenda(meeting_id=meeting_id)
    return told
