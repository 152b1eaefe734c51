"""Issue 13, "Join up the pipeline", as it will be checked, in Chromium from end to end.

An Adult Social Care officer submits a falls idea that integrates with Social care case
management and produces data Housing values. A Housing officer drafts "falls sensors": the
overlap shows while she types, with why it matched and whom to contact; she picks the same
system and the overlap says so; she asks to join from the overlap, and the owner accepts. The
secretary merges a third duplicate into the falls idea, puts it on a Board agenda (the builder
flags the system threshold and the team's capacity) and publishes it: the pack is built. The
Board paper (HTML and the pack's PDF) shows the overlapping Housing idea with its reasons, the
load on Social care case management with its threshold crossed, and the capacity flag.
Housing's data contact was told about the data Housing values, in the service and by email,
and follows the idea from the notice. Every form is pressed through its own button
(tests/form_registry.py); every page visited is checked with axe.
"""

from __future__ import annotations

import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from harrow_innovation.people.roles import Role
from tests.browser.conftest import axe_violations, sign_in
from tests.browser.form_tracker import submit_form
from tests.factories import PASSWORD, DepartmentFactory, UserFactory, make_idea, stage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SYSTEM = "Social care case management"
FALLS = "Falls sensors for older people living alone"
HOUSING_FALLS = "Falls sensors for older people in sheltered housing"
DUPLICATE = "Falls sensors for older residents living alone"


def flat(text: str) -> str:
    """Text with every run of white space (table cells, PDF line breaks) as one space."""
    return " ".join(text.split())


class Audit:
    """axe on each page visited; the violations are asserted at the end."""

    def __init__(self):
        self.problems: list[str] = []
        self.pages = 0

    def check(self, page) -> None:
        page.wait_for_load_state("load")
        self.pages += 1
        self.problems += axe_violations(page)


def sign_out(page) -> None:
    submit_form(page, "sign_out")



def submit_on_check_page(page, idea, audit) -> None:
    """Submit ``idea`` through its check-your-answers page, then sign out."""
    page.goto(reverse("ideas:check", kwargs={"pk": idea.pk}))
    audit.check(page)
    submit_form(page, "idea_submit")
    idea.refresh_from_db()
    assert idea.stage.slug == "submitted"
    audit.check(page)
    sign_out(page)

