"""The page's own confirmation dialog (confirm_dialog in templates/_macros.html), answered as a
person would: by its buttons."""
from __future__ import annotations

from playwright.sync_api import expect

# Clicks "yes" whenever the dialog opens, on every page the browser loads from now on.
YES_TO_EVERYTHING = """new MutationObserver(() => {
  const dialog = document.getElementById('confirm-dialog');
  if (dialog && dialog.open) dialog.querySelector('[data-yes]').click();
}).observe(document, {subtree: true, attributes: true, attributeFilter: ['open']});"""


def accept_confirmations(page) -> None:
    page.add_init_script(YES_TO_EVERYTHING)


def confirm(page, answer: str = "yes") -> str:
    """Answer the open dialog ("yes" or "no"); returns its question."""
    dialog = page.locator("#confirm-dialog")
    expect(dialog).to_be_visible()
    question = dialog.locator("[data-question]").inner_text()
    dialog.locator(f"button[value={answer}]").click()
    expect(dialog).to_be_hidden()
    return question
