"""What the board tells people, and who hears it. Declared to ``notifications`` from ``BoardConfig.ready``.

The services publish each event with one call inside their transaction
(``notifications.publish("board.decision_recorded", decision_id=…)``); the
handlers below take ids, are safe to run twice and return how many were told.
The periodic scans are in ``board.reminders``; ``notifications`` delivers,
deduplicates and schedules, and knows nothing of the board.
"""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from ideas.notices import idea_owner_ids
from notifications import events, kinds, schedules
from notifications.events import day, object_type, tell
from notifications.kinds import NoticeKind
from notifications.models import Channel, DeliveryKey
from notifications.services import Notice, notify

from .models import Action, Decision, Meeting, MeetingStatus, Membership, PackVersion
from .pack_builder import start_clocks


class Kind:
    """The board's notice kinds (the codes are stored: never rename them)."""

    DECISION_RECORDED = "decision_recorded"
    PARKED_DATE_REACHED = "parked_date_reached"
    AGENDA_PUBLISHED = "agenda_published"
    PACK_READY = "pack_ready"
    MEETING_SOON = "meeting_soon"
    IDEA_ON_AGENDA = "idea_on_agenda"
    ACTION_ASSIGNED = "action_assigned"
    ACTION_DUE_SOON = "action_due_soon"
    ACTION_OVERDUE = "action_overdue"


KINDS = [
    NoticeKind(Kind.DECISION_RECORDED, "The Board decided on an idea", "When the Board decides on your idea", "",
               Channel.IMMEDIATE, order=50),
    NoticeKind(Kind.PARKED_DATE_REACHED, "A parked idea's date has come", "When a parked idea's date comes",
               "For the idea's owners and the Board secretary.", Channel.IMMEDIATE, order=80),
    NoticeKind(Kind.AGENDA_PUBLISHED, "A Board agenda was published", "When a Board agenda is published",
               "For Board members.", Channel.IMMEDIATE, order=90),
    NoticeKind(Kind.PACK_READY, "An agenda pack is ready", "When an agenda pack is ready to read", "For Board members.",
               Channel.IMMEDIATE, order=100),
    NoticeKind(Kind.MEETING_SOON, "A Board meeting is coming up", "Before a Board meeting", "For Board members.",
               Channel.IMMEDIATE, order=110),
    NoticeKind(Kind.IDEA_ON_AGENDA, "An idea is on a published Board agenda",
               "When your idea is on a published Board agenda",
               "For its owners and presenter, with the time of its slot.", Channel.IMMEDIATE, order=120),
    NoticeKind(Kind.ACTION_ASSIGNED, "A Board action was given to you", "When you are given a Board action",
               "You own the action.", Channel.IMMEDIATE, fixed=True, order=130),
    NoticeKind(Kind.ACTION_DUE_SOON, "A Board action is due soon", "When a Board action you own is due soon", "",
               Channel.IMMEDIATE, order=140),
    NoticeKind(Kind.ACTION_OVERDUE, "A Board action is overdue", "When a Board action you own is overdue", "",
               Channel.IMMEDIATE, order=150),
]

# The task names of the scans predate their move from the notifications app: beat rows in existing databases name them.
JOBS = [
    schedules.Job("Return parked ideas to the Board's list", "board.return_parked_ideas",
                  "Moves parked ideas whose date has come back to the Board secretary's list.", at=(5, 30)),
    schedules.Job("Remind Board members of meetings", "notifications.scan_meetings",
                  "Days before each meeting, set by NOTIFY_MEETING_DAYS (default 7 and 1).", at=(6, 40)),
    schedules.Job("Remind owners of Board actions due or overdue", "notifications.scan_actions", "", at=(6, 45)),
    schedules.Job("Tell owners and the secretary when a parked idea's date comes", "notifications.scan_parked_ideas",
                  "", at=(6, 50)),
    schedules.Job("Catch Board events not yet told", "notifications.scan_board_events",
                  "Agendas published in the last two days whose notices were held for the pack, or not yet told.",
                  every_minutes=5),
    schedules.Job("Rescue agenda packs stuck building", "board.rescue_stale_packs",
                  "Hands a pack whose worker died back to the queue.", every_minutes=2),
    schedules.Job("Refresh published agenda packs", "board.refresh_published_packs",
                  "Builds a new pack version when a paper changed after publication.", every_minutes=5),
]


