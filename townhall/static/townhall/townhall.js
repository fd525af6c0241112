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
