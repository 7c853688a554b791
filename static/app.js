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

// A search form marked data-post-with-digits="q" is in the address (GET), but a search with a digit
// may hold a citizen ID: it is posted instead, so no address, shared link or access log keeps it
// (the same rule as ethics/people/forms.py, kept_out_of_addresses).
document.addEventListener("htmx:configRequest", (event) => {
  const field = event.detail.elt.dataset ? event.detail.elt.dataset.postWithDigits : undefined;
  if (field && /\p{Nd}/u.test(event.detail.parameters[field] || "")) {
    event.detail.verb = "post";
    event.detail.useUrlParams = false;
    event.detail.headers["Content-Type"] = "application/x-www-form-urlencoded";
  }
});

// Escape closes the navigation's open menus and gives the focus back to the first one's button.
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  const open = [...document.querySelectorAll("nav.site details[open]")];
  for (const menu of open) menu.open = false;
  if (open.length) open[0].querySelector("summary").focus();
});
