"""The objects the permission matrix and browser tests point URLs at.

Areas that need more add a module to tests/world_extras/ with ``extend(world)``.
"""

from __future__ import annotations

import importlib
import pkgutil

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import make_idea

# A real one-page PDF (written by pypdf), so code that opens attachments can read it.
PDF_BYTES = (
    b"%PDF-1.3\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<\n/Producer (pypdf)\n>>\nendobj\n2 0 obj\n<<\n/Type /Pages\n/Count 1\n"
    b"/Kids [ 4 0 R ]\n>>\nendobj\n3 0 obj\n<<\n/Type /Catalog\n/Pages 2 0 R\n>>\nendobj\n4 0 obj\n<<\n/Type /Page\n"
    b"/Resources <<\n>>\n/MediaBox [ 0.0 0.0 72 72 ]\n/Parent 2 0 R\n>>\nendobj\nxref\n0 5\n0000000000 65535 f \n"
    b"0000000015 00000 n \n0000000054 00000 n \n0000000113 00000 n \n0000000162 00000 n \ntrailer\n<<\n/Size 5\n"
    b"/Root 3 0 R\n/Info 1 0 R\n>>\nstartxref\n254\n%%EOF\n"
)


def build_world(people: dict) -> dict:
    from ideas import services
    from ideas.models import CentralSystem, Review

    officer, other, reviewer, secretary = people["officer"], people["officer_other"], people["reviewer"], people["secretary"]
    draft = make_idea(officer, at="draft", title="A draft only its owner sees")
    draft_attachment = services.attachment_add(
        idea_id=draft.pk, by=officer, upload=SimpleUploadedFile("plan.pdf", PDF_BYTES, "application/pdf")
    )
    submitted = make_idea(officer, at="submitted", title="Submitted idea everyone can see")
    services.comment_add(idea_id=submitted.pk, by=other, body="We are trying this in Housing too.")
    more_info = make_idea(officer, at="more-information", title="Idea its owner can still edit")
    attachment = services.attachment_add(
        idea_id=more_info.pk, by=officer, upload=SimpleUploadedFile("case.pdf", PDF_BYTES, "application/pdf")
    )
    confidential = make_idea(officer, at="business-case-review", title="Confidential idea", is_confidential=True)
    review = Review.objects.create(idea=confidential, stage=confidential.stage, reviewer=reviewer, assigned_by=secretary)
    others_idea = make_idea(other, at="triage", title="Another department's idea")
    system = CentralSystem.objects.first()
    world = {
        "people": people,
        "draft": draft,
        "draft_attachment": draft_attachment,
        "submitted": submitted,
        "more_info": more_info,
        "attachment": attachment,
        "confidential": confidential,
        "review": review,
        "others_idea": others_idea,
        "system": system,
    }
    try:
        import tests.world_extras as extras
    except ImportError:
        return world
    for info in sorted(pkgutil.iter_modules(extras.__path__), key=lambda m: m.name):
        importlib.import_module(f"tests.world_extras.{info.name}").extend(world)
    return world
