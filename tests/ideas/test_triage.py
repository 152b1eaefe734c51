"""Triage sees clusters (issue 13 item 3): overlaps for a set of ideas (ideas.triage), the secretary's
triage view, and the overlapping and linked ideas on the review page and the Board paper (HTML and PDF)."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from board import packs
from board.models import PackVersion
from ideas import overlaps_kept, services, triage
from ideas.models import Idea, LinkKind
from tests.factories import make_idea
from tests.world_extras.packs import make_pack_meeting

pytestmark = pytest.mark.django_db

FALLS_ASC = "Falls sensors for older people living alone"
FALLS_HOUSING = "Falls sensors for older residents living alone"
FALLS_FURTHER = "Falls sensors in sheltered flats for older people"
FALLS_SECRET = "Falls sensors for older people living alone at night"
FALLS_DRAFT = "Falls sensors for older people living alone, a draft"
REPAIRS = "Online forms for housing repairs"
FALLS_PROBLEM = "Older people who fall at home can lie for hours before anyone knows."
FALLS_SOLUTION = "Sensors that alert a carer when someone falls."


@pytest.fixture
def falls(people):
    """Two near-identical incoming falls ideas from two departments, one further on, one confidential, one draft,
    each with its overlaps worked out as the task does when an idea is submitted."""
    def falls_idea(owner, at, title, **fields):
        return make_idea(people[owner], at=at, title=title, problem=FALLS_PROBLEM, solution=FALLS_SOLUTION, **fields)

    made = {
        "asc": falls_idea("officer", "submitted", FALLS_ASC),
        "housing": falls_idea("officer_other", "triage", FALLS_HOUSING),
        "further": falls_idea("officer_other", "ready-for-board", FALLS_FURTHER),
        "secret": falls_idea("officer_other", "ready-for-board", FALLS_SECRET, is_confidential=True),
        "draft": falls_idea("officer_other", "draft", FALLS_DRAFT),
        "repairs": make_idea(
            people["officer_other"], at="submitted", title=REPAIRS,
            problem="Tenants phone in every repair and wait on hold.", solution="Tenants report repairs online.",
        ),
    }
    keep(*made.values())
    return made


def keep(*ideas) -> None:
    """Work out the ideas' kept overlaps, as the task after submitting does."""
    for idea in ideas:
        overlaps_kept.refresh(idea.pk, tell_others=False)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def titles(overlaps) -> list[str]:
    return [o.idea.title for o in overlaps]


def page_queries(client, url) -> int:
    """The page's own queries: its total less what every signed-in page costs (session, user, navigation)."""
    counts = []
    for each in (url, reverse("accessibility")):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(each).status_code == 200
        counts.append(len(captured))
    return counts[0] - counts[1]


# --- Overlaps for a set of ideas -----------------------------------------------------------------


def test_overlaps_say_why_and_never_name_drafts_or_ideas_the_user_may_not_see(people, falls):
    found = triage.overlaps_by_idea(user=people["officer"], ideas=[falls["asc"]])[falls["asc"].pk]
    assert set(titles(found)) == {FALLS_HOUSING, FALLS_FURTHER}  # not the confidential idea, not the draft
    housing = next(o for o in found if o.idea.title == FALLS_HOUSING)
    assert 0.3 <= housing.score <= 1
    assert housing.reasons == ["Both mention falls, sensors and older"]
    assert housing.idea.stage.name == "Triage"  # joined for the page


def test_the_secretary_sees_confidential_overlaps_the_board_paper_audience_does_not(people, falls):
    secretary = triage.overlaps_by_idea(user=people["secretary"], ideas=[falls["asc"]])[falls["asc"].pk]
    assert FALLS_SECRET in titles(secretary)
    assert FALLS_DRAFT not in titles(secretary)
    # The Board reads confidential ideas in the service, but a paper names only what all staff may see.
    paper = triage.overlaps_by_idea(user=None, ideas=[falls["asc"]])[falls["asc"].pk]
    assert set(titles(paper)) == {FALLS_HOUSING, FALLS_FURTHER}


def test_links_show_first_read_from_each_side_and_only_to_ideas_the_user_may_see(people, falls):
    services.idea_link_add(
        idea_id=falls["repairs"].pk,
        other_id=falls["further"].pk,
        kind=LinkKind.DUPLICATE_OF,
        by=people["officer_other"],
    )
    services.idea_link_add(
        idea_id=falls["further"].pk, other_id=falls["secret"].pk, kind=LinkKind.RELATED, by=people["officer_other"]
    )
    found = triage.overlaps_by_idea(user=people["officer"], ideas=[falls["repairs"], falls["further"]])
    assert [(o.idea.title, o.reasons) for o in found[falls["repairs"].pk]] == [
        (FALLS_FURTHER, [f"Linked: duplicate of {falls['further'].reference}"])
    ]
    further = found[falls["further"].pk]
    assert further[0].idea.title == REPAIRS
    assert further[0].reasons == [f"Linked: has a duplicate {falls['repairs'].reference}"]
    assert FALLS_SECRET not in titles(further)  # linked, but confidential: neither named nor counted
    assert FALLS_SECRET in titles(
        triage.overlaps_by_idea(user=people["officer_other"], ideas=[falls["further"]])[falls["further"].pk]
    )  # its owner sees it


