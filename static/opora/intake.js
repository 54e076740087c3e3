// Moves focus to the error summary so screen readers announce what to fix.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.getElementById("form-errors");
  if (summary) summary.focus();
});