def test_a_falls_idea_joined_up_from_drafting_to_the_board_paper_and_the_data_contact(page, mailoutbox):
    from board.models import BoardRole, Meeting, PackVersion
    from harrow_innovation.core.quarters import quarter_label, quarter_of
    from harrow_innovation.people.models import Team, TeamCapacity
    from ideas import services
    from ideas.models import (
        CentralSystem,
        Contributor,
        DataOutput,
        Follow,
        Idea,
        IdeaCentralSystem,
        IdeaMerge,
        JoinRequest,
        ResourceAsk,
        ResourceAskQuarter,
    )
    from notifications.models import Notification
    from tests.world_extras.packs import board_for_packs

    # --- The council as it stands ---------------------------------------------------------------
    housing = DepartmentFactory(name="Housing")
    social_care = DepartmentFactory(name="Adult Social Care")
    corporate = DepartmentFactory(name="Corporate")
    hana = UserFactory(email="hana.housing@harrow.example", full_name="Hana Housing", department=housing)
    sam = UserFactory(email="sam.socialcare@harrow.example", full_name="Sam Social", department=social_care)
    cara = UserFactory(full_name="Cara Records", department=social_care)
    dev = UserFactory(full_name="Dev Duplicate", department=social_care)
    dana = UserFactory(email="dana.data@harrow.example", full_name="Dana Data", department=housing)
    housing.data_contacts.add(dana)  # chosen by admins on the department (Django admin)
    secretary = UserFactory(full_name="Sid Secretary", department=corporate, roles=[Role.OFFICER, Role.SECRETARY])
    member = UserFactory(full_name="Cllr Bea Board", department=corporate, roles=[Role.BOARD_MEMBER])

    # Social care case management can take £30,000 of integration a year.
    system = CentralSystem.objects.get(name=SYSTEM)
    system.integration_budget = Decimal("30000")
    system.max_projects = 5
    system.save()
    # The telecare team gives 10 days this quarter; an approved idea already has 6 of them.
    quarter = quarter_of(timezone.localdate())
    team = Team.objects.create(department=social_care, name="Telecare response", manager=sam)
    TeamCapacity.objects.create(team=team, quarter=quarter, days=Decimal("10"))
    approved = make_idea(cara, at="approved", title="Digital care records for home care visits")
    IdeaCentralSystem.objects.create(idea=approved, system=system, integration_cost=Decimal("12000"))
    ResourceAskQuarter.objects.create(ask=ResourceAsk.objects.create(idea=approved, team=team), quarter=quarter,
                                      days=Decimal("6"))
    # Sam's falls idea, drafted: £25,000 of integration, 8 days of the team, data Housing values.
    falls = make_idea(sam, at="draft", title=FALLS, problem="Older people who fall at home lie undiscovered for hours.",
                      departments=[social_care])
    IdeaCentralSystem.objects.create(idea=falls, system=system, integration_note="Alerts posted into the case record.",
                                     integration_cost=Decimal("25000"))
    output = DataOutput.objects.create(idea=falls, description="Falls incidents by address")
    output.valued_by.set([housing])
    ResourceAskQuarter.objects.create(ask=ResourceAsk.objects.create(idea=falls, team=team), quarter=quarter,
                                      days=Decimal("8"))
    # A third falls idea, already in the pipeline: a duplicate.
    duplicate = make_idea(dev, at="submitted", title=DUPLICATE,
                          problem="Older residents who fall at home are found too late.")
    audit = Audit()

    # --- 1. Sam submits his falls idea -----------------------------------------------------------
    sign_in(page, sam.email, PASSWORD)
    submit_on_check_page(page, falls, audit)

    # --- 2. Hana drafts falls sensors: the overlap shows while she types ---------------------------
    sign_in(page, hana.email, PASSWORD)
    page.goto(reverse("ideas:new"))
    page.get_by_label("Title").fill(HOUSING_FALLS)
    page.get_by_label("The problem and who has it").fill(
        "Older people who fall in sheltered flats lie undiscovered until the scheme manager calls."
    )
    item = page.locator(f'#similar-ideas [data-overlap="{falls.pk}"]')
    item.wait_for()  # fetched by drafting.js while she typed
    assert item.get_by_role("link", name=re.compile(re.escape(f"{falls.reference}: {FALLS}"))).is_visible()
    assert item.get_by_text(re.compile(r"^Both mention falls, sensors")).is_visible()
    assert "Contact Sam Social, Adult Social Care" in item.inner_text()
    mail = item.get_by_role("link", name=sam.email)
    assert mail.get_attribute("href").startswith(f"mailto:{sam.email}?subject=")
    audit.check(page)
    submit_form(page, "idea_new")
    housing_idea = Idea.objects.get(title=HOUSING_FALLS)
    assert housing_idea.owner == hana and housing_idea.stage.slug == "draft"
    audit.check(page)

    # She picks Social care case management too.
    page.get_by_role("link", name="Central systems").click()
    audit.check(page)
    page.get_by_label("Central system").select_option(label=SYSTEM)
    page.get_by_label("How would it integrate?").fill("Sensor alerts raise a case for the scheme manager.")
    page.get_by_label("Estimated integration cost").fill("5000")
    submit_form(page, "draft_list_add", button="Add this system")
    page.get_by_role("heading", name=SYSTEM).wait_for()
    assert IdeaCentralSystem.objects.filter(idea=housing_idea, system=system).exists()
    audit.check(page)

    # Back on "About the idea", the overlap now says both integrate with it, and stays so as she types.
    page.goto(reverse("ideas:edit_section", kwargs={"pk": housing_idea.pk, "section": "about"}))
    item = page.locator(f'#similar-ideas [data-overlap="{falls.pk}"]')
    expect(item.get_by_text(f"Both integrate with {SYSTEM}")).to_be_visible()
    audit.check(page)
    item.evaluate("element => { element.dataset.stale = 'yes'; }")  # gone once the fetched list replaces it
    with page.expect_response(re.compile(r"/ideas/similar/\?")) as fetched:
        page.get_by_label("The problem and who has it").press_sequentially(" At night", delay=20)
    assert fetched.value.ok
    expect(page.locator("#similar-ideas [data-stale]")).to_have_count(0)
    expect(item.get_by_text(f"Both integrate with {SYSTEM}")).to_be_visible()
    expect(item.get_by_text(re.compile(r"^Both mention falls"))).to_be_visible()
    assert "Contact Sam Social, Adult Social Care" in item.inner_text()

    # --- 3. From the overlap: "We are working on this too" (a new tab, so the draft is not left) ----
    with page.context.expect_page() as opened:
        item.get_by_role("link", name=re.compile("We are working on this too")).click()
    tab = opened.value
    tab.form_tracker = page.form_tracker  # the context's tracker: the tab's forms are checked too
    page.form_tracker.watch(tab)
    tab.wait_for_load_state()
    assert tab.get_by_role("heading", name="We are working on this too").is_visible()
    audit.check(tab)
    tab.get_by_label("Your message to the owners").fill("Housing is piloting falls sensors in sheltered blocks too.")
    submit_form(tab, "join_request")
    join = JoinRequest.objects.get(idea=falls, requester=hana)
    assert join.status == JoinRequest.Status.PENDING
    audit.check(tab)
    tab.close()

    # She finishes her own idea too (the answers are typed elsewhere in the drafting tests) and submits it.
    services.idea_update(
        idea_id=housing_idea.pk, by=hana, departments=[housing],
        solution="Bed and door sensors in sheltered flats that alert the scheme manager.", source="team",
        other_benefits="Fewer long lies after a fall.", one_off_cost=Decimal("18000"), timescale="9 months",
        risks="Tenants may not want sensors.", future_proofing="Open alarm standards.",
    )
    submit_on_check_page(page, housing_idea, audit)

    # --- 4. Sam hears of it and accepts her as a contributor ---------------------------------------
    sign_in(page, sam.email, PASSWORD)
    page.get_by_role("link", name=re.compile(r"^Notifications")).first.click()
    page.wait_for_url("**/notifications/")
    audit.check(page)
    page.get_by_role("link", name=f"Hana Housing is working on “{FALLS}” too").click()
    page.wait_for_url(re.compile(rf"/ideas/{falls.pk}/"))
    audit.check(page)
    page.get_by_role("link", name="Answer Hana Housing (Housing)").click()
    audit.check(page)
    page.get_by_label("Accept as a contributor").check()
    submit_form(page, "join_answer")
    assert Contributor.objects.filter(idea=falls, user=hana).exists()
    join.refresh_from_db()
    assert join.status == JoinRequest.Status.ACCEPTED
    assert "Hana Housing, Housing" in page.locator("#joining").locator("..").inner_text()
    audit.check(page)
    sign_out(page)

    # --- 5. The secretary merges the third duplicate into the falls idea ----------------------------
    sign_in(page, secretary.email, PASSWORD)
    page.goto(reverse("ideas:detail", kwargs={"pk": duplicate.pk}))
    audit.check(page)
    page.get_by_role("link", name="Merge this idea into another (duplicates)").click()
    audit.check(page)
    page.get_by_label("The idea that carries on").fill(falls.reference)
    page.get_by_label("Why they are being merged").fill("The same sensors for the same residents.")
    submit_form(page, "idea_merge")
    merge = IdeaMerge.objects.get(merged=duplicate)
    assert merge.survivor == falls
    duplicate.refresh_from_db()
    assert duplicate.stage.slug == "merged" and duplicate.stage.is_final
    assert Contributor.objects.filter(idea=falls, user=dev).exists()  # its owner joins the work
    assert "Merged into this idea" in page.content()
    audit.check(page)

    # --- 6. On the Board's agenda ----------------------------------------------------------------
    # Its reviews are another test's business (tests/browser/test_reviewing.py): it is placed at Ready for Board.
    Idea.objects.filter(pk=falls.pk).update(stage=stage("ready-for-board"))
    board = board_for_packs([(member, BoardRole.COUNCILLOR), (secretary, BoardRole.SECRETARY)])
    meeting = Meeting.objects.create(board=board, starts_at=timezone.now() + timedelta(days=14), status="planned",
                                     location="Civic Centre, Committee Room 1", created_by=secretary)
    page.goto(reverse("board:agenda", kwargs={"pk": meeting.pk}))
    ready = page.locator("#ready-ideas ~ table tbody tr", has_text=FALLS)
    expect(ready).to_have_count(1)
    ready_text = flat(ready.inner_text())
    assert "Over capacity if approved" in ready_text, ready_text
    assert "threshold if approved" in ready_text, ready_text
    audit.check(page)
    submit_form(page, "agenda_add_idea", within=ready)
    item_row = page.locator("#agenda-items + table tbody tr", has_text=FALLS)
    expect(item_row).to_have_count(1)
    agenda_item = meeting.items.get(idea=falls)
    page.set_default_navigation_timeout(90000)  # publishing builds the pack (WeasyPrint) before the page returns
    submit_form(page, "agenda_publish")
    meeting.refresh_from_db()
    assert meeting.status == "agenda_published"
    pack = PackVersion.objects.get(meeting=meeting, number=1)
    assert pack.status == PackVersion.Status.READY, (pack.status, pack.failure)
    audit.check(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download version 1 of the agenda pack").click()
    with open(download_info.value.path(), "rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    pdf = flat(" ".join(p.extract_text() for p in reader.pages))
    sign_out(page)

    # --- 7. The Board paper: the overlap, the load on the system, the capacity flag -----------------
    load_flag = (f"{SYSTEM}: £37,000 of integration if approved (£12,000 already approved or in delivery + £25,000 "
                 "for this idea) against a budget of £30,000 a year")
    capacity_flag = (f"Telecare response, {quarter_label(quarter)}: 14 days asked (6 days already approved + 8 days "
                     "for this idea) against 10 days")
    sign_in(page, member.email, PASSWORD)
    page.goto(reverse("board:meeting", kwargs={"pk": meeting.pk}))
    audit.check(page)
    page.goto(reverse("board:paper", kwargs={"pk": agenda_item.pk}))
    expect(page.get_by_role("heading", level=1)).to_have_text(FALLS)
    main = page.locator("main")

    page.get_by_role("heading", name="Overlapping and linked ideas").wait_for()
    overlaps = main.locator("table", has=page.locator("caption", has_text="Ideas that overlap or are linked"))
    row = overlaps.locator("tbody tr", has_text=housing_idea.reference)
    expect(row).to_have_count(1)
    row_text = flat(row.inner_text())
    assert f"{housing_idea.reference}: {HOUSING_FALLS}" in row_text
    assert "Hana Housing, Housing" in row_text
    # Why it is listed: the reasons' wording may change, but they name the shared words or the system.
    reasons = flat(row.locator("td").nth(2).inner_text())
    assert re.search(rf"falls|{SYSTEM}", reasons, re.IGNORECASE), reasons

    page.get_by_role("heading", name="Load on the central systems it needs").wait_for()
    load = flat(main.locator("table.app-system-load", has_text=SYSTEM).inner_text())
    for figures in ("This idea 1 £25,000", "Other ideas approved 1 £12,000", "Other ideas in delivery 0 £0",
                    "Other ideas in the pipeline 1 £5,000", "Total if this idea is approved 2 £37,000",
                    "Threshold set for the system 5 at once £30,000 a year", "Over its threshold if approved"):
        assert figures in load, (figures, load)
    body = flat(main.inner_text())
    assert "threshold if approved: more integration than the system" in body
    assert load_flag in body, body

    page.get_by_role("heading", name="Staff capacity").wait_for()
    assert "Over capacity if approved: teams would be asked for more days than they can give." in body
    assert capacity_flag in body, body
    audit.check(page)

    # The pack's PDF says the same.
    assert "Overlapping and linked ideas" in pdf
    assert f"{housing_idea.reference}: {HOUSING_FALLS} Hana Housing, Housing" in pdf
    pdf_reasons = pdf.split(f"{HOUSING_FALLS} Hana Housing, Housing", 1)[1].split("IDEA-")[0].split("Review scores")[0]
    assert re.search(rf"falls|{SYSTEM}", pdf_reasons, re.IGNORECASE), pdf_reasons
    assert "Load on the central systems it needs" in pdf and load_flag in pdf
    assert "Total if this idea is approved 2 £37,000" in pdf
    assert capacity_flag in pdf
    sign_out(page)

    # --- 8. Housing's data contact was told about the data Housing values --------------------------
    told = Notification.objects.get(recipient=dana, kind="data_valued")
    notice_title = f"“{FALLS}” would produce data valued by Housing"
    assert told.title == notice_title and "Falls incidents by address" in told.body
    assert told.url == falls.get_absolute_url()
    assert [m.subject for m in mailoutbox if dana.email in m.to] == [notice_title]
    sign_in(page, dana.email, PASSWORD)
    page.get_by_role("link", name="Notifications 1 unread").click()
    page.wait_for_url("**/notifications/")
    notice = page.locator("li", has=page.get_by_role("heading", name=notice_title))
    expect(notice).to_have_count(1)
    assert "Falls incidents by address" in notice.inner_text()
    audit.check(page)
    notice.get_by_role("link", name=notice_title).click()
    page.wait_for_url(re.compile(rf"/ideas/{falls.pk}/"))
    page.locator("#system-load").wait_for()
    assert load_flag in flat(page.locator("main").inner_text())  # the load on the system, as she may see it
    audit.check(page)
    submit_form(page, "idea_follow")
    assert Follow.objects.filter(idea=falls, user=dana).exists()
    audit.check(page)

    assert audit.pages >= 25
    assert not audit.problems, "\n".join(audit.problems)
