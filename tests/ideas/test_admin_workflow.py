"""Admins change the workflow in Django admin; ideas can take a new move at once, and bad
configurations are refused with a clear message (never a 500)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from harrow_innovation.people.roles import Role
from ideas import services
from ideas.models import Idea, Stage, StageKind, Transition, Workflow
from tests.factories import UserFactory, make_idea, stage, transition

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(people):
    """An admin by role (the Admin group), not a superuser: the group's permissions must suffice."""
    admin = UserFactory(full_name="Grace Group-admin", roles=[Role.ADMIN], is_staff=True)
    client = Client()
    client.force_login(admin)
    return client


def default_workflow() -> Workflow:
    return Workflow.objects.get(is_default=True)


def stage_data(**overrides) -> dict:
    data = {
        "workflow": default_workflow().pk, "name": "Panel review", "slug": "panel-review",
        "description": "A panel of heads of service looks at it.", "order": "47", "kind": StageKind.REVIEW,
        "days_allowed": "10", "reviewer_role": Role.REVIEWER,
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def transition_data(**overrides) -> dict:
    data = {
        "workflow": default_workflow().pk, "source": stage("triage").pk, "target": stage("ready-for-board").pk,
        "label": "Fast-track to the Board", "allowed_roles": [Role.SECRETARY], "guard": "", "outcome": "", "order": "5",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def refused(response, message: str) -> None:
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    assert "errornote" in html or "errorlist" in html
    assert message in html, message


# --- A new stage and move, taken at once -------------------------------------------------------


def test_an_admin_adds_a_stage_and_a_transition_and_an_idea_takes_it_at_once(people, admin_client):
    secretary = people["secretary"]
    idea = make_idea(people["officer"], at="triage")
    assert "Send to the panel" not in [o.transition.label for o in services.transitions_for(idea=idea, user=secretary)]

    response = admin_client.post(reverse("admin:ideas_stage_add"), stage_data())
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    panel = Stage.objects.get(workflow=default_workflow(), slug="panel-review")

    response = admin_client.post(
        reverse("admin:ideas_transition_add"),
        transition_data(source=stage("triage").pk, target=panel.pk, label="Send to the panel", comment_required="on"),
    )
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    response = admin_client.post(
        reverse("admin:ideas_transition_add"),
        transition_data(source=panel.pk, target=stage("ready-for-board").pk, label="Panel recommends it",
                        guard="all_reviews_complete"),
    )
    assert response.status_code == 302
    to_panel = Transition.objects.get(label="Send to the panel")
    assert (to_panel.source, to_panel.target, to_panel.allowed_roles, to_panel.comment_required) == (
        stage("triage"), panel, [Role.SECRETARY], True)

    # No restart, no deploy: the same process offers and takes the new move.
    idea = Idea.objects.get(pk=idea.pk)
    options = {o.transition.label: o.blocked_reason for o in services.transitions_for(idea=idea, user=secretary)}
    assert options["Send to the panel"] == ""
    with pytest.raises(services.WorkflowError, match="Enter a comment"):
        services.idea_move(idea_id=idea.pk, transition=to_panel, by=secretary)
    change = services.idea_move(idea_id=idea.pk, transition=to_panel, by=secretary, comment="Big enough for a panel.")
    assert change.to_stage == panel
    # The new stage's own rules apply too: its reviewer role, and the guard on the way out.
    review = services.review_assign(idea_id=idea.pk, reviewer=people["reviewer"], by=secretary)
    onwards = Transition.objects.get(label="Panel recommends it")
    with pytest.raises(services.WorkflowError, match="1 review is not complete yet"):
        services.idea_move(idea_id=idea.pk, transition=onwards, by=secretary)
    from ideas.models import Criterion, Recommendation

    services.review_submit(review_id=review.pk, by=people["reviewer"], recommendation=Recommendation.PROCEED, comment="",
                           scores={c.pk: 4 for c in Criterion.objects.filter(is_active=True)})
    assert services.idea_move(idea_id=idea.pk, transition=onwards, by=secretary).to_stage == stage("ready-for-board")


def test_the_transition_form_offers_only_the_workflows_stages_when_it_knows_the_workflow(admin_client):
    other = Workflow.objects.create(name="Small grants")
    Stage.objects.create(workflow=other, name="Grant check", slug="grant-check")
    response = admin_client.get(reverse("admin:ideas_transition_add") + f"?workflow={default_workflow().pk}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Triage (Innovation pipeline)" in html and "Grant check" not in html


# --- Bad transitions are refused -----------------------------------------------------------------


@pytest.fixture
def other_workflow_stage(db):
    other = Workflow.objects.create(name="Small grants")
    return Stage.objects.create(workflow=other, name="Grant check", slug="grant-check", order=1)


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"source": "OTHER"}, "The source stage belongs to another workflow."),
        ({"target": "OTHER"}, "The target stage belongs to another workflow."),
        ({"allowed_roles": ["wizard"]}, "wizard is not a role. Choose from the roles listed."),
        ({"allowed_roles": []}, "Say who may take this move: at least one role, or the idea&#x27;s owners."),
        ({"source": "rejected"}, "Nothing can move out of a final stage."),
        ({"target": "draft"}, "Ideas cannot move back to the initial draft stage."),
        ({"target": "triage"}, "A move must go to a different stage from the one it starts in."),
        ({"target": "business-case-review"}, "Transition with this Source and Target already exists."),
        ({"label": ""}, "This field is required."),
    ],
)
def test_invalid_transitions_are_refused_with_a_clear_message(admin_client, other_workflow_stage, overrides, message):
    resolved = {}
    for key, value in overrides.items():
        if value == "OTHER":
            value = other_workflow_stage.pk
        elif key in ("source", "target"):
            value = stage(value).pk
        resolved[key] = value
    before = Transition.objects.count()
    response = admin_client.post(reverse("admin:ideas_transition_add"), transition_data(**resolved))
    refused(response, message)
    assert Transition.objects.count() == before


