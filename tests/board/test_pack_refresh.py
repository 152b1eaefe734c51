"""A changed paper makes a new pack version; members are emailed once per ready version."""

from __future__ import annotations

import pytest
from django.core import mail

from board import packs
from board.models import PackVersion
from board.tasks import refresh_published_packs, rescue_stale_packs
from tests.world_extras.packs import make_pack_meeting

pytestmark = pytest.mark.django_db


def _built(meeting, captured) -> PackVersion:
    with captured(execute=True):
        pack = packs.pack_request(meeting=meeting, reason="Agenda published")
    pack.refresh_from_db()
    assert pack.status == "ready"
    return pack


def test_publishing_builds_the_pack_and_members_are_emailed_a_link_once(people, django_capture_on_commit_callbacks):
    meeting = make_pack_meeting(people, ideas=1, free_items=1)

    pack = _built(meeting, django_capture_on_commit_callbacks)

    # Members hear through notifications: one email each, linking to the meeting. The agenda was
    # published with this pack, so the one email says both.
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert people["board_member"].email in recipients
    assert len(recipients) == len(set(recipients))
    message = next(m for m in mail.outbox if m.to[0] == people["board_member"].email)
    assert message.subject == f"Agenda published and pack ready: {meeting.display_title}"
    assert meeting.get_absolute_url() in message.body
    pack.refresh_from_db()
    assert pack.notified_at is not None
    # Run again (a redelivered task): nobody is emailed twice.
    sent = len(mail.outbox)
    from notifications.tasks import publish

    publish("board.pack_ready", {"pack_id": pack.pk})
    assert len(mail.outbox) == sent


def test_a_version_that_is_not_ready_is_not_announced(people):
    meeting = make_pack_meeting(people, ideas=0, free_items=1)
    pack = PackVersion.objects.create(meeting=meeting, number=1, reason="x", status="failed")
    from notifications.tasks import publish

    assert publish("board.pack_ready", {"pack_id": pack.pk}) == 0
    assert mail.outbox == []


def test_changing_a_paper_after_publication_makes_a_new_version(people, django_capture_on_commit_callbacks):
    meeting = make_pack_meeting(people, ideas=2, free_items=1)
    first = _built(meeting, django_capture_on_commit_callbacks)
    assert set(first.content_hashes) == {"agenda", *(str(pk) for pk in meeting.items.values_list("pk", flat=True))}

    assert packs.pack_refresh_if_changed(meeting_id=meeting.pk) is None  # nothing changed

    idea = meeting.items.get(order=2).idea
    idea.risks = "Suppliers may not support the open standard."
    idea.save()
    with django_capture_on_commit_callbacks(execute=True):
        second = packs.pack_refresh_if_changed(meeting_id=meeting.pk)

    assert second.number == 2
    assert second.reason == "Paper changed: Item 2, Idea number 2 for the Board"
    second.refresh_from_db()
    assert second.status == "ready"
    first.refresh_from_db()
    assert first.status == "ready" and first.file  # earlier versions are kept
    assert packs.pack_refresh_if_changed(meeting_id=meeting.pk) is None


def test_agenda_changes_are_picked_up_too(people, django_capture_on_commit_callbacks):
    meeting = make_pack_meeting(people, ideas=0, free_items=1)
    _built(meeting, django_capture_on_commit_callbacks)
    meeting.location = "Online only"
    meeting.save()
    assert packs.pack_refresh_if_changed(meeting_id=meeting.pk).reason == "Agenda changed"


def test_no_new_version_while_one_is_being_built(people, django_capture_on_commit_callbacks):
    meeting = make_pack_meeting(people, ideas=1, free_items=0)
    _built(meeting, django_capture_on_commit_callbacks)
    PackVersion.objects.create(meeting=meeting, number=2, reason="Agenda changed")  # queued
    idea = meeting.items.get().idea
    idea.problem = "Changed while a build is queued."
    idea.save()
    assert packs.pack_refresh_if_changed(meeting_id=meeting.pk) is None


def test_the_periodic_scan_only_looks_at_published_agendas(people, django_capture_on_commit_callbacks):
    published = make_pack_meeting(people, ideas=1, free_items=0)
    held = make_pack_meeting(people, ideas=1, free_items=0, status="held")
    for meeting in (published, held):
        _built(meeting, django_capture_on_commit_callbacks)
        idea = meeting.items.get().idea
        idea.solution = "Changed after publication."
        idea.save()

    with django_capture_on_commit_callbacks(execute=True):
        assert refresh_published_packs.apply().get() == {"new_versions": 1}

    assert published.packs.count() == 2
    assert held.packs.count() == 1
    assert rescue_stale_packs.apply().get() == {"requeued": 0, "failed": 0}
    from django_celery_beat.models import PeriodicTask

    scheduled = set(PeriodicTask.objects.values_list("task", flat=True))
    assert {"board.rescue_stale_packs", "board.refresh_published_packs"} <= scheduled
