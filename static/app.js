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

// Steps that cannot be undone (closing nominations, finalising) ask first, in the page's dialog
// (confirm_dialog in templates/_macros.html): a form with data-confirm, or htmx's hx-confirm.
function ask(question, yes, then) {
  const dialog = document.getElementById("confirm-dialog");
  dialog.querySelector("[data-question]").textContent = question;
  dialog.querySelector("[data-yes]").textContent = yes;
  dialog.returnValue = "";
  dialog.addEventListener("close", () => { if (dialog.returnValue === "yes") then(); }, { once: true });
  dialog.showModal();
  dialog.querySelector("button[value=no]").focus();  // the safe answer first; no autofocus on every page
}
document.addEventListener("submit", (event) => {
  const form = event.target;
  const question = form.dataset ? form.dataset.confirm : undefined;
  if (!question || form.dataset.confirmed || !document.getElementById("confirm-dialog")) return;
  event.preventDefault();
  const submitter = event.submitter && event.submitter.form === form ? event.submitter : undefined;
  ask(question, form.dataset.confirmButton || (submitter ? submitter.textContent.trim() : ""), () => {
    form.dataset.confirmed = "yes";
    form.requestSubmit(submitter);
    delete form.dataset.confirmed;
  });
});
document.addEventListener("htmx:confirm", (event) => {
  if (!event.detail.question || !document.getElementById("confirm-dialog")) return;
  event.preventDefault();
  const elt = event.detail.elt;
  const button = elt.matches("button") ? elt : elt.querySelector("button:not([type=button])");
  ask(event.detail.question, button ? button.textContent.trim() : "OK", () => event.detail.issueRequest(true));
});

// A flashed message's close button.
document.addEventListener("click", (event) => {
  const close = event.target.closest(".toast [data-dismiss]");
  if (close) close.closest(".toast").remove();
});

// Sortable columns (data_table's column(..., sortable=True)): a button in the header sorts the rows
// shown, by each cell's data-sort-value or its text, numbers as numbers; aria-sort tells which way.
function addSortButtons(root) {
  for (const th of root.querySelectorAll("th[data-sortable]")) {
    if (th.querySelector("button.sort")) continue;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "sort";
    button.append(...th.childNodes);
    th.append(button);
  }
}
document.addEventListener("DOMContentLoaded", () => addSortButtons(document));
document.addEventListener("htmx:load", (event) => addSortButtons(event.target));
document.addEventListener("click", (event) => {
  const button = event.target.closest("th[data-sortable] button.sort");
  if (!button) return;
  const th = button.closest("th");
  const column = [...th.parentNode.children].indexOf(th);
  const ascending = th.getAttribute("aria-sort") !== "ascending";
  for (const other of th.parentNode.children) other.removeAttribute("aria-sort");
  th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  const numeric = th.classList.contains("num");
  const collator = new Intl.Collator(document.documentElement.lang, { numeric: true });
  const key = (row) => {
    const cell = row.children[column];
    const text = cell ? (cell.dataset.sortValue ?? cell.textContent.trim()) : "";
    return numeric ? Number.parseFloat(text.replace(/[^\d.-]/g, "")) || 0 : text;
  };
  for (const body of th.closest("table").tBodies) {
    const rows = [...body.rows].sort((a, b) => {
      const order = numeric ? key(a) - key(b) : collator.compare(key(a), key(b));
      return ascending ? order : -order;
    });
    body.append(...rows);
  }
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