def test_changing_a_transition_into_a_bad_one_is_refused_too(admin_client):
    start_triage = transition("submitted", "triage")
    url = reverse("admin:ideas_transition_change", args=[start_triage.pk])
    response = admin_client.post(url, transition_data(source=stage("submitted").pk, target=stage("draft").pk,
                                                      label=start_triage.label))
    refused(response, "Ideas cannot move back to the initial draft stage.")
    start_triage.refresh_from_db()
    assert start_triage.target == stage("triage")


# --- Bad stages are refused -----------------------------------------------------------------------


def test_a_stage_cannot_be_both_initial_and_final(admin_client):
    response = admin_client.post(reverse("admin:ideas_stage_add"), stage_data(is_initial="on", is_final="on"))
    refused(response, "A stage cannot be both where ideas start and where they end.")
    assert not Stage.objects.filter(slug="panel-review").exists()


def test_a_workflow_has_one_initial_stage(admin_client):
    response = admin_client.post(reverse("admin:ideas_stage_add"), stage_data(is_initial="on"))
    refused(response, "“Draft” is already where ideas start in this workflow. Untick it there first.")


def test_a_stage_with_moves_out_of_it_cannot_be_made_final(admin_client):
    triage = stage("triage")
    data = stage_data(name=triage.name, slug=triage.slug, order=triage.order, is_final="on")
    response = admin_client.post(reverse("admin:ideas_stage_change", args=[triage.pk]), data)
    refused(response, "Nothing can leave a final stage. Remove these moves out of it first: Send to business case review;")
    triage.refresh_from_db()
    assert not triage.is_final


def test_a_stage_that_moves_lead_into_cannot_be_made_initial(admin_client):
    other = Workflow.objects.create(name="Small grants")
    first = Stage.objects.create(workflow=other, name="Apply", slug="apply", order=1)
    second = Stage.objects.create(workflow=other, name="Check", slug="check", order=2)
    Transition.objects.create(workflow=other, source=first, target=second, label="Check it", allowed_roles=[Role.SECRETARY])
    data = stage_data(workflow=other.pk, name="Check", slug="check", order=2, is_initial="on")
    response = admin_client.post(reverse("admin:ideas_stage_change", args=[second.pk]), data)
    refused(response, "Ideas cannot move back to where they start. Remove these moves into it first: Check it.")