def test_nothing_overlapping_gives_nothing(people, falls):
    assert triage.overlaps_by_idea(user=people["officer"], ideas=[]).by_idea == {}
    lonely = make_idea(people["officer"], at="submitted", title="Drone surveys of cemetery land")
    keep(lonely)
    found = triage.overlaps_by_idea(user=people["officer"], ideas=[lonely])
    assert found.by_idea == {}
    assert found.unchecked([lonely.pk]) == []  # worked out, and none found


def test_overlaps_for_many_ideas_cost_the_same_four_queries_as_for_one(people, falls, django_assert_num_queries):
    user = people["secretary"]
    triage.overlaps_by_idea(user=user, ideas=[falls["asc"]])  # the user's roles, read once per request
    with django_assert_num_queries(4):  # kept overlaps, when they were worked out, links, the overlapping ideas
        triage.overlaps_by_idea(user=user, ideas=[falls["asc"]])
    more = [
        make_idea(people["officer"], at="submitted", title=f"Falls sensors for older people, pilot {n}")
        for n in range(10)
    ]
    keep(*more)
    with django_assert_num_queries(4):
        found = triage.overlaps_by_idea(user=user, ideas=[falls["asc"], *more])
    assert len(found.by_idea) == 11
    assert all(len([o for o in rows if not o.link_label]) <= triage.OVERLAP_LIMIT for rows in found.by_idea.values())


# --- The triage view ------------------------------------------------------------------------------


def test_the_secretary_sees_the_two_falls_ideas_in_one_cluster_with_the_idea_further_on(people, falls):
    response = client_for(people["secretary"]).get(reverse("ideas:triage"))
    assert response.status_code == 200
    found = response.context["triage"]
    assert len(found.clusters) == 1
    cluster = found.clusters[0]
    assert [e.idea.title for e in cluster.entries] == [FALLS_ASC, FALLS_HOUSING]  # longest waiting first
    assert cluster.further_on == 2  # the idea ready for the Board and the confidential one, which she may see
    rows = {row.overlap.idea.title: row for row in cluster.entries[0].rows}
    assert rows[FALLS_HOUSING].incoming and not rows[FALLS_FURTHER].incoming
    assert [a.label for a in rows[FALLS_HOUSING].actions] == [
        f"Merge {falls['asc'].reference} into {falls['housing'].reference}"
    ]
    assert [e.title for e in found.alone] == [REPAIRS]
    page = response.content.decode()
    assert "Group 1: 2 incoming ideas, 2 further on in the pipeline" in page
    assert f"{reverse('ideas:merge', kwargs={'pk': falls['asc'].pk})}?into={falls['housing'].reference}" in page
    assert "Both mention falls, sensors and older" in page
    assert "Overlaps as of" in page and "still being worked out" not in page
    assert FALLS_DRAFT not in page


def test_the_menu_and_the_waiting_page_lead_the_secretary_to_triage(people, falls):
    page = client_for(people["secretary"]).get(reverse("ideas:waiting")).content.decode()
    assert page.count(f'href="{reverse("ideas:triage")}"') == 2  # the menu and the waiting section
    assert reverse("ideas:triage") not in client_for(people["officer"]).get(reverse("ideas:waiting")).content.decode()


def test_the_secretary_owning_an_idea_is_offered_no_merge_of_it_but_may_link_it(people, falls):
    own = make_idea(people["secretary"], at="submitted", title="Falls sensors for older people living alone too")
    keep(own)
    found = client_for(people["secretary"]).get(reverse("ideas:triage")).context["triage"]
    entry = next(e for c in found.clusters for e in c.entries if e.idea.pk == own.pk)
    labels = {label for row in entry.rows for label in (a.label for a in row.actions)}
    assert labels == {"Link as a duplicate"}


def test_an_empty_queue_says_so(people):
    page = client_for(people["secretary"]).get(reverse("ideas:triage")).content.decode()
    assert "No ideas are waiting for triage." in page


TRIAGE_QUERIES = 7  # incoming ideas; their co-owners; their reviews (for the merge check); kept overlaps; when
# they were worked out; links; the overlapping ideas


