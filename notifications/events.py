"""Who hears about what happened. Each function takes an id, is safe to run twice, and returns how many were told.

Called by Celery tasks (``ideas.tasks``, ``notifications.tasks``). Board
models are imported inside the functions: this app must not depend on the
board app when it loads.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Model
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from harrow_innovation.people.models import User
from harrow_innovation.people.roles import Role, holds_role

from .models import DeliveryKey, Kind
from .services import Notice, notify


def url_of(obj: Model | None, *alternatives: tuple[str, dict]) -> str:
    """The page a notice links to: the first URL that resolves, else the home page."""
    for name, kwargs in alternatives:
        try:
            return reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            continue
    if obj is not None and hasattr(obj, "get_absolute_url"):
        try:
            return obj.get_absolute_url()
        except NoReverseMatch:
            pass
    return reverse("home")


def object_type(obj: Model) -> str:
    return obj._meta.label_lower


def day(value) -> object:
    return timezone.localdate(value) if value else timezone.localdate()


def secretary_ids() -> set[int]:
    return set(User.objects.filter(holds_role(Role.SECRETARY)).values_list("pk", flat=True))


def idea_owner_ids(idea) -> set[int]:
    return {idea.owner_id, *idea.co_owners.values_list("pk", flat=True)}


def idea_follower_ids(idea) -> set[int]:
    """Followers who may still see the idea (it may have become confidential since they followed it)."""
    from ideas.models import StageKind
    from ideas.permissions import can_view_idea

    followers = User.objects.filter(follows__idea=idea, is_active=True)
    if idea.stage.kind != StageKind.DRAFT and not idea.is_confidential:
        return set(followers.values_list("pk", flat=True))
    return {user.pk for user in followers if can_view_idea(user, idea)}


def _tell(people: set[int], **notice) -> int:
    return len(notify([Notice(recipient_id=person, **notice) for person in people]))


# --- Ideas ------------------------------------------------------------------------


def stage_changed(*, change_id: int) -> int:
    """Owners, co-owners and followers hear that an idea moved (not the person who moved it)."""
    from ideas.models import StageChange

    change = StageChange.objects.select_related("idea__stage", "from_stage", "to_stage", "by", "transition").filter(
        pk=change_id
    ).first()
    if change is None:
        return 0
    idea = change.idea
    people = idea_follower_ids(idea)
    if change.transition_id and change.transition.outcome:
        _decision_behind(change)  # owners hear the Board's decision itself, not a stage change
    else:
        people |= idea_owner_ids(idea)
    people.discard(change.by_id)
    body = f"{change.by_name} moved it from {change.from_stage.name} to {change.to_stage.name}."
    if change.comment:
        body += f"\n\n{change.comment}"
    return _tell(
        people, kind=Kind.STAGE_CHANGED, object_type=object_type(change), object_id=change.pk, due_date=day(change.at),
        title=f"“{idea.title}” is now at {change.to_stage.name}", body=body, url=url_of(idea),
    )


def _decision_behind(change) -> int:
    """Tell owners about the Board decision that made this move (the board may also hand it over itself)."""
    from django.apps import apps

    if not apps.is_installed("board"):
        return 0
    from board.models import Decision

    decision_id = Decision.objects.filter(stage_change_id=change.pk).values_list("pk", flat=True).first()
    return decision_recorded(decision_id=decision_id) if decision_id else 0


def review_assigned(*, review_id: int) -> int:
    from ideas.models import Review

    review = Review.objects.select_related("idea", "stage", "assigned_by").filter(pk=review_id).first()
    if review is None or review.status != Review.Status.ASSIGNED:
        return 0
    body = f"{review.assigned_by} asked you to review it at {review.stage.name}."
    if review.due_date:
        body += f" Please complete your review by {review.due_date:%-d %B %Y}."
    return _tell(
        {review.reviewer_id}, kind=Kind.REVIEW_ASSIGNED, object_type=object_type(review), object_id=review.pk,
        due_date=day(review.assigned_at), title=f"Please review “{review.idea.title}”", body=body,
        url=url_of(review.idea, ("ideas:review", {"pk": review.pk})),
    )


def review_submitted(*, review_id: int) -> int:
    from ideas.models import Review

    review = Review.objects.select_related("idea", "reviewer").filter(pk=review_id).first()
    if review is None or review.status != Review.Status.SUBMITTED:
        return 0
    people = {review.assigned_by_id} - {review.reviewer_id}
    return _tell(
        people, kind=Kind.REVIEW_SUBMITTED, object_type=object_type(review), object_id=review.pk,
        due_date=day(review.submitted_at), title=f"{review.reviewer} has reviewed “{review.idea.title}”",
        body=f"Weighted score {review.weighted_score} out of 5: “{review.get_recommendation_display()}”.",
        url=url_of(review.idea),
    )


def comment_added(*, comment_id: int) -> int:
    from ideas.models import Comment

    comment = Comment.objects.select_related("idea__stage", "author").filter(pk=comment_id).first()
    if comment is None:
        return 0
    idea = comment.idea
    people = (idea_owner_ids(idea) | idea_follower_ids(idea)) - {comment.author_id}
    return _tell(
        people, kind=Kind.COMMENT_ADDED, object_type=object_type(comment), object_id=comment.pk,
        due_date=day(comment.created_at), title=f"{comment.author} commented on “{idea.title}”",
        body=comment.body[:500], url=url_of(idea),
    )


# --- Board ------------------------------------------------------------------------


def board_member_ids(board_id: int) -> set[int]:
    from board.models import Membership

    return set(
        Membership.objects.filter(board_id=board_id, is_active=True, user__is_active=True).values_list("user_id", flat=True)
    )


def decision_recorded(*, decision_id: int) -> int:
    """The idea's owners and co-owners hear what the Board decided."""
    from board.models import Decision

    decision = Decision.objects.select_related("item__idea", "item__meeting__board").filter(pk=decision_id).first()
    if decision is None or decision.item.idea_id is None:
        return 0
    idea = decision.item.idea
    body = f"At {decision.item.meeting}, the Board decided: {decision.get_outcome_display()}."
    if decision.park_until:
        body += f" It is parked until {decision.park_until:%-d %B %Y}."
    if decision.conditions:
        body += f"\n\nConditions: {decision.conditions}"
    return _tell(
        idea_owner_ids(idea), kind=Kind.DECISION_RECORDED, object_type=object_type(decision), object_id=decision.pk,
        due_date=day(decision.recorded_at),
        title=f"The Board decided on “{idea.title}”: {decision.get_outcome_display()}", body=body, url=url_of(idea),
    )


