"""Attachments through the pages: checked by content, stored under generated names,
served as downloads only to people who may see the idea."""

from __future__ import annotations

import html as html_lib
import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from ideas import services
from ideas.attachments import CONTENT_TYPES
from ideas.models import Attachment, Review
from tests.factories import UserFactory, make_idea
from tests.world import PDF_BYTES

pytestmark = pytest.mark.django_db

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", '<?xml version="1.0"?><w:document/>')
    return buffer.getvalue()


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def upload(client, idea, name: str, content: bytes, action: str = "add"):
    return client.post(
        reverse("ideas:attachment_add", kwargs={"pk": idea.pk}),
        {"file": SimpleUploadedFile(name, content), "action": action},
    )


def summary_of(response) -> str:
    html = response.content.decode()
    if "govuk-error-summary" not in html:
        return ""
    start = html.index("govuk-error-summary")
    return html_lib.unescape(html[start:html.index("</ul>", start)]).replace("\xa0", " ")


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / "attachments"
    return sorted(root.iterdir()) if root.exists() else []


@pytest.fixture
def draft(people):
    return make_idea(people["officer"], at="draft", title="Draft with files")


# --- Uploading ---------------------------------------------------------------------


def test_a_pdf_is_stored_under_a_generated_name_and_listed(people, draft, settings):
    client = client_for(people["officer"])
    response = upload(client, draft, "Business case.pdf", PDF_BYTES)
    assert response["Location"] == reverse("ideas:edit_section", kwargs={"pk": draft.pk, "section": "attachments"})
    attachment = Attachment.objects.get(idea=draft)
    assert (attachment.kind, attachment.original_name, attachment.size) == ("pdf", "Business case.pdf", len(PDF_BYTES))
    assert "Business" not in attachment.file.name and attachment.file.name.startswith("attachments/")
    assert [p.read_bytes() for p in stored_files(settings)] == [PDF_BYTES]
    page = client.get(response["Location"]).content.decode()
    assert "Business case.pdf" in page
    assert reverse("ideas:attachment_download", kwargs={"pk": draft.pk, "attachment_pk": attachment.pk}) in page


def test_a_docx_is_recognised_by_its_content_whatever_its_name(people, draft):
    client = client_for(people["officer"])
    upload(client, draft, "proposal.pdf", docx_bytes())
    attachment = Attachment.objects.get(idea=draft)
    assert attachment.kind == "docx"
    response = client.get(reverse("ideas:attachment_download", kwargs={"pk": draft.pk, "attachment_pk": attachment.pk}))
    assert response["Content-Type"] == CONTENT_TYPES["docx"]


def test_an_exe_renamed_pdf_is_refused_and_nothing_is_stored(people, draft, settings):
    response = upload(client_for(people["officer"]), draft, "invoice.pdf", EXE_BYTES)
    assert response.status_code == 200
    message = summary_of(response)
    assert "“invoice.pdf” is not a PDF, Word (DOCX), Excel (XLSX), PNG or JPEG file" in message
    assert "checked by their content, not their name" in message
    assert 'href="#id_file"' in message
    assert "govuk-file-upload--error" in response.content.decode()
    assert not Attachment.objects.filter(idea=draft).exists()
    assert stored_files(settings) == []


def test_a_zip_that_is_not_an_office_document_is_refused(people, draft):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.txt", "hello")
    response = upload(client_for(people["officer"]), draft, "report.docx", buffer.getvalue())
    assert "is not a PDF" in summary_of(response)
    assert not Attachment.objects.filter(idea=draft).exists()


def test_an_empty_file_is_refused(people, draft, settings):
    response = upload(client_for(people["officer"]), draft, "empty.pdf", b"")
    assert "The selected file is empty" in summary_of(response)
    assert not Attachment.objects.filter(idea=draft).exists()
    assert stored_files(settings) == []


