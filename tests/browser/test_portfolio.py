"""In Chromium: a Board member reads the portfolio (zero axe violations); an officer downloads the export."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _seed():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_board_member_reads_the_portfolio_without_accessibility_violations(page):
    _seed()
    sign_in(page, "board@harrow.example")
    problems = []

    page.get_by_role("link", name="Portfolio", exact=True).first.click()
    page.wait_for_url("**/portfolio/")
    problems += axe_violations(page)

    page.get_by_role("link", name="Central systems").click()
    page.wait_for_url("**/portfolio/systems/")
    assert page.locator('svg[role="img"] title').first.text_content().startswith("Integration cost on each central system")
    problems += axe_violations(page)

    page.get_by_role("link", name="Data warehouse").click()
    page.wait_for_url("**/portfolio/systems/data-warehouse/")
    assert page.get_by_role("heading", name="Data warehouse", level=1).is_visible()
    assert page.get_by_text("Cross-department data platform").first.is_visible()
    problems += axe_violations(page)

    page.goto("/portfolio/data/matrix/")
    assert page.get_by_role("columnheader", name="Housing").is_visible()
    assert page.get_by_role("rowheader").first.is_visible()
    problems += axe_violations(page)

    page.goto("/portfolio/prioritisation/")
    chart = page.locator('svg[role="img"][aria-labelledby="value-effort-title value-effort-desc"]')
    assert chart.is_visible()
    assert chart.locator("circle").count() >= 2
    assert page.get_by_role("cell", name="Cross-department data platform").is_visible()
    problems += axe_violations(page)
    page.get_by_text("Filter", exact=True).click()
    page.get_by_label("Weighted score", exact=True).select_option("4")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**min_score=4**")
    problems += axe_violations(page)

    page.goto("/portfolio/dashboards/")
    assert page.locator('svg[role="img"]').count() >= 4
    assert page.get_by_role("table").count() >= 4
    problems += axe_violations(page)
    page.get_by_text("Change dates or department").click()
    page.locator("input[name=date_from_day]").fill("31")
    page.locator("input[name=date_from_month]").fill("2")
    page.locator("input[name=date_from_year]").fill("2025")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    problems += axe_violations(page)

    page.goto("/portfolio/delivery/")
    problems += axe_violations(page)
    assert not problems, "\n".join(problems)
    assert not page.console_errors, page.console_errors


def test_officer_downloads_the_export_and_it_opens(page):
    _seed()
    sign_in(page, "officer@harrow.example")
    page.goto("/portfolio/export/")
    problems = axe_violations(page)
    with page.expect_download() as csv_download:
        page.get_by_role("link", name="Download CSV").click()
    path = csv_download.value.path()
    assert csv_download.value.suggested_filename.endswith(".csv")
    rows = list(csv.DictReader(io.StringIO(open(path, encoding="utf-8-sig").read())))  # noqa: SIM115
    titles = {row["Title"] for row in rows}
    assert "Cross-department data platform" in titles
    assert "Early help referrals in one online form" not in titles  # confidential, not the officer's
    with page.expect_download() as xlsx_download:
        page.get_by_role("link", name="Download Excel (XLSX)").click()
    assert xlsx_download.value.suggested_filename.endswith(".xlsx")
    with open(xlsx_download.value.path(), "rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read()))["Ideas"]
    assert {row[1] for row in sheet.iter_rows(min_row=2, values_only=True)} == titles
    assert not problems, "\n".join(problems)
