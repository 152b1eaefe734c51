"""Building agenda packs through the service: contents, bookmarks, page numbers, caching."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from board import packs
from board.models import PackVersion
from tests.world_extras.packs import make_pack_meeting

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
