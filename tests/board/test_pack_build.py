"""Building agenda packs through the service: contents, bookmarks, page numbers, caching."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from board import pack_builder, packs
from board.models import PackVersion, PaperRender
from tests.world_extras.packs import add_review, make_pack_meeting

pytestmark = pytest.mark.django_db


def _queued(meeting, number=None):
    number = number or (meeting.packs.count() + 1)
    return PackVersion.objects.create(meeting=meeting, number=number, reason="Agenda published")


def _read(pack) -> PdfReader:
    pack.refresh_from_db()
    with pack.file.open("rb") as handle:
        return PdfReader(io.BytesIO(handle.read()))


def _titles(outline) -> list:
    out = []
    for entry in outline:
        if isinstance(entry, list):
            out.append(_titles(entry))
        else:
            out.append(entry.title)
    return out


def test_build_makes_one_pdf_with_cover_agenda_papers_appendices_bookmarks_and_page_numbers(people):
    meeting = make_pack_meeting(people, ideas=2, free_items=1, attachment_pages=3)
    pack = _queued(meeting)

    assert packs.pack_build(pack_id=pack.pk) == "ready"

    pack.refresh_from_db()
    assert pack.status == PackVersion.Status.READY
    assert pack.finished_at and pack.size and pack.page_count
    reader = _read(pack)
    total = len(reader.pages)
    assert total == pack.page_count
    titles = _titles(reader.outline)
    assert titles[:2] == ["Cover", "Agenda"]
    assert titles[2] == "Item 1, Idea number 1 for the Board"
    assert titles[3] == ["Appendix: business-case-1.pdf"]
    assert titles[4] == "Item 2, Idea number 2 for the Board"
    assert titles[5] == ["Appendix: business-case-2.pdf"]
    assert titles[6] == "Item 3, Programme report 1"
    texts = [page.extract_text() for page in reader.pages]
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} of {total}" in text
    everything = "\n".join(texts)
    assert "Civic Centre, Committee Room 1" in texts[0]
    assert "Version 1: Agenda published" in texts[0]
    assert "Agenda" in texts[1]
    for phrase in ("Residents wait weeks for a reply", "Central systems and integration costs", "Total integration cost",
                   "Monthly request volumes by ward", "Review scores", "That the Board approves the idea.",
                   "An update on the innovation programme.", "Page 1 of the appendix."):
        assert phrase in everything
    # The agenda's page numbers point at the papers' first pages.
    outline_pages = {entry.title: reader.get_destination_page_number(entry) for entry in reader.outline if not isinstance(entry, list)}
    item2_page = outline_pages["Item 2, Idea number 2 for the Board"] + 1
    assert "Idea number 2 for the Board" in texts[item2_page - 1]
    assert str(item2_page) in texts[1]


def _pack_files(settings) -> list:
    from pathlib import Path

    root = Path(settings.MEDIA_ROOT) / "packs"
    return sorted(p.name for p in root.rglob("*.pdf")) if root.exists() else []


def test_running_the_build_twice_yields_one_pack(people, settings):
    meeting = make_pack_meeting(people, ideas=1, free_items=1)
    pack = _queued(meeting)

    assert packs.pack_build(pack_id=pack.pk) == "ready"
    pack.refresh_from_db()
    first = (pack.file.name, pack.finished_at, pack.attempts)
    assert packs.pack_build(pack_id=pack.pk) == "skipped"

    pack.refresh_from_db()
    assert (pack.file.name, pack.finished_at, pack.attempts) == first
    assert PackVersion.objects.filter(meeting=meeting).count() == 1
    assert len(_pack_files(settings)) == 1


def test_the_task_is_idempotent_too(people, settings):
    from board.tasks import build_pack

    meeting = make_pack_meeting(people, ideas=1, free_items=0)
    pack = _queued(meeting)

    assert build_pack.apply(args=[pack.pk]).get() == {"pack": pack.pk, "result": "ready"}
    assert build_pack.apply(args=[pack.pk]).get() == {"pack": pack.pk, "result": "skipped"}
    assert build_pack.acks_late is True
    assert len(_pack_files(settings)) == 1


def _count_renders(monkeypatch) -> list:
    calls = []
    original = pack_builder.render_pdf

    def counting(html):
        calls.append(html)
        return original(html)

    monkeypatch.setattr(pack_builder, "render_pdf", counting)
    return calls


def test_rebuild_after_one_paper_changed_renders_only_that_paper(people, monkeypatch):
    meeting = make_pack_meeting(people, ideas=3, free_items=1, attachment_pages=1)
    renders = _count_renders(monkeypatch)
    first = _queued(meeting)
    assert packs.pack_build(pack_id=first.pk) == "ready"
    assert len(renders) == 4
    assert PaperRender.objects.filter(item__meeting=meeting).count() == 4

    idea = meeting.items.filter(kind="idea").order_by("order")[1].idea
    idea.solution = "A shared booking system for every library."
    idea.save()
    renders.clear()
    second = _queued(meeting)
    assert packs.pack_build(pack_id=second.pk) == "ready"

    assert len(renders) == 1
    assert "A shared booking system for every library." in renders[0]
    assert PaperRender.objects.filter(item__meeting=meeting).count() == 5
    text = "\n".join(page.extract_text() for page in _read(second).pages)
    assert "A shared booking system for every library." in text
    assert "Version 2: Agenda published" in text
    # Nothing changed: a third build renders no paper at all.
    renders.clear()
    third = _queued(meeting)
    assert packs.pack_build(pack_id=third.pk) == "ready"
    assert renders == []


def test_papers_render_deterministically(people):
    meeting = make_pack_meeting(people, ideas=1, free_items=1)
    add_review(meeting.items.get(kind="idea").idea, people["reviewer"], people["secretary"])
    items = list(pack_builder.items_queryset().filter(meeting=meeting))
    again = list(pack_builder.items_queryset().filter(meeting=meeting))
    assert pack_builder.meeting_hashes(meeting, items) == pack_builder.meeting_hashes(meeting, again)


def test_paper_shows_review_scores_per_criterion_weighted_total_and_recommendations(people):
    from ideas.models import Criterion

    meeting = make_pack_meeting(people, ideas=1, free_items=0)
    idea = meeting.items.get().idea
    add_review(idea, people["reviewer"], people["secretary"], score=4, comment="Good value for money.")
    add_review(idea, people["secretary"], people["secretary"], score=2, recommendation="more_information")
    pack = _queued(meeting)
    assert packs.pack_build(pack_id=pack.pk) == "ready"

    text = "\n".join(page.extract_text() for page in _read(pack).pages)
    for criterion in Criterion.objects.filter(is_active=True):
        assert criterion.name in text
    assert "Weighted total" in text
    assert "4.00" in text and "2.00" in text
    assert "Overall weighted score: 3.00" in text
    assert "Take it forward" in text and "Needs more information" in text
    assert "Good value for money." in text
