// Hotline form: preselect the role suggested by the routing table when the type changes, and copy the
// description into "add to the open request" buttons so a repeat call lands on the existing ticket.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("hotline-form");
  if (!form) return;
  const data = document.getElementById("route-suggestions");
  const suggestions = data ? JSON.parse(data.textContent) : {};
  const route = form.querySelector("[name=route_to]");
  form.querySelectorAll("input[name=request_type]").forEach((radio) => {
    radio.addEventListener("change", () => {
      if (route && suggestions[radio.value]) route.value = suggestions[radio.value];
    });
  });
  const summary = document.getElementById("form-errors");
  if (summary) summary.focus();
  document.addEventListener("submit", (event) => {
    const target = event.target;
    if (!(target instanceof HTMLFormElement) || !target.classList.contains("append-form")) return;
    const text = form.querySelector("[name=description]").value.trim();
    if (!text) {
      event.preventDefault();
      const field = form.querySelector("[name=description]");
      field.focus();
      field.setAttribute("aria-invalid", "true");
      return;
    }
    target.querySelector("[name=description]").value = text;
  });
});
