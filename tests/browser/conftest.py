from __future__ import annotations

import pytest

from tests.browser.form_tracker import FormTracker
from tests.services import CHROMIUM, need_chromium

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="session")
def browser():
    need_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    tracker = FormTracker(context)
    page = context.new_page()
    tracker.watch(page)
    page.form_tracker = tracker
    page.set_default_timeout(15000)
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.console_errors = errors
    yield page
    context.close()
    assert not tracker.failures, "A form posted or landed in the wrong place:\n" + "\n".join(tracker.failures)


COVERAGE_TEST = "test_form_coverage.py"
DESELECTED_BROWSER_TESTS: list[str] = []


def pytest_deselected(items):
    DESELECTED_BROWSER_TESTS.extend(item.nodeid for item in items if "tests/browser/" in item.nodeid)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """The form coverage check runs after every other test, once the browser tests have recorded their forms."""
    last = [item for item in items if item.nodeid.startswith(f"tests/browser/{COVERAGE_TEST}")]
    items[:] = [item for item in items if item not in last] + last


def axe_violations(page) -> list[str]:
    """Run axe-core on the page; return one line per violation."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    out = []
    for violation in results.response["violations"]:
        targets = [", ".join(node["target"]) for node in violation["nodes"]][:3]
        out.append(f"{page.url}: {violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
    return out


def sign_in(page, email: str, password: str = "innovate-harrow") -> None:
    page.goto("/accounts/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/home/")
