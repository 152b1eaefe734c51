// Progressive enhancement for drafting an idea: while the officer types a title and
// the problem, show existing ideas that look alike (from every department).
// Without JavaScript the task list shows the same ideas after the draft is saved.

const DELAY_MS = 400;

function enhance(panel) {
  const region = panel.querySelector("[data-similar-region]");
  const title = document.querySelector("[data-similar=title]");
  const problem = document.querySelector("[data-similar=problem]");
  if (!region || !title) return;

  panel.hidden = false;
  document.querySelectorAll("[data-similar-nojs]").forEach((el) => { el.hidden = true; });

  let timer = null;
  let controller = null;
  let lastQuery = null;

  async function refresh() {
    const params = new URLSearchParams({ title: title.value, problem: problem ? problem.value : "" });
    if (region.dataset.exclude) params.set("exclude", region.dataset.exclude);
    const query = params.toString();
    if (query === lastQuery) return;
    lastQuery = query;
    if (controller) controller.abort();
    controller = new AbortController();
    try {
      const response = await fetch(`${region.dataset.similarUrl}?${query}`, {
        credentials: "same-origin",
        headers: { Accept: "text/html" },
        signal: controller.signal,
      });
      // A redirect means the session ended: leave the panel as it was.
      if (!response.ok || response.redirected) return;
      region.innerHTML = await response.text(); // the server escapes every idea's text
    } catch (error) {
      if (error.name !== "AbortError") lastQuery = null; // try again on the next keystroke
    }
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, DELAY_MS);
  }

  title.addEventListener("input", schedule);
  if (problem) problem.addEventListener("input", schedule);
  if (!region.textContent.trim() && (title.value || (problem && problem.value))) schedule();
}

document.querySelectorAll("[data-similar-panel]").forEach(enhance);
