// Board pages: progressive enhancement only. Every page works without this file.

// Calendar page: a button that copies the subscription address.
for (const input of document.querySelectorAll("[data-copy-source]")) {
  if (!navigator.clipboard) continue;
  const button = document.createElement("button");
  button.type = "button";
  button.className = "govuk-button govuk-button--secondary";
  button.textContent = "Copy the address";
  const status = document.createElement("p");
  status.className = "govuk-body";
  status.setAttribute("role", "status");
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(input.value);
      status.textContent = "Address copied. Paste it into your calendar app.";
    } catch {
      input.select();
      status.textContent = "Select the address and copy it.";
    }
  });
  input.closest(".govuk-form-group").after(button, status);
  input.addEventListener("focus", () => input.select());
}

// Decision page: answers that need more (conditions, a date) show their question when chosen.
// GOV.UK Frontend's own radios module would do this too, but it puts aria-expanded on the
// radio inputs, which ARIA does not allow there; this does the same without it.
for (const group of document.querySelectorAll("[data-board-reveal]")) {
  const radios = [...group.querySelectorAll("input[type=radio]")];
  const sync = () => {
    for (const radio of radios) {
      const panel = radio.dataset.reveals && document.getElementById(radio.dataset.reveals);
      if (panel) panel.classList.toggle("govuk-radios__conditional--hidden", !radio.checked);
    }
  };
  for (const radio of radios) radio.addEventListener("change", sync);
  sync();
}