def register() -> None:
    kinds.declare(*KINDS)
    schedules.declare(*JOBS)
    events.declare("board.agenda_published", agenda_published)
    events.declare("board.ideas_on_agenda", ideas_on_agenda)
    events.declare("board.pack_ready", pack_ready)
    events.declare("board.decision_recorded", decision_recorded)
    events.declare("board.action_assigned", action_assigned)


def board_member_ids(board_id: int) -> set[int]:
    return set(
        Membership.objects.filter(board_id=board_id, is_active=True, user__is_active=True).values_list("user_id", flat=True)
    )


def decision_recorded(*, decision_id: int) -> int:
    """The idea's owners and co-owners hear what the Board decided."""
    decision = Decision.objects.select_related("item__idea", "item__meeting__board").filter(pk=decision_id).first()
    if decision is None or decision.item.idea_id is None:
        return 0
    idea = decision.item.idea
    body = f"At {decision.item.meeting}, the Board decided: {decision.get_outcome_display()}."
    if decision.park_until:
        body += f" It is parked until {decision.park_until:%-d %B %Y}."
    if decision.conditions:
        body += f"\n\nConditions: {decision.conditions}"
    return tell(
        idea_owner_ids(idea), kind=Kind.DECISION_RECORDED, object_type=object_type(decision), object_id=decision.pk,
        due_date=day(decision.recorded_at),
        title=f"The Board decided on “{idea.title}”: {decision.get_outcome_display()}", body=body, url=idea.get_absolute_url(),
    )


# How long members' "agenda published" notice waits for the pack built at publication, so they get
# one email ("Agenda published and pack ready") instead of two. Past this, the agenda is announced alone.
PUBLISH_NOTICE_HOLD = timedelta(minutes=30)


def _publish_pack(meeting):
    """The pack version made when the agenda was published (the first made since), if any."""
    if meeting.published_at is None:
        return None
    return PackVersion.objects.filter(meeting=meeting, created_at__gte=meeting.published_at).order_by("number").first()


def _meeting_when(meeting) -> str:
    when = timezone.localtime(meeting.starts_at)
    return f"The meeting is on {when:%A %-d %B %Y at %-I:%M%p}.".replace("AM", "am").replace("PM", "pm")


def _agenda_notice(meeting, people: set[int], *, with_pack: bool) -> int:
    """The members' agenda notice. With the pack it is the one notice for both, under the same key."""
    title = f"Agenda published: {meeting.display_title}"
    body = _meeting_when(meeting)
    if with_pack:
        title = f"Agenda published and pack ready: {meeting.display_title}"
        body += " The agenda pack is ready to read: please read it before the meeting."
    return tell(
        people, kind=Kind.AGENDA_PUBLISHED, object_type=object_type(meeting), object_id=meeting.pk,
        due_date=day(meeting.published_at or meeting.starts_at), title=title, body=body, url=meeting.get_absolute_url(),
    )


def agenda_published(*, meeting_id: int) -> int:
    """Board members hear that a meeting's agenda is out, with its pack when that is ready.

    While the pack made at publication is still being built (for up to
    ``PUBLISH_NOTICE_HOLD``), nothing is sent: ``pack_ready`` sends the one
    combined notice when it is built. If that build failed or is slow, the
    agenda is announced alone.
    """
    meeting = Meeting.objects.select_related("board").filter(pk=meeting_id).first()
    if meeting is None or (meeting.status == MeetingStatus.PLANNED and meeting.published_at is None):
        return 0
    pack = _publish_pack(meeting)
    members = board_member_ids(meeting.board_id)
    if pack is not None and pack.status == PackVersion.Status.READY:
        told = _agenda_notice(meeting, members, with_pack=True)
        PackVersion.objects.filter(pk=pack.pk, notified_at__isnull=True).update(notified_at=timezone.now())
        return told
    building = pack is not None and pack.status in (PackVersion.Status.QUEUED, PackVersion.Status.BUILDING)
    if building and timezone.now() - meeting.published_at < PUBLISH_NOTICE_HOLD:
        return 0
    return _agenda_notice(meeting, members, with_pack=False)


