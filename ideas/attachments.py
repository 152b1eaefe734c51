"""Checking uploads by what they contain, not what they are called."""

from __future__ import annotations

import zipfile

from django.conf import settings
from django.template.defaultfilters import filesizeformat

from .models import AttachmentKind

CONTENT_TYPES = {
    AttachmentKind.PDF: "application/pdf",
    AttachmentKind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    AttachmentKind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    AttachmentKind.PNG: "image/png",
    AttachmentKind.JPEG: "image/jpeg",
}
ALLOWED_DESCRIPTION = "PDF, Word (DOCX), Excel (XLSX), PNG or JPEG"


class AttachmentError(Exception):
    pass


def _office_kind(upload) -> str | None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return AttachmentKind.DOCX
    if "xl/workbook.xml" in names:
        return AttachmentKind.XLSX
    return None


def sniff(upload) -> str | None:
    """The attachment kind the bytes show, or None if not an allowed type."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return AttachmentKind.PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return AttachmentKind.PNG
    if head.startswith(b"\xff\xd8\xff"):
        return AttachmentKind.JPEG
    if head.startswith(b"PK\x03\x04"):
        return _office_kind(upload)
    return None


def inspect_upload(upload) -> str:
    """Return the attachment kind, or raise AttachmentError with a message for the user."""
    limit = settings.ATTACHMENT_MAX_BYTES
    if upload.size == 0:
        raise AttachmentError(f"The selected file “{upload.name}” is empty.")
    if upload.size > limit:
        raise AttachmentError(f"The selected file must be smaller than {filesizeformat(limit)}.")
    kind = sniff(upload)
    if kind is None:
        raise AttachmentError(
            f"The selected file “{upload.name}” is not a {ALLOWED_DESCRIPTION} file. "
            "Files are checked by their content, not their name."
        )
    return kind
