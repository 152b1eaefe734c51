"""Agenda-pack objects for the permission matrix and tests: a published meeting with an
idea item and a free item, a ready pack version and a failed one.

The helpers here are also used by tests/board/test_pack*.py and the browser test.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from functools import cache

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from tests.factories import make_idea

PACK_BOARD_NAME = "Innovation Board"


@cache
def pdf_bytes(pages: int = 1, text: str = "Appendix") -> bytes:
    """A small valid PDF of ``pages`` pages, drawn with WeasyPrint (once per arguments)."""
    from weasyprint import HTML

    body = "".join(f'<section style="break-after: page"><h1>{text}</h1><p>Page {n} of the appendix.</p></section>'
                   for n in range(1, pages + 1))
    return HTML(string=f"<html lang='en'><body>{body}</body></html>").write_pdf()


def encrypted_pdf_bytes(password: str = "secret") -> bytes:
    import io

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(pdf_bytes(1, "Locked"))))
    writer.encrypt(user_password=password, owner_password=password + "-owner", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


CORRUPT_PDF = b"%PDF-1.7\n1 0 obj<</Type/Catalog/Pages 2 0 R>>\nthis is not really a pdf \x00\x01\x02 stream garbage\n%%EOF"


def board_for_packs(members=()):
    from board.models import Board, BoardRole, Membership

    board, _ = Board.objects.get_or_create(name=PACK_BOARD_NAME)
    for user, role in members:
        Membership.objects.get_or_create(board=board, user=user, defaults={"role": role or BoardRole.COUNCILLOR})
    return board


def add_pdf_attachment(idea, by, data: bytes, name: str = "appendix.pdf"):
    from ideas.models import Attachment

    return Attachment.objects.create(
        idea=idea, file=ContentFile(data, name=name), original_name=name, kind="pdf", size=len(data), uploaded_by=by
    )


def make_pack_meeting(people: dict, *, ideas: int = 1, free_items: int = 1, status: str = "agenda_published",
                      attachment_pages: int = 0, paper_text: str = ""):
    """A meeting with ``ideas`` idea items (ready for the Board) and ``free_items`` other items."""
    from board.models import AgendaItem, BoardRole, Meeting
    from ideas.models import CentralSystem, DataOutput, IdeaCentralSystem

    secretary = people["secretary"]
    board = board_for_packs([(people["board_member"], BoardRole.COUNCILLOR), (secretary, BoardRole.SECRETARY)])
    meeting = Meeting.objects.create(
        board=board, starts_at=timezone.now() + timedelta(days=14), location="Civic Centre, Committee Room 1",
        online_link="https://meet.example/board", status=status, created_by=secretary,
        published_at=timezone.now() if status != "planned" else None,
    )
    system = CentralSystem.objects.order_by("pk").first()
    order = 0
    for n in range(1, ideas + 1):
        idea = make_idea(
            people["officer"], at="ready-for-board", title=f"Idea number {n} for the Board",
            problem=(paper_text or "Residents wait weeks for a reply because requests arrive on paper.") + f" ({n})",
            weighted_score=Decimal("3.75"), review_count=1,
        )
        if system:
            IdeaCentralSystem.objects.create(idea=idea, system=system, integration_note="Nightly export.",
                                             integration_cost=Decimal("4500"))
        output = DataOutput.objects.create(idea=idea, description="Monthly request volumes by ward")
        output.valued_by.set([people["officer_other"].department])
        if attachment_pages:
            add_pdf_attachment(idea, people["officer"], pdf_bytes(attachment_pages, f"Appendix for idea {n}"),
                               name=f"business-case-{n}.pdf")
        order += 1
        AgendaItem.objects.create(
            meeting=meeting, order=order, kind="idea", idea=idea, stage_when_added=idea.stage, title=idea.title,
            presenter=people["officer"], minutes_allotted=20, recommendation="That the Board approves the idea.",
        )
    for n in range(1, free_items + 1):
        order += 1
        AgendaItem.objects.create(
            meeting=meeting, order=order, kind="free", title=f"Programme report {n}",
            description="An update on the innovation programme.", presenter_name="Head of Transformation",
            minutes_allotted=10, recommendation="That the Board notes the report.",
        )
    return meeting


def ready_pack(meeting, *, number: int | None = None):
    """A ready PackVersion with a small real file, without running a build."""
    from board.models import PackVersion

    number = number or (meeting.packs.count() + 1)
    data = pdf_bytes(1, "Pack")
    name = default_storage.save(f"packs/{meeting.uid}/world-v{number}.pdf", ContentFile(data))
    return PackVersion.objects.create(
        meeting=meeting, number=number, reason="Agenda published", status="ready", file=name,
        page_count=1, size=len(data), finished_at=timezone.now(),
    )


def failed_pack(meeting, *, number: int | None = None):
    from board.models import PackVersion

    number = number or (meeting.packs.count() + 1)
    return PackVersion.objects.create(
        meeting=meeting, number=number, reason="Paper changed", status="failed",
        failure="Item 1, Idea: the paper could not be turned into a PDF.", finished_at=timezone.now(),
    )


def extend(world: dict) -> None:
    people = world["people"]
    meeting = make_pack_meeting(people, ideas=1, free_items=1)
    world["pack_meeting"] = meeting
    world["pack_item"] = meeting.items.get(kind="idea")
    world["pack_ready"] = ready_pack(meeting)
    world["pack_failed"] = failed_pack(meeting)
    world["pack_planned_meeting"] = make_pack_meeting(people, ideas=0, free_items=1, status="planned")



def add_review(idea, reviewer, by, *, score: int = 4, recommendation: str = "proceed", comment: str = "Strong case."):
    """A submitted review scoring every active criterion ``score``."""
    from ideas.models import Criterion, Review, Score
    from ideas.services.reviews import _refresh_idea_score, weighted_total

    criteria = list(Criterion.objects.filter(is_active=True))
    review = Review.objects.create(
        idea=idea, stage=idea.stage, reviewer=reviewer, assigned_by=by, status=Review.Status.SUBMITTED,
        recommendation=recommendation, comment=comment, submitted_at=timezone.now(),
        weighted_score=weighted_total([(score, c.weight) for c in criteria]),
    )
    Score.objects.bulk_create([Score(review=review, criterion=c, score=score, weight=c.weight) for c in criteria])
    _refresh_idea_score(idea)
    return review
