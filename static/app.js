// Shows a message when an htmx request fails, since htmx leaves the page unchanged on errors.
function showRequestError() {
  const box = document.getElementById("request-error");
  if (box) box.hidden = false;
}
document.addEventListener("htmx:responseError", showRequestError);
document.addEventListener("htmx:sendError", showRequestError);

// Survey: each part's progress bar follows the answers chosen in it.
document.addEventListener("change", (event) => {
  const part = event.target.closest("[data-dimension]");
  if (!part || event.target.type !== "radio") return;
  const names = new Set([...part.querySelectorAll("input[type=radio]")].map((input) => input.name));
  const answered = [...names].filter((name) => part.querySelector(`input[name="${name}"]:checked`)).length;
  part.querySelector("[data-progress]").value = answered;
});

// Forms for steps that cannot be undone (closing nominations, finalising) ask first.
document.addEventListener("submit", (event) => {
  const message = event.target.dataset ? event.target.dataset.confirm : undefined;
  if (message && !window.confirm(message)) event.preventDefault();
});
