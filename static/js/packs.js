// Agenda pack panel: keeps the pack's state up to date without a reload.
// Progressive enhancement: without this script the panel's "Refresh" link does the same.
const FAST = 2000; // while a version is queued or building
const SLOW = 30000; // otherwise, in case a new version is queued

function describe(latest) {
  if (!latest) return "";
  if (latest.status === "ready") return `Version ${latest.number} of the agenda pack is ready to download.`;
  if (latest.status === "failed") return `Version ${latest.number} of the agenda pack failed. ${latest.failure}`;
  return `Version ${latest.number} of the agenda pack: ${latest.status_label}.`;
}

function watch(panel) {
  const url = new URL(panel.dataset.packStatusUrl, window.location.href);
  url.searchParams.set("format", "json");
  const versions = panel.querySelector("[data-pack-versions]");
  const announce = panel.querySelector("[data-pack-announce]");
  const refresh = panel.querySelector("[data-pack-refresh]");
  if (refresh) refresh.hidden = true;
  let lastState = null;
  let timer = null;

  const schedule = (active) => {
    clearTimeout(timer);
    timer = setTimeout(poll, active ? FAST : SLOW);
  };

  async function poll() {
    if (document.hidden) return schedule(false);
    let data;
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (!response.ok) throw new Error(String(response.status));
      data = await response.json();
    } catch {
      if (refresh) refresh.hidden = false; // fall back to the manual link
      return schedule(false);
    }
    const state = data.latest ? `${data.latest.number}:${data.latest.status}` : "";
    if (state !== lastState) {
      versions.innerHTML = data.html;
      if (lastState !== null) announce.textContent = describe(data.latest);
      lastState = state;
    }
    schedule(data.active);
  }

  document.addEventListener("visibilitychange", () => {
    if (!document.hidden) poll();
  });
  poll();
}

document.querySelectorAll("[data-pack-panel]").forEach(watch);
