"""Submitting a rendered form as a browser would, and comparing the database around it."""
from __future__ import annotations

import lxml.html
from sqlalchemy import select

from ethics.core.extensions import db

# Logs and bookkeeping that a save may write without changing any record.
NOT_RECORDS = {"audit_entry", "data_version", "account_sign_in", "alembic_version"}


def submitted(html: str, action: str) -> list[tuple[str, str]]:
    """The name/value pairs a browser sends for the form posting to `action`, untouched: checked
    boxes, selected options and textareas with the first newline dropped and lines ending in CRLF
    (HTML's parsing and form-submission rules, which lxml does not apply to textareas)."""
    page = lxml.html.fromstring(html)
    (form,) = [f for f in page.forms if (f.get("action") or "") == action and f.get("method") != "dialog"]  # a
    # dialog's form (the confirmation every page carries) closes the dialog and sends nothing
    textareas = {t.name for t in form.inputs if t.tag == "textarea"}
    pairs = []
    for name, value in form.form_values():
        if name in textareas:
            value = value.removeprefix("\n").replace("\r\n", "\n").replace("\n", "\r\n")
        pairs.append((name, value))
    return pairs


def records() -> dict[str, list[tuple]]:
    """Every row of every table that holds records, in primary-key order."""
    dump = {}
    for table in db.metadata.sorted_tables:
        if table.name not in NOT_RECORDS:
            order = list(table.primary_key.columns) or list(table.columns)
            dump[table.name] = [tuple(row) for row in db.session.execute(select(table).order_by(*order))]
    return dump


def differences(before: dict, after: dict) -> dict[str, tuple[list, list]]:
    """Per table, the rows only before and the rows only after."""
    changed = {}
    for name in before:
        gone = [row for row in before[name] if row not in after[name]]
        new = [row for row in after[name] if row not in before[name]]
        if gone or new:
            changed[name] = (gone, new)
    return changed
