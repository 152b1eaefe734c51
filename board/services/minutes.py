"""Minutes: drafted from the record, edited, approved at a later meeting, and kept as a PDF."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from harrow_innovation.people.models import User
from ideas.models import (
    Outcome,
)

from ..models import (
    AgendaItem,
    Attendance,
    Meeting,
    MeetingStatus,
    Membership,
    Minutes,
)
from .common import (
    BoardError,
    _lock_meeting,
    _log,
    _meeting_label,
    _require_manager,
)
from .decisions import Resources


def minutes_compose(meeting: Meeting) -> str:
    """Draft minutes from the record: attendance, declarations, decisions and actions."""
    meeting = (
        Meeting.objects.select_related("board")
        .prefetch_related("attendance__user", "actions__owner", "items__declarations__member",
                          "items__presenter")
        .get(pk=meeting.pk)
    )
    roles = {m.user_id: m for m in Membership.objects.filter(board_id=meeting.board_id).select_related("user")}
    items = list(meeting.items.select_related("decision", "idea").order_by("order", "pk"))
    local = timezone.localtime(meeting.starts_at)

    def who(user_id: int, name: str) -> str:
        member = roles.get(user_id)
        if member is None:
            return name
        return f"{name} ({member.title or member.get_role_display()})"

    by_status: dict[str, list[str]] = {}
    for row in meeting.attendance.all():
        line = who(row.user_id, str(row.user))
        by_status.setdefault(row.status, []).append(line + (f": {row.note}" if row.note else ""))
    place = " and ".join(p for p in (meeting.location, "online" if meeting.online_link else "") if p)
    out = [
        f"Minutes of the {meeting.board.name}",
        f"{local:%A %-d %B %Y}, {meeting.time_display}" + (f", {place}" if place else ""),
    ]
    for status, heading in ((Attendance.Status.PRESENT, "Present"), (Attendance.Status.APOLOGIES, "Apologies"),
                            (Attendance.Status.ABSENT, "Absent"), (Attendance.Status.EXPECTED, "Expected (attendance not recorded)")):
        if by_status.get(status):
            out.append(f"{heading}\n" + "\n".join(f"- {line}" for line in by_status[status]))
    declarations = [(n, item, d) for n, item in enumerate(items, 1) for d in item.declarations.all()]
    if declarations:
        out.append("Declarations of interest\n" + "\n".join(
            f"- {d.member}, item {n} ({item.title}): {d.nature}"
            + (" They left the room for this item." if d.leaves_room else " They stayed in the room.")
            for n, item, d in declarations
        ))
    else:
        out.append("Declarations of interest\nNone.")
    for n, item in enumerate(items, 1):
        lines = [f"{n}. {item.title}"]
        if item.presenter_display:
            lines.append(f"Presented by {item.presenter_display}.")
        if item.kind == AgendaItem.Kind.FREE and item.description:
            lines.append(item.description)
        decision = getattr(item, "decision", None)
        if decision is not None:
            label = decision.get_outcome_display()
            if decision.outcome == Outcome.PARK and decision.park_until:
                label = f"Park until {decision.park_until:%-d %B %Y}"
            lines.append(f"Decision: {label}.")
            if decision.conditions:
                lines.append(f"Conditions: {decision.conditions}")
            resources = Resources(decision.budget_allocated, decision.people_allocated, decision.external_support).describe()
            if resources:
                lines.append(resources)
            if decision.notes:
                lines.append(decision.notes)
        elif item.kind == AgendaItem.Kind.IDEA:
            lines.append("Decision: not recorded.")
        else:
            lines.append("The Board noted the item.")
        out.append("\n".join(lines))
    actions = list(meeting.actions.all())
    if actions:
        out.append("Actions\n" + "\n".join(
            f"- {a.description} Owner: {a.owner}. Due {a.due_date:%-d %B %Y}." for a in actions
        ))
    else:
        out.append("Actions\nNone.")
    return "\n\n".join(out)


@transaction.atomic
def minutes_draft(*, meeting_id: int, by: User, replace: bool = False) -> Minutes:
    """Start the minutes from the record (or, with ``replace``, start them again)."""
    _require_manager(by)
    meeting = _lock_meeting(meeting_id)
    if meeting.status == MeetingStatus.PLANNED:
        raise BoardError("Publish the agenda and hold the meeting before you draft its minutes.")
    minutes = Minutes.objects.select_for_update().filter(meeting=meeting).first()
    if minutes and minutes.status == Minutes.Status.APPROVED:
        raise BoardError("These minutes have been approved: they can no longer change.")
    if minutes and not replace:
        raise BoardError("Draft minutes already exist. Edit them, or start again from the record.")
    body = minutes_compose(meeting)
    if minutes is None:
        minutes = Minutes.objects.create(meeting=meeting, body=body, updated_by=by)
    else:
        minutes.body, minutes.updated_by, minutes.drafted_at = body, by, timezone.now()
        minutes.save(update_fields=["body", "updated_by", "drafted_at"])
    _log(meeting, by, "minutes.drafted", f"{by} drafted the minutes from the record")
    return minutes


@transaction.atomic
def minutes_update(*, meeting_id: int, by: User, body: str) -> Minutes:
    _require_manager(by)
    meeting = _lock_meeting(meeting_id)
    minutes = Minutes.objects.select_for_update().filter(meeting=meeting).first()
    if minutes is None:
        raise BoardError("Draft the minutes first.")
    if minutes.status == Minutes.Status.APPROVED:
        raise BoardError("These minutes have been approved: they can no longer change.")
    body = (body or "").strip()
    if not body:
        raise BoardError("Enter the minutes.", field="body")
    if body != minutes.body:
        minutes.body, minutes.updated_by = body, by
        minutes.save(update_fields=["body", "updated_by"])
        _log(meeting, by, "minutes.edited", f"{by} edited the minutes")
    return minutes


def meetings_for_minutes_approval(meeting: Meeting):
    """Later meetings of the same Board at which these minutes can be approved.

    Minutes are approved by a meeting that has happened (or is happening): one
    recorded as held, or one whose agenda is out and whose start has come. A
    future meeting cannot have approved anything yet.
    """
    happened = Q(status=MeetingStatus.HELD) | Q(status=MeetingStatus.AGENDA_PUBLISHED, starts_at__lte=timezone.now())
    return Meeting.objects.filter(happened, board_id=meeting.board_id, starts_at__gt=meeting.starts_at).select_related(
        "board"
    ).order_by("starts_at")


@transaction.atomic
def minutes_approve(*, meeting_id: int, at_meeting_id: int | None, by: User) -> Minutes:
    """Record that a later meeting approved these minutes: they are published and the meeting is closed."""
    _require_manager(by)
    meeting = _lock_meeting(meeting_id)
    minutes = Minutes.objects.select_for_update().filter(meeting=meeting).first()
    if minutes is None:
        raise BoardError("Draft the minutes first.")
    if minutes.status == Minutes.Status.APPROVED:
        raise BoardError("These minutes have already been approved.")
    if meeting.status != MeetingStatus.HELD:
        raise BoardError("Record the meeting as held before its minutes are approved.")
    if not at_meeting_id:
        raise BoardError("Choose the meeting that approved the minutes.", field="at_meeting")
    at_meeting = meetings_for_minutes_approval(meeting).filter(pk=at_meeting_id).first()
    if at_meeting is None:
        future = Meeting.objects.filter(pk=at_meeting_id, starts_at__gt=timezone.now()).first()
        if future is not None:
            raise BoardError(
                f"The {_meeting_label(future)} has not happened yet. Minutes are approved at a later meeting "
                "that has been held or is being held now.", field="at_meeting",
            )
        raise BoardError("Minutes are approved at a later meeting of the Board whose agenda has been published.",
                         field="at_meeting")
    now = timezone.now()
    minutes.status = Minutes.Status.APPROVED
    minutes.approved_at = now
    minutes.approved_at_meeting = at_meeting
    minutes.updated_by = by
    minutes.save(update_fields=["status", "approved_at", "approved_at_meeting", "updated_by"])
    meeting.status = MeetingStatus.MINUTES_APPROVED
    meeting.save(update_fields=["status"])
    _log(meeting, by, "minutes.approved", f"{by} recorded the minutes as approved at the {_meeting_label(at_meeting)}",
         at_meeting=at_meeting.pk)
    _log(at_meeting, by, "minutes.approved_here", f"The minutes of the {_meeting_label(meeting)} were approved",
         minutes_of=meeting.pk)
    return minutes


def minutes_store_pdf(*, minutes: Minutes, pdf: bytes) -> None:
    """Keep the PDF of approved minutes, so it is rendered once."""
    from django.core.files.base import ContentFile

    if minutes.status != Minutes.Status.APPROVED or minutes.pdf:
        return
    minutes.pdf.save(f"minutes-{minutes.meeting_id}.pdf", ContentFile(pdf), save=False)
    Minutes.objects.filter(pk=minutes.pk, pdf="").update(pdf=minutes.pdf.name)
