"""Every member of staff reads the data register, the flow matrix and department pages, seeing only
the ideas they may see; each department page shows the data coming its way and its data contacts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from harrow_innovation.core.navigation import url_for
from tests.portfolio.builders import idea

pytestmark = pytest.mark.django_db


@pytest.fixture
def ideas(people, department, other_department):
    officer = people["officer"]
    return {
        "open": idea(officer, "triage", title="Falls sensors", outputs=[("Falls by ward", [other_department])]),
        "delivered": idea(officer, "delivered", title="Old repairs", outputs=[("Repairs history", [other_department])]),
        "secret": idea(officer, "triage", title="Secret merger", is_confidential=True,
                       outputs=[("Merger data", [other_department])]),
        "draft": idea(officer, "draft", title="Quiet draft", outputs=[("Draft data", [other_department])]),
    }


def _get(client, user, name, **kwargs) -> str:
    client.force_login(user)
    response = client.get(reverse(name, kwargs=kwargs or None))
    assert response.status_code == 200
    return response.content.decode()


def test_an_officer_reads_the_register_without_confidential_ideas_or_others_drafts(client, people, ideas):
    body = _get(client, people["officer_other"], "portfolio:data_outputs")
    assert "Falls by ward" in body and "Repairs history" in body
    assert "Merger data" not in body and "Draft data" not in body
    # No breadcrumb to the portfolio overview they cannot open; the header links to the register.
    assert f'href="{reverse("portfolio:overview")}"' not in body
    assert f'href="{url_for("portfolio:data_outputs")}"' in body


def test_the_matrix_counts_only_what_the_officer_may_see(client, people, ideas, department, other_department):
    body = _get(client, people["officer_other"], "portfolio:data_matrix")
    assert "<strong>2</strong>" in body  # open + delivered; not the confidential one nor the draft
    assert "<strong>3</strong>" not in body
    body = _get(client, people["secretary"], "portfolio:data_matrix")
    assert "<strong>3</strong>" in body  # the secretary reads confidential ideas


def test_the_department_page_shows_data_coming_its_way_with_stage_and_owner(client, people, ideas, other_department):
    other_department.data_contacts.add(people["reviewer"])
    body = _get(client, people["officer_other"], "portfolio:department_data", slug=other_department.slug)
    coming = body.split('id="data-coming"')[1].split("Data contacts")[0]
    assert "Falls sensors" in coming and "Falls by ward" in coming and "Triage" in coming
    assert "Olive Officer" in coming and f"mailto:{people['officer'].email}" in coming
    assert "Old repairs" not in coming  # delivered: no longer on its way
    assert "Secret merger" not in body and "Quiet draft" not in body
    assert "Rita Reviewer" in body.split("Data contacts")[1]
    assert f'href="{reverse("portfolio:overview")}"' not in body


def test_a_department_with_nothing_coming_says_so(client, people, department):
    body = _get(client, people["officer"], "portfolio:department_data", slug=department.slug)
    assert "No open idea you can see would produce data that Adult Social Care values." in body
    assert "has no data contacts yet" in body


def test_portfolio_readers_keep_their_breadcrumb_and_header(client, people, ideas, other_department):
    body = _get(client, people["board_member"], "portfolio:department_data", slug=other_department.slug)
    assert f'href="{reverse("portfolio:overview")}"' in body
    assert "Secret merger" in body  # Board members read confidential ideas
