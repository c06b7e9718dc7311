// patientguide: show a citation's reference in a tooltip on hover and on keyboard focus.
// The text comes from the page's reference list (the link's aria-describedby target), so it
// is on the page once. Escape hides it; the pointer can move onto it (WCAG 1.4.13).
(function () {
  "use strict";
  var tip = null;
  var owner = null;

  function citation(node) {
    return node && node.closest ? node.closest("a.pg-cite[aria-describedby]") : null;
  }

  function show(link) {
    var source = document.getElementById(link.getAttribute("aria-describedby"));
    if (!source) return;
    if (!tip) {
      tip = document.createElement("div");
      tip.className = "pg-tip";
      tip.setAttribute("role", "tooltip");
      tip.id = "pg-tip";
      tip.addEventListener("mouseleave", function (e) { if (!citation(e.relatedTarget)) hide(); });
      document.body.appendChild(tip);
    }
    tip.textContent = source.textContent;
    tip.hidden = false;
    owner = link;
    var r = link.getBoundingClientRect();
    var width = tip.offsetWidth;
    var left = Math.min(Math.max(8, r.left + r.width / 2 - width / 2), document.documentElement.clientWidth - width - 8);
    var top = r.top - tip.offsetHeight - 8;
    if (top < 8) top = r.bottom + 8;
    tip.style.left = (left + window.scrollX) + "px";
    tip.style.top = (top + window.scrollY) + "px";
  }

  function hide() {
    if (tip) tip.hidden = true;
    owner = null;
  }

  document.addEventListener("mouseover", function (e) {
    var link = citation(e.target);
    if (link && link !== owner) show(link);
  });
  document.addEventListener("mouseout", function (e) {
    var link = citation(e.target);
    if (link && e.relatedTarget !== tip && document.activeElement !== link) hide();
  });
  document.addEventListener("focusin", function (e) {
    var link = citation(e.target);
    if (link) show(link); else if (owner) hide();
  });
  document.addEventListener("focusout", function (e) {
    if (citation(e.target)) hide();
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && tip && !tip.hidden) hide();
  });
})();
