// The unit picker (templates/_unit_picker.html): its filter box, hidden without this script, hides
// the choices whose name does not hold what is typed. Enter in the box never sends the form.
function showUnitFilters(root) {
  for (const box of root.querySelectorAll("[data-unit-filter][hidden]")) box.hidden = false;
}
document.addEventListener("DOMContentLoaded", () => showUnitFilters(document));
document.addEventListener("htmx:load", (event) => showUnitFilters(event.target));

document.addEventListener("input", (event) => {
  const box = event.target.closest ? event.target.closest("[data-unit-filter]") : null;
  if (!box) return;
  const picker = box.closest("[data-unit-picker]");
  const text = box.value.trim().toLocaleLowerCase();
  let shown = 0;
  for (const option of picker.querySelectorAll(".unit-options li")) {
    option.hidden = text !== "" && !option.textContent.toLocaleLowerCase().includes(text);
    if (!option.hidden) shown += 1;
  }
  picker.querySelector("[data-unit-none]").hidden = shown > 0;
});

document.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && event.target.matches && event.target.matches("[data-unit-filter]")) event.preventDefault();
});
