// patientguide: let keyboard users dismiss a citation tooltip with Escape (WCAG 1.4.13).
document.addEventListener("keydown", function (event) {
  if (event.key !== "Escape") return;
  var cite = document.activeElement && document.activeElement.closest(".pg-cite");
  if (cite) cite.classList.add("pg-cite--dismissed");
});
document.addEventListener("focusout", function (event) {
  var cite = event.target.closest && event.target.closest(".pg-cite");
  if (cite) cite.classList.remove("pg-cite--dismissed");
});
