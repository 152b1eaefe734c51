"""Stripping active content from an officer's PDF before it reaches anyone else.

Used when a PDF joins the Board's pack and when anyone but the idea's owners downloads it.

A pack goes to every Board member, so an attachment must not bring anything that
runs, opens, submits or leaves the document when the pack is opened or clicked:
JavaScript and open/additional actions, launch actions, links that point outside
the pack, embedded files and form fields. What stays is what a reader reads: the
pages, their text and images, comments and links within the document.
"""

from __future__ import annotations

import io

# Annotations a reader sees but that do nothing when opened; everything else (widgets,
# file attachments, sound, movie, screen, rich media, 3D, ...) is dropped.
_PASSIVE_ANNOTATIONS = {
    "/Text", "/FreeText", "/Line", "/Square", "/Circle", "/Polygon", "/PolyLine", "/Highlight",
    "/Underline", "/Squiggly", "/StrikeOut", "/Stamp", "/Caret", "/Ink", "/Popup", "/Link",
}
# Document-level entries that run or carry something on opening, or make the pack a form.
_CATALOG_KEYS = ("/OpenAction", "/AA", "/AcroForm", "/URI", "/Collection", "/Threads", "/Outlines")
# Name trees other than /Dests (named destinations, which internal links use) hold scripts,
# embedded files, templates or rendition media.
_KEPT_NAME_TREES = ("/Dests",)


def _internal_link(annotation) -> bool:
    """A link that only moves within the document: a /Dest, or a plain /GoTo action with nothing chained."""
    action = annotation.get("/A")
    if action is None:
        return "/Dest" in annotation
    action = action.get_object()
    return action.get("/S") == "/GoTo" and "/Next" not in action


def _clean_page(page) -> None:
    from pypdf.generic import ArrayObject, NameObject

    for key in ("/AA", "/B"):
        page.pop(NameObject(key), None)
    annotations = page.get("/Annots")
    if annotations is None:
        return
    kept = ArrayObject()
    for reference in annotations.get_object():
        annotation = reference.get_object()
        subtype = annotation.get("/Subtype")
        if subtype not in _PASSIVE_ANNOTATIONS:
            continue
        if subtype == "/Link" and not _internal_link(annotation):
            continue
        annotation.pop(NameObject("/AA"), None)
        if subtype != "/Link":
            annotation.pop(NameObject("/A"), None)
        kept.append(reference)
    if kept:
        page[NameObject("/Annots")] = kept
    else:
        del page["/Annots"]


def strip_active_content(reader) -> bytes:
    """The reader's pages as a new PDF without JavaScript, actions, outside links, embedded files or forms."""
    from pypdf import PdfWriter
    from pypdf.generic import NameObject

    writer = PdfWriter()
    writer.append(reader, import_outline=False)
    root = writer._root_object
    for key in _CATALOG_KEYS:
        root.pop(NameObject(key), None)
    names = root.get("/Names")
    if names is not None:
        names = names.get_object()
        for key in [k for k in names if k not in _KEPT_NAME_TREES]:
            del names[key]
    for page in writer.pages:
        _clean_page(page)
    # Dropped actions, fields and files are still in the writer's object table: leave them out of the file.
    writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
