"""Objects the drafting URLs point at: a draft with one of every item, and an attachment on a confidential idea."""

from __future__ import annotations

from decimal import Decimal


def extend(world: dict) -> None:
    from django.core.files.base import ContentFile

    from ideas.models import Attachment, DataOutput, IdeaCentralSystem
    from tests.factories import UserFactory, make_idea
    from tests.world import PDF_BYTES

    officer = world["people"]["officer"]
    # Its own draft, so adding a co-owner here changes nobody else's expectations about world["draft"].
    draft = make_idea(officer, at="draft", title="A draft with one of everything")
    co_owner = UserFactory(full_name="Cora Coowner", department=officer.department)
    draft.co_owners.add(co_owner)
    attachment = Attachment(idea=draft, original_name="plan.pdf", kind="pdf", size=len(PDF_BYTES), uploaded_by=officer)
    attachment.file.save("upload", ContentFile(PDF_BYTES), save=True)
    # Placed directly: the idea is past the stages where owners may add files.
    confidential_attachment = Attachment(
        idea=world["confidential"], original_name="costs.pdf", kind="pdf", size=len(PDF_BYTES), uploaded_by=officer
    )
    confidential_attachment.file.save("upload", ContentFile(PDF_BYTES), save=True)
    world.update(
        drafting_draft=draft,
        drafting_co_owner=co_owner,
        drafting_link=IdeaCentralSystem.objects.create(
            idea=draft, system=world["system"], integration_cost=Decimal("1000")
        ),
        drafting_output=DataOutput.objects.create(idea=draft, description="Counts of requests by ward"),
        drafting_attachment=attachment,
        confidential_attachment=confidential_attachment,
    )
