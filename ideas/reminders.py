"""Periodic scans over ideas: find what has fallen due and tell the right people, once.

Beat runs each scan daily (its row is declared in ``ideas.notices``; admins can
change when in Django admin). A scan that runs late, twice, or in two beat
processes at once still issues each reminder once, because every reminder's
key (kind, recipient, object, due date) is unique in the database.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from notifications.services import Notice, chunked, notify

from .models import Idea, Review, Stage, StageKind
from .notices import Kind, secretary_ids

ESCALATE_AFTER_DAYS = 3  # an overdue review goes to the secretary this many days after the reviewer


def start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def long_date(day: date) -> str:
    return f"{day:%-d %B %Y}"


def co_owner_ids(idea_ids) -> dict[int, set[int]]:
    """idea id → its co-owners' ids, a thousand ideas a query."""
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
        url = reverse("ideas:detail", kwargs={"pk": idea_id})
        notices.append(Notice(
            kind=Kind.REVIEW_OVERDUE, recipient_id=reviewer_id, object_type="ideas.review", object_id=pk, due_date=due,
            title=f"Your review of “{title}” is overdue", url=url,
            body=f"It was due on {long_date(due)}. Please complete it, or tell the Board secretary if you cannot.",
        ))
        if today >= due + timedelta(days=ESCALATE_AFTER_DAYS):
            secretaries = secretary_ids() if secretaries is None else secretaries
            notices += [
                Notice(
                    kind=Kind.REVIEW_OVERDUE, recipient_id=person, object_type="ideas.review", object_id=pk,
                    due_date=due, title=f"{reviewer_name}'s review of “{title}” is overdue", url=url,
                    body=f"It was due on {long_date(due)} and is still not done. You may want to ask someone else.",
                )
                for person in secretaries
            ]
    return len(notify(notices))


def scan_stalled_ideas(*, today: date | None = None) -> int:
    """Ideas that have stayed in a stage longer than its allowance: their owners and the secretary."""
    today = today or timezone.localdate()
    stages = {
        s.pk: s for s in Stage.objects.filter(days_allowed__isnull=False, is_final=False).exclude(kind=StageKind.DRAFT)
    }
    if not stages:
        return 0
    late = Q()
    for stage in stages.values():
        late |= Q(stage_id=stage.pk, stage_entered_at__lt=start_of(today - timedelta(days=stage.days_allowed)))
    ideas = list(Idea.objects.filter(late).values_list("pk", "title", "owner_id", "stage_id", "stage_entered_at"))
    co_owners = co_owner_ids([row[0] for row in ideas])
    secretaries = secretary_ids() if ideas else set()
    notices = []
    for pk, title, owner_id, stage_id, entered in ideas:
        stage = stages[stage_id]
        due = timezone.localdate(entered) + timedelta(days=stage.days_allowed)
        url = reverse("ideas:detail", kwargs={"pk": pk})
        for person in {owner_id, *co_owners[pk], *secretaries}:
            notices.append(Notice(
                kind=Kind.IDEA_STALLED, recipient_id=person, object_type="ideas.idea", object_id=pk, due_date=due,
                title=f"“{title}” has been at {stage.name} for more than {stage.days_allowed} days", url=url,
                body=f"It reached {stage.name} on {long_date(timezone.localdate(entered))}.",
            ))
    return len(notify(notices))
