"""Records every form a browser test submits through its own button, and where it lands.

The page fixture installs a tracker on each browser context: a script Playwright injects
(outside the page's CSP) reports each ``submit`` event, which the browser fires only for a
button press or Enter in a field, never for ``page.goto`` or a direct POST. The main
frame's next document response for that action is the landing, judged against
tests/form_registry.py by ``tests.form_guard.judge``. A form that posts or lands in the
wrong place fails the test at teardown (``submit_form`` fails at once); one that lands
where it should is added to ``SUBMITTED`` for the session-end coverage check.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from tests.form_guard import judge
from tests.form_registry import REGISTRY

SUBMITTED: set[str] = set()
PAGES_TRACKED = [0]

SUBMIT_LISTENER = """
window.addEventListener("submit", (event) => {
  if (event.defaultPrevented) return;
  const form = event.target, button = event.submitter;
  // getAttribute, not form.action: a control named "action" shadows that property.
  const raw = (button && button.getAttribute("formaction")) || form.getAttribute("action") || location.href;
  const method = (button && button.getAttribute("formmethod")) || form.getAttribute("method") || "get";
  window.__formSubmitted({
    name: form.dataset.form || "", action: new URL(raw, location.href).href, method: method.toLowerCase(),
  });
});
"""


class FormTracker:
    def __init__(self, context):
        self.pending: list[dict] = []
        self.failures: list[str] = []
        self.landings: list[tuple[str, bool]] = []  # (form name, covered), in order
        context.expose_binding("__formSubmitted", self._submitted)
        context.add_init_script(SUBMIT_LISTENER)
        PAGES_TRACKED[0] += 1

    def watch(self, page) -> None:
        page.on("response", self._response)

    def _submitted(self, source, info: dict) -> None:
        if source["frame"] == source["page"].main_frame:
            self.pending.append(info)

    def _response(self, response) -> None:
        request = response.request
        if not request.is_navigation_request() or request.frame.parent_frame is not None:
            return
        if 300 <= response.status < 400:
            return  # wait for where the redirect ends
        first = request
        while first.redirected_from is not None:
            first = first.redirected_from
        path, method = urlsplit(first.url).path, first.method.lower()
        for index, info in enumerate(self.pending):
            if urlsplit(info["action"]).path == path and info["method"] == method:
                del self.pending[index]
                break
        else:
            return  # a link or page.goto, not a form
        verdict = judge(REGISTRY, name=info["name"], action=first.url, method=method, status=response.status,
                        landed=response.url, redirected=first is not request)
        if verdict.failure:
            self.failures.append(verdict.failure)
        if verdict.covered:
            SUBMITTED.add(info["name"])
        self.landings.append((info["name"], verdict.covered))


def submit_form(page, name: str, *, button: str | None = None, within=None, errors: bool = False) -> None:
    """Press the submit button of the form ``data-form=name`` and check where it lands.

    ``button``: the button's accessible name when the form has several; ``within``: a
    locator to look inside when the page repeats the form (one per row); ``errors=True``
    when the test means the form to come back with errors.
    """
    tracker: FormTracker = page.form_tracker
    scope = within if within is not None else page
    form = scope.locator(f"form[data-form='{name}']")
    if button is not None:
        target = form.get_by_role("button", name=button, exact=True)
    else:
        target = form.locator("button:not([type=button]):not([type=reset]), input[type=submit]")
    seen = len(tracker.landings)
    with page.expect_navigation():
        target.first.click()
    page.wait_for_load_state("load")
    assert not tracker.failures, "\n".join(tracker.failures)
    landed = tracker.landings[seen:]
    assert landed and landed[-1][0] == name, f"submitting {name!r} did not navigate: {landed}"
    if errors:
        assert not landed[-1][1], f"{name!r} was meant to come back with errors, but it landed at {page.url}"
    else:
        assert landed[-1][1], f"{name!r} came back at {page.url} instead of landing where the registry says"
