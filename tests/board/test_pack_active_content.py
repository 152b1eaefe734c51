"""An officer's PDF joins the Board's pack as pages only: nothing in it runs, opens, submits or leaves the pack."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    RectangleObject,
    TextStringObject,
)

from board import packs
from board.models import PackVersion
from tests.world_extras.packs import add_pdf_attachment, make_pack_meeting, pdf_bytes

pytestmark = pytest.mark.django_db

# Names that mark something active; none may be reachable in a pack built from the hostile file.
ACTIVE = {
    "/JS", "/JavaScript", "/OpenAction", "/AA", "/Launch", "/URI", "/GoToR", "/GoToE", "/SubmitForm",
    "/ImportData", "/EmbeddedFile", "/EmbeddedFiles", "/AcroForm", "/XFA", "/Widget", "/FileAttachment",
    "/RichMedia", "/Screen",
}


def _action(kind: str, **entries) -> DictionaryObject:
    action = DictionaryObject({NameObject("/Type"): NameObject("/Action"), NameObject("/S"): NameObject(kind)})
    for key, value in entries.items():
        action[NameObject(f"/{key}")] = value
    return action


def _js(code: str) -> DictionaryObject:
    return _action("/JavaScript", JS=TextStringObject(code))


def _annotation(writer, subtype: str, rect, **entries) -> IndirectObject:
    annotation = DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"),
        NameObject("/Subtype"): NameObject(subtype),
        NameObject("/Rect"): RectangleObject(rect),
    })
    for key, value in entries.items():
        annotation[NameObject(f"/{key}")] = value
    return writer._add_object(annotation)


def hostile_pdf() -> bytes:
    """Two readable pages carrying every kind of active content the pack must not pass on."""
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(pdf_bytes(2, "Officer appendix body"))))
    page = writer.pages[0]
    root = writer._root_object
    # Opening the document or the page runs script.
    root[NameObject("/OpenAction")] = writer._add_object(_js("app.alert('open')"))
    root[NameObject("/AA")] = DictionaryObject({NameObject("/WC"): _js("app.alert('close')")})
    page[NameObject("/AA")] = DictionaryObject({NameObject("/O"): _js("app.alert('page')")})
    # Document-level script and an embedded file, in the name trees.
    writer.add_attachment("payload.exe", b"MZ payload bytes")
    names = root["/Names"].get_object()
    names[NameObject("/JavaScript")] = DictionaryObject({
        NameObject("/Names"): ArrayObject([TextStringObject("boot"), writer._add_object(_js("app.alert('names')"))]),
    })
    # A form: a text field (widget) in /AcroForm with XFA.
    xfa = DecodedStreamObject()
    xfa.set_data(b"<xdp:xdp xmlns:xdp='http://ns.adobe.com/xdp/'/>")
    widget = _annotation(writer, "/Widget", (50, 700, 250, 720), FT=NameObject("/Tx"), T=TextStringObject("name"),
                         P=page.indirect_reference, AA=DictionaryObject({NameObject("/K"): _js("app.alert('key')")}))
    root[NameObject("/AcroForm")] = writer._add_object(DictionaryObject({
        NameObject("/Fields"): ArrayObject([widget]), NameObject("/XFA"): writer._add_object(xfa),
    }))
    # Links out of the pack, a launch, a chained script, a file attachment annotation,
    # and one harmless internal link and one comment that may stay.
    file_spec = DictionaryObject({NameObject("/Type"): NameObject("/Filespec"), NameObject("/F"): TextStringObject("x.exe")})
    hostile = [
        _annotation(writer, "/Link", (50, 600, 150, 620), A=_action("/URI", URI=TextStringObject("https://evil.example/"))),
        _annotation(writer, "/Link", (50, 560, 150, 580), A=_action("/Launch", F=file_spec)),
        _annotation(writer, "/Link", (50, 520, 150, 540),
                    A=_action("/GoToR", F=file_spec, D=ArrayObject([NumberObject(0), NameObject("/Fit")]))),
        _annotation(writer, "/Link", (50, 480, 150, 500), A=_action("/SubmitForm", F=file_spec)),
        _annotation(writer, "/Link", (50, 440, 150, 460), A=_action(
            "/GoTo", D=ArrayObject([writer.pages[1].indirect_reference, NameObject("/Fit")]), Next=_js("app.alert('next')"))),
        _annotation(writer, "/FileAttachment", (50, 400, 70, 420), FS=file_spec),
        _annotation(writer, "/Screen", (50, 360, 70, 380), A=_js("app.alert('screen')")),
        _annotation(writer, "/Text", (50, 320, 70, 340), Contents=TextStringObject("A reviewer's note"),
                    AA=DictionaryObject({NameObject("/E"): _js("app.alert('hover')")})),
    ]
    inside = _annotation(writer, "/Link", (50, 280, 150, 300),
                         Dest=ArrayObject([writer.pages[1].indirect_reference, NameObject("/Fit")]))
    page[NameObject("/Annots")] = ArrayObject([*hostile, widget, inside])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def reachable_names(reader: PdfReader) -> set[str]:
    """Every name used as a key or a value in any object reachable from the trailer."""
    seen: set[int] = set()
    found: set[str] = set()
    stack = [reader.trailer]
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            if obj.idnum in seen:
                continue
            seen.add(obj.idnum)
            stack.append(obj.get_object())
        elif isinstance(obj, DictionaryObject):  # streams too
            for key, value in obj.items():
                found.add(str(key))
                stack.append(value)
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)
        elif isinstance(obj, NameObject):
            found.add(str(obj))
    return found


def test_the_hostile_file_really_carries_what_the_pack_must_drop():
    # Guards the next test: the walk sees every one of these in the file as uploaded.
    names = reachable_names(PdfReader(io.BytesIO(hostile_pdf())))
    assert ACTIVE - {"/ImportData", "/GoToE", "/RichMedia"} <= names


def test_an_attachment_joins_the_pack_without_scripts_actions_outside_links_files_or_forms(people):
    meeting = make_pack_meeting(people, ideas=1, free_items=0)
    meeting.online_link = ""  # the cover's own join-online link is the pack's, not the attachment's
    meeting.save(update_fields=["online_link"])
    add_pdf_attachment(meeting.items.get().idea, people["officer"], hostile_pdf(), name="hostile.pdf")
    pack = PackVersion.objects.create(meeting=meeting, number=1, reason="Agenda published")

    assert packs.pack_build(pack_id=pack.pk) == "ready"

    pack.refresh_from_db()
    assert pack.warnings == []
    with pack.file.open("rb") as handle:
        data = handle.read()
    reader = PdfReader(io.BytesIO(data))
    assert reachable_names(reader) & ACTIVE == set()
    for marker in (b"app.alert", b"evil.example", b"MZ payload", b"x.exe", b"xdp:xdp"):
        assert marker not in data
    # The pages still read, with the harmless comment and the link within the document.
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert text.count("Officer appendix body") == 2
    appendix = next(p for p in reader.pages if "Officer appendix body" in p.extract_text())
    kept = [a.get_object() for a in appendix.get("/Annots", [])]
    assert sorted(str(a["/Subtype"]) for a in kept) == ["/Link", "/Text"]
    link = next(a for a in kept if a["/Subtype"] == "/Link")
    assert link["/Dest"][0].get_object() in [p.get_object() for p in reader.pages]


def test_the_appendix_link_on_a_paper_downloads_the_pdf_without_active_content_for_board_members(client, people):
    from django.urls import reverse

    meeting = make_pack_meeting(people, ideas=1, free_items=0)
    idea = meeting.items.get().idea
    original = hostile_pdf()
    attachment = add_pdf_attachment(idea, people["officer"], original, name="hostile.pdf")
    url = reverse("ideas:attachment_download", kwargs={"pk": idea.pk, "attachment_pk": attachment.pk})

    client.force_login(people["board_member"])
    response = client.get(url)
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    reader = PdfReader(io.BytesIO(data))
    assert reachable_names(reader) & ACTIVE == set()
    assert b"app.alert" not in data and b"evil.example" not in data
    assert " ".join(" ".join(p.extract_text() for p in reader.pages).split()).count("Officer appendix body") == 2

    # The officer who uploaded it gets their own file back, unchanged.
    client.force_login(idea.owner)
    assert b"".join(client.get(url).streaming_content) == original
