"""Pack pages: status for polling, downloads, papers as HTML, per role, at a fixed query cost."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from board import packs
from board.models import PackVersion
from tests.world_extras.packs import add_review, failed_pack, make_pack_meeting, ready_pack

pytestmark = pytest.mark.django_db

READERS = ("secretary", "board_member", "admin")
OTHERS = ("officer", "officer_other", "reviewer")


@pytest.fixture
def meeting(people):
    return make_pack_meeting(people, ideas=1, free_items=1)


def test_download_serves_a_ready_pack_as_an_attachment_to_readers_only(people, meeting, client):
    pack = ready_pack(meeting)
    url = reverse("board:pack_download", kwargs={"pk": pack.pk})
    for role in READERS:
        client.force_login(people[role])
        response = client.get(url)
        assert response.status_code == 200, role
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith('attachment; filename="agenda-pack-')
        assert b"".join(response.streaming_content).startswith(b"%PDF")
    for role in OTHERS:
        client.force_login(people[role])
        assert client.get(url).status_code == 403, role
    client.logout()
    assert client.get(url).status_code == 302


@pytest.mark.parametrize("status", ["queued", "building", "failed"])
def test_a_version_that_is_not_ready_is_never_downloadable(people, meeting, client, status):
    pack = ready_pack(meeting)  # has a file on disk, as a half-finished build might
    PackVersion.objects.filter(pk=pack.pk).update(status=status)
    client.force_login(people["secretary"])
    assert client.get(reverse("board:pack_download", kwargs={"pk": pack.pk})).status_code == 404


def test_status_json_lists_versions_latest_first_for_polling(people, meeting, client):
    ready = ready_pack(meeting)
    failed = failed_pack(meeting)
    building = PackVersion.objects.create(meeting=meeting, number=3, reason="Paper changed: Item 1, X",
                                          status="building", heartbeat_at=timezone.now())
    client.force_login(people["board_member"])
    data = client.get(reverse("board:pack_status", kwargs={"pk": meeting.pk}), {"format": "json"}).json()

    assert data["active"] is True
    assert data["latest"]["number"] == 3 and data["latest"]["status"] == "building"
    assert [v["number"] for v in data["versions"]] == [3, 2, 1]
    assert data["versions"][2]["download_url"] == reverse("board:pack_download", kwargs={"pk": ready.pk})
    assert data["versions"][1]["download_url"] is None
    assert data["versions"][1]["failure"] == failed.failure
    html = data["html"]
    assert "Version 3, Paper changed: Item 1, X," in html and "Latest version" in html
    assert html.count("Earlier version") == 2
    assert "The pack is being built." in html and "<progress" in html
    assert "Download version 1 of the agenda pack" in html
    assert building.pk  # the building version has no download link
    assert "Download version 3" not in html
    # Members cannot retry.
    assert "Try building the pack again" not in html


def test_status_fragment_and_full_page_without_javascript(people, meeting, client):
    ready_pack(meeting)
    client.force_login(people["secretary"])
    url = reverse("board:pack_status", kwargs={"pk": meeting.pk})
    fragment = client.get(url, {"fragment": "1"}).content.decode()
    assert fragment.lstrip().startswith("{% comment %}") is False and "<html" not in fragment
    assert "Version 1, Agenda published" in fragment
    page = client.get(url).content.decode()
    assert "<h1 class=\"govuk-heading-l\">Agenda pack</h1>" in page
    assert "Refresh the pack’s status" in page  # the no-JS way to see progress
    assert "js/packs.js" in page


def test_a_planned_meetings_packs_and_papers_stay_with_the_secretary(people, client):
    meeting = make_pack_meeting(people, ideas=1, free_items=0, status="planned")
    pack = ready_pack(meeting)
    item = meeting.items.get()
    urls = [
        reverse("board:pack_status", kwargs={"pk": meeting.pk}),
        reverse("board:pack_download", kwargs={"pk": pack.pk}),
        reverse("board:paper", kwargs={"pk": item.pk}),
    ]
    client.force_login(people["board_member"])
    assert [client.get(u).status_code for u in urls] == [404, 404, 404]
    client.force_login(people["secretary"])
    assert [client.get(u).status_code for u in urls] == [200, 200, 200]


def test_paper_page_shows_the_same_content_as_the_pdf(people, meeting, client):
    from board import pack_builder

    item = meeting.items.get(kind="idea")
    add_review(item.idea, people["reviewer"], people["secretary"], comment="Worth trying in two wards first.")
    client.force_login(people["board_member"])
    page = client.get(reverse("board:paper", kwargs={"pk": item.pk})).content.decode()
    items = list(pack_builder.items_queryset().filter(meeting=meeting))
    pdf_html = pack_builder.paper_html(items[0], number=1)
    body_start = pdf_html.index('<dl class="govuk-summary-list app-paper-facts">')
    body = pdf_html[body_start:pdf_html.index("</body>")].strip()
    assert body in page
    assert "Worth trying in two wards first." in page
    assert "<h1 class=\"govuk-heading-l\">Idea number 1 for the Board</h1>" in page


def test_free_item_paper(people, meeting, client):
    item = meeting.items.get(kind="free")
    client.force_login(people["secretary"])
    page = client.get(reverse("board:paper", kwargs={"pk": item.pk})).content.decode()
    assert "What the Board will hear" in page and "An update on the innovation programme." in page
    assert "Head of Transformation" in page


def test_pack_status_costs_a_fixed_number_of_queries(people, meeting, client, django_assert_num_queries):
    client.force_login(people["board_member"])
    url = reverse("board:pack_status", kwargs={"pk": meeting.pk})
    ready_pack(meeting)
    client.get(url)
    with django_assert_num_queries(4):  # session, user (with roles), meeting, versions
        client.get(url, {"format": "json"})
    with django_assert_num_queries(5) as page:
        client.get(url)
    for _ in range(6):
        ready_pack(meeting)
        failed_pack(meeting)
    with django_assert_num_queries(4):
        client.get(url, {"format": "json"})
    with django_assert_num_queries(len(page.captured_queries)):
        client.get(url)


def test_paper_page_costs_a_fixed_number_of_queries(people, client, django_assert_num_queries):
    from ideas.models import CentralSystem, IdeaCentralSystem

    meeting = make_pack_meeting(people, ideas=1, free_items=0)
    item = meeting.items.get()
    client.force_login(people["board_member"])
    url = reverse("board:paper", kwargs={"pk": item.pk})
    add_review(item.idea, people["reviewer"], people["secretary"])
    client.get(url)
    # 19: the page itself (with the idea's staff time and partners, its capacity check, the load on its central
    # systems, and its overlaps: whether they were worked out, the ranking, links, ideas.triage), plus one INSERT
    # that records the member opened the papers. (With an overlapping idea, one more reads it.)
    with django_assert_num_queries(19) as small:
        client.get(url)
    add_review(item.idea, people["secretary"], people["secretary"])
    add_review(item.idea, people["admin"], people["secretary"])
    for system in CentralSystem.objects.exclude(idea_links__idea=item.idea)[:3]:
        IdeaCentralSystem.objects.create(idea=item.idea, system=system, integration_cost=100)
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(url)


def test_retry_is_for_the_secretary_and_admins_only(people, meeting, client):
    pack = failed_pack(meeting)
    url = reverse("board:pack_retry", kwargs={"pk": pack.pk})
    client.force_login(people["board_member"])
    assert client.post(url).status_code == 403
    assert client.get(url).status_code == 405
    assert PackVersion.objects.filter(meeting=meeting).count() == 1
    client.force_login(people["admin"])
    assert client.post(url).status_code == 302
    assert PackVersion.objects.filter(meeting=meeting).count() == 2
    assert packs.pack_versions_for_panel(meeting_id=meeting.pk)[0].reason == "Retry after version 1 failed"


def test_opening_a_paper_or_the_pack_is_recorded_for_members_only(people, client):
    """The meeting reminder nudges harder those who have not opened the pack yet."""
    from board.models import PackOpened

    meeting = make_pack_meeting(people, ideas=1, free_items=0)
    item = meeting.items.get()
    pack = ready_pack(meeting)
    client.force_login(people["secretary"])
    assert client.get(reverse("board:paper", kwargs={"pk": item.pk})).status_code == 200
    assert not PackOpened.objects.exists()  # the secretary is not a member being reminded
    client.force_login(people["board_member"])
    assert client.get(reverse("board:paper", kwargs={"pk": item.pk})).status_code == 200
    assert client.get(reverse("board:pack_download", kwargs={"pk": pack.pk})).status_code == 200
    opened = PackOpened.objects.get()
    assert (opened.user_id, opened.meeting_id) == (people["board_member"].pk, meeting.pk)


def test_the_html_papers_appendices_link_to_the_attachment_download(people, client):
    meeting = make_pack_meeting(people, ideas=1, free_items=0, attachment_pages=1)
    item = meeting.items.get()
    attachment = item.idea.attachments.get()
    download = reverse("ideas:attachment_download", kwargs={"pk": item.idea_id, "attachment_pk": attachment.pk})
    client.force_login(people["board_member"])
    page = client.get(reverse("board:paper", kwargs={"pk": item.pk})).content.decode()
    assert f'href="{download}"' in page and "business-case-1.pdf" in page
    response = client.get(download)  # the download checks who may have it
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")


def test_the_html_agenda_shows_each_items_start_time_as_the_pack_does(people, client):
    from board import pack_builder

    meeting = make_pack_meeting(people, ideas=2, free_items=1)  # 20, 20 and 10 minutes
    items = list(meeting.items.order_by("order"))
    clocks = pack_builder.start_clocks(meeting, items)
    start = timezone.localtime(meeting.starts_at)
    assert clocks[0] == pack_builder._clock(start)
    assert clocks[2] == pack_builder._clock(start + timedelta(minutes=40))
    client.force_login(people["board_member"])
    page = client.get(reverse("board:meeting", kwargs={"pk": meeting.pk})).content.decode()
    for item, clock in zip(items, clocks, strict=True):
        section = page[page.index(f'id="item-{item.pk}"'):]
        assert f"{clock}, {item.minutes_allotted} minutes" in section[:section.index("</section>")]
    front = pack_builder.front_html(ready_pack(meeting), [pack_builder.Paper(item=i, number=n, html="", hash="")
                                                          for n, i in enumerate(items, 1)], front_pages=1, warnings=[])
    assert all(clock in front for clock in clocks)
