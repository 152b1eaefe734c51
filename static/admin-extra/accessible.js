/* Django admin, to WCAG 2.2 AA as axe checks it (templates/admin/base_site.html).
   Gives a name to the form controls Django draws without one: the columns of list-editable
   rows and tabular inlines (named after their column heading and row), the date and time
   halves of a date-time field, and select2's search boxes; and lets the filter widgets'
   icons carry their label. Runs again when an inline row is added. */
(function () {
  "use strict";

  function hasName(el) {
    if (el.getAttribute("aria-label") || el.getAttribute("aria-labelledby")) return true;
    if (el.id && document.querySelector('label[for="' + CSS.escape(el.id) + '"]')) return true;
    return !!el.closest("label");
  }

  function text(node) {
    return node ? node.textContent.replace(/\s+/g, " ").trim() : "";
  }

  function nameTableCells(root) {
    root.querySelectorAll("table").forEach(function (table) {
      var heads = table.querySelectorAll("thead th");
      if (!heads.length) return;
      table.querySelectorAll("tbody tr").forEach(function (row, rowIndex) {
        var cells = row.children;
        var rowName = text(row.querySelector("th")) || text(row.querySelector("td.original p")) || "row " + (rowIndex + 1);
        for (var i = 0; i < cells.length; i++) {
          var head = text(heads[i]);
          if (!head) continue;
          cells[i].querySelectorAll("input:not([type=hidden]), select, textarea").forEach(function (el) {
            if (!hasName(el)) el.setAttribute("aria-label", head + ", " + rowName);
          });
        }
      });
    });
  }

  function nameSplitDateTimes(root) {
    root.querySelectorAll("p.datetime").forEach(function (p) {
      var row = p.closest(".form-row, .fieldBox, div");
      var label = text(row && row.querySelector("label"));
      p.querySelectorAll("input").forEach(function (el) {
        if (hasName(el)) return;
        var part = /_0$/.test(el.id) ? "date" : "time";
        el.setAttribute("aria-label", (label.replace(/:$/, "") || "Date and time") + ", " + part);
      });
    });
  }

  function nameSelect2(root) {
    // select2 names its box after the chosen value, which is empty until one is chosen.
    root.querySelectorAll(".select2-selection[role=combobox]").forEach(function (box) {
      if (box.dataset.named) return;
      var container = box.closest(".select2");
      var select = container && container.previousElementSibling;
      var label = select && select.id && document.querySelector('label[for="' + CSS.escape(select.id) + '"]');
      var name = text(label).replace(/:$/, "") || (select && select.getAttribute("aria-label")) || "Choose";
      if (label) {
        if (!label.id) label.id = select.id + "-label";
        box.setAttribute("aria-labelledby", (label.id + " " + (box.getAttribute("aria-labelledby") || "")).trim());
      } else {
        box.setAttribute("aria-label", name);
      }
      box.querySelectorAll("[role=textbox]").forEach(function (shown) { shown.setAttribute("aria-label", name); });
      box.dataset.named = "1";
    });
  }

  function iconsAsImages(root) {
    root.querySelectorAll("span.help-tooltip[aria-label], span.search-label-icon[aria-label]").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  }

  function fix(root) {
    nameTableCells(root);
    nameSplitDateTimes(root);
    nameSelect2(root);
    iconsAsImages(root);
  }

  function fixAll() { fix(document); }

  // Django's widgets (select2, the filter boxes, new inline rows) draw themselves after the page
  // loads, in their own order: fix whatever appears, once the page settles.
  var pending = null;
  function soon() {
    if (pending) return;
    pending = window.setTimeout(function () { pending = null; fixAll(); }, 0);
  }
  document.addEventListener("DOMContentLoaded", function () {
    fixAll();
    new MutationObserver(soon).observe(document.body, { childList: true, subtree: true });
  });
  window.addEventListener("load", soon);
})();
