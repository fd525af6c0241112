// The API reference page (Swagger UI). Swagger UI writes a level-1 heading, then level 3
// for each group of operations and level 4 for the schemas, and leaves its title block
// outside any landmark: give the headings the level in between and the title block the
// banner role, so screen readers get an outline and regions that read in order.
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  if (!root) { return; }
  function tidy() {
    root.querySelectorAll("h3.opblock-tag, .models > h4").forEach(function (heading) {
      if (heading.getAttribute("aria-level") !== "2") { heading.setAttribute("aria-level", "2"); }
    });
    var title = root.querySelector(".information-container");
    if (title && title.getAttribute("role") !== "banner") { title.setAttribute("role", "banner"); }
  }
  new MutationObserver(tidy).observe(root, { childList: true, subtree: true });
})();
