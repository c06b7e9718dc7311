// Make the theme's header buttons (open menu, open search on phones) keyboard controls: they
// are <label>s for hidden checkboxes, which a keyboard cannot reach or press by default.
(function () {
  "use strict";
  // the theme's search dialog has no accessible name
  document.querySelectorAll(".md-search[role='dialog']").forEach(function (dialog) {
    if (!dialog.getAttribute("aria-label")) dialog.setAttribute("aria-label", "Search this guide");
  });
  var names = { __drawer: "Open the menu", __search: "Open search" };
  document.querySelectorAll("label.md-header__button[for]").forEach(function (label) {
    var id = label.getAttribute("for");
    var toggle = document.getElementById(id);
    if (!toggle || !names[id]) return;
    label.setAttribute("role", "button");
    label.setAttribute("tabindex", "0");
    if (!label.getAttribute("aria-label")) label.setAttribute("aria-label", names[id]);
    var sync = function () { label.setAttribute("aria-expanded", toggle.checked ? "true" : "false"); };
    sync();
    toggle.addEventListener("change", sync);
    label.addEventListener("keydown", function (event) {
      if (event.key !== "Enter" && event.key !== " ") return;
      event.preventDefault();
      label.click();
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
      var button = document.querySelector("label.md-header__button[for='__drawer']");
      if (button) button.focus();
    }
  });
})();