def test_an_oversize_file_is_refused_with_the_limit(people, draft, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    response = upload(client_for(people["officer"]), draft, "big.pdf", PDF_BYTES + b"0" * 2048)
    assert "The selected file must be smaller than 1.0 KB" in summary_of(response)
    assert not Attachment.objects.filter(idea=draft).exists()
    assert stored_files(settings) == []


def test_the_default_limit_is_ten_megabytes_and_the_page_says_so(people, draft, settings):
    assert settings.ATTACHMENT_MAX_BYTES == 10 * 1024 * 1024
    page = client_for(people["officer"]).get(reverse("ideas:edit_section", kwargs={"pk": draft.pk, "section": "attachments"}))
    assert "PDF, Word (DOCX), Excel (XLSX), PNG or JPEG, smaller than 10.0\xa0MB" in page.content.decode()


def test_uploading_without_choosing_a_file_asks_for_one(people, draft):
    response = client_for(people["officer"]).post(reverse("ideas:attachment_add", kwargs={"pk": draft.pk}), {"action": "add"})
    assert "Select a file" in summary_of(response)


def test_save_and_continue_uploads_a_chosen_file_before_moving_on(people, draft):
    response = upload(client_for(people["officer"]), draft, "photo.png", PNG_BYTES, action="continue")
    assert response["Location"] == reverse("ideas:edit_section", kwargs={"pk": draft.pk, "section": "confidentiality"})
    assert Attachment.objects.get(idea=draft).kind == "png"


def test_removing_an_attachment_hides_it_and_its_download(people, draft):
    client = client_for(people["officer"])
    upload(client, draft, "plan.pdf", PDF_BYTES)
    attachment = Attachment.objects.get(idea=draft)
    response = client.post(reverse("ideas:attachment_remove", kwargs={"pk": draft.pk, "attachment_pk": attachment.pk}))
    assert response.status_code == 302
    attachment.refresh_from_db()
    assert attachment.is_removed
    url = reverse("ideas:attachment_download", kwargs={"pk": draft.pk, "attachment_pk": attachment.pk})
    assert client.get(url).status_code == 404
    again = client.post(reverse("ideas:attachment_remove", kwargs={"pk": draft.pk, "attachment_pk": attachment.pk}))
    assert again.status_code == 404


def test_others_cannot_upload_to_a_draft(people, draft):
    response = upload(client_for(people["officer_other"]), draft, "plan.pdf", PDF_BYTES)
    assert response.status_code == 404
    assert not Attachment.objects.filter(idea=draft).exists()


# --- Downloading ---------------------------------------------------------------------


def attach(idea, by, name="plan.pdf", content=PDF_BYTES, kind="pdf") -> Attachment:
    """An attachment placed directly, whatever stage the idea is at."""
    attachment = Attachment(idea=idea, original_name=name, kind=kind, size=len(content), uploaded_by=by)
    attachment.file.save("upload", ContentFile(content), save=True)
    return attachment


def download(user, idea, attachment):
    client = client_for(user) if user is not None else Client()
    return client.get(reverse("ideas:attachment_download", kwargs={"pk": idea.pk, "attachment_pk": attachment.pk}))


def test_a_download_is_an_attachment_with_the_right_type_and_no_sniffing(people, draft):
    attachment = services.attachment_add(
        idea_id=draft.pk, by=people["officer"], upload=SimpleUploadedFile("Plan v2.pdf", PDF_BYTES)
    )
    response = download(people["officer"], draft, attachment)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Plan v2.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_awkward_original_names_are_encoded_safely(people, draft):
    accented = attach(draft, people["officer"], name="Résumé «plan».pdf")
    header = download(people["officer"], draft, accented)["Content-Disposition"]
    assert header == "attachment; filename*=utf-8''R%C3%A9sum%C3%A9%20%C2%ABplan%C2%BB.pdf"
    tricky = attach(draft, people["officer"], name='a"b\r\nSet-Cookie: x=1.pdf')
    response = download(people["officer"], draft, tricky)
    assert response.status_code == 200
    assert "\n" not in response["Content-Disposition"] and "\r" not in response["Content-Disposition"]
    assert response["Content-Disposition"] == 'attachment; filename="a\\"b__Set-Cookie: x=1.pdf"'
    assert "Set-Cookie" not in {k for k, _ in response.items()}


ROLES = ["officer", "officer_other", "reviewer", "secretary", "board_member", "admin"]


@pytest.mark.parametrize(
    ("at", "confidential", "allowed"),
    [
        ("draft", False, {"officer", "co_owner"}),
        ("submitted", False, {"officer", "co_owner", "officer_other", "reviewer", "secretary", "board_member", "admin",
                              "other_reviewer"}),
        # Confidential: owners, the reviewer assigned to it, the secretary, Board members and admins.
        ("business-case-review", True, {"officer", "co_owner", "reviewer", "secretary", "board_member", "admin"}),
    ],
)
def test_attachment_download_permission_for_every_role(people, at, confidential, allowed):
    idea = make_idea(people["officer"], at=at, is_confidential=confidential)
    co_owner = UserFactory()
    idea.co_owners.add(co_owner)
    if at == "business-case-review":
        Review.objects.create(idea=idea, stage=idea.stage, reviewer=people["reviewer"], assigned_by=people["secretary"])
    attachment = attach(idea, people["officer"])
    users = {**{role: people[role] for role in ROLES}, "co_owner": co_owner,
             "other_reviewer": UserFactory(roles=["officer", "reviewer"])}
    results = {name: download(user, idea, attachment).status_code for name, user in users.items()}
    assert results == {name: 200 if name in allowed else 404 for name in users}
    anonymous = download(None, idea, attachment)
    assert anonymous.status_code == 302 and "/accounts/sign-in/" in anonymous["Location"]


def test_an_attachment_is_only_found_through_its_own_idea(people):
    mine = make_idea(people["officer"], at="submitted")
    secret = make_idea(people["officer_other"], at="draft")
    attachment = attach(secret, people["officer_other"])
    assert download(people["officer"], mine, attachment).status_code == 404


def test_a_missing_file_is_not_found_rather_than_an_error(people, draft):
    attachment = attach(draft, people["officer"])
    Path(attachment.file.path).unlink()
    assert download(people["officer"], draft, attachment).status_code == 404
