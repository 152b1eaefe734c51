"""Objects the notification URLs point at."""

from __future__ import annotations

from django.utils import timezone


def extend(world: dict) -> None:
    from ideas.notices import Kind as IdeaKind
    from notifications.models import Notification
    from notifications.services import Notice, notify
    from notifications.tokens import make_token

    officer = world["people"]["officer"]
    [pk] = notify(
        [Notice(kind=IdeaKind.STAGE_CHANGED, recipient_id=officer.pk, object_type="ideas.idea",
                object_id=world["submitted"].pk, due_date=timezone.localdate(), title="Your idea moved",
                url=world["submitted"].get_absolute_url())],
        send=False,
    )
    world["notification"] = Notification.objects.get(pk=pk)
    world["unsubscribe_token"] = make_token(officer.pk, IdeaKind.STAGE_CHANGED)