def test_the_triage_view_costs_a_fixed_number_of_queries(people, falls):
    client = client_for(people["secretary"])
    assert page_queries(client, reverse("ideas:triage")) == TRIAGE_QUERIES
    for n in range(20):
        idea = make_idea(
            people["officer" if n % 2 else "officer_other"],
            at="submitted",
            title=f"Falls sensors for older people, pilot {n}",
        )
        idea.co_owners.add(people["reviewer"])
        keep(idea)
    services.idea_link_add(
        idea_id=falls["housing"].pk, other_id=falls["further"].pk, kind=LinkKind.RELATED, by=people["officer_other"]
    )
    assert page_queries(client, reverse("ideas:triage")) == TRIAGE_QUERIES


# --- The review page ------------------------------------------------------------------------------


def test_the_review_page_lists_overlapping_and_linked_ideas_the_reviewer_may_see(people, falls):
    review = services.review_assign(idea_id=falls["asc"].pk, reviewer=people["reviewer"], by=people["secretary"])
    services.idea_link_add(
        idea_id=falls["asc"].pk, other_id=falls["repairs"].pk, kind=LinkKind.RELATED, by=people["officer"]
    )
    response = client_for(people["reviewer"]).get(reverse("ideas:review", kwargs={"review_pk": review.pk}))
    page = response.content.decode()
    assert "Overlapping and linked ideas" in page
    assert FALLS_HOUSING in page and FALLS_FURTHER in page
    assert f"Linked: related to {falls['repairs'].reference}" in page
    assert FALLS_SECRET not in page and FALLS_DRAFT not in page
    assert len(response.context["overlaps"]) == 3


# --- The Board paper --------------------------------------------------------------------------------


@pytest.fixture
def paper_world(people):
    meeting = make_pack_meeting(people, ideas=1, free_items=0)
    item = meeting.items.get()
    shown = make_idea(people["officer_other"], at="triage", title="Idea number 1 for the Board, from Housing")
    hidden = make_idea(
        people["officer_other"], at="triage", title="Idea number 1 for the Board, confidential", is_confidential=True
    )
    make_idea(people["officer_other"], at="draft", title="Idea number 1 for the Board, a draft")
    services.idea_link_add(
        idea_id=hidden.pk, other_id=item.idea_id, kind=LinkKind.BUILDS_ON, by=people["officer_other"]
    )
    return {"meeting": meeting, "item": item, "shown": shown, "hidden": hidden}


def test_the_paper_page_lists_overlaps_but_never_confidential_ideas_or_drafts(people, paper_world):
    response = client_for(people["board_member"]).get(reverse("board:paper", kwargs={"pk": paper_world["item"].pk}))
    page = response.content.decode()
    assert "Overlapping and linked ideas" in page
    assert f"{paper_world['shown'].reference}: Idea number 1 for the Board, from Housing" in page
    assert "confidential" not in page.replace("Confidential ideas are not listed in papers.", "").replace(
        "Every idea is counted, confidential ones included, as figures only.", "")
    assert paper_world["hidden"].reference not in page  # not even its link
    assert "a draft" not in page
    assert [o["reference"] for o in response.context["paper"]["overlaps"]] == [paper_world["shown"].reference]


def test_the_pack_pdf_carries_the_overlaps_section(people, paper_world):
    pack = PackVersion.objects.create(meeting=paper_world["meeting"], number=1, reason="Agenda published")
    assert packs.pack_build(pack_id=pack.pk) == "ready"
    pack.refresh_from_db()
    with pack.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Overlapping and linked ideas" in text
    assert f"{paper_world['shown'].reference}: Idea number 1 for the Board, from Housing" in text
    assert "Both mention idea and board" in text
    assert paper_world["hidden"].reference not in text
    assert "Board, confidential" not in text


def test_a_new_overlapping_idea_changes_the_papers_hash(people):
    from board import pack_builder

    meeting = make_pack_meeting(people, ideas=1, free_items=0)
    item = pack_builder.items_queryset().get(meeting=meeting)
    before = pack_builder.content_hash(pack_builder.paper_html(item, number=1))
    make_idea(people["officer_other"], at="triage", title="Idea number 1 for the Board, from Housing")
    assert pack_builder.content_hash(pack_builder.paper_html(item, number=1)) != before
    assert Idea.objects.count() == 2


def test_the_paper_page_costs_a_fixed_number_of_queries_however_many_overlaps(people, paper_world):
    client = client_for(people["board_member"])
    url = reverse("board:paper", kwargs={"pk": paper_world["item"].pk})
    client.get(url)  # the first visit also records that the member opened the papers
    small = page_queries(client, url)
    assert page_queries(client, url) == small
    for n in range(6):
        other = make_idea(people["officer_other"], at="ready-for-board", title=f"Idea number 1 for the Board, copy {n}")
        services.idea_link_add(
            idea_id=other.pk, other_id=paper_world["item"].idea_id, kind=LinkKind.RELATED, by=people["officer_other"]
        )
    assert page_queries(client, url) == small
    assert len(client.get(url).context["paper"]["overlaps"]) == 7  # 6 linked, the most similar ones among them
