// Moves focus to the error summary so screen readers announce what to fix.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.getElementById("form-errors");
  if (summary) summary.focus();
});

// Inside the support dialog on a school's site, Esc must close the dialog even while a field has focus.
if (window.self !== window.top) {
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") window.parent.postMessage("opora:close", "*");
  });
}
