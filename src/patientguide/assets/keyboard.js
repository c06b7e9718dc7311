// Keyboard and screen-reader fixes for the theme (Material for MkDocs 9.x).
(function () {
  "use strict";
  // the theme's search dialog has no accessible name
  document.querySelectorAll(".md-search[role='dialog']").forEach(function (dialog) {
    if (!dialog.getAttribute("aria-label")) dialog.setAttribute("aria-label", "Search this guide");
  });
  // The header's "open menu" and "open search" controls (on phones) are <label>s for hidden
  // checkboxes, which a keyboard cannot reach or press. Put a real button inside each.
  var names = { __drawer: "Open the menu", __search: "Open search" };
  document.querySelectorAll("label.md-header__button[for]").forEach(function (label) {
    var id = label.getAttribute("for");
    var toggle = document.getElementById(id);
    if (!toggle || !names[id]) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "pg-header-toggle";
    button.setAttribute("aria-label", names[id]);
    while (label.firstChild) button.appendChild(label.firstChild);
    label.appendChild(button);
    var sync = function () { button.setAttribute("aria-expanded", toggle.checked ? "true" : "false"); };
    sync();
    toggle.addEventListener("change", sync);
    button.addEventListener("click", function (event) {
      event.preventDefault();
      toggle.click();
      sync();
      if (id === "__drawer" && toggle.checked) {
        var first = document.querySelector(".md-sidebar--primary .md-nav__link");
        if (first) first.focus();
      }
    });
  });
  // Escape closes the menu and returns focus to its button
  document.addEventListener("keydown", function (event) {
    var drawer = document.getElementById("__drawer");
    if (event.key === "Escape" && drawer && drawer.checked) {
      drawer.click();
      var button = document.querySelector("label[for='__drawer'] .pg-header-toggle");
      if (button) button.focus();
    }
  });
})();