# How long members' "agenda published" notice waits for the pack built at publication, so they get
# one email ("Agenda published and pack ready") instead of two. Past this, the agenda is announced alone.
PUBLISH_NOTICE_HOLD = timedelta(minutes=30)


def _publish_pack(meeting):
    """The pack version made when the agenda was published (the first made since), if any."""
    from board.models import PackVersion

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
    return _tell(
        people, kind=Kind.AGENDA_PUBLISHED, object_type=object_type(meeting), object_id=meeting.pk,
        due_date=day(meeting.published_at or meeting.starts_at), title=title, body=body, url=url_of(meeting),
    )


def agenda_published(*, meeting_id: int) -> int:
    """Board members hear that a meeting's agenda is out, with its pack when that is ready.

    While the pack made at publication is still being built (for up to
    ``PUBLISH_NOTICE_HOLD``), nothing is sent: ``pack_ready`` sends the one
    combined notice when it is built. If that build failed or is slow, the
    agenda is announced alone.
    """
    from board.models import Meeting, MeetingStatus, PackVersion

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
    from board.models import PackVersion

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
    told += _tell(
        members, kind=Kind.PACK_READY, object_type=object_type(pack), object_id=pack.pk,
        due_date=day(pack.finished_at or pack.created_at), title=title,
        body=pack.reason if pack.number > 1 else "Please read it before the meeting.", url=url_of(meeting),
    )
    PackVersion.objects.filter(pk=pack.pk, notified_at__isnull=True).update(notified_at=timezone.now())
    return told


def ideas_on_agenda(*, meeting_id: int) -> int:
    """Owners, co-owners and presenters of each idea on a published agenda hear when its slot starts.

    One notice per person per item per meeting day: an item added after
    publication reaches its people on the next run, and the others are not told twice.
    """
    from board.models import Meeting, MeetingStatus
    from board.pack_builder import start_clocks

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
                due_date=on, url=url_of(meeting),
                title=f"“{item.idea.title}” is on the agenda for {meeting.display_title}",
                body=f"It is item {number}. Its slot starts at {start} on {on:%A %-d %B %Y} "
                     f"and lasts {item.minutes_allotted} minutes. {role}The time may move a little if earlier items "
                     "run long.",
            ))
    return len(notify(notices))


def action_assigned(*, action_id: int) -> int:
    """The owner of a Board action hears when it is given to them, not first when it is nearly due."""
    from board.models import Action

    action = Action.objects.select_related("meeting__board").filter(pk=action_id).first()
    if action is None or action.status not in (Action.Status.OPEN, Action.Status.IN_PROGRESS):
        return 0
    short = action.description if len(action.description) <= 80 else action.description[:79] + "…"
    return _tell(
        {action.owner_id}, kind=Kind.ACTION_ASSIGNED, object_type=object_type(action), object_id=action.pk,
        due_date=timezone.localdate(), title=f"A Board action for you: {short}",
        body=f"From {action.meeting.display_title}. It is due on {action.due_date:%-d %B %Y}.\n\n{action.description}",
        url=url_of(None, ("board:actions", {})),
    )
