"""Downloading an idea's attachments (PDFs are served without active content)."""

from __future__ import annotations

import re

from django.http import FileResponse, Http404
from django.urls import path
from django.views.decorators.http import require_safe

from ideas import permissions
from ideas.attachments import CONTENT_TYPES
from ideas.models import Attachment, AttachmentKind, Idea


def _download_name(name: str) -> str:
    # Control characters would break the header; everything else Django encodes (RFC 6266 / 5987).
    return re.sub(r"[\x00-\x1f\x7f]", "_", name).strip() or "attachment"


def _pdf_without_active_content(handle):
    import io

    from pypdf import PdfReader

    from harrow_innovation.core.pdf_safety import strip_active_content

    with handle:
        try:
            reader = PdfReader(io.BytesIO(handle.read()), strict=False)
            if reader.is_encrypted:
                raise ValueError("encrypted")
            return io.BytesIO(strip_active_content(reader))
        except Exception:  # damaged or locked: nothing safe to hand over
            raise Http404("This PDF could not be checked, so it cannot be downloaded. Ask the idea's owner for it.") from None


@require_safe
def attachment_download(request, pk: int, attachment_pk: int):
    """Stream an attachment as a download, only to people who may see the idea."""
    idea = Idea.objects.select_related("stage").prefetch_related("co_owners", "reviews").filter(pk=pk).first()
    if idea is None or not permissions.can_download_attachment(request.user, idea):
        raise Http404("No such attachment")
    attachment = Attachment.objects.filter(idea=idea, pk=attachment_pk, is_removed=False).first()
    if attachment is None:
        raise Http404("No such attachment")
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing") from None
    if attachment.kind == AttachmentKind.PDF and not permissions.is_owner(request.user, idea):
        # Board members and reviewers open officers' PDFs: they get the pages without anything
        # that runs, opens, submits or leaves the document, as in the pack. Owners get their own file.
        handle = _pdf_without_active_content(handle)
    response = FileResponse(
        handle, as_attachment=True, filename=_download_name(attachment.original_name),
        content_type=CONTENT_TYPES[attachment.kind],
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns = [
    path("<int:pk>/attachments/<int:attachment_pk>/", attachment_download, name="attachment_download"),
]