def pack_ready(*, pack_id: int) -> int:
    """Board members hear that a pack (or a new version of it) is ready to read.

    The pack made at publication is announced with the agenda, in one notice,
    to every member not already told of the agenda alone.
    """
    pack = PackVersion.objects.select_related("meeting__board").filter(pk=pack_id).first()
    if pack is None or pack.status != PackVersion.Status.READY:
        return 0
    meeting = pack.meeting
    members = board_member_ids(meeting.board_id)
    told = 0
    publish_pack = _publish_pack(meeting)
    if publish_pack is not None and publish_pack.pk == pack.pk:
        agenda_told = dict(DeliveryKey.objects.filter(
            kind=Kind.AGENDA_PUBLISHED, object_type=object_type(meeting), object_id=meeting.pk,
            due_date=day(meeting.published_at), recipient_id__in=members,
        ).values_list("recipient_id", "created_at"))
        told += _agenda_notice(meeting, members - set(agenda_told), with_pack=True)
        # Those told of the agenda before the pack was ready (it failed to wait) hear of the pack on its own.
        finished = pack.finished_at or timezone.now()
        members = {person for person, at in agenda_told.items() if at < finished}
    title = f"The agenda pack for {meeting.display_title} is ready"
    if pack.number > 1:
        title = f"An updated agenda pack (version {pack.number}) for {meeting.display_title} is ready"
    told += tell(
        members, kind=Kind.PACK_READY, object_type=object_type(pack), object_id=pack.pk,
        due_date=day(pack.finished_at or pack.created_at), title=title,
        body=pack.reason if pack.number > 1 else "Please read it before the meeting.", url=meeting.get_absolute_url(),
    )
    PackVersion.objects.filter(pk=pack.pk, notified_at__isnull=True).update(notified_at=timezone.now())
    return told


def ideas_on_agenda(*, meeting_id: int) -> int:
    """Owners, co-owners and presenters of each idea on a published agenda hear when its slot starts.

    One notice per person per item per meeting day: an item added after
    publication reaches its people on the next run, and the others are not told twice.
    """
    meeting = Meeting.objects.select_related("board").filter(pk=meeting_id).first()
    if meeting is None or meeting.status != MeetingStatus.AGENDA_PUBLISHED:
        return 0
    items = list(meeting.items.select_related("idea").prefetch_related("idea__co_owners").order_by("order", "pk"))
    on = timezone.localdate(meeting.starts_at)
    notices = []
    for number, (item, start) in enumerate(zip(items, start_clocks(meeting, items), strict=True), start=1):
        if item.idea_id is None:
            continue
        owners = {item.idea.owner_id, *(co.pk for co in item.idea.co_owners.all())}
        for person in owners | ({item.presenter_id} if item.presenter_id else set()):
            role = "You are presenting it. " if person == item.presenter_id else ""
            notices.append(Notice(
                recipient_id=person, kind=Kind.IDEA_ON_AGENDA, object_type=object_type(item), object_id=item.pk,
                due_date=on, url=meeting.get_absolute_url(),
                title=f"“{item.idea.title}” is on the agenda for {meeting.display_title}",
                body=f"It is item {number}. Its slot starts at {start} on {on:%A %-d %B %Y} "
                     f"and lasts {item.minutes_allotted} minutes. {role}The time may move a little if earlier items "
                     "run long.",
            ))
    return len(notify(notices))


def action_assigned(*, action_id: int) -> int:
    """The owner of a Board action hears when it is given to them, not first when it is nearly due."""
    action = Action.objects.select_related("meeting__board").filter(pk=action_id).first()
    if action is None or action.status not in (Action.Status.OPEN, Action.Status.IN_PROGRESS):
        return 0
    short = action.description if len(action.description) <= 80 else action.description[:79] + "…"
    return tell(
        {action.owner_id}, kind=Kind.ACTION_ASSIGNED, object_type=object_type(action), object_id=action.pk,
        due_date=timezone.localdate(), title=f"A Board action for you: {short}",
        body=f"From {action.meeting.display_title}. It is due on {action.due_date:%-d %B %Y}.\n\n{action.description}",
        url=reverse("board:actions"),
    )
