"""Every registered form was submitted through its own button by some browser test in this run.

It runs last (tests/browser/conftest.py moves it there). It can only judge a run of the
whole of tests/browser: for a subset it skips, and the skip says why.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser.conftest import COVERAGE_TEST, DESELECTED_BROWSER_TESTS
from tests.browser.form_tracker import PAGES_TRACKED, SUBMITTED
from tests.form_guard import coverage_gaps, partial_run_reason
from tests.form_registry import REGISTRY

pytestmark = pytest.mark.browser

BROWSER_DIR = Path(__file__).parent


def test_every_registered_form_was_submitted_through_its_own_button(request):
    reason = partial_run_reason(request.session, request.config, browser_dir=BROWSER_DIR, skip=COVERAGE_TEST,
                                pages_tracked=PAGES_TRACKED[0], deselected=DESELECTED_BROWSER_TESTS)
    if reason.startswith("no browser test opened a page") and os.environ.get("CI", "").lower() == "true":
        # The whole browser suite ran yet no page opened: Chromium is missing, which CI must not hide.
        pytest.fail(f"form coverage not checked: {reason}")
    if reason:  # a subset of the browser tests ran: coverage cannot be judged, and the skip says why
        pytest.skip(f"form coverage not checked: {reason}")
    missing = coverage_gaps(REGISTRY, SUBMITTED)
    assert not missing, (
        "No browser test submitted these forms through their own button and saw them land where "
        "tests/form_registry.py says (use tests.browser.form_tracker.submit_form, or click the button):\n  "
        + "\n  ".join(missing)
    )
