// Shows a message when an htmx request fails, since htmx leaves the page unchanged on errors.
function showRequestError() {
  const box = document.getElementById("request-error");
  if (box) box.hidden = false;
}
document.addEventListener("htmx:responseError", showRequestError);
document.addEventListener("htmx:sendError", showRequestError);