def test_a_stage_in_use_cannot_move_to_another_workflow(admin_client, people):
    other = Workflow.objects.create(name="Small grants")
    make_idea(people["officer"], at="triage")
    triage = stage("triage")
    data = stage_data(workflow=other.pk, name=triage.name, slug=triage.slug, order=triage.order)
    refused(admin_client.post(reverse("admin:ideas_stage_change", args=[triage.pk]), data),
            "Ideas or moves use this stage, so it cannot move to another workflow.")


def test_only_one_workflow_is_the_default(admin_client):
    response = admin_client.post(reverse("admin:ideas_workflow_add"), {
        "name": "Second", "description": "", "is_default": "on",
        "stages-TOTAL_FORMS": "0", "stages-INITIAL_FORMS": "0",
        "transitions-TOTAL_FORMS": "0", "transitions-INITIAL_FORMS": "0",
    })
    refused(response, "“Innovation pipeline” is already the default workflow. Untick it there first.")
    assert not Workflow.objects.filter(name="Second").exists()


# --- A stage that ideas use cannot be deleted ----------------------------------------------------------


def test_deleting_a_stage_that_ideas_use_is_refused_with_a_message(admin_client, people):
    idea = make_idea(people["officer"], at="triage")
    triage = stage("triage")
    url = reverse("admin:ideas_stage_delete", args=[triage.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Cannot delete stage" in html
    assert "would require deleting the following protected related objects" in html
    assert "have permission" not in html
    assert idea.title in html
    response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == 200
    assert "would require deleting the following protected related objects" in response.content.decode()
    assert Stage.objects.filter(pk=triage.pk).exists()
    assert Idea.objects.get(pk=idea.pk).stage == triage


def test_the_bulk_delete_action_refuses_a_used_stage_too(admin_client, people):
    make_idea(people["officer"], at="triage")
    triage = stage("triage")
    response = admin_client.post(
        reverse("admin:ideas_stage_changelist"), {"action": "delete_selected", "_selected_action": [triage.pk], "post": "yes"}
    )
    assert response.status_code == 200
    assert "would require deleting the following protected related objects" in response.content.decode()
    assert Stage.objects.filter(pk=triage.pk).exists()


def test_deleting_a_stage_in_the_workflow_page_is_refused_with_a_message(admin_client, people):
    make_idea(people["officer"], at="triage")
    workflow = default_workflow()
    url = reverse("admin:ideas_workflow_change", args=[workflow.pk])
    data = current_form_data(admin_client.get(url))
    index = next(i for i in range(int(data["stages-TOTAL_FORMS"])) if data[f"stages-{i}-slug"] == "triage")
    data[f"stages-{index}-DELETE"] = "on"
    response = admin_client.post(url, data)
    refused(response, "Deleting stage Triage would require deleting the following protected related objects")
    assert Stage.objects.filter(pk=stage("triage").pk).exists()


def test_a_stage_nothing_uses_can_be_deleted(admin_client):
    spare = Stage.objects.create(workflow=default_workflow(), name="Spare", slug="spare", order=99)
    response = admin_client.post(reverse("admin:ideas_stage_delete", args=[spare.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Stage.objects.filter(pk=spare.pk).exists()


def current_form_data(response) -> dict:
    """The values an admin change page shows, as the browser would post them back unchanged."""
    assert response.status_code == 200
    data: dict = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        forms += list(formset.forms)
        management = formset.management_form
        for name in management.fields:
            data[f"{management.prefix}-{name}"] = management[name].value()
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            key = form.add_prefix(name)
            if value is None or value is False:
                continue
            if value is True:
                data[key] = "on"
            elif isinstance(value, list | tuple):
                data[key] = [str(v) for v in value]
            else:
                data[key] = str(value.pk if hasattr(value, "pk") else value)
    return data
