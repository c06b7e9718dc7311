// patientguide: let keyboard users dismiss a citation tooltip with Escape (WCAG 1.4.13).
document.addEventListener("keydown", function (event) {
  if (event.key !== "Escape") return;
  var el = document.activeElement;
  if (el && el.classList && el.classList.contains("pg-cite")) el.classList.add("pg-cite--dismissed");
});
document.addEventListener("focusout", function (event) {
  var el = event.target;
  if (el && el.classList && el.classList.contains("pg-cite")) el.classList.remove("pg-cite--dismissed");
});
