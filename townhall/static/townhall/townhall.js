// Townhall's small behaviours. Loaded as a file: the CSP allows no inline script.
document.addEventListener("htmx:configRequest", function (event) {
  // htmx requests carry the CSRF token from the cookie-less form field on the page.
  var token = document.querySelector("input[name=csrfmiddlewaretoken]");
  if (token) { event.detail.headers["X-CSRFToken"] = token.value; }
});

document.addEventListener("htmx:afterSettle", function () {
  // A live region that htmx replaces is not announced; a lasting one repeats the new text.
  document.querySelectorAll("[data-announce-from]").forEach(function (region) {
    var source = document.getElementById(region.getAttribute("data-announce-from"));
    if (source) { region.textContent = source.textContent.trim(); }
  });
});

// While the mobile menu is open, USWDS hides the rest of the page from screen readers with
// aria-hidden; making it inert as well keeps its links and buttons out of reach, as they
// should be behind an open menu.
(function () {
  var made = [];
  new MutationObserver(function () {
    var open = document.body.classList.contains("usa-js-mobile-nav--active");
    if (open && !made.length) {
      made = Array.prototype.slice.call(document.querySelectorAll("[data-nav-hidden]"));
      made.forEach(function (el) { el.inert = true; });
    } else if (!open && made.length) {
      made.forEach(function (el) { el.inert = false; });
      made = [];
    }
  }).observe(document.body, { attributes: true, attributeFilter: ["class"] });
})();

// Search-and-choose pickers (core/widgets.py). Enter in a picker's search box searches
// instead of submitting the whole form; Down moves to the first match (for a single choice
// Tab skips the matches, as browsers tab only to the checked radio of a group).
document.addEventListener("keydown", function (event) {
  var box = event.target;
  if (!box.matches || !box.matches("[data-picker-search]")) { return; }
  if (event.key === "Enter") {
    event.preventDefault();
    if (window.htmx) { window.htmx.trigger(box, "search"); }
  } else if (event.key === "ArrowDown") {
    var results = document.querySelector(box.getAttribute("hx-target"));
    var first = results && results.querySelector("input");
    if (first) { event.preventDefault(); first.focus(); }
  }
});

// A choice made among a picker's matches must not be undone by a search answer that was
// asked for before it (swapping that answer in would replace the matches): such answers
// are dropped. Later searches send the choice along and list it among the chosen.
document.addEventListener("change", function (event) {
  var input = event.target;
  var picker = input.closest && input.closest(".th-picker__results") && input.closest(".th-picker");
  if (picker) { picker.setAttribute("data-picks", String(Number(picker.getAttribute("data-picks") || 0) + 1)); }
});
document.addEventListener("htmx:beforeRequest", function (event) {
  var picker = event.detail.elt.closest && event.detail.elt.closest(".th-picker");
  if (picker) { event.detail.xhr.pickerPicks = picker.getAttribute("data-picks") || "0"; }
});
document.addEventListener("htmx:beforeSwap", function (event) {
  var picker = event.detail.elt.closest && event.detail.elt.closest(".th-picker");
  if (picker && event.detail.xhr.pickerPicks !== (picker.getAttribute("data-picks") || "0")) {
    event.detail.shouldSwap = false;
  }
});

// List filters are folded in the page (a <details>), so on a phone the list comes first;
// on a wide screen, where they sit beside the list, they open. Without script they stay
// folded and open with one press of their summary.
(function () {
  if (!window.matchMedia || !window.matchMedia("(min-width: 64em)").matches) { return; }
  document.querySelectorAll("details[data-open-wide]").forEach(function (d) { d.open = true; });
})();

// "Select all on this page": ticks or clears every row's box of the same form, and a row
// cleared clears it. Without script the box still works: the server takes every row shown.
document.addEventListener("change", function (event) {
  var box = event.target;
  if (!box.matches || !box.matches("input[type=checkbox][form]")) { return; }
  var formId = box.getAttribute("form");
  var all = document.querySelector("input[data-select-all='" + formId + "']");
  if (!all) { return; }
  var rows = document.querySelectorAll("input[type=checkbox][form='" + formId + "']:not([data-select-all])");
  if (box === all) {
    rows.forEach(function (row) { row.checked = all.checked; });
  } else if (!box.checked) {
    all.checked = false;
  }
});
